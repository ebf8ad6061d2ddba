package localtask

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"

	"github.com/stepdeck/stepdeck/interpreter/configfile"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// The resources a Lambda serves.
const (
	LambdaInvoke         = "arn:aws:states:::lambda:invoke"
	LambdaInvokeCallback = "arn:aws:states:::lambda:invoke.waitForTaskToken"
	LambdaFunctions      = "arn:aws:lambda:*" // legacy Task resources: a function ARN
)

// Lambda invokes functions on a Lambda-compatible endpoint, such as
// `sam local start-lambda` or LocalStack, through the AWS SDK.
type Lambda struct {
	client   *lambda.Client
	endpoint string
}

// NewLambda makes a client for the endpoint (such as http://127.0.0.1:3001). region
// defaults to AWS_REGION, then us-east-1. Local endpoints ignore credentials, so
// placeholders are used unless AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set.
func NewLambda(endpoint string, region string) (*Lambda, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("lambda endpoint %q is not an http:// or https:// URL with a host, such as http://127.0.0.1:3001", endpoint)
	}
	if region == "" {
		region = os.Getenv("AWS_REGION")
	}
	if region == "" {
		region = "us-east-1"
	}
	creds := aws.Credentials{AccessKeyID: "stepdeck", SecretAccessKey: "stepdeck", Source: "stepdeck placeholder"}
	if id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"); id != "" && secret != "" {
		creds = aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: os.Getenv("AWS_SESSION_TOKEN"), Source: "environment"}
	}
	client := lambda.New(lambda.Options{
		Region:       region,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
		// The state machine's own Retry decides what to retry, as with real Step Functions.
		Retryer:    aws.NopRetryer{},
		HTTPClient: &http.Client{Transport: bufferedBodies{awshttp.NewBuildableClient().GetTransport()}},
	})
	return &Lambda{client: client, endpoint: endpoint}, nil
}

// Register serves lambda:invoke, its .waitForTaskToken form, and legacy function ARNs.
func (l *Lambda) Register(r *engine.Registry) {
	r.Handle(LambdaInvoke, l.Invoke)
	r.Handle(LambdaInvokeCallback, l.InvokeForCallback)
	r.Handle(LambdaFunctions, l.Function)
}

// Invoke serves arn:aws:states:::lambda:invoke: Parameters name the function and its
// payload, and the result is the service's whole response, as Step Functions records it.
func (l *Lambda) Invoke(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
	in, err := invokeInput(call)
	if err != nil {
		return nil, err
	}
	out, err := l.call(ctx, call, in, compactCause)
	if err != nil {
		return nil, err
	}
	return serviceResponse(out), nil
}

// InvokeForCallback invokes the function, then has the task wait for the callback the
// function (or a person) sends with the task token.
func (l *Lambda) InvokeForCallback(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
	out, err := l.Invoke(ctx, call)
	if err != nil {
		return nil, err
	}
	return nil, &engine.CallbackWait{Output: out, Token: call.Token}
}

// Function serves a legacy Task whose resource is a function ARN: the effective input
// is the payload and the function's payload is the result.
func (l *Lambda) Function(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
	name, qualifier, ok := splitFunctionARN(call.Resource)
	if !ok {
		return nil, failure.Newf(failure.Runtime,
			"The resource '%s' is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]).", call.Resource)
	}
	in := &lambda.InvokeInput{FunctionName: aws.String(name), Payload: value.Marshal(call.Input)}
	if qualifier != "" {
		in.Qualifier = aws.String(qualifier)
	}
	out, err := l.call(ctx, call, in, verbatimCause)
	if err != nil {
		return nil, err
	}
	return payloadValue(out.Payload), nil
}

// causeText says how a raising function's payload becomes the cause. AWS's recordings of
// the same Python function show both: a legacy function-ARN task keeps the payload's text
// as the runtime wrote it (json.dumps spacing), a lambda:invoke task records it as
// compact JSON.
type causeText bool

const (
	verbatimCause causeText = false
	compactCause  causeText = true
)

// call invokes the function and turns every way it can fail into the error Step
// Functions records.
func (l *Lambda) call(ctx context.Context, call *engine.TaskCall, in *lambda.InvokeInput, cause causeText) (*lambda.InvokeOutput, error) {
	callCtx, cancel := ctx, context.CancelFunc(func() {})
	if t := engine.HandlerTimeout(call); t > 0 {
		callCtx, cancel = context.WithTimeout(ctx, t)
	}
	defer cancel()
	out, err := l.client.Invoke(callCtx, in)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if callCtx.Err() != nil {
			return nil, failure.New(failure.Timeout, "")
		}
		return nil, l.serviceError(err)
	}
	if out.FunctionError != nil {
		return nil, functionError(out.Payload, cause)
	}
	return out, nil
}

// functionError is what Step Functions records for a function that raised: the
// runtime's errorType names the error, and the cause is the payload's JSON text as the
// function returned it (compacted for lambda:invoke, see causeText). Errors without a type
// (timeouts, out of memory) are Lambda.Unknown, as AWS documents.
func functionError(payload []byte, cause causeText) *failure.Error {
	name := "Lambda.Unknown"
	if v, err := value.Parse(payload); err == nil {
		if obj, ok := v.(*value.Object); ok {
			if t, ok := obj.Get("errorType"); ok {
				if s, ok := t.(string); ok && s != "" {
					name = capHead(s, 256)
				}
			}
		}
	}
	if cause == compactCause {
		var b bytes.Buffer
		if json.Compact(&b, payload) == nil {
			payload = b.Bytes()
		}
	}
	return failure.New(name, capHead(strings.ToValidUTF8(string(payload), "\uFFFD"), maxCause))
}

// serviceError words a failed Invoke call as Step Functions does: the error is
// "Lambda." and the service's error code, the cause the message with the Java SDK's
// suffix.
func (l *Lambda) serviceError(err error) *failure.Error {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		status := 0
		var respErr *awshttp.ResponseError
		requestID := ""
		if errors.As(err, &respErr) {
			status = respErr.HTTPStatusCode()
			requestID = respErr.ServiceRequestID()
		}
		return failure.Newf("Lambda."+apiErr.ErrorCode(),
			"%s (Service: AWSLambda; Status Code: %d; Error Code: %s; Request ID: %s; Proxy: null)",
			apiErr.ErrorMessage(), status, apiErr.ErrorCode(), requestID)
	}
	msg := err.Error()
	var opErr *smithy.OperationError
	if errors.As(err, &opErr) && opErr.Err != nil {
		msg = opErr.Err.Error()
	}
	return failure.Newf("Lambda.SdkClientException", "Unable to execute HTTP request to the Lambda endpoint %s: %s", l.endpoint, msg)
}

// invokeInput reads lambda:invoke's Parameters. A string Payload is sent as it is (it
// may hold JSON text); other values are sent as JSON; no Payload sends none.
func invokeInput(call *engine.TaskCall) (*lambda.InvokeInput, error) {
	params, ok := call.Input.(*value.Object)
	if !ok {
		return nil, failure.Newf(failure.Runtime, "The Parameters of state '%s' must be an object with FunctionName and Payload, not %s.",
			call.StateName, configfile.KindName(call.Input))
	}
	str := func(key string) (*string, error) {
		v, ok := params.Get(key)
		if !ok || v == nil {
			return nil, nil
		}
		s, ok := v.(string)
		if !ok {
			return nil, failure.Newf(failure.Runtime, "The parameter %s of state '%s' must be a string, not %s.", key, call.StateName, configfile.KindName(v))
		}
		return &s, nil
	}
	fn, err := str("FunctionName")
	if err != nil {
		return nil, err
	}
	if fn == nil || *fn == "" {
		return nil, failure.Newf(failure.Runtime, "The state '%s' calls lambda:invoke without a FunctionName parameter.", call.StateName)
	}
	in := &lambda.InvokeInput{}
	name, qualifier := localFunctionName(*fn)
	in.FunctionName = aws.String(name)
	if qualifier != "" {
		in.Qualifier = aws.String(qualifier)
	}
	if q, err := str("Qualifier"); err != nil {
		return nil, err
	} else if q != nil {
		in.Qualifier = q
	}
	if v, err := str("InvocationType"); err != nil {
		return nil, err
	} else if v != nil {
		in.InvocationType = lambdatypes.InvocationType(*v)
	}
	if v, err := str("LogType"); err != nil {
		return nil, err
	} else if v != nil {
		in.LogType = lambdatypes.LogType(*v)
	}
	if in.ClientContext, err = str("ClientContext"); err != nil {
		return nil, err
	}
	if p, ok := params.Get("Payload"); ok && p != nil {
		if s, isString := p.(string); isString {
			in.Payload = []byte(s)
		} else {
			in.Payload = value.Marshal(p)
		}
	}
	return in, nil
}

// localFunctionName reduces a function ARN or partial ARN to its name and qualifier:
// local endpoints know functions by name only, whatever account and region an ARN
// names.
func localFunctionName(fn string) (name, qualifier string) {
	if n, q, ok := splitFunctionARN(fn); ok {
		return n, q
	}
	// 123456789012:function:name[:qualifier]
	parts := strings.Split(fn, ":")
	if len(parts) >= 3 && parts[1] == "function" {
		if len(parts) > 3 {
			return parts[2], strings.Join(parts[3:], ":")
		}
		return parts[2], ""
	}
	return fn, ""
}

// splitFunctionARN reads arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>].
func splitFunctionARN(arn string) (name, qualifier string, ok bool) {
	parts := strings.Split(arn, ":")
	if len(parts) < 7 || len(parts) > 8 || parts[0] != "arn" || parts[2] != "lambda" || parts[5] != "function" || parts[6] == "" {
		return "", "", false
	}
	if len(parts) == 8 {
		qualifier = parts[7]
	}
	return parts[6], qualifier, true
}

// payloadValue parses a function's payload; one that is not JSON is kept as text.
func payloadValue(payload []byte) value.Value {
	if len(strings.TrimSpace(string(payload))) == 0 {
		return ""
	}
	v, err := value.Parse(payload)
	if err != nil {
		return strings.ToValidUTF8(string(payload), "\uFFFD")
	}
	return v
}

// serviceResponse builds lambda:invoke's result the way Step Functions records it:
// the Java SDK's InvokeResult with its HTTP metadata.
func serviceResponse(out *lambda.InvokeOutput) value.Value {
	res := value.NewObject(6)
	res.Set("ExecutedVersion", aws.ToString(out.ExecutedVersion))
	if out.ExecutedVersion == nil || *out.ExecutedVersion == "" {
		res.Set("ExecutedVersion", "$LATEST")
	}
	if out.LogResult != nil {
		res.Set("LogResult", *out.LogResult)
	}
	res.Set("Payload", payloadValue(out.Payload))
	requestID, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	if requestID == "" {
		requestID = newUUID()
	}
	res.Set("SdkHttpMetadata", httpMetadata(out))
	res.Set("SdkResponseMetadata", value.ObjectOf("RequestId", requestID))
	res.Set("StatusCode", int64(out.StatusCode))
	return res
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
