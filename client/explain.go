package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"regexp"
	"strings"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Explained is an error made readable: the SDK puts the reason at the end of a long
// line ("operation error SFN: ListExecutions, https response error StatusCode: 403,
// RequestID: …, api error AccessDeniedException: User … is not authorized to perform:
// …"), where a one-line status cuts it off.
type Explained struct {
	// Summary is one line: the cause, and what to do about it where there is something.
	Summary string
	// Full is the whole text of the error, for a pager.
	Full string
	// Known says the cause was recognised; when it was not, Summary is only the
	// innermost message and Full says more.
	Known bool
	// Action and Resource are what an access denial says is needed ("states:ListExecutions"
	// on "arn:aws:states:…"); empty for other errors.
	Action, Resource string
}

// Explain turns an error into a cause a person can act on.
func Explain(err error) Explained {
	if err == nil {
		return Explained{}
	}
	e := Explained{Full: err.Error()}
	e.Summary = e.cause(err)
	e.Known = e.Summary != innermost(err)
	return e
}

// denied reads IAM's message: "User: arn:… is not authorized to perform: states:X on
// resource: arn:… because …".
var denied = regexp.MustCompile(`not authorized to perform: ([a-z0-9-]+:[A-Za-z0-9]+)(?: on resource: (arn:\S+))?`)

func (e *Explained) cause(err error) string {
	var api smithy.APIError
	isAPI := errors.As(err, &api)
	code, msg := "", ""
	if isAPI {
		code, msg = api.ErrorCode(), api.ErrorMessage()
	}
	text := err.Error()
	var held *HeldBack
	switch {
	case errors.As(err, &held) && !errors.Is(err, context.Canceled):
		return "not sent: stepdeck's request budget held it back until its time ran out (AWS throttling slowed it down; it tries again)"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case isAPI && (code == "AccessDeniedException" || code == "AccessDenied" || strings.Contains(msg, "not authorized to perform")):
		if m := denied.FindStringSubmatch(msg); m != nil {
			e.Action, e.Resource = m[1], strings.TrimSuffix(m[2], ",")
			if e.Resource != "" {
				return fmt.Sprintf("access denied: needs %s on %s", e.Action, e.Resource)
			}
			return "access denied: needs " + e.Action
		}
		return "access denied: " + orCode(msg, code)
	case isAPI && (code == "ExpiredTokenException" || code == "ExpiredToken" || code == "RequestExpired"):
		return "the AWS credentials have expired: refresh them (aws sso login, or new keys) and press r"
	case isAPI && (code == "UnrecognizedClientException" || code == "InvalidClientTokenId" || code == "InvalidSignatureException" || code == "SignatureDoesNotMatch"):
		return fmt.Sprintf("the AWS credentials were refused (%s): check the profile's keys and region", code)
	case retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err).Bool():
		return "throttled by AWS: stepdeck slows down and tries again"
	case isAPI && (api.ErrorFault() == smithy.FaultServer || statusOf(err) >= 500):
		return fmt.Sprintf("the service failed (%s): %s", code, orCode(msg, "trying again may help"))
	case isAPI:
		return fmt.Sprintf("%s: %s", code, orCode(msg, "no message"))
	case strings.Contains(text, "failed to retrieve credentials") || strings.Contains(text, "no EC2 IMDS role found") ||
		strings.Contains(text, "failed to refresh cached credentials"):
		if strings.Contains(text, "expired") || strings.Contains(text, "sso") {
			return "the AWS SSO session has expired or is missing: run aws sso login (with --profile) and press r"
		}
		return "no AWS credentials found: pass --profile, set AWS_PROFILE or run aws configure"
	}
	host := hostOf(err)
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		if r := regionOfHost(dns.Name); r != "" {
			return fmt.Sprintf("no AWS endpoint for region %q (%s does not resolve): check --region", r, dns.Name)
		}
		return fmt.Sprintf("cannot resolve %s: check the endpoint's host name and the network", dns.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("cannot reach %s: connection refused (is the endpoint running?)", host)
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Sprintf("%s did not answer in time", host)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		strings.Contains(text, "connection reset") || strings.Contains(text, "EOF"):
		return fmt.Sprintf("the connection to %s was dropped", host)
	}
	return innermost(err)
}

// statusOf is the HTTP status of the answer an error came from (0: none).
func statusOf(err error) int {
	var resp *smithyhttp.ResponseError
	if errors.As(err, &resp) {
		return resp.HTTPStatusCode()
	}
	return 0
}

func orCode(msg, fallback string) string {
	if msg == "" {
		return fallback
	}
	return msg
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// hostOf finds the host a network error was about, or "the endpoint".
func hostOf(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			return u.Host
		}
	}
	return "the endpoint"
}

// regionOfHost reads the region of an AWS service host name (states.xx-east-9.amazonaws.com).
func regionOfHost(host string) string {
	parts := strings.Split(host, ".")
	if len(parts) >= 4 && strings.HasPrefix(parts[len(parts)-2], "amazonaws") {
		return parts[1]
	}
	return ""
}

// innermost is the message of the deepest error in the chain, which is where the SDK
// keeps the reason.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}
