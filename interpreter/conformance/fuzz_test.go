package conformance

import (
	"encoding/json"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// FuzzNormalizeEvents feeds arbitrary histories and transformers to the normalizer: it
// must not panic, and whatever it produces must compare equal to itself at every level.
func FuzzNormalizeEvents(f *testing.F) {
	sets := syntheticTransformerSets()
	for _, ts := range sets {
		tj, _ := json.Marshal(ts)
		f.Add([]byte(rawHistory), tj)
	}
	f.Add([]byte(`[{"type":"ParallelStateExited"},{"type":"ParallelStateStarted"},{"id":[0]},{"type":"ParallelStateFailed"}]`),
		[]byte(`[{"kind":"SfnNoneRecursiveParallelTransformer"},{"kind":"key_value","key":"id","replacement":"x"}]`))
	f.Add([]byte(`[{"cause":"a '{}' b","x":{"cause":"'{\"a\":\"\"}'"}}]`), []byte(`[{"kind":"regex","regex":"(","replacement":"\\g<"}]`))
	f.Add([]byte(`[{"id":1,"type":"ExecutionStarted","executionStartedEventDetails":{"roleArn":"arn:aws:iam::111111111111:role/role-0001",`+
		`"input":"{\"TopicArn\":\"arn:aws:sns:us-east-1:111111111111:topic-0002\",\"TableName\":\"x_test_table_1\",`+
		`\"SigningCertURL\":\"https://h/SimpleNotificationService-cert-0003.pem\",\"MD5OfMessageBody\":\"\"}"}}]`),
		[]byte(`[{"kind":"utility","name":"sfn_sqs_integration"},{"kind":"utility","name":"sns_api"},{"kind":"utility","name":"dynamodb_api"},{"kind":"regex","regex":"f()","replacement":"v"}]`))
	f.Fuzz(func(t *testing.T, events, transformers []byte) {
		var ts []Transformer
		_ = json.Unmarshal(transformers, &ts)
		c := &Case{ID: "fuzz", Expected: &Expected{Status: "SUCCEEDED"}, Normalization: Normalization{TestTransformers: ts}}
		got, err := NormalizeEvents(c, events)
		if err != nil {
			return
		}
		c.Expected.Events = value.Marshal(got)
		c.Expected.EventSummary = EventSummary(got)
		if err := CompareSummary(c, got); err != nil {
			t.Fatalf("summary differs from itself: %v", err)
		}
		if err := CompareEvents(c, got); err != nil {
			t.Fatalf("events differ from themselves: %v", err)
		}
	})
}

// FuzzParseKnownFailures checks that the parser never panics and that what it accepts
// survives formatting.
func FuzzParseKnownFailures(f *testing.F) {
	f.Add([]byte("# c\n\"a b#c\" events # why\n\"x\" result\n"))
	f.Add([]byte("\"\\t\" summary #\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := ParseKnownFailures(data, "fuzz")
		if err != nil {
			return
		}
		again, err := ParseKnownFailures(k.Format(), "formatted")
		if err != nil {
			t.Fatalf("formatted list does not parse: %v\n%s", err, k.Format())
		}
		if len(again) != len(k) {
			t.Fatalf("round trip lost lines: %v → %v", k, again)
		}
		for key := range k {
			if _, ok := again[key]; !ok {
				t.Fatalf("round trip lost %v", key)
			}
		}
	})
}

// FuzzFindPath checks the transformer path dialect on arbitrary paths and documents.
func FuzzFindPath(f *testing.F) {
	f.Add("$..a[0].b", `{"a":[{"b":1},{"b":2}],"c":{"a":[{"b":3}]}}`)
	f.Add("$['x'][-1]..*", `{"x":[1,[2,{"y":3}]]}`)
	f.Fuzz(func(t *testing.T, path, doc string) {
		v, err := value.ParseString(doc)
		if err != nil {
			return
		}
		slots, err := findPath(v, path)
		if err != nil {
			return
		}
		for _, s := range slots {
			s.set(s.get())
		}
	})
}
