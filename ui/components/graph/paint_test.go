package graph

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// events builds a history from lines "id prev Type [name] [index|resource]", written as
// AWS links them (see docs/asl-notes.md §7), through ParseHistory so the wire form is
// exercised too.
func events(t testing.TB, lines ...string) string {
	t.Helper()
	var parts []string
	for _, l := range lines {
		f := strings.Fields(l)
		var id, prev int
		fmt.Sscan(f[0], &id)
		fmt.Sscan(f[1], &prev)
		typ := f[2]
		arg := strings.Join(f[3:], " ")
		details := ""
		switch {
		case strings.HasSuffix(typ, "StateEntered"):
			details = fmt.Sprintf(`,"stateEnteredEventDetails":{"name":%q,"input":"{}"}`, arg)
		case strings.HasSuffix(typ, "StateExited"):
			details = fmt.Sprintf(`,"stateExitedEventDetails":{"name":%q,"output":"{}"}`, arg)
		case strings.HasPrefix(typ, "MapIteration"):
			var name string
			var idx int
			fmt.Sscan(arg, &name, &idx)
			key := strings.ToLower(typ[:1]) + typ[1:] + "EventDetails"
			details = fmt.Sprintf(`,%q:{"name":%q,"index":%d}`, key, name, idx)
		case typ == "MapStateStarted":
			details = `,"mapStateStartedEventDetails":{"length":` + arg + `}`
		case typ == "TaskScheduled":
			details = fmt.Sprintf(`,"taskScheduledEventDetails":{"resourceType":"sqs","resource":%q,"region":"us-east-1","parameters":"{}"}`, arg)
		case typ == "TaskFailed":
			details = `,"taskFailedEventDetails":{"resourceType":"lambda","resource":"invoke","error":"Boom"}`
		}
		parts = append(parts, fmt.Sprintf(`{"timestamp":1700000000,"type":%q,"id":%d,"previousEventId":%d%s}`, typ, id, prev, details))
	}
	return `{"events":[` + strings.Join(parts, ",") + `]}`
}

func paintOf(t *testing.T, defSrc string, lines ...string) *Painting {
	t.Helper()
	evs, err := ParseHistory([]byte(events(t, lines...)))
	if err != nil {
		t.Fatal(err)
	}
	return Paint(mustParse(t, []byte(defSrc)), evs)
}

func wantStatuses(t *testing.T, got map[string]Status, want map[string]Status) {
	t.Helper()
	for n, w := range want {
		if got[n] != w {
			t.Errorf("%s: %v, want %v", n, got[n], w)
		}
	}
}

const callbackDef = `{"StartAt":"Ask","States":{
 "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"QueueUrl":"q","MessageBody":{"t.$":"$$.Task.Token"}},"Next":"After"},
 "After":{"Type":"Pass","End":true}}}`

func TestPaintWaitingForCallback(t *testing.T) {
	p := paintOf(t, callbackDef,
		"1 0 ExecutionStarted",
		"2 0 TaskStateEntered Ask",
		"3 2 TaskScheduled sendMessage.waitForTaskToken",
		"4 3 TaskStarted",
		"5 4 TaskSubmitted")
	wantStatuses(t, p.States, map[string]Status{"Ask": Waiting, "After": NotStarted})
	p = paintOf(t, callbackDef,
		"1 0 ExecutionStarted",
		"2 0 TaskStateEntered Ask",
		"3 2 TaskScheduled sendMessage.waitForTaskToken",
		"4 3 TaskStarted",
		"5 4 TaskSubmitted",
		"6 5 TaskSucceeded",
		"7 6 TaskStateExited Ask",
		"8 7 PassStateEntered After")
	wantStatuses(t, p.States, map[string]Status{"Ask": Succeeded, "After": Running})
}

const retryCatchDef = `{"StartAt":"Call","States":{
 "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},
   "Retry":[{"ErrorEquals":["Boom"],"MaxAttempts":1}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handle"}],"End":true},
 "Handle":{"Type":"Pass","End":true}}}`

func TestPaintRetryThenCaught(t *testing.T) {
	lines := []string{
		"1 0 ExecutionStarted",
		"2 0 TaskStateEntered Call",
		"3 2 TaskScheduled invoke",
		"4 3 TaskStarted",
		"5 4 TaskFailed",
	}
	wantStatuses(t, paintOf(t, retryCatchDef, lines...).States, map[string]Status{"Call": Failed})
	lines = append(lines, "6 5 TaskScheduled invoke", "7 6 TaskStarted")
	wantStatuses(t, paintOf(t, retryCatchDef, lines...).States, map[string]Status{"Call": Running})
	lines = append(lines, "8 7 TaskFailed", "9 8 TaskStateExited Call", "10 9 PassStateEntered Handle", "11 10 PassStateExited Handle", "12 11 ExecutionSucceeded")
	wantStatuses(t, paintOf(t, retryCatchDef, lines...).States, map[string]Status{"Call": Caught, "Handle": Succeeded})
}

const parallelDef = `{"StartAt":"Both","States":{
 "Both":{"Type":"Parallel","Branches":[
   {"StartAt":"Slow","States":{"Slow":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"End":true}}},
   {"StartAt":"Bad","States":{"Bad":{"Type":"Fail","Error":"X"}}}],
  "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover"}],"End":true},
 "Recover":{"Type":"Pass","End":true}}}`

func TestPaintFailingBranchAbortsItsSibling(t *testing.T) {
	p := paintOf(t, parallelDef,
		"1 0 ExecutionStarted",
		"2 0 ParallelStateEntered Both",
		"3 2 ParallelStateStarted",
		"4 3 TaskStateEntered Slow",
		"5 3 FailStateEntered Bad",
		"6 4 TaskScheduled invoke",
		"7 5 ParallelStateFailed",
		"8 5 TaskStateAborted",
		"9 7 ParallelStateExited Both",
		"10 9 PassStateEntered Recover",
		"11 10 PassStateExited Recover",
		"12 11 ExecutionSucceeded")
	wantStatuses(t, p.States, map[string]Status{"Both": Caught, "Slow": Aborted, "Bad": Failed, "Recover": Succeeded})
}

const mapDef = `{"StartAt":"Each","States":{
 "Each":{"Type":"Map","ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Pass","Next":"Check"},"Check":{"Type":"Fail","Error":"X"}}},"End":true}}}`

func TestPaintMapIterations(t *testing.T) {
	p := paintOf(t, mapDef,
		"1 0 ExecutionStarted",
		"2 0 MapStateEntered Each",
		"3 2 MapStateStarted 3",
		"4 3 MapIterationStarted Each 0",
		"5 4 PassStateEntered Work",
		"6 5 PassStateExited Work",
		"7 6 MapIterationSucceeded Each 0",
		"8 6 MapIterationStarted Each 1",
		"9 8 PassStateEntered Work",
		"10 9 PassStateExited Work",
		"11 10 FailStateEntered Check",
		"12 11 MapIterationFailed Each 1",
		"13 11 MapStateFailed",
		"14 13 ExecutionFailed")
	wantStatuses(t, p.States, map[string]Status{"Each": Failed, "Work": NotStarted})
	n, its := p.Iterations("Each", nil)
	if n != 3 || its[0] != Succeeded || its[1] != Failed || len(its) != 2 {
		t.Errorf("Iterations = %d, %v; want 3 with 0 succeeded and 1 failed", n, its)
	}
	if idx, _ := p.choose("", "Each", nil); idx != 1 {
		t.Errorf("the iteration shown by default is %d, want the failed one, 1", idx)
	}
	def := mustParse(t, []byte(mapDef))
	out := Render(def, nil, Options{Painting: p})
	if !strings.Contains(out, "×3 #1") || !strings.Contains(out, "✗ Check") || !strings.Contains(out, "✓ Work") {
		t.Errorf("the Map should show iteration 1 of 3 with Check failed:\n%s", out)
	}
	out = Render(def, nil, Options{Painting: p, MapIteration: map[string]int{"Each": 0}})
	if !strings.Contains(out, "×3 #0") || strings.Contains(out, "✗ Check") {
		t.Errorf("iteration 0 should show Check not started:\n%s", out)
	}
}

func TestPaintStoppedAndRuntimeFailure(t *testing.T) {
	waitDef := `{"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":5,"End":true}}}`
	wantStatuses(t, paintOf(t, waitDef, "1 0 ExecutionStarted", "2 0 WaitStateEntered Hold", "3 0 ExecutionAborted").States,
		map[string]Status{"Hold": Aborted})
	wantStatuses(t, paintOf(t, waitDef, "1 0 ExecutionStarted", "2 0 WaitStateEntered Hold", "3 2 ExecutionFailed").States,
		map[string]Status{"Hold": Failed})
}

// TestPaintEngineHistory paints a history the local engine recorded: every state the
// run went through succeeded, the one it skipped did not start.
func TestPaintEngineHistory(t *testing.T) {
	def := exampleDef(t, "hello.asl.json")
	x := engine.New(def, engine.Meta{ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:hello:e", Name: "e",
		StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:hello", StateMachineName: "hello",
		RoleArn: "arn:aws:iam::123456789012:role/r", Region: "us-east-1", Type: types.StateMachineTypeStandard,
		StartTime: time.Unix(1700000000, 0), Input: `{"name":"x"}`}, value.MustParse(`{"name":"x"}`),
		engine.Options{RecordHistory: true, TimeScale: 0, NewToken: func() string { return "t" }})
	r := &engine.Runner{Clock: engine.RealClock{}, Handlers: &engine.Registry{}}
	if err := r.Run(context.Background(), x); err != nil {
		t.Fatal(err)
	}
	got := Statuses(def, x.History)
	wantStatuses(t, got, map[string]Status{"Greet": Succeeded, "Count": Succeeded, "Enough?": Succeeded, "Pause": Succeeded, "Done": Succeeded})
}

func TestParseHistoryForms(t *testing.T) {
	good := map[string]string{
		"GetExecutionHistory": `{"events":[{"timestamp":1700000000.5,"type":"ExecutionStarted","id":1,"previousEventId":0}]}`,
		"bare array":          `[{"type":"ExecutionStarted","id":1,"previousEventId":0}]`,
		"AWS CLI timestamps":  `{"events":[{"timestamp":"2024-05-01T10:00:00.123000+02:00","type":"ExecutionStarted","id":1,"previousEventId":0}]}`,
		"stepdeck run output": `{"execution":{"status":"SUCCEEDED"},"events":[{"type":"ExecutionStarted","id":1,"previousEventId":0}]}`,
	}
	for name, src := range good {
		evs, err := ParseHistory([]byte(src))
		if err != nil || len(evs) != 1 || evs[0].Type != types.HistoryEventTypeExecutionStarted {
			t.Errorf("%s: %v, %v", name, evs, err)
		}
	}
	bad := map[string]string{
		"not JSON":        `{"events":`,
		"no events":       `{"execution":{}}`,
		"events a string": `{"events":"x"}`,
		"event a number":  `[1]`,
		"a number":        `7`,
		"bad id":          `[{"type":"ExecutionStarted","id":"one"}]`,
	}
	for name, src := range bad {
		if _, err := ParseHistory([]byte(src)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
