package debug

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func start(t *testing.T, def, input string, reg *engine.Registry) *Session {
	t.Helper()
	d, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Definition: d, Source: def, Name: "m", Input: value.MustParse(input), Tasks: reg, TimeScale: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// until waits for the session to reach a condition; tasks and timers run on their own
// goroutines.
func until(t *testing.T, s *Session, what string, ok func(View) bool) View {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		v := s.View()
		if ok(v) {
			return v
		}
		select {
		case <-s.Changed():
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			t.Fatalf("waiting for %s: the session is %+v", what, v)
		}
	}
}

func heldAt(states ...string) func(View) bool {
	return func(v View) bool {
		if len(v.Held) != len(states) {
			return false
		}
		for i, h := range v.Held {
			if h.State != states[i] {
				return false
			}
		}
		return true
	}
}

func done(v View) bool { return v.Status != types.ExecutionStatusRunning }

const linear = `{"StartAt":"A","States":{
	"A":{"Type":"Pass","Result":{"n":1},"Next":"B"},
	"B":{"Type":"Pass","Parameters":{"doubled.$":"States.MathAdd($.n, $.n)"},"Next":"C"},
	"C":{"Type":"Pass","End":true}}}`

func TestStepAndContinueToABreakpoint(t *testing.T) {
	s := start(t, linear, `{}`, nil)
	v := until(t, s, "the first state", heldAt("A"))
	if v.Held[0].Reason != "start" || len(s.History()) != 1 {
		t.Fatalf("at start: %+v, %d events", v.Held[0], len(s.History()))
	}
	if err := s.Step(-1); err != nil {
		t.Fatal(err)
	}
	v = until(t, s, "B", heldAt("B"))
	if got := value.String(v.Held[0].Input); got != `{"n":1}` {
		t.Errorf("B's input %s", got)
	}
	if !s.ToggleBreakpoint("C") {
		t.Fatal("the breakpoint did not set")
	}
	// Edit B's input before it runs: the change flows on.
	if err := s.SetInput(v.Held[0].Frame, value.MustParse(`{"n":20}`)); err != nil {
		t.Fatal(err)
	}
	s.Continue()
	v = until(t, s, "the breakpoint on C", heldAt("C"))
	if v.Held[0].Reason != "breakpoint" || value.String(v.Held[0].Input) != `{"doubled":40}` {
		t.Errorf("at C: %+v %s", v.Held[0], value.String(v.Held[0].Input))
	}
	s.Continue()
	v = until(t, s, "the end", done)
	if v.Status != types.ExecutionStatusSucceeded || value.String(v.Output) != `{"doubled":40}` {
		t.Errorf("end: %s %s", v.Status, value.String(v.Output))
	}
	if err := s.Step(-1); err != ErrNotHeld {
		t.Errorf("stepping a finished session: %v", err)
	}
}

const parallel = `{"StartAt":"Par","States":{
	"Par":{"Type":"Parallel","Next":"After","Branches":[
		{"StartAt":"L1","States":{"L1":{"Type":"Pass","Next":"L2"},"L2":{"Type":"Pass","End":true}}},
		{"StartAt":"R1","States":{"R1":{"Type":"Pass","End":true}}}]},
	"After":{"Type":"Pass","End":true}}}`

func TestStepIntoAndOverAParallel(t *testing.T) {
	s := start(t, parallel, `{"x":1}`, nil)
	until(t, s, "Par", heldAt("Par"))
	s.Step(-1)
	v := until(t, s, "both branches", heldAt("L1", "R1"))
	if v.Held[0].Path != "Par branch 1" || v.Held[1].Path != "Par branch 2" {
		t.Errorf("paths %q %q", v.Held[0].Path, v.Held[1].Path)
	}
	// Step the second branch alone: the first stays put.
	s.Step(v.Held[1].Frame)
	until(t, s, "the first branch still at L1", heldAt("L1"))

	// Step over a Parallel in a fresh session: it stops only at the next state.
	s2 := start(t, parallel, `{"x":1}`, nil)
	until(t, s2, "Par", heldAt("Par"))
	if err := s2.StepOver(-1); err != nil {
		t.Fatal(err)
	}
	v = until(t, s2, "After", heldAt("After"))
	if got := value.String(v.Held[0].Input); got != `[{"x":1},{"x":1}]` {
		t.Errorf("After's input %s", got)
	}
}

const waitAndTask = `{"StartAt":"Nap","States":{
	"Nap":{"Type":"Wait","Seconds":3600,"Next":"Ask"},
	"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"q.$":"$.q"},"End":true}}}`

func TestSkipAWaitAndAnswerATaskByHand(t *testing.T) {
	s := start(t, waitAndTask, `{"q":"why"}`, nil)
	until(t, s, "Nap", heldAt("Nap"))
	s.Continue()
	v := until(t, s, "the hour-long wait", func(v View) bool { return len(v.Timers) == 1 })
	if v.Timers[0].State != "Nap" || v.Timers[0].Purpose != engine.TimerWait {
		t.Fatalf("timer %+v", v.Timers[0])
	}
	if err := s.Skip(v.Timers[0].Frame); err != nil {
		t.Fatal(err)
	}
	v = until(t, s, "the task", func(v View) bool { return len(v.Tasks) == 1 })
	if v.Tasks[0].State != "Ask" || value.String(v.Tasks[0].Input) != `{"q":"why"}` {
		t.Fatalf("task %+v", v.Tasks[0])
	}
	if err := s.Answer(v.Tasks[0].Frame, value.MustParse(`{"a":42}`), nil, nil); err != nil {
		t.Fatal(err)
	}
	v = until(t, s, "the end", done)
	if value.String(v.Output) != `{"a":42}` {
		t.Errorf("output %s", value.String(v.Output))
	}
}

const caught = `{"StartAt":"Call","States":{
	"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Ok",
		"Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":600,"MaxAttempts":1}],
		"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recover"}]},
	"Ok":{"Type":"Pass","End":true},
	"Recover":{"Type":"Pass","End":true}}}`

// The task fails as Flaky first (retried after a paused delay), then as Broken
// (caught): the session stops before the retry and before the catcher's state.
func TestBreakBeforeRetryAndOnError(t *testing.T) {
	calls := 0
	reg := &engine.Registry{}
	reg.Handle("arn:aws:states:::lambda:invoke", func(context.Context, *engine.TaskCall) (value.Value, error) {
		calls++
		if calls == 1 {
			return nil, failure.New("Flaky", "first try")
		}
		return nil, failure.New("Broken", "second try")
	})
	s := start(t, caught, `{}`, reg)
	s.BreakOn(true, true)
	until(t, s, "Call", heldAt("Call"))
	s.Continue()
	v := until(t, s, "the paused retry", func(v View) bool { return len(v.Timers) == 1 && v.Timers[0].Paused })
	if v.Timers[0].Purpose != engine.TimerRetry || !v.Stepping {
		t.Fatalf("timer %+v stepping %v", v.Timers[0], v.Stepping)
	}
	if err := s.Skip(v.Timers[0].Frame); err != nil {
		t.Fatal(err)
	}
	v = until(t, s, "the catcher's state", heldAt("Recover"))
	if v.Held[0].Reason != "error" || !strings.Contains(value.String(v.Held[0].Input), "Broken") {
		t.Errorf("at Recover: %+v %s", v.Held[0], value.String(v.Held[0].Input))
	}
}

func TestRestartFromAStateKeepsVariables(t *testing.T) {
	def := `{"StartAt":"Set","States":{
		"Set":{"Type":"Pass","Assign":{"greeting":"hi"},"Next":"Use"},
		"Use":{"Type":"Pass","Parameters":{"msg.$":"States.Format('{} {}', $greeting, $.who)"},"End":true}}}`
	s := start(t, def, `{"who":"ann"}`, nil)
	until(t, s, "Set", heldAt("Set"))
	s.Step(-1)
	until(t, s, "Use", heldAt("Use"))
	if _, err := s.Restart("Nowhere", nil); err == nil {
		t.Error("restarting at a state that does not exist")
	}
	r, err := s.Restart("Use", value.MustParse(`{"who":"bob"}`))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	v := until(t, r, "Use in the new session", heldAt("Use"))
	if v.Held[0].Vars["greeting"] != "hi" {
		t.Errorf("variables after restart: %v", v.Held[0].Vars)
	}
	r.Continue()
	v = until(t, r, "the end", done)
	if value.String(v.Output) != `{"msg":"hi bob"}` {
		t.Errorf("output %s", value.String(v.Output))
	}
}

func TestStopEndsTheSession(t *testing.T) {
	s := start(t, waitAndTask, `{}`, nil)
	until(t, s, "Nap", heldAt("Nap"))
	s.Stop()
	v := until(t, s, "the end", done)
	if v.Status != types.ExecutionStatusAborted || v.Error != "Stopped" {
		t.Errorf("after stop: %s %q", v.Status, v.Error)
	}
}

// Stepping into a Map stops each iteration before its first state, and says which item
// each one runs.
func TestStepIntoAMap(t *testing.T) {
	def := `{"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,
		"ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Pass","End":true}}}}}}`
	s := start(t, def, `["a","b","c"]`, nil)
	until(t, s, "Each", heldAt("Each"))
	s.Step(-1)
	v := until(t, s, "the three iterations", heldAt("Work", "Work", "Work"))
	for i, h := range v.Held {
		if h.Iterations["Each"] != i || h.Path != fmt.Sprintf("Each item %d", i) || h.Input != []string{"a", "b", "c"}[i] {
			t.Errorf("iteration %d: %+v", i, h)
		}
	}
	s.StepOver(v.Held[1].Frame)
	until(t, s, "items 0 and 2 still stopped", heldAt("Work", "Work"))
}

// The context a data-flow preview sees: a stand-in token before a callback task has
// started, the token it was given once it has.
func TestContextCarriesTheTaskToken(t *testing.T) {
	def := `{"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		"Parameters":{"QueueUrl":"q","MessageBody":{"t.$":"$$.Task.Token"}},"End":true}}}`
	s := start(t, def, `{}`, nil)
	until(t, s, "Ask", heldAt("Ask"))
	st := s.Definition().Find("Ask")
	token := func() string {
		c, _ := s.Context(st, time.Now()).(*value.Object)
		task, _ := c.Get("Task")
		tok, _ := task.(*value.Object).Get("Token")
		return tok.(string)
	}
	if got := token(); got != PendingToken {
		t.Errorf("before the task: %q", got)
	}
	s.Step(-1)
	v := until(t, s, "the callback", func(v View) bool { return len(v.Tasks) == 1 })
	if got := token(); got != v.Tasks[0].Token || got == "" || !v.Tasks[0].Callback {
		t.Errorf("after the task started: %q, the task has %q (callback %v)", got, v.Tasks[0].Token, v.Tasks[0].Callback)
	}
}

// A handler that panics fails its task, as with the runner and the service, instead of
// taking the debugger down.
func TestPanickingHandlerFailsItsTask(t *testing.T) {
	reg := &engine.Registry{}
	reg.Handle("arn:aws:states:::lambda:invoke", func(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
		panic("the handler's bug")
	})
	def := `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`
	s := start(t, def, `{}`, reg)
	until(t, s, "Call", heldAt("Call"))
	s.Continue()
	v := until(t, s, "the end", done)
	if v.Status != types.ExecutionStatusFailed || !strings.Contains(fmt.Sprint(v.Error, v.Cause), "the handler's bug") {
		t.Fatalf("ended %s %v %v, want FAILED naming the panic", v.Status, v.Error, v.Cause)
	}
}

// A restart is a new execution: the mock counts its invocations from 0 again. With one
// response, for invocation 0, the restarted task gets it again instead of failing.
func TestRestartCountsMockInvocationsAfresh(t *testing.T) {
	const def = `{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`
	cfg, err := mock.Parse([]byte(`{"StateMachines":{"m":{"TestCases":{"Happy":{"Charge":"ChargeOk"}}}},
		"MockedResponses":{"ChargeOk":{"0":{"Return":{"ok":true}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	tc, err := cfg.TestCase("m", "Happy")
	if err != nil {
		t.Fatal(err)
	}
	d, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Definition: d, Source: def, Name: "m", Input: value.NewObject(0), TimeScale: 1,
		NewTasks: func() *engine.Registry { return &engine.Registry{Default: tc.ForExecution().Handler(ByHand)} }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	until(t, s, "Charge", heldAt("Charge"))
	s.Continue()
	if v := until(t, s, "the end", done); v.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("first run: %s %s %s", v.Status, v.Error, v.Cause)
	}
	r, err := s.Restart("Charge", value.NewObject(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	until(t, r, "Charge after the restart", heldAt("Charge"))
	r.Continue()
	v := until(t, r, "the end after the restart", done)
	if v.Status != types.ExecutionStatusSucceeded || value.String(v.Output) != `{"ok":true}` {
		t.Errorf("after the restart: %s %s %s, output %s", v.Status, v.Error, v.Cause, value.String(v.Output))
	}
}

// A task whose time runs out is given up: its handler's context ends, as with the runner
// and the service (the three run tasks through engine.Tasks).
func TestTimedOutTaskIsCancelled(t *testing.T) {
	cancelled := make(chan struct{})
	reg := &engine.Registry{}
	reg.Handle("arn:aws:states:::lambda:invoke", func(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
		<-ctx.Done()
		close(cancelled)
		return nil, ctx.Err()
	})
	def := `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":1,"End":true}}}`
	s := start(t, def, `{}`, reg)
	until(t, s, "Call", heldAt("Call"))
	s.Continue()
	v := until(t, s, "the end", done)
	if v.Status != types.ExecutionStatusFailed || v.Error != "States.Timeout" {
		t.Fatalf("ended %s %v, want FAILED with States.Timeout", v.Status, v.Error)
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the handler of the timed-out task is still running")
	}
}
