package localtask

import (
	"net/http"
	"sort"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// awsHeaderSpelling gives the case Lambda sends these headers in; Go's HTTP client
// canonicalizes header names, and AWS records them as sent.
var awsHeaderSpelling = map[string]string{
	"X-Amzn-Requestid":               "x-amzn-RequestId",
	"X-Amzn-Remapped-Content-Length": "x-amzn-Remapped-Content-Length",
}

// httpMetadata is the SdkHttpMetadata of the Java SDK that Step Functions uses: every
// header with all its values, every header with one value, and the status.
func httpMetadata(out *lambda.InvokeOutput) *value.Object {
	var header http.Header
	status := int64(out.StatusCode)
	if raw, ok := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response); ok && raw != nil {
		header = raw.Header
		status = int64(raw.StatusCode)
	}
	names := make([]string, 0, len(header))
	for name := range header {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return strings.ToLower(names[i]) < strings.ToLower(names[j]) })
	all := value.NewObject(len(names))
	single := value.NewObject(len(names))
	for _, name := range names {
		spelt := name
		if s, ok := awsHeaderSpelling[name]; ok {
			spelt = s
		}
		vals := make([]any, len(header[name]))
		for i, v := range header[name] {
			vals[i] = v
		}
		all.Set(spelt, vals)
		single.Set(spelt, strings.Join(header[name], ","))
	}
	return value.ObjectOf("AllHttpHeaders", all, "HttpHeaders", single, "HttpStatusCode", status)
}
