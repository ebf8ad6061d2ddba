package conformance

import (
	"regexp"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// arnPattern splits an ARN the way the recording tool did: partition, service, region,
// account, then everything after as the resource. It is anchored at the start only, and
// "." stops at a line break, so a text that merely starts like an ARN still matches.
var arnPattern = regexp.MustCompile(`^arn:(aws[a-zA-Z-]*)?:([a-zA-Z0-9_.\-]+)?:([^:]+)?:(\p{Nd}{12})?:(.*)`)

// resourceName is the recorder's "resource name" rule: a member whose text is an ARN
// gives the name of its resource (the last path segment, the function of a Lambda ARN,
// the last colon-separated part otherwise), which is then replaced everywhere by
// "<resource:N>". This is how role, topic and queue names became placeholders in the
// recordings of the SQS and SNS integrations.
func resourceName(_ string, v value.Value) (value.Value, bool) {
	s, ok := v.(string)
	// Most texts are not ARNs; the prefix test spares them the regexp engine.
	if !ok || !strings.HasPrefix(s, "arn:") {
		return nil, false
	}
	m := arnPattern.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	name, ok := arnResourceName(s, m[5])
	if !ok {
		return nil, false
	}
	return name, true
}

// arnResourceName picks the name out of the resource part res of arn. It returns false
// for a resource that is already a placeholder.
func arnResourceName(arn, res string) (string, bool) {
	if strings.HasPrefix(res, "<") && strings.HasSuffix(res, ">") {
		return "", false
	}
	if i := strings.LastIndex(arn, ":changeSet/"); i >= 0 {
		return arn[i+len(":changeSet/"):], true
	}
	if i := strings.LastIndexByte(res, '/'); i >= 0 {
		return res[i+1:], true
	}
	if strings.HasPrefix(res, "function:") {
		// The recorder removed every "function:", not only the leading one, and cut a
		// version or alias that follows a "$" (as in "$LATEST").
		name := strings.ReplaceAll(res, "function:", "")
		if j := strings.IndexByte(name, '$'); j >= 0 {
			name = strings.TrimRight(name[:j], ":")
		}
		return name, true
	}
	if strings.HasPrefix(res, "layer:") {
		// Only "layer:name" and "layer:name:version" give the layer's name; other shapes
		// fall through to the general rule below.
		if parts := strings.Split(res, ":"); len(parts) == 2 || len(parts) == 3 {
			return parts[1], true
		}
	}
	if i := strings.LastIndexByte(res, ':'); i >= 0 {
		return res[i+1:], true
	}
	return res, true
}
