package client

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

// Three ways to hand a token over: a JSONPath Parameters key, a JSONata Arguments
// value, and one hidden in an intrinsic (its place cannot be read from the definition).
const threeWaysDef = `{"StartAt":"All","States":{"All":{"Type":"Parallel","End":true,"Branches":[
 {"StartAt":"ByPath","States":{"ByPath":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
   "TimeoutSeconds":300,"HeartbeatSeconds":60,
   "Parameters":{"QueueUrl":"q","MessageBody":{"list":[1,{"tok.$":"$$.Task.Token"}]}},"End":true}}},
 {"StartAt":"ByJSONata","States":{"ByJSONata":{"Type":"Task","QueryLanguage":"JSONata",
   "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
   "Arguments":{"QueueUrl":"q","MessageBody":{"t":"{% $states.context.Task.Token %}"}},"End":true}}},
 {"StartAt":"Hidden","States":{"Hidden":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
   "Parameters":{"QueueUrl":"q","MessageBody.$":"States.Format('{}', $$.Task.Token)"},"End":true}}}
]}}}`

func byState(cbs []PendingCallback) map[string]PendingCallback {
	m := map[string]PendingCallback{}
	for _, c := range cbs {
		m[c.StateName] = c
	}
	return m
}

func TestPendingCallbacksOnTheLocalService(t *testing.T) {
	api := newLocal(t)
	exec := start(t, api, "three", threeWaysDef)
	start(t, api, "other", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}}`)
	cbs := byState(pendingSoon(t, api, CallbackOptions{}, 3))
	if len(cbs) != 3 {
		t.Fatalf("pending: %+v", cbs)
	}
	path, jsonata, hidden := cbs["ByPath"], cbs["ByJSONata"], cbs["Hidden"]
	if path.TokenPath != "MessageBody.list[1].tok" || path.Token == "" || path.TokenGuessed {
		t.Errorf("JSONPath: %+v", path)
	}
	if jsonata.TokenPath != "MessageBody.t" || jsonata.Token == "" {
		t.Errorf("JSONata: %+v", jsonata)
	}
	if hidden.Token != "" || hidden.TokenError == "" {
		t.Errorf("hidden: %+v", hidden)
	}
	if path.ExecutionArn != exec || !strings.HasSuffix(path.Resource, "sendMessage.waitForTaskToken") || path.Scheduled.IsZero() {
		t.Errorf("JSONPath: %+v", path)
	}
	if path.Timeout != 300*time.Second || path.Heartbeat != 60*time.Second ||
		!path.TimeoutAt.After(path.Scheduled) || path.HeartbeatAt.Sub(path.TimeoutAt) != -240*time.Second {
		t.Errorf("deadlines: %+v", path)
	}
	// The tokens found are the real ones: answering one makes it no longer pending.
	answer(t, api, path.Token)
	left, err := ExecutionCallbacks(ctx, api, exec)
	if err != nil {
		t.Fatal(err)
	}
	if _, still := byState(left)["ByPath"]; still || len(left) != 2 {
		t.Errorf("after answering: %+v", left)
	}
	answer(t, api, jsonata.Token)
	// The hidden one is in the parameters all the same, for a person to read.
	if !strings.Contains(hidden.Parameters, "MessageBody") {
		t.Errorf("hidden parameters: %q", hidden.Parameters)
	}
}

func TestPendingCallbacksOfChosenMachines(t *testing.T) {
	api := newLocal(t)
	a := start(t, api, "a", approvalDef)
	start(t, api, "b", approvalDef)
	pendingSoon(t, api, CallbackOptions{}, 2)
	d, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(a)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := PendingCallbacks(ctx, api, CallbackOptions{StateMachineArns: []string{aws.ToString(d.StateMachineArn)}})
	if err != nil || len(got) != 1 || got[0].ExecutionArn != a {
		t.Errorf("%v %+v", err, got)
	}
	if got, err = PendingCallbacks(ctx, api, CallbackOptions{MaxExecutions: 1}); err != nil || len(got) != 1 {
		t.Errorf("MaxExecutions: %v %+v", err, got)
	}
}

// A history with no definition-side place for the token: the finder looks for a key
// naming a token, and says it guessed.
func TestCallbacksInHistoryGuessesAndClosesTasks(t *testing.T) {
	def, err := asl.Parse([]byte(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"Parameters":{"Payload.$":"States.JsonMerge($, States.StringToJson(States.Format('\\{\"taskToken\":\"{}\"\\}', $$.Task.Token)), false)"},"End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	evs := []types.HistoryEvent{
		{Id: 1, Type: types.HistoryEventTypeExecutionStarted, Timestamp: &at},
		{Id: 2, PreviousEventId: 1, Type: types.HistoryEventTypeTaskStateEntered, Timestamp: &at,
			StateEnteredEventDetails: &types.StateEnteredEventDetails{Name: aws.String("T")}},
		{Id: 3, PreviousEventId: 2, Type: types.HistoryEventTypeTaskScheduled, Timestamp: &at,
			TaskScheduledEventDetails: &types.TaskScheduledEventDetails{Resource: aws.String("invoke.waitForTaskToken"),
				ResourceType: aws.String("lambda"), Region: aws.String("us-east-1"),
				Parameters: aws.String(`{"Payload":{"a":1,"taskToken":"tok-1"}}`)}},
		{Id: 4, PreviousEventId: 3, Type: types.HistoryEventTypeTaskStarted, Timestamp: &at},
	}
	got := CallbacksInHistory(def, "e", evs)
	if len(got) != 1 || got[0].Token != "tok-1" || !got[0].TokenGuessed || got[0].TokenPath != "Payload.taskToken" || got[0].Resource != "lambda:invoke.waitForTaskToken" {
		t.Fatalf("%+v", got)
	}
	// Time travel: the first three events already show the task waiting.
	if got := CallbacksInHistory(def, "e", evs[:3]); len(got) != 1 {
		t.Errorf("first three events: %+v", got)
	}
	for _, closing := range []types.HistoryEventType{types.HistoryEventTypeTaskSucceeded, types.HistoryEventTypeTaskFailed, types.HistoryEventTypeTaskTimedOut} {
		done := append(append([]types.HistoryEvent{}, evs...), types.HistoryEvent{Id: 5, PreviousEventId: 4, Type: closing})
		if got := CallbacksInHistory(def, "e", done); len(got) != 0 {
			t.Errorf("after %s: %+v", closing, got)
		}
	}
	// A Task state without .waitForTaskToken and without a token is no callback.
	plain, _ := asl.Parse([]byte(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`))
	if got := CallbacksInHistory(plain, "e", evs); len(got) != 0 {
		t.Errorf("plain task: %+v", got)
	}
	// Parameters that are not JSON are reported, not fatal.
	bad := append([]types.HistoryEvent{}, evs[:2]...)
	bad = append(bad, types.HistoryEvent{Id: 3, PreviousEventId: 2, Type: types.HistoryEventTypeTaskScheduled,
		TaskScheduledEventDetails: &types.TaskScheduledEventDetails{Resource: aws.String("r"), Parameters: aws.String("{")}})
	if got := CallbacksInHistory(def, "e", bad); len(got) != 1 || got[0].TokenError == "" {
		t.Errorf("bad parameters: %+v", got)
	}
}

func FuzzCallbacksInHistory(f *testing.F) {
	f.Add(`{"QueueUrl":"q","MessageBody":{"list":[1,{"tok":"x"}]}}`, `{"list":[1,{"tok.$":"$$.Task.Token"}]}`)
	f.Add(`{"a":[[[{"token":""}]]]}`, `{"a.$":"$"}`)
	f.Add(`[`, `{"t":"{% $states.context.Task.Token %}"}`)
	f.Fuzz(func(t *testing.T, params, parameters string) {
		def, err := asl.Parse([]byte(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":` + parameters + `,"End":true}}}`))
		if err != nil {
			return
		}
		evs := []types.HistoryEvent{
			{Id: 1, Type: types.HistoryEventTypeTaskStateEntered, StateEnteredEventDetails: &types.StateEnteredEventDetails{Name: aws.String("T")}},
			{Id: 2, PreviousEventId: 1, Type: types.HistoryEventTypeTaskScheduled, TaskScheduledEventDetails: &types.TaskScheduledEventDetails{Parameters: aws.String(params)}},
		}
		got := CallbacksInHistory(def, "e", evs)
		if len(got) != 1 {
			t.Fatalf("%d callbacks", len(got))
		}
		if got[0].Token == "" && got[0].TokenError == "" {
			t.Fatalf("no token and no reason: %+v", got[0])
		}
	})
}

// The execution's own timeout is a deadline too, and the sooner one is the deadline.
func TestCallbackDeadlineIncludesTheExecutionTimeout(t *testing.T) {
	api := newLocal(t)
	def := `{"StartAt":"Ask","TimeoutSeconds":120,"States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
 "TimeoutSeconds":3600,"Parameters":{"QueueUrl":"q","MessageBody":{"t.$":"$$.Task.Token"}},"End":true}}}`
	start(t, api, "timed", def)
	cb := pendingSoon(t, api, CallbackOptions{}, 1)[0]
	if cb.ExecutionTimeoutAt.IsZero() || cb.Deadline() != cb.ExecutionTimeoutAt || !cb.Deadline().Before(cb.TimeoutAt) {
		t.Errorf("task %v, execution %v, deadline %v", cb.TimeoutAt, cb.ExecutionTimeoutAt, cb.Deadline())
	}
	if d := cb.ExecutionTimeoutAt.Sub(cb.Scheduled); d > 120*time.Second || d < 110*time.Second {
		t.Errorf("the execution times out %v after the task was scheduled", d)
	}
}
