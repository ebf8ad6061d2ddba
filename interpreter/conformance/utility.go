package conformance

import (
	"errors"
	"regexp"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// A "utility" transformer of a case names a set of transformers that the recording
// tool kept per AWS service. The case file records only the name, so the sets are
// spelled out here, each as the recorder described it.

// step is one transformer of such a set, applied in the set's order.
type step func(state value.Value, r *replacer) error

// utility returns the transformers of the set name. The recordings at hand name the
// Step Functions, SQS integration, SNS and DynamoDB sets; older recordings of the same
// tests used the plain SQS set, and some the resource-name rule alone.
func utility(name string) ([]step, bool) {
	switch name {
	case "stepfunctions_api":
		return transformerSteps(sdkMetadataDefaults), true
	case "sqs_api":
		return sqsAPI(), true
	case "sfn_sqs_integration":
		return sfnSQSIntegration(), true
	case "resource_name":
		return []step{matching(resourceName, "resource", true)}, true
	case "sns_api":
		return snsAPI(), true
	case "dynamodb_api":
		return dynamoDBAPI(), true
	}
	return nil, false
}

// applyUtility applies the set name. Like the recorder, which registered each member of
// a set as a transformer of its own, a member that cannot be applied is skipped and the
// others still are.
func applyUtility(state value.Value, name string, r *replacer) error {
	steps, ok := utility(name)
	if !ok {
		return unsupported("utility transformer %q", name)
	}
	for _, s := range steps {
		err := s(state, r)
		var skip *errUnsupported
		if err != nil && !errors.As(err, &skip) {
			return err
		}
	}
	return nil
}

func transformerSteps(ts []Transformer) []step {
	out := make([]step, len(ts))
	for i, t := range ts {
		out[i] = func(st value.Value, r *replacer) error { return applyTransformer(st, t, r) }
	}
	return out
}

// keyValue is the recorder's key_value helper: the value of every member named key
// that is neither null nor "" is replaced, by default by "<key-in-hyphens:N>" wherever
// it occurs.
func keyValue(key, replacement string, byRef bool) step {
	if replacement == "" {
		replacement = camelToHyphens(key)
	}
	return matching(keyIs(key), replacement, byRef)
}

func matching(m matcher, replacement string, byRef bool) step {
	return func(st value.Value, r *replacer) error { return walkMembers(st, m, replacement, byRef, r) }
}

func jsonPathRef(path, replacement string) step {
	return transformerSteps([]Transformer{{Kind: "jsonpath", JSONPath: path, Replacement: replacement}})[0]
}

func regexStep(re *regexp.Regexp, replacement string) step {
	return func(_ value.Value, r *replacer) error {
		r.compiled(re, replacement)
		return nil
	}
}

// camelToHyphens writes a key as the recorder named its placeholder: a hyphen and the
// lower-case letter for each upper-case one, hyphens trimmed at both ends
// ("MD5OfMessageBody" → "m-d5-of-message-body").
func camelToHyphens(key string) string {
	var b strings.Builder
	for _, c := range key {
		if c >= 'A' && c <= 'Z' {
			b.WriteByte('-')
			b.WriteRune(c - 'A' + 'a')
			continue
		}
		b.WriteRune(c)
	}
	return strings.Trim(b.String(), "-")
}

// sqsAPI is the SQS set, which the Step Functions SQS integration set includes.
func sqsAPI() []step {
	return []step{
		keyValue("ReceiptHandle", "", true),
		keyValue("TaskHandle", "", true),
		keyValue("SenderId", "", true),
		keyValue("SequenceNumber", "", true),
		jsonPathRef("$..MessageAttributes.RequestID.StringValue", "request-id"),
		matching(resourceName, "resource", true),
	}
}

// sfnSQSIntegration adds the message digests, which differ from run to run because the
// message Step Functions sends carries run-specific values.
func sfnSQSIntegration() []step {
	return append(sqsAPI(),
		keyValue("MD5OfMessageBody", "", true),
		keyValue("MD5OfMessageAttributes", "", true),
	)
}

func snsAPI() []step {
	return []step{
		keyValue("ReceiptHandle", "", true),
		keyValue("SequenceNumber", "", true),
		keyValue("Signature", "<signature>", false),
		keyValue("MD5OfBody", "<md5-hash>", false),
		keyValue("SenderId", "<sender-id>", false),
		matching(signingCertFile, "signing-cert-file", true),
		// The recorder found these URL hosts with a look-behind and a look-ahead, which
		// Go's regexp lacks; matching the surroundings and writing them back finds the
		// same texts, since neither surrounding can overlap the next match.
		regexStep(certHost, `\1<cert-domain>\3`),
		regexStep(unsubscribeHost, `\1<unsubscribe-domain>\3`),
		matching(resourceName, "resource", true),
		matching(unsubscribeSubscription, "resource", true),
	}
}

// dynamoDBAPI hides table names made from "test_table_" and a random part, with
// whatever name characters surround it.
func dynamoDBAPI() []step {
	return []step{
		regexStep(testTable, "<test-table>"),
	}
}

var (
	certHost         = regexp.MustCompile(`(?i)(SigningCertURL["|']:\s["|'])(https?.*?)(/\SimpleNotificationService-)`)
	unsubscribeHost  = regexp.MustCompile(`(?i)(UnsubscribeURL["|']:\s["|'])(https?.*?)(/\?Action=Unsubscribe)`)
	testTable        = regexp.MustCompile(`([a-zA-Z0-9_.\-]*)?test_table_([a-zA-Z0-9_.\-]*)?`)
	certFile         = regexp.MustCompile(`^.*SimpleNotificationService-(.*\.pem)`)
	unsubscribeOfArn = regexp.MustCompile(`^.*\?Action=Unsubscribe&SubscriptionArn=.*:(.*)`)
)

// signingCertFile gives the certificate file named by an SNS SigningCertURL.
func signingCertFile(k string, v value.Value) (value.Value, bool) {
	return urlPart(k, "signingcerturl", v, certFile)
}

// unsubscribeSubscription gives the subscription id at the end of an SNS
// UnsubscribeURL, the last part of the subscription ARN it carries.
func unsubscribeSubscription(k string, v value.Value) (value.Value, bool) {
	return urlPart(k, "unsubscribeurl", v, unsubscribeOfArn)
}

func urlPart(k, lowerKey string, v value.Value, re *regexp.Regexp) (value.Value, bool) {
	s, ok := v.(string)
	if !ok || strings.ToLower(k) != lowerKey {
		return nil, false
	}
	m := re.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	return m[1], true
}
