package service

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// The helpers of TestConformanceExternal decide what the conformance figures mean, so
// they are tested on histories and behaviour lines written here.

func TestParseBehaviour(t *testing.T) {
	for _, tc := range []struct {
		line string
		want lambdaBehaviour
	}{
		{"echo: returns its event unchanged", lambdaBehaviour{kind: lambdaEcho}},
		{"raises a generic Exception with message 'it broke'", lambdaBehaviour{kind: lambdaRaises, errorType: "Exception", message: "it broke"}},
		{"raises ValueError with message ''", lambdaBehaviour{kind: lambdaRaises, errorType: "ValueError"}},
		{`returns the bytes of the JSON string "hi"`, lambdaBehaviour{kind: lambdaReturns, body: []byte(`"hi"`)}},
		{`returns {"a": [1, 2]}`, lambdaBehaviour{kind: lambdaReturns, body: []byte(`{"a": [1, 2]}`)}},
		{"returns a 2 KiB string of 'z' (a note)", lambdaBehaviour{kind: lambdaReturns, body: value.Marshal(strings.Repeat("z", 2048))}},
		{"sleeps 30 seconds, then returns its event", lambdaBehaviour{kind: lambdaHangs}},
	} {
		got, err := parseBehaviour(tc.line)
		if err != nil {
			t.Errorf("%q: %v", tc.line, err)
			continue
		}
		if got.kind != tc.want.kind || string(got.body) != string(tc.want.body) || got.errorType != tc.want.errorType || got.message != tc.want.message {
			t.Errorf("%q: got %+v, want %+v", tc.line, got, tc.want)
		}
	}
	for _, line := range []string{"", "returns the string 'x-' followed by the event", `returns {"a":`, "returns a 4096 KiB string of 'a'"} {
		if _, err := parseBehaviour(line); err == nil {
			t.Errorf("%q: accepted, want an error", line)
		}
	}
}

func FuzzParseBehaviour(f *testing.F) {
	for _, s := range []string{"echo: returns its event unchanged", "raises X with message 'm'", `returns {"a":1}`,
		`returns the bytes of the JSON string "x"`, "returns a 1 KiB string of 'a'", "sleeps 5 seconds, then returns its event"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		b, err := parseBehaviour(line)
		if err != nil {
			return
		}
		if b.kind == lambdaReturns {
			if _, err := value.Parse(b.body); err != nil {
				t.Fatalf("%q: the payload is not JSON: %v", line, err)
			}
		}
		if b.kind == lambdaRaises && b.errorType == "" {
			t.Fatalf("%q: raises without an error type", line)
		}
	})
}

// recordedHistory is a small recorded history: a callback task answered with success, then a
// service task that failed, both in state "Send".
const recordedHistory = `[
 {"id":1,"previousEventId":0,"type":"ExecutionStarted","executionStartedEventDetails":{}},
 {"id":2,"previousEventId":0,"type":"TaskStateEntered","stateEnteredEventDetails":{"name":"Send"}},
 {"id":3,"previousEventId":2,"type":"TaskScheduled","taskScheduledEventDetails":{"resource":"sendMessage.waitForTaskToken"}},
 {"id":4,"previousEventId":3,"type":"TaskStarted","taskStartedEventDetails":{}},
 {"id":5,"previousEventId":4,"type":"TaskSubmitted","taskSubmittedEventDetails":{"output":{"MessageId":"<uuid:1>"}}},
 {"id":6,"previousEventId":5,"type":"TaskSucceeded","taskSucceededEventDetails":{"output":{"ok":true}}},
 {"id":7,"previousEventId":6,"type":"TaskStateExited","stateExitedEventDetails":{"name":"Send"}},
 {"id":8,"previousEventId":7,"type":"TaskStateEntered","stateEnteredEventDetails":{"name":"Send"}},
 {"id":9,"previousEventId":8,"type":"TaskScheduled","taskScheduledEventDetails":{}},
 {"id":10,"previousEventId":9,"type":"TaskStarted","taskStartedEventDetails":{}},
 {"id":11,"previousEventId":10,"type":"TaskFailed","taskFailedEventDetails":{"error":"SQS.Boom","cause":{"why":"<queue>"}}}
]`

func TestRecordedTaskCalls(t *testing.T) {
	events, err := parseRecordedEvents([]byte(recordedHistory))
	if err != nil {
		t.Fatal(err)
	}
	calls := recordedTaskCalls(events)
	send := calls["Send"]
	if len(calls) != 1 || len(send) != 2 {
		t.Fatalf("calls %v, want two calls of Send", calls)
	}
	first, second := send[0], send[1]
	if first.outcome != "TaskSubmitted" || first.answer != "TaskSucceeded" || value.String(first.answerOutput) != `{"ok":true}` {
		t.Errorf("first call %+v, want submitted then answered with {\"ok\":true}", first)
	}
	if second.outcome != "TaskFailed" || *second.error != "SQS.Boom" || *second.cause != `{"why":"<queue>"}` {
		t.Errorf("second call %+v, want failed with SQS.Boom and the cause as text", second)
	}
}

func FuzzRecordedTaskCalls(f *testing.F) {
	f.Add([]byte(recordedHistory))
	f.Add([]byte(`[{"id":1,"previousEventId":1,"type":"TaskScheduled"}]`))
	f.Fuzz(func(t *testing.T, text []byte) {
		events, err := parseRecordedEvents(text)
		if err != nil {
			return
		}
		_ = recordedTaskCalls(events) // must end, even on cycles of previous ids
	})
}

// The mock file written from a recording loads through interpreter/mock as a user's
// file does, and answers each call as the recording shows it.
func TestPlanWritesALoadableMockFile(t *testing.T) {
	c := &conformance.Case{
		ID:           "synthetic",
		StateMachine: &conformance.StateMachine{Name: "machine", ARN: "arn:aws:states:us-east-1:111111111111:stateMachine:machine", Type: "STANDARD"},
		Execution:    &conformance.Execution{Name: "e", API: "StartExecution"},
		Definition: json.RawMessage(`{"StartAt":"Send","States":{"Send":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
			"Parameters":{"QueueUrl":"q","MessageBody.$":"$$.Task.Token"},"Retry":[{"ErrorEquals":["States.ALL"]}],"End":true},
			"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`),
		Expected: &conformance.Expected{Status: "FAILED", Events: json.RawMessage(recordedHistory)},
		Normalization: conformance.Normalization{TestTransformers: []conformance.Transformer{
			{Kind: "regex", Regex: "queue-0001", Replacement: "<queue>"}}},
	}
	p, why := planExternal(c, nil, nil)
	if p == nil {
		t.Fatalf("not served: %s", why)
	}
	cfg, err := mock.Parse(p.mockFile)
	if err != nil {
		t.Fatalf("the mock file does not load: %v\n%s", err, p.mockFile)
	}
	tc, err := cfg.TestCase("machine", mockTestCase)
	if err != nil {
		t.Fatal(err)
	}
	if states := tc.States(); len(states) != 1 || states[0] != "Send" {
		t.Errorf("mocked states %v, want only Send (Call is served by Lambda)", states)
	}
	r, _, err := tc.Lookup("Send", 0)
	if err != nil || !r.Wait {
		t.Fatalf("call 0: %+v, %v; want a callback wait", r, err)
	}
	id, _ := r.Return.(*value.Object).Get("MessageId")
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(id.(string)) {
		t.Errorf("MessageId %v: the <uuid:1> placeholder should come back as a UUID", id)
	}
	r, _, err = tc.Lookup("Send", 1)
	if err != nil || r.Throw == nil || r.Throw.Name != "SQS.Boom" || r.Throw.Cause != `{"why":"queue-0001"}` {
		t.Fatalf("call 1: %+v, %v; want the recorded failure with the name put back", r, err)
	}
	if _, _, err := tc.Lookup("Send", 2); err == nil {
		t.Error("call 2 is not recorded and should not be mocked")
	}
}

func TestPlanSaysWhyACaseCannotBeServed(t *testing.T) {
	base := func(def string) *conformance.Case {
		return &conformance.Case{ID: "c", StateMachine: &conformance.StateMachine{Name: "m", Type: "STANDARD"},
			Execution: &conformance.Execution{API: "StartExecution"}, Definition: json.RawMessage(def),
			Expected: &conformance.Expected{Status: "SUCCEEDED"}}
	}
	badSetup := base(`{"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject"},"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`)
	badSetup.SetupCalls = json.RawMessage(`[{"service":"s3","op":"put_object","kwargs":{"Bucket":"b","Key":"k","Body":{"not":"text"}}}]`)
	noDefinition := base(`null`)
	unknownLambda := base(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`)
	unknownLambda.Lambdas = json.RawMessage(`[{"function_name":"f","handler_file":"x/unknown.py"}]`)
	noHistory := base(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","End":true}}}`)
	for _, tc := range []struct {
		c        *conformance.Case
		category string
	}{
		{badSetup, "unreadable S3 setup"},
		{noDefinition, "no definition"},
		{unknownLambda, "Lambda handler not playable"},
		{noHistory, "no history"},
	} {
		p, why := planExternal(tc.c, map[string]lambdaBehaviour{}, nil)
		if p != nil || !strings.HasPrefix(why, tc.category+":") {
			t.Errorf("got plan %v, reason %q; want the category %q", p != nil, why, tc.category)
		}
	}
}
