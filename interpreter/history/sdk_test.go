package history

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// cannedHTTP answers every request with one body, so that the SDK's own deserializer
// judges what we write.
type cannedHTTP struct{ body []byte }

func (c *cannedHTTP) Do(r *http.Request) (*http.Response, error) {
	h := http.Header{}
	h.Set("Content-Type", "application/x-amz-json-1.0")
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: h, Request: r,
		Body: io.NopCloser(bytes.NewReader(c.body)), ContentLength: int64(len(c.body))}, nil
}

func sdkClient(c *cannedHTTP) *sfn.Client {
	return sfn.New(sfn.Options{
		Region: "us-east-1", BaseEndpoint: aws.String("http://localhost:8083"), HTTPClient: c, RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET"}, nil
		}),
	})
}

// TestSDKReadsOurHistory: a GetExecutionHistory response written by AppendEvents, with
// one event of every type, is read by the SDK into exactly ToSDKAll of the events.
func TestSDKReadsOurHistory(t *testing.T) {
	var events []Event
	for i, typ := range allTypes(t) {
		events = append(events, sampleEvent(string(typ), int64(i+1)))
	}
	body := []byte(`{"events":`)
	body, err := AppendEvents(body, events)
	if err != nil {
		t.Fatal(err)
	}
	body = append(body, `,"nextToken":"page-2"}`...)
	out, err := sdkClient(&cannedHTTP{body: body}).GetExecutionHistory(context.Background(),
		&sfn.GetExecutionHistoryInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:111111111111:execution:m:e")})
	if err != nil {
		t.Fatalf("the SDK rejects our history: %v", err)
	}
	if aws.ToString(out.NextToken) != "page-2" {
		t.Errorf("nextToken = %q", aws.ToString(out.NextToken))
	}
	want := ToSDKAll(events)
	if len(out.Events) != len(want) {
		t.Fatalf("the SDK read %d events, want %d", len(out.Events), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(out.Events[i], want[i]) {
			t.Errorf("event %d (%s): the SDK read\n%+v\nwant\n%+v", i+1, want[i].Type, out.Events[i], want[i])
		}
		if back := FromSDK(out.Events[i]); !reflect.DeepEqual(back, events[i]) {
			t.Errorf("event %d (%s): FromSDK gives %+v, want %+v", i+1, want[i].Type, back, events[i])
		}
	}
}

// TestTypicalRun: the events an engine writes for a small run, built with the helpers,
// read back through the SDK with the readers giving what was put in.
func TestTypicalRun(t *testing.T) {
	ts := sampleEvent("PassStateEntered", 1).Timestamp
	events := []Event{
		{ID: 1, Timestamp: ts, Type: types.HistoryEventTypeExecutionStarted, Details: &types.ExecutionStartedEventDetails{
			Input: aws.String(`{"n":1}`), InputDetails: NotTruncated, RoleArn: aws.String("arn:aws:iam::111111111111:role/r")}},
		{ID: 2, Timestamp: ts, Type: types.HistoryEventTypePassStateEntered, Details: Entered("Start", `{"n":1}`)},
		{ID: 3, PreviousEventID: 2, Timestamp: ts, Type: types.HistoryEventTypePassStateExited,
			Details: Exited("Start", `{"n":2}`, map[string]string{"x": `"y"`})},
		{ID: 4, PreviousEventID: 3, Timestamp: ts, Type: types.HistoryEventTypeMapIterationFailed,
			Details: &types.MapIterationEventDetails{Index: 0, Name: aws.String("M")}},
		{ID: 5, PreviousEventID: 4, Timestamp: ts, Type: types.HistoryEventTypeTaskFailed, Details: &types.TaskFailedEventDetails{
			Resource: aws.String("invoke"), ResourceType: aws.String("lambda"), Error: aws.String("States.Timeout")}},
		{ID: 6, PreviousEventID: 5, Timestamp: ts, Type: types.HistoryEventTypeParallelStateStarted},
		{ID: 7, PreviousEventID: 6, Timestamp: ts, Type: types.HistoryEventTypeExecutionFailed,
			Details: &types.ExecutionFailedEventDetails{Error: aws.String("E"), Cause: aws.String("why")}},
	}
	body, err := AppendEvents([]byte(`{"events":`), events)
	if err != nil {
		t.Fatal(err)
	}
	out, err := sdkClient(&cannedHTTP{body: append(body, '}')}).GetExecutionHistory(context.Background(),
		&sfn.GetExecutionHistoryInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:111111111111:execution:m:e")})
	if err != nil {
		t.Fatal(err)
	}
	got := make([]Event, len(out.Events))
	for i, h := range out.Events {
		got[i] = FromSDK(h)
	}
	type reading struct {
		name, input, output, errName, cause, resource string
	}
	read := func(e *Event) reading {
		var r reading
		r.name, _ = e.StateName()
		r.input, _ = e.Input()
		r.output, _ = e.Output()
		r.errName, _ = e.Error()
		r.cause, _ = e.Cause()
		r.resource, _ = e.Resource()
		return r
	}
	want := []reading{
		{input: `{"n":1}`},
		{name: "Start", input: `{"n":1}`},
		{name: "Start", output: `{"n":2}`},
		{name: "M"},
		{errName: "States.Timeout", resource: "invoke"},
		{},
		{errName: "E", cause: "why"},
	}
	for i := range events {
		if r := read(&got[i]); r != want[i] {
			t.Errorf("event %d (%s): read %+v, want %+v", i+1, got[i].Type, r, want[i])
		}
		if !reflect.DeepEqual(got[i], events[i]) {
			t.Errorf("event %d: %+v, want %+v", i+1, got[i], events[i])
		}
	}
	if d := got[2].Details.(*types.StateExitedEventDetails); d.AssignedVariables["x"] != `"y"` || d.AssignedVariablesDetails == nil {
		t.Errorf("assigned variables lost: %+v", d)
	}
}

func TestStateTypeHelpers(t *testing.T) {
	for typ, want := range map[types.HistoryEventType]string{
		types.HistoryEventTypeTaskStateEntered:    "Task",
		types.HistoryEventTypeMapStateExited:      "Map",
		types.HistoryEventTypeWaitStateAborted:    "Wait",
		types.HistoryEventTypeMapStateStarted:     "",
		types.HistoryEventTypeExecutionStarted:    "",
		types.HistoryEventTypeParallelStateFailed: "",
	} {
		if got := StateType(typ); got != want {
			t.Errorf("StateType(%s) = %q, want %q", typ, got, want)
		}
	}
	entered, exited := 0, 0
	for _, typ := range allTypes(t) {
		if IsEntered(typ) {
			entered++
			if DetailsField(typ) != "stateEnteredEventDetails" {
				t.Errorf("%s: entered, but details in %q", typ, DetailsField(typ))
			}
		}
		if IsExited(typ) {
			exited++
		}
	}
	// asl-notes §7.1: 8 Entered types (incl. Fail), 7 Exited (no FailStateExited).
	if entered != 8 || exited != 7 {
		t.Errorf("%d entered and %d exited types, want 8 and 7", entered, exited)
	}
}
