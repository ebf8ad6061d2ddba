package engine

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Invoke turns each kind of handler outcome into the input the engine expects.
func TestInvokeTurnsOutcomesIntoInputs(t *testing.T) {
	call := Command{Kind: CmdInvokeTask, Frame: 3, Seq: 7, Task: &TaskCall{Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Token: "tok"}}
	cases := []struct {
		name      string
		h         Handler
		callbacks bool
		kind      InputKind
		errName   string
		cause     string
	}{
		{"output", func(context.Context, *TaskCall) (value.Value, error) { return "done", nil }, true, InputTaskSucceeded, "", ""},
		{"named failure", func(context.Context, *TaskCall) (value.Value, error) {
			return nil, failure.New("Card.Declined", "no funds")
		}, true,
			InputTaskFailed, "Card.Declined", "no funds"},
		{"plain error", func(context.Context, *TaskCall) (value.Value, error) { return nil, errors.New("disk on fire") }, true,
			InputTaskFailed, failure.TaskFailed, "disk on fire"},
		{"panic", func(context.Context, *TaskCall) (value.Value, error) { panic("bug") }, true,
			InputTaskFailed, failure.TaskFailed, "the task handler panicked: bug"},
		{"callback wait", func(context.Context, *TaskCall) (value.Value, error) {
			return nil, &CallbackWait{Output: "sent", Token: "tok"}
		}, true,
			InputTaskSubmitted, "", ""},
		{"callback wait, no callbacks", func(context.Context, *TaskCall) (value.Value, error) { return nil, &CallbackWait{Token: "tok"} }, false,
			InputTaskFailed, failure.Runtime, "cannot receive callbacks"},
	}
	for _, c := range cases {
		in, _ := Invoke(context.Background(), c.h, call, c.callbacks)
		if in.Kind != c.kind || in.Frame != 3 || in.Seq != 7 {
			t.Errorf("%s: input %+v, want kind %d for frame 3 seq 7", c.name, in, c.kind)
		}
		if c.errName != "" && (aws.ToString(in.Error) != c.errName || !strings.Contains(aws.ToString(in.Cause), c.cause)) {
			t.Errorf("%s: failed with %q %q, want %q %q", c.name, aws.ToString(in.Error), aws.ToString(in.Cause), c.errName, c.cause)
		}
	}
}

// A task whose TimeoutSeconds runs out is cancelled: its handler's context ends and the
// execution goes on to fail with States.Timeout, without waiting for the handler.
func TestRunnerCancelsATaskThatTimesOut(t *testing.T) {
	var cancelled atomic.Bool
	reg := &Registry{}
	reg.Handle("arn:aws:states:::lambda:invoke", func(ctx context.Context, _ *TaskCall) (value.Value, error) {
		select {
		case <-ctx.Done():
			cancelled.Store(true)
			return nil, ctx.Err()
		case <-time.After(time.Minute):
			return "too late", nil
		}
	})
	def := `{"StartAt":"Slow","States":{"Slow":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":1,"End":true}}}`
	x := newExec(t, def, `{}`, Options{RecordHistory: true, TimeScale: 1})
	if err := (&Runner{Clock: RealClock{}, Handlers: reg}).Run(context.Background(), x); err != nil {
		t.Fatal(err)
	}
	if x.Status != types.ExecutionStatusFailed || !strings.Contains(trace(x), "TaskTimedOut") {
		t.Fatalf("ended %s: %s", x.Status, trace(x))
	}
	if !cancelled.Load() {
		t.Error("the handler of the timed-out task was not cancelled")
	}
}

// When a branch fails, the task still running in the other branch is cancelled and Run
// returns without it.
func TestRunnerCancelsTasksTheExecutionNoLongerWants(t *testing.T) {
	started := make(chan struct{})
	var cancelled atomic.Bool
	reg := &Registry{}
	reg.Handle("arn:aws:states:::lambda:invoke", func(ctx context.Context, _ *TaskCall) (value.Value, error) {
		close(started)
		<-ctx.Done()
		cancelled.Store(true)
		return nil, ctx.Err()
	})
	reg.Handle("arn:aws:states:::sqs:sendMessage", func(context.Context, *TaskCall) (value.Value, error) {
		<-started
		return nil, failure.New("Boom", "the other branch failed")
	})
	def := `{"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"Hang","States":{"Hang":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
		{"StartAt":"Fail","States":{"Fail":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true}}}]}}}`
	x := newExec(t, def, `{}`, Options{RecordHistory: true, TimeScale: 1})
	if err := (&Runner{Clock: RealClock{}, Handlers: reg}).Run(context.Background(), x); err != nil {
		t.Fatal(err)
	}
	if x.Status != types.ExecutionStatusFailed || !cancelled.Load() {
		t.Fatalf("ended %s, handler cancelled: %v", x.Status, cancelled.Load())
	}
}

// On a virtual clock the outcomes go to the engine in the order it asked for the tasks,
// however the handlers happen to finish: the same run gives the same history.
func TestRunnerOnAVirtualClockIsDeterministic(t *testing.T) {
	reg := &Registry{}
	reg.Handle("arn:aws:states:::lambda:invoke", func(_ context.Context, call *TaskCall) (value.Value, error) {
		if call.Input == "slow" {
			time.Sleep(30 * time.Millisecond)
		}
		return call.Input, nil
	})
	def := `{"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":"slow","End":true}}},
		{"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":"fast","End":true}}}]}}}`
	x := run(t, def, `{}`, reg)
	var order []string
	for _, ev := range x.History {
		if ev.Type == types.HistoryEventTypeTaskSucceeded {
			out, _ := ev.Output()
			order = append(order, out)
		}
	}
	if strings.Join(order, ",") != `"slow","fast"` {
		t.Errorf("task outcomes went in as %v, want the order the tasks were asked for", order)
	}
}

// Settled comes once the work no longer counts as in flight: a driver on a virtual clock
// that looks at InFlight then sees the clock free to move. (The work's own outcome is
// delivered before that, while it still counts.)
func TestTasksSettledOnceWorkStopsCounting(t *testing.T) {
	tasks := NewTasks(context.Background())
	settled := make(chan int64, 1)
	tasks.Settled = func() { settled <- tasks.InFlight() }
	tasks.Go(TaskKey{Frame: 1}, func(context.Context) {})
	select {
	case n := <-settled:
		if n != 0 {
			t.Errorf("at Settled %d tasks are still in flight", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Settled was not called")
	}
	tasks.GoWaiting(TaskKey{Frame: 2}, func(context.Context) {})
	tasks.Close()
	select {
	case <-settled:
		t.Error("Settled was called for work a virtual clock does not wait for")
	default:
	}
}
