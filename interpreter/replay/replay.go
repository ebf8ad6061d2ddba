// Package replay re-runs a recorded execution against a definition, locally, with every
// task's result taken from the recording, and finds where the new run departs from the
// recorded one. It answers "what would this change have done to that execution?" before
// the change is deployed.
package replay

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Divergence is the first place where the replay departs from the recording.
type Divergence struct {
	State    string // the state where it happens
	Visit    int    // which visit of the state, from 1
	What     string // "input", "output", "not reached", "not recorded", "result"
	Recorded string // what the recording has (JSON text or a description)
	Replayed string // what the replay has
}

func (d *Divergence) String() string {
	switch d.What {
	case "not reached":
		return fmt.Sprintf("the replay never entered %q (visit %d); the recording did, with input %s", d.State, d.Visit, d.Recorded)
	case "not recorded":
		return fmt.Sprintf("the replay entered %q (visit %d), which the recording never did; input %s", d.State, d.Visit, d.Replayed)
	case "result":
		return fmt.Sprintf("the executions end differently: recorded %s, replayed %s", d.Recorded, d.Replayed)
	}
	return fmt.Sprintf("%q (visit %d): the %s differs\n  recorded: %s\n  replayed: %s", d.State, d.Visit, d.What, d.Recorded, d.Replayed)
}

// Result is what a replay found.
type Result struct {
	Execution  *engine.Execution
	Events     []history.Event
	Divergence *Divergence // nil when the replay matches the recording
}

// outcome is a task's recorded result.
type outcome struct {
	output value.Value
	err    *failure.Error
}

// Run replays the recorded events against def.
func Run(ctx context.Context, def *asl.Definition, recorded []history.Event) (*Result, error) {
	sort.Slice(recorded, func(i, j int) bool { return recorded[i].ID < recorded[j].ID })
	if len(recorded) == 0 || recorded[0].Type != types.HistoryEventTypeExecutionStarted {
		return nil, errors.New("the history does not start with ExecutionStarted")
	}
	inputText, _ := recorded[0].Input()
	if inputText == "" {
		inputText = "{}"
	}
	input, err := value.ParseString(inputText)
	if err != nil {
		return nil, fmt.Errorf("the recorded execution input is not JSON: %w", err)
	}
	outcomes, err := taskOutcomes(recorded)
	if err != nil {
		return nil, err
	}
	start := recorded[0].Timestamp
	if start.IsZero() {
		start = time.Unix(0, 0).UTC()
	}
	meta := engine.Meta{ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:replay:replay", Name: "replay",
		StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:replay", StateMachineName: "replay",
		Region: "us-east-1", Type: types.StateMachineTypeStandard, StartTime: start, Input: inputText}
	x := engine.New(def, meta, input, engine.Options{RecordHistory: true, HistoryLimit: engine.MaxHistoryEvents, TimeScale: 1,
		NewToken: func() string { return "replay-token" }})
	var mu sync.Mutex
	reg := &engine.Registry{Default: func(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
		mu.Lock()
		defer mu.Unlock()
		q := outcomes[call.StateName]
		if len(q) == 0 {
			return nil, failure.Newf(failure.Runtime, "the recording has no more results for the task %q: the replay calls it more often than the recorded execution did", call.StateName)
		}
		o := q[0]
		outcomes[call.StateName] = q[1:]
		if o.err != nil {
			return nil, o.err
		}
		return o.output, nil
	}}
	runner := &engine.Runner{Clock: engine.NewVirtualClock(start), Handlers: reg}
	if err := runner.Run(ctx, x); err != nil {
		return nil, err
	}
	res := &Result{Execution: x, Events: x.History}
	res.Divergence = compare(recorded, x.History)
	return res, nil
}

// taskOutcomes collects each task state's recorded results, in order, by state name.
func taskOutcomes(events []history.Event) (map[string][]outcome, error) {
	byID := make(map[int64]*history.Event, len(events))
	for i := range events {
		byID[events[i].ID] = &events[i]
	}
	// stateOf follows previousEventId back to the Entered event of the thread.
	stateOf := func(e *history.Event) string {
		for steps := 0; e != nil && steps < 64; steps++ {
			if history.IsEntered(e.Type) {
				name, _ := e.StateName()
				return name
			}
			e = byID[e.PreviousEventID]
		}
		return ""
	}
	out := map[string][]outcome{}
	for i := range events {
		e := &events[i]
		var o outcome
		switch e.Type {
		case types.HistoryEventTypeTaskSucceeded, types.HistoryEventTypeLambdaFunctionSucceeded, types.HistoryEventTypeActivitySucceeded:
			text, _ := e.Output()
			v, err := value.ParseString(text)
			if err != nil {
				return nil, fmt.Errorf("event %d: the recorded task output is not JSON: %w", e.ID, err)
			}
			o.output = v
		case types.HistoryEventTypeTaskFailed, types.HistoryEventTypeLambdaFunctionFailed, types.HistoryEventTypeActivityFailed,
			types.HistoryEventTypeTaskTimedOut, types.HistoryEventTypeLambdaFunctionTimedOut, types.HistoryEventTypeActivityTimedOut,
			types.HistoryEventTypeTaskStartFailed, types.HistoryEventTypeTaskSubmitFailed, types.HistoryEventTypeLambdaFunctionStartFailed,
			types.HistoryEventTypeLambdaFunctionScheduleFailed, types.HistoryEventTypeActivityScheduleFailed:
			name, _ := e.Error()
			cause, _ := e.Cause()
			if strings.HasSuffix(string(e.Type), "TimedOut") && name == "" {
				name = failure.Timeout
			}
			o.err = failure.New(name, cause)
		default:
			continue
		}
		state := stateOf(e)
		if state == "" {
			return nil, fmt.Errorf("event %d (%s) belongs to no state the history shows", e.ID, e.Type)
		}
		out[state] = append(out[state], o)
	}
	return out, nil
}

// visit is one entry into a state: its input and, once it left, its output.
type visit struct {
	input, output string
	exited        bool
}

func visits(events []history.Event) (order []string, byState map[string][]*visit) {
	byState = map[string][]*visit{}
	open := map[string][]*visit{}
	for i := range events {
		e := &events[i]
		name, ok := e.StateName()
		if !ok {
			continue
		}
		switch {
		case history.IsEntered(e.Type):
			in, _ := e.Input()
			v := &visit{input: in}
			byState[name] = append(byState[name], v)
			open[name] = append(open[name], v)
			order = append(order, name)
		case history.IsExited(e.Type):
			if q := open[name]; len(q) > 0 {
				out, _ := e.Output()
				q[0].output, q[0].exited = out, true
				open[name] = q[1:]
			}
		}
	}
	return order, byState
}

func sameJSON(a, b string) bool {
	if a == b {
		return true
	}
	x, err1 := value.ParseString(a)
	y, err2 := value.ParseString(b)
	return err1 == nil && err2 == nil && value.Equal(x, y)
}

// compare walks the recorded visits in order and returns the first that the replay
// does not match, then anything the replay did beyond the recording, then the ends.
func compare(recorded, replayed []history.Event) *Divergence {
	order, rec := visits(recorded)
	_, rep := visits(replayed)
	seen := map[string]int{}
	for _, name := range order {
		k := seen[name]
		seen[name]++
		r := rec[name][k]
		if k >= len(rep[name]) {
			return &Divergence{State: name, Visit: k + 1, What: "not reached", Recorded: r.input}
		}
		p := rep[name][k]
		if !sameJSON(r.input, p.input) {
			return &Divergence{State: name, Visit: k + 1, What: "input", Recorded: r.input, Replayed: p.input}
		}
		if r.exited && p.exited && !sameJSON(r.output, p.output) {
			return &Divergence{State: name, Visit: k + 1, What: "output", Recorded: r.output, Replayed: p.output}
		}
		if r.exited != p.exited {
			return &Divergence{State: name, Visit: k + 1, What: "output", Recorded: exitText(r), Replayed: exitText(p)}
		}
	}
	_, repOrder := visitsOrder(replayed)
	counts := map[string]int{}
	for _, name := range repOrder {
		counts[name]++
		if counts[name] > len(rec[name]) {
			return &Divergence{State: name, Visit: counts[name], What: "not recorded", Replayed: rep[name][counts[name]-1].input}
		}
	}
	if a, b := ending(recorded), ending(replayed); a != b {
		return &Divergence{What: "result", Recorded: a, Replayed: b}
	}
	return nil
}

func visitsOrder(events []history.Event) (int, []string) {
	order, _ := visits(events)
	return len(order), order
}

func exitText(v *visit) string {
	if v.exited {
		return v.output
	}
	return "(did not leave the state)"
}

// ending describes how an execution closed.
func ending(events []history.Event) string {
	for i := len(events) - 1; i >= 0; i-- {
		e := &events[i]
		switch e.Type {
		case types.HistoryEventTypeExecutionSucceeded:
			out, _ := e.Output()
			if v, err := value.ParseString(out); err == nil {
				out = value.String(v)
			}
			return "SUCCEEDED " + out
		case types.HistoryEventTypeExecutionFailed, types.HistoryEventTypeExecutionAborted, types.HistoryEventTypeExecutionTimedOut:
			name, _ := e.Error()
			return strings.TrimPrefix(string(e.Type), "Execution") + " " + name
		}
	}
	return "still running"
}
