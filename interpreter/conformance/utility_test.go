package conformance

import (
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// normalizeDoc normalizes one JSON document as a snapshot entry and prints the result.
func normalizeDoc(t *testing.T, doc string, ts ...Transformer) string {
	t.Helper()
	v, err := value.ParseString(doc)
	if err != nil {
		t.Fatalf("test document: %v", err)
	}
	out, err := NormalizeState(value.ObjectOf("snap", v), ts)
	if err != nil {
		t.Fatalf("NormalizeState: %v", err)
	}
	got, _ := out.Get("snap")
	return value.String(got)
}

func utilityNamed(name string) Transformer { return Transformer{Kind: "utility", Name: name} }

func regexTransformer(pattern, replacement string) Transformer {
	return Transformer{Kind: "regex", Regex: pattern, Replacement: replacement}
}

func TestSfnSQSIntegration(t *testing.T) {
	doc := `{
		"roleArn": "arn:aws:iam::111111111111:role/sfn-role-1",
		"output": {"MD5OfMessageBody": "abc", "MD5OfMessageAttributes": "", "SenderId": "AIDA1",
			"ReceiptHandle": "rh", "SequenceNumber": "17", "TaskHandle": null,
			"MessageAttributes": {"RequestID": {"StringValue": "req-9"}},
			"Queue": "arn:aws:sqs:us-east-1:111111111111:queue-1", "Echo": "abc queue-1 req-9"}
	}`
	got := normalizeDoc(t, doc,
		utilityNamed("sfn_sqs_integration"),
		// The case's own substitution of the role comes after the set, as in the
		// recordings, and no longer finds the name the resource rule took.
		regexTransformer("arn:aws:iam::111111111111:role/sfn-role-1", "snf_role_arn"))
	want := `{"output":{"Echo":"<m-d5-of-message-body:1> <resource:1> <request-id:1>",` +
		`"MD5OfMessageAttributes":"","MD5OfMessageBody":"<m-d5-of-message-body:1>",` +
		`"MessageAttributes":{"RequestID":{"StringValue":"<request-id:1>"}},` +
		`"Queue":"arn:<partition>:sqs:<region>:111111111111:<resource:1>",` +
		`"ReceiptHandle":"<receipt-handle:1>","SenderId":"<sender-id:1>","SequenceNumber":"<sequence-number:1>",` +
		`"TaskHandle":null},"roleArn":"arn:<partition>:iam::111111111111:role/<resource:2>"}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestSNSAPI(t *testing.T) {
	doc := `{"Message": {
		"Signature": "sig==", "MD5OfBody": "m5", "SenderId": "AIDA2",
		"SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0a1b.pem",
		"UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:111111111111:topic-1:sub-1",
		"TopicArn": "arn:aws:sns:us-east-1:111111111111:topic-1"}}`
	got := normalizeDoc(t, doc, utilityNamed("sns_api"))
	want := `{"Message":{"MD5OfBody":"<md5-hash>","SenderId":"<sender-id>","Signature":"<signature>",` +
		`"SigningCertURL":"<cert-domain>/SimpleNotificationService-<signing-cert-file:1>",` +
		`"TopicArn":"arn:<partition>:sns:<region>:111111111111:<resource:1>",` +
		`"UnsubscribeURL":"<unsubscribe-domain>/?Action=Unsubscribe&SubscriptionArn=arn:<partition>:sns:<region>:111111111111:<resource:1>:<resource:2>"}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// The URL hosts are found only where the URL is the value of its key, not inside a
// text that quotes it.
func TestSNSAPIHostsOnlyAsValues(t *testing.T) {
	doc := `{"Body": "SigningCertURL: https://h/SimpleNotificationService-x.pem"}`
	got := normalizeDoc(t, doc, utilityNamed("sns_api"))
	if want := `{"Body":"SigningCertURL: https://h/SimpleNotificationService-x.pem"}`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestDynamoDBAPI(t *testing.T) {
	doc := `{"TableName": "sfn_test_table_0001", "Other": "no_such_sfn_test_table_0002",
		"Path": "/invalid_test_table_3", "Cause": "Table: sfn_test_table_0001 not found", "Keep": "test_tables"}`
	got := normalizeDoc(t, doc, utilityNamed("dynamodb_api"))
	want := `{"Cause":"Table: <test-table> not found","Keep":"test_tables","Other":"<test-table>",` +
		`"Path":"/<test-table>","TableName":"<test-table>"}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestStepFunctionsAPIUtility(t *testing.T) {
	doc := `{"output": {"SdkHttpMetadata": {"HttpHeaders": {"Date": "Thu, 01 Feb 2024 10:00:00 GMT"}}}}`
	got := normalizeDoc(t, doc, utilityNamed("stepfunctions_api"))
	if want := `{"output":{"SdkHttpMetadata":{"HttpHeaders":{"Date":"date"}}}}`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// A set the normalizer does not know is skipped, as the recording tool skipped what it
// could not apply; the rest of the case's transformers still run.
func TestUnknownUtilityIsSkipped(t *testing.T) {
	got := normalizeDoc(t, `{"a": "x"}`, utilityNamed("no_such_api"), regexTransformer("x", "y"))
	if want := `{"a":"y"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestKeyValueSkipsEmptyAndNull(t *testing.T) {
	got := normalizeDoc(t, `{"a": {"K": ""}, "b": {"K": null}, "c": {"K": "v"}, "d": "v"}`,
		Transformer{Kind: "key_value", Key: "K", Replacement: "k"})
	if want := `{"a":{"K":""},"b":{"K":null},"c":{"K":"<k:1>"},"d":"<k:1>"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestCamelToHyphens(t *testing.T) {
	for in, want := range map[string]string{
		"MD5OfMessageBody": "m-d5-of-message-body",
		"SenderId":         "sender-id",
		"receipt":          "receipt",
		"X":                "x",
		"a_B":              "a_-b",
		"":                 "",
	} {
		if got := camelToHyphens(in); got != want {
			t.Errorf("camelToHyphens(%q) = %q, want %q", in, got, want)
		}
	}
}

// A pattern that is the text of a value (renamed to the fixture that made it) replaces
// that text whole; a true pattern keeps its meaning.
func TestPatternStandingForAValue(t *testing.T) {
	doc := `{"Url": "make_queue()", "Arn": "role_of()x", "Log": "Request ID: ab-1"}`
	got := normalizeDoc(t, doc,
		regexTransformer("make_queue()", "<queue>"),
		regexTransformer("role_of()", "<role>"),
		regexTransformer("Request ID: [a-z0-9-]+", "Request ID: <id>"))
	if want := `{"Arn":"<role>x","Log":"Request ID: <id>","Url":"<queue>"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	// Group references cannot be written for a text, so such a pattern is only a
	// pattern.
	got = normalizeDoc(t, `{"a": "f(x)"}`, regexTransformer(`(f)()`, `\1!`))
	if want := `{"a":"f!(x)"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// Substitutions reach keys too; a name that rewrites the "events" key must be reported,
// not read as an empty history.
func TestReshapedHistoryIsAnError(t *testing.T) {
	c := &Case{ID: "reshaped", Normalization: Normalization{TestTransformers: []Transformer{utilityNamed("sfn_sqs_integration")}}}
	history := []byte(`[{"id":1,"type":"ExecutionStarted","executionStartedEventDetails":{"roleArn":"arn:aws:iam::111111111111:role/s"}}]`)
	if got, err := NormalizeEvents(c, history); err == nil {
		t.Fatalf("no error; events %s", value.Marshal(got))
	}
}

func TestSQSAPIAndResourceNameAlone(t *testing.T) {
	doc := `{"MD5OfMessageBody": "m5", "ReceiptHandle": "rh-1", "Queue": "arn:aws:sqs:us-east-1:111111111111:queue-1"}`
	got := normalizeDoc(t, doc, utilityNamed("sqs_api"))
	want := `{"MD5OfMessageBody":"m5","Queue":"arn:<partition>:sqs:<region>:111111111111:<resource:1>","ReceiptHandle":"<receipt-handle:1>"}`
	if got != want {
		t.Errorf("sqs_api: got  %s\nwant %s", got, want)
	}
	got = normalizeDoc(t, doc, utilityNamed("resource_name"))
	want = `{"MD5OfMessageBody":"m5","Queue":"arn:<partition>:sqs:<region>:111111111111:<resource:1>","ReceiptHandle":"rh-1"}`
	if got != want {
		t.Errorf("resource_name: got  %s\nwant %s", got, want)
	}
}
