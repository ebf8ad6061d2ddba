package client

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Options pick the AWS account, region and endpoint. Empty fields fall back to the SDK's
// own chain: AWS_PROFILE, AWS_REGION, the shared config and credentials files,
// AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL and endpoint_url in the profile.
type Options struct {
	Profile  string
	Region   string
	Endpoint string // e.g. http://127.0.0.1:8083 for stepdeck serve or Step Functions Local
	// MaxAttempts bounds the SDK's own retries of one call (0: the SDK's default, 3).
	MaxAttempts int
	// Budget paces every call (nil: a new budget with DefaultLimits).
	Budget *Budget
}

// AWS is the Step Functions client of real AWS or of an endpoint, with the request
// budget its calls go through and the AWS configuration it was made from (for the
// other AWS clients the app needs: the same credentials, region and budget).
type AWS struct {
	*sfn.Client
	Config aws.Config
	Budget *Budget
	// Where says what the client talks to, for the header.
	Where Location
}

// Location is where an AWS client points: an endpoint, or AWS itself with a profile
// and a region (and the account, once asked with Identify).
type Location struct {
	Endpoint string // the endpoint's URL when one was set (flag, environment or profile)
	Profile  string
	Region   string
	Account  string
}

// localRegion is the region assumed for a custom endpoint when none is configured: local
// engines accept any region, but the SDK refuses to sign without one.
const localRegion = "us-east-1"

// NewAWS returns a Step Functions client for real AWS or for any endpoint that speaks
// its API (stepdeck serve, LocalStack, Step Functions Local).
func NewAWS(ctx context.Context, o Options) (*AWS, error) {
	if o.Region != "" && !regionPattern.MatchString(o.Region) {
		return nil, fmt.Errorf("region %q is not an AWS region name (such as eu-west-1); check --region or AWS_REGION", o.Region)
	}
	var loads []func(*config.LoadOptions) error
	if o.Profile != "" {
		loads = append(loads, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region != "" {
		loads = append(loads, config.WithRegion(o.Region))
	}
	if o.MaxAttempts > 0 {
		loads = append(loads, config.WithRetryMaxAttempts(o.MaxAttempts))
	}
	if o.Endpoint != "" {
		if _, err := endpointURL(o.Endpoint); err != nil {
			return nil, err
		}
	}
	cfg, err := config.LoadDefaultConfig(ctx, loads...)
	if err != nil {
		if o.Profile != "" {
			return nil, fmt.Errorf("loading AWS profile %q: %w (check ~/.aws/config, or pick another with --profile)", o.Profile, err)
		}
		return nil, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	if o.Budget == nil {
		o.Budget = NewBudget(Limits{})
	}
	cfg.APIOptions = append(cfg.APIOptions, o.Budget.Middleware)
	if cfg.HTTPClient != nil {
		cfg.HTTPClient = ownRequestBody{cfg.HTTPClient}
	}
	c := sfn.NewFromConfig(cfg, func(so *sfn.Options) {
		if o.Endpoint != "" {
			so.BaseEndpoint = aws.String(o.Endpoint)
		}
		// The endpoint may also come from the environment or the profile: the fix
		// applies to whatever endpoint the SDK resolved.
		if so.BaseEndpoint == nil {
			return
		}
		so.APIOptions = append(so.APIOptions, disableHostPrefix)
		if so.Region == "" {
			so.Region = localRegion
		}
		if u, err := endpointURL(*so.BaseEndpoint); err == nil && isLoopback(u.Hostname()) {
			so.Credentials = orPlaceholder(so.Credentials)
		}
	})
	if c.Options().Region == "" {
		return nil, fmt.Errorf("no AWS region: pass --region, set AWS_REGION, or set region in the profile")
	}
	if r := c.Options().Region; !regionPattern.MatchString(r) {
		return nil, fmt.Errorf("region %q (from the profile or the environment) is not an AWS region name such as eu-west-1", r)
	}
	where := Location{Profile: o.Profile, Region: c.Options().Region}
	if where.Profile == "" {
		where.Profile = os.Getenv("AWS_PROFILE")
	}
	if ep := c.Options().BaseEndpoint; ep != nil {
		where = Location{Endpoint: *ep, Region: where.Region}
	}
	cfg.Region = c.Options().Region
	return &AWS{Client: c, Config: cfg, Budget: o.Budget, Where: where}, nil
}

// regionPattern is the shape of every AWS region name (us-east-1, eu-central-2,
// us-gov-west-1, cn-north-1, us-isob-east-1): a typo such as "eu-west" or "euwest1" is
// caught before a call fails with a DNS error.
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d{1,2}$`)

// Identify asks STS which account the credentials belong to (once; the header shows
// it). An endpoint has no account to ask for.
func (a *AWS) Identify(ctx context.Context) (string, error) {
	if a.Where.Endpoint != "" || a.Where.Account != "" {
		return a.Where.Account, nil
	}
	out, err := sts.NewFromConfig(a.Config).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", err
	}
	a.Where.Account = aws.ToString(out.Account)
	return a.Where.Account, nil
}

// String is the location for a header: "endpoint 127.0.0.1:8083", or
// "aws prod · eu-west-1 · 123456789012".
func (l Location) String() string {
	if l.Endpoint != "" {
		host := l.Endpoint
		if u, err := url.Parse(l.Endpoint); err == nil && u.Host != "" {
			host = u.Host
		}
		return "endpoint " + host
	}
	parts := []string{"aws"}
	if l.Profile != "" {
		parts = append(parts, l.Profile)
	}
	s := strings.Join(parts, " ") + " · " + l.Region
	if l.Account != "" {
		s += " · " + l.Account
	}
	return s
}

// disableHostPrefix stops StartSyncExecution and TestState from prepending "sync-" to
// the host: right for AWS's own endpoints, a DNS failure for a custom one.
func disableHostPrefix(st *middleware.Stack) error {
	return st.Initialize.Add(middleware.InitializeMiddlewareFunc("StepdeckDisableHostPrefix",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
		}), middleware.Before)
}

func endpointURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("endpoint %q: want a URL such as http://127.0.0.1:8083", s)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// orPlaceholder lets a loopback engine (which checks no signature) be used without any
// AWS credentials configured; real credentials still win when there are some.
func orPlaceholder(p aws.CredentialsProvider) aws.CredentialsProvider {
	// Cached, so a machine without credentials asks the chain (and its slow IMDS probe)
	// once, not on every call.
	return aws.NewCredentialsCache(aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
		if p != nil {
			if c, err := p.Retrieve(ctx); err == nil && c.HasKeys() {
				return c, nil
			}
		}
		return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local", Source: "stepdeck placeholder"}, nil
	}))
}
