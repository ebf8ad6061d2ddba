package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

var epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func newExec(t testing.TB, def, input string, opts Options) *Execution {
	t.Helper()
	d, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatalf("definition: %v", err)
	}
	meta := Meta{ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:m:e", Name: "e",
		StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:m", StateMachineName: "m",
		RoleArn: "arn:aws:iam::123456789012:role/r", Region: "us-east-1", Type: types.StateMachineTypeStandard,
		StartTime: epoch, Input: input}
	return New(d, meta, value.MustParse(input), opts)
}

func run(t *testing.T, def, input string, reg *Registry) *Execution {
	t.Helper()
	x := newExec(t, def, input, Options{RecordHistory: true, HistoryLimit: MaxHistoryEvents, TimeScale: 1})
	r := &Runner{Clock: NewVirtualClock(epoch), Handlers: reg}
	if err := r.Run(context.Background(), x); err != nil {
		t.Fatalf("run: %v", err)
	}
	return x
}

// trace prints events as "id Type(prev)" for compact comparison.
func trace(x *Execution) string {
	var parts []string
	for _, ev := range x.History {
		parts = append(parts, fmt.Sprintf("%d %s(%d)", ev.ID, ev.Type, ev.PreviousEventID))
	}
	return strings.Join(parts, " · ")
}

func TestPassThenSucceedEventChain(t *testing.T) {
	x := run(t, `{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","Next":"B"},"B":{"Type":"Succeed"}}}`, `{"in":true}`, nil)
	want := "1 ExecutionStarted(0) · 2 PassStateEntered(0) · 3 PassStateExited(2) · 4 SucceedStateEntered(3) · 5 SucceedStateExited(4) · 6 ExecutionSucceeded(5)"
	if got := trace(x); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
	if got := value.String(x.Output); got != `{"in":true,"r":{"x":1}}` {
		t.Errorf("output = %s", got)
	}
}

func TestTaskRetriedThenCaught(t *testing.T) {
	reg := &Registry{}
	calls := 0
	reg.Handle("arn:aws:states:::lambda:invoke", func(ctx context.Context, c *TaskCall) (value.Value, error) {
		calls++
		return nil, failure.New("Boom", "it broke")
	})
	def := `{"StartAt":"T","States":{
		"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["Boom"],"MaxAttempts":2,"IntervalSeconds":3}],
		     "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"P"}],"Next":"P"},
		"P":{"Type":"Pass","End":true}}}`
	x := run(t, def, `{"a":1}`, reg)
	if calls != 3 {
		t.Errorf("handler called %d times, want 3 (1 + 2 retries)", calls)
	}
	want := "1 ExecutionStarted(0) · 2 TaskStateEntered(0) · 3 TaskScheduled(2) · 4 TaskStarted(3) · 5 TaskFailed(4) · " +
		"6 TaskScheduled(5) · 7 TaskStarted(6) · 8 TaskFailed(7) · 9 TaskScheduled(8) · 10 TaskStarted(9) · 11 TaskFailed(10) · " +
		"12 TaskStateExited(11) · 13 PassStateEntered(12) · 14 PassStateExited(13) · 15 ExecutionSucceeded(14)"
	if got := trace(x); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
	if got := value.String(x.Output); got != `{"a":1,"err":{"Error":"Boom","Cause":"it broke"}}` {
		t.Errorf("output = %s", got)
	}
	// Backoff: 3 s then 6 s on the virtual clock.
	if d := x.History[len(x.History)-1].Timestamp.Sub(epoch); d != 9*time.Second {
		t.Errorf("retries took %v of virtual time, want 9s", d)
	}
}

func TestRuntimeErrorIsNotCaught(t *testing.T) {
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.missing","End":true}}}`
	x := run(t, def, `{}`, nil)
	if x.Status != types.ExecutionStatusFailed || x.Error != failure.Runtime {
		t.Fatalf("status %s error %s", x.Status, x.Error)
	}
	want := "An error occurred while executing the state 'P' (entered at the event id #2). Invalid path '$.missing' : No results for path: $['missing']"
	if x.Cause != want {
		t.Errorf("cause:\n got %s\nwant %s", x.Cause, want)
	}
	if got := trace(x); got != "1 ExecutionStarted(0) · 2 PassStateEntered(0) · 3 ExecutionFailed(2)" {
		t.Errorf("events: %s", got)
	}
}

func TestWaitUsesTheClockAndTimeScale(t *testing.T) {
	def := `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}}`
	x := newExec(t, def, `{}`, Options{RecordHistory: true, TimeScale: 0.5})
	if err := (&Runner{Clock: NewVirtualClock(epoch)}).Run(context.Background(), x); err != nil {
		t.Fatal(err)
	}
	if d := x.StopTime.Sub(epoch); d != 50*time.Second {
		t.Errorf("waited %v, want 50s at time scale 0.5", d)
	}
}

func TestWaitingExecutionIsOnlyData(t *testing.T) {
	def := `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`
	x := newExec(t, def, `{}`, Options{RecordHistory: true, TimeScale: 1})
	res := x.Start(epoch)
	if len(res.Commands) != 1 || res.Commands[0].Kind != CmdStartTimer || !res.Commands[0].At.Equal(epoch.Add(time.Hour)) {
		t.Fatalf("commands = %+v, want one timer an hour on", res.Commands)
	}
	// A stale timer is ignored; the current one finishes the state.
	stale := Input{Kind: InputTimer, Frame: res.Commands[0].Frame, Seq: res.Commands[0].Seq - 1}
	if r := x.Advance(stale, epoch.Add(time.Minute)); len(r.Events) != 0 || x.Done() {
		t.Fatalf("a stale timer advanced the execution: %+v", r.Events)
	}
	x.Advance(Input{Kind: InputTimer, Frame: res.Commands[0].Frame, Seq: res.Commands[0].Seq}, epoch.Add(time.Hour))
	if x.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s", x.Status)
	}
}

func TestStopDuringWait(t *testing.T) {
	def := `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}`
	x := newExec(t, def, `{}`, Options{RecordHistory: true, TimeScale: 1})
	x.Start(epoch)
	x.Advance(Input{Kind: InputStop, Error: aws.String("Err"), Cause: aws.String("why")}, epoch.Add(time.Second))
	if got := trace(x); got != "1 ExecutionStarted(0) · 2 WaitStateEntered(0) · 3 ExecutionAborted(0)" {
		t.Errorf("events: %s", got)
	}
	if x.Status != types.ExecutionStatusAborted || x.Error != "Err" || x.Cause != "why" {
		t.Errorf("status %s %q %q", x.Status, x.Error, x.Cause)
	}
}

func TestParallelKeepsBranchOrder(t *testing.T) {
	def := `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":5,"Next":"A2"},"A2":{"Type":"Pass","Result":"a","End":true}}},
		{"StartAt":"B","States":{"B":{"Type":"Pass","Result":"b","End":true}}}]}}}`
	x := run(t, def, `{}`, nil)
	if got := value.String(x.Output); got != `["a","b"]` {
		t.Errorf("output = %s, want branch order", got)
	}
	last := x.History[len(x.History)-3]
	if last.Type != types.HistoryEventTypeParallelStateSucceeded {
		t.Fatalf("want ParallelStateSucceeded third from last, got %s", last.Type)
	}
}

func TestParallelBranchFailureIsCaught(t *testing.T) {
	def := `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","Next":"Done","Catch":[{"ErrorEquals":["Bad"],"Next":"Done"}],"Branches":[
		{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}},
		{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Bad","Cause":"c"}}}]},
		"Done":{"Type":"Pass","End":true}}}`
	x := run(t, def, `{}`, nil)
	if got := value.String(x.Output); got != `{"Error":"Bad","Cause":"c"}` {
		t.Errorf("output = %s", got)
	}
	var sawAbort bool
	for _, ev := range x.History {
		if ev.Type == types.HistoryEventTypeWaitStateAborted {
			sawAbort = true
		}
	}
	if !sawAbort {
		t.Errorf("the waiting branch was not aborted: %s", trace(x))
	}
}

func TestMapSequentialMatchesAWSChain(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"End":true,
		"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}`
	x := run(t, def, `[1,2]`, nil)
	want := "1 ExecutionStarted(0) · 2 MapStateEntered(0) · 3 MapStateStarted(2) · 4 MapIterationStarted(3) · 5 PassStateEntered(4) · " +
		"6 PassStateExited(5) · 7 MapIterationSucceeded(6) · 8 MapIterationStarted(6) · 9 PassStateEntered(8) · 10 PassStateExited(9) · " +
		"11 MapIterationSucceeded(10) · 12 MapStateSucceeded(11) · 13 MapStateExited(11) · 14 ExecutionSucceeded(13)"
	if got := trace(x); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
}

func TestMapItemSelectorAndVariables(t *testing.T) {
	def := `{"StartAt":"Init","States":{
		"Init":{"Type":"Pass","Assign":{"factor":10},"Next":"M"},
		"M":{"Type":"Map","ItemsPath":"$.xs","ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value","f.$":"$factor"},"End":true,
		"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}`
	x := run(t, def, `{"xs":["a","b"]}`, nil)
	if got := value.String(x.Output); got != `[{"i":0,"v":"a","f":10},{"i":1,"v":"b","f":10}]` {
		t.Errorf("output = %s", got)
	}
}

func TestChoiceLoop(t *testing.T) {
	def := `{"StartAt":"Inc","States":{
		"Inc":{"Type":"Pass","Parameters":{"i.$":"States.MathAdd($.i, 1)","n.$":"$.n"},"Next":"Check"},
		"Check":{"Type":"Choice","Choices":[{"Variable":"$.i","NumericLessThanPath":"$.n","Next":"Inc"}],"Default":"Done"},
		"Done":{"Type":"Succeed"}}}`
	x := run(t, def, `{"i":0,"n":5}`, nil)
	if got := value.String(x.Output); got != `{"i":5,"n":5}` {
		t.Errorf("output = %s", got)
	}
}

func TestHistoryLimit(t *testing.T) {
	def := `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"C"},
		"C":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"A"},
		"Done":{"Type":"Succeed"}}}`
	x := newExec(t, def, `{}`, Options{RecordHistory: true, HistoryLimit: 100, TimeScale: 1})
	if err := (&Runner{Clock: NewVirtualClock(epoch)}).Run(context.Background(), x); err != nil {
		t.Fatal(err)
	}
	if x.Status != types.ExecutionStatusFailed || len(x.History) != 100 {
		t.Fatalf("status %s with %d events, want FAILED at 100", x.Status, len(x.History))
	}
	if last := x.History[99]; last.Type != types.HistoryEventTypeExecutionFailed {
		t.Errorf("last event %s", last.Type)
	}
}

func TestPayloadLimit(t *testing.T) {
	big := strings.Repeat("x", MaxPayloadBytes)
	def := `{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"` + big + `","End":true}}}`
	x := run(t, def, `{}`, nil)
	if x.Status != types.ExecutionStatusFailed || x.Error != failure.DataLimitExceeded {
		t.Fatalf("status %s error %s", x.Status, x.Error)
	}
}

func TestUnservedTaskNamesTheResource(t *testing.T) {
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true}}}`
	x := run(t, def, `{}`, nil)
	if x.Status != types.ExecutionStatusFailed || !strings.Contains(x.Cause, "arn:aws:states:::sqs:sendMessage") || !strings.Contains(x.Cause, "--mock-config") {
		t.Fatalf("status %s cause %q", x.Status, x.Cause)
	}
}

func TestBusyExecutionYieldsAndCanBeCancelled(t *testing.T) {
	def := `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"C"},
		"C":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"A"},
		"Done":{"Type":"Succeed"}}}`
	x := newExec(t, def, `{}`, Options{TimeScale: 1, StepBudget: 50})
	if res := x.Start(epoch); !res.More || x.Done() {
		t.Fatalf("an endless loop should stop after the step budget with More set")
	}
	if res := x.Resume(epoch); !res.More {
		t.Fatalf("Resume should go on and stop again")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (&Runner{Clock: NewVirtualClock(epoch)}).Run(ctx, newExec(t, def, `{}`, Options{TimeScale: 1})); err == nil {
		t.Fatal("a cancelled run of an endless loop returned no error")
	}
}

func TestItemBatcher(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
		"ItemSelector":{"v.$":"$$.Map.Item.Value"},
		"ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"job.$":"$.job"}},
		"ItemsPath":"$.xs",
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}`
	x := run(t, def, `{"job":"j1","xs":[1,2,3]}`, nil)
	// BatchInput comes first, as AWS records a batch.
	want := `[{"BatchInput":{"job":"j1"},"Items":[{"v":1},{"v":2}]},{"BatchInput":{"job":"j1"},"Items":[{"v":3}]}]`
	if got := value.String(x.Output); got != want {
		t.Errorf("output = %s\nwant     %s", got, want)
	}
}

func TestCallbackTaskHeartbeatAndTimeout(t *testing.T) {
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		"Parameters":{"token.$":"$$.Task.Token"},"HeartbeatSeconds":10,"TimeoutSeconds":100,"End":true}}}`
	x := newExec(t, def, `{}`, Options{RecordHistory: true, TimeScale: 1, NewToken: func() string { return "tok" }})
	res := x.Start(epoch)
	var invoke Command
	for _, c := range res.Commands {
		if c.Kind == CmdInvokeTask {
			invoke = c
		}
	}
	if invoke.Task == nil || invoke.Task.Token != "tok" || value.String(invoke.Task.Input) != `{"token":"tok"}` {
		t.Fatalf("task call = %+v", invoke.Task)
	}
	x.Advance(Input{Kind: InputTaskSubmitted, Frame: invoke.Frame, Seq: invoke.Seq, Output: value.ObjectOf("MessageId", "m1")}, epoch.Add(time.Second))
	// A heartbeat at 8 s moves the heartbeat deadline to 18 s: the timer set for 10 s is stale.
	x.Advance(Input{Kind: InputHeartbeat, Frame: invoke.Frame, Seq: invoke.Seq}, epoch.Add(8*time.Second))
	x.Advance(Input{Kind: InputTimer, Frame: invoke.Frame, Seq: invoke.Seq, Purpose: TimerHeartbeat}, epoch.Add(10*time.Second))
	if x.Done() {
		t.Fatal("a stale heartbeat timer timed the task out")
	}
	x.Advance(Input{Kind: InputTimer, Frame: invoke.Frame, Seq: invoke.Seq, Purpose: TimerHeartbeat}, epoch.Add(18*time.Second))
	want := "1 ExecutionStarted(0) · 2 TaskStateEntered(0) · 3 TaskScheduled(2) · 4 TaskStarted(3) · 5 TaskSubmitted(4) · 6 TaskTimedOut(5) · 7 ExecutionFailed(6)"
	if got := trace(x); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
	if x.Error != failure.Timeout {
		t.Errorf("error %q", x.Error)
	}
}

// invokeNow runs a task command's handler from reg on the calling goroutine, for tests
// that drive the engine step by step.
func invokeNow(reg *Registry, c Command) Input {
	h, ok := reg.Lookup(c.Task.Resource)
	if !ok {
		in := FailedInput(NoHandlerError(c.Task.Resource))
		in.Frame, in.Seq = c.Frame, c.Seq
		return in
	}
	in, _ := Invoke(context.Background(), h, c, false)
	return in
}
