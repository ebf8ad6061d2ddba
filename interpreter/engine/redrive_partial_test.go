package engine

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// outcome says how the test answers a task: succeed with its input echoed, fail, or
// leave it pending.
type outcome int

const (
	succeed outcome = iota
	failTask
	hold
)

// driveTasks applies res and every outcome it leads to, firing timers at once, until only
// held tasks remain or the execution closes. It returns the held task commands and
// the names of the states whose tasks ran, in order.
func driveTasks(t *testing.T, x *Execution, res *Result, answer func(call *TaskCall) outcome) (held []Command, ran []string) {
	t.Helper()
	now := epoch
	queue := []*Result{res}
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		if r.More {
			queue = append(queue, x.Resume(now))
		}
		for _, c := range r.Commands {
			switch c.Kind {
			case CmdStartTimer:
				if c.Frame != ExecutionFrame {
					queue = append(queue, x.Advance(Input{Kind: InputTimer, Frame: c.Frame, Seq: c.Seq, Purpose: c.Purpose}, now))
				}
			case CmdInvokeTask:
				ran = append(ran, c.Task.StateName)
				switch answer(c.Task) {
				case succeed:
					queue = append(queue, x.Advance(Input{Kind: InputTaskSucceeded, Frame: c.Frame, Seq: c.Seq, Output: c.Task.Input}, now))
				case failTask:
					queue = append(queue, x.Advance(Input{Kind: InputTaskFailed, Frame: c.Frame, Seq: c.Seq, Error: strp("Boom"), Cause: strp("it broke")}, now))
				case hold:
					held = append(held, c)
				}
			}
		}
	}
	return held, ran
}

// roundTrip snapshots and restores x, as the service keeps a closed execution.
func roundTrip(t *testing.T, x *Execution) *Execution {
	t.Helper()
	data, err := x.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	y, err := Restore(x.Def, data, x.Opts)
	if err != nil {
		t.Fatal(err)
	}
	return y
}

func count(evs []history.Event, typ types.HistoryEventType) int {
	n := 0
	for _, ev := range evs {
		if ev.Type == typ {
			n++
		}
	}
	return n
}

// Three branches: one succeeds, one fails in its second state, one waits on a task
// when the failure aborts it. A redrive runs the failed branch from its failed state
// and the aborted one from where it stood, and keeps the first branch's result.
const partialParallel = `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
	{"StartAt":"Quick","States":{"Quick":{"Type":"Pass","Result":"quick","End":true}}},
	{"StartAt":"Prepare","States":{
		"Prepare":{"Type":"Pass","Result":{"n":2},"Next":"Flaky"},
		"Flaky":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
	{"StartAt":"Slow","States":{"Slow":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true}}}]}}}`

func TestRedriveRerunsOnlyFailedAndAbortedBranches(t *testing.T) {
	x := newExec(t, partialParallel, `{}`, Options{RecordHistory: true})
	_, ran := driveTasks(t, x, x.Start(epoch), func(c *TaskCall) outcome {
		if c.StateName == "Flaky" {
			return failTask
		}
		return hold
	})
	if x.Status != types.ExecutionStatusFailed {
		t.Fatalf("first run: %s (tasks %v)", x.Status, ran)
	}
	y := roundTrip(t, x)
	before := len(y.History)
	res, err := y.Redrive(epoch.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	_, ran = driveTasks(t, y, res, func(*TaskCall) outcome { return succeed })
	if y.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("after redrive: %s", y.Status)
	}
	if len(ran) != 2 {
		t.Errorf("tasks run by the redrive: %v, want Flaky and Slow once each", ran)
	}
	redriven := y.History[before:]
	if n := count(redriven, types.HistoryEventTypePassStateEntered); n != 0 {
		t.Errorf("the redrive entered %d Pass states; Quick succeeded and Prepare was done before Flaky failed", n)
	}
	if got := value.String(y.Output); got != `["quick",{"n":2},{}]` {
		t.Errorf("output %s", got)
	}
}

// A Map over five items, one at a time: the second fails, so the last three never
// start. The redrive runs items 1 to 4 and keeps item 0's result.
const partialMap = `{"StartAt":"Each","States":{"Each":{"Type":"Map","MaxConcurrency":1,"End":true,
	"ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}`

func TestRedriveRerunsOnlyUnfinishedIterations(t *testing.T) {
	x := newExec(t, partialMap, `[{"i":0},{"i":1},{"i":2},{"i":3},{"i":4}]`, Options{RecordHistory: true})
	_, ran := driveTasks(t, x, x.Start(epoch), func(c *TaskCall) outcome {
		if value.String(c.Input) == `{"i":1}` {
			return failTask
		}
		return succeed
	})
	if x.Status != types.ExecutionStatusFailed || len(ran) != 2 {
		t.Fatalf("first run: %s, tasks %v", x.Status, ran)
	}
	y := roundTrip(t, x)
	before := len(y.History)
	res, err := y.Redrive(epoch.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	var inputs []string
	driveTasks(t, y, res, func(c *TaskCall) outcome {
		inputs = append(inputs, value.String(c.Input))
		return succeed
	})
	if y.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("after redrive: %s", y.Status)
	}
	if len(inputs) != 4 || inputs[0] != `{"i":1}` {
		t.Errorf("the redrive ran %v, want items 1 to 4", inputs)
	}
	var indexes []int32
	for _, ev := range y.History[before:] {
		if ev.Type == types.HistoryEventTypeMapIterationStarted {
			indexes = append(indexes, ev.Details.(*types.MapIterationEventDetails).Index)
		}
	}
	if len(indexes) != 4 || indexes[0] != 1 || indexes[3] != 4 {
		t.Errorf("iterations started by the redrive: %v", indexes)
	}
	if got := value.String(y.Output); got != `[{"i":0},{"i":1},{"i":2},{"i":3},{"i":4}]` {
		t.Errorf("output %s", got)
	}
}

// An execution stopped while a Map inside a Parallel branch runs: the redrive runs
// the iterations that were still waiting, and nothing that had finished.
const nestedDefinition = `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
	{"StartAt":"Done","States":{"Done":{"Type":"Pass","Result":1,"End":true}}},
	{"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,
		"ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}]}}}`

func TestRedriveAfterStopResumesNestedIterations(t *testing.T) {
	x := newExec(t, nestedDefinition, `["a","b","c"]`, Options{RecordHistory: true})
	held, _ := driveTasks(t, x, x.Start(epoch), func(c *TaskCall) outcome {
		if c.Input == "b" {
			return hold
		}
		return succeed
	})
	if len(held) != 1 {
		t.Fatalf("held tasks %d, want the one of item b", len(held))
	}
	x.Advance(Input{Kind: InputStop, Error: strp("Stopped"), Cause: strp("by hand")}, epoch)
	if x.Status != types.ExecutionStatusAborted {
		t.Fatalf("after stop: %s", x.Status)
	}
	y := roundTrip(t, x)
	res, err := y.Redrive(epoch.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	_, ran := driveTasks(t, y, res, func(*TaskCall) outcome { return succeed })
	if y.Status != types.ExecutionStatusSucceeded || len(ran) != 1 {
		t.Fatalf("after redrive: %s, tasks %v (want only item b's)", y.Status, ran)
	}
	if got := value.String(y.Output); got != `[1,["a","b","c"]]` {
		t.Errorf("output %s", got)
	}
}

// A Map with tolerated failures that still fails: the redrive runs the tolerated
// failures again too, since they did not succeed.
func TestRedriveRerunsToleratedFailures(t *testing.T) {
	def := `{"StartAt":"Each","States":{"Each":{"Type":"Map","MaxConcurrency":1,"ToleratedFailureCount":1,"End":true,
	"ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}`
	x := newExec(t, def, `[0,1,2,3]`, Options{RecordHistory: true})
	driveTasks(t, x, x.Start(epoch), func(c *TaskCall) outcome {
		if c.Input == int64(1) || c.Input == int64(2) {
			return failTask
		}
		return succeed
	})
	if x.Status != types.ExecutionStatusFailed {
		t.Fatalf("first run: %s", x.Status)
	}
	y := roundTrip(t, x)
	res, err := y.Redrive(epoch)
	if err != nil {
		t.Fatal(err)
	}
	var ran []string
	driveTasks(t, y, res, func(c *TaskCall) outcome {
		ran = append(ran, value.String(c.Input))
		return succeed
	})
	if y.Status != types.ExecutionStatusSucceeded || len(ran) != 3 || ran[0] != "1" || ran[1] != "2" || ran[2] != "3" {
		t.Fatalf("after redrive: %s, ran %v (want 1, 2, 3)", y.Status, ran)
	}
}
