package engine

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// A Parallel that fails inside a branch: redriving re-runs the whole Parallel, with
// the input it was entered with and the variables assigned before it.
const redriveDefinition = `{"StartAt":"Init","TimeoutSeconds":60,"States":{
	"Init":{"Type":"Pass","Assign":{"who":"me"},"Next":"Par"},
	"Par":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}]}}}`

func TestRedriveRestartsAtTheFailedState(t *testing.T) {
	x := newExec(t, redriveDefinition, `{"a":1}`, Options{RecordHistory: true})
	if _, err := x.Redrive(epoch); !errors.Is(err, ErrNotRedrivable) {
		t.Fatalf("redriving an execution not started: %v", err)
	}
	res := x.Start(epoch)
	task := findTask(t, res)
	if _, err := x.Redrive(epoch); !errors.Is(err, ErrNotRedrivable) {
		t.Fatalf("redriving a running execution: %v", err)
	}
	x.Advance(Input{Kind: InputTaskFailed, Frame: task.Frame, Seq: task.Seq, Error: strp("Boom")}, epoch)
	if x.Status != types.ExecutionStatusFailed {
		t.Fatalf("status %s", x.Status)
	}
	// Through a snapshot, as a driver keeps a closed execution.
	data, err := x.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	y, err := Restore(x.Def, data, x.Opts)
	if err != nil {
		t.Fatal(err)
	}
	later := epoch.Add(time.Hour)
	res, err = y.Redrive(later)
	if err != nil {
		t.Fatal(err)
	}
	if y.Status != types.ExecutionStatusRunning || y.Meta.RedriveCount != 1 || y.HasError {
		t.Fatalf("after redrive: %s count %d error %q", y.Status, y.Meta.RedriveCount, y.Error)
	}
	if len(res.Events) < 2 || res.Events[0].Type != types.HistoryEventTypeExecutionRedriven ||
		res.Events[1].Type != types.HistoryEventTypeParallelStateEntered || res.Events[1].PreviousEventID != res.Events[0].ID {
		t.Fatalf("events: %+v", res.Events)
	}
	var timeout time.Time
	for _, c := range res.Commands {
		if c.Kind == CmdStartTimer && c.Purpose == TimerExecutionTimeout {
			timeout = c.At
		}
	}
	if !timeout.Equal(later.Add(60 * time.Second)) {
		t.Errorf("the time limit counts from %v, want from the redrive", timeout)
	}
	task = findTask(t, res)
	y.Advance(Input{Kind: InputTaskSucceeded, Frame: task.Frame, Seq: task.Seq, Output: value.ObjectOf("ok", true)}, later)
	if y.Status != types.ExecutionStatusSucceeded || value.String(y.Output) != `[{"ok":true}]` {
		t.Fatalf("second run: %s %s", y.Status, value.String(y.Output))
	}
	if _, err := y.Redrive(later); !errors.Is(err, ErrNotRedrivable) {
		t.Errorf("redriving a succeeded execution: %v", err)
	}
}

func findTask(t *testing.T, res *Result) Command {
	t.Helper()
	for _, c := range res.Commands {
		if c.Kind == CmdInvokeTask {
			return c
		}
	}
	t.Fatalf("no task was invoked: %+v", res.Commands)
	return Command{}
}

func strp(s string) *string { return &s }
