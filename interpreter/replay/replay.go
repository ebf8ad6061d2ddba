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
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Result is what a replay found.
type Result struct {
	Execution *engine.Execution
	Events    []history.Event
	// Differences lists every way the replay departs from the recording, in the order of
	// the recorded visits; empty when it replays the same.
	Differences []Difference
}

// Same reports whether the replay matches the recording.
func (r *Result) Same() bool { return len(r.Differences) == 0 }

// Run replays the recorded events against def.
func Run(ctx context.Context, def *asl.Definition, recorded []history.Event) (*Result, error) {
	recorded = append([]history.Event(nil), recorded...)
	sort.Slice(recorded, func(i, j int) bool { return recorded[i].ID < recorded[j].ID })
	if len(recorded) == 0 || recorded[0].Type != types.HistoryEventTypeExecutionStarted {
		return nil, errors.New("the history does not start with ExecutionStarted")
	}
	rec := newAnalysis(def)
	for i := range recorded {
		if err := rec.add(&recorded[i]); err != nil {
			return nil, err
		}
	}
	rec.resolveBranches()
	inputText := rec.start
	if inputText == "" {
		inputText = "{}"
	}
	input, err := value.ParseString(inputText)
	if err != nil {
		return nil, fmt.Errorf("the recorded execution input is not JSON: %w", err)
	}
	answers := newAnswers(def, rec)

	start := recorded[0].Timestamp
	if start.IsZero() {
		start = time.Unix(0, 0).UTC()
	}
	meta := engine.Meta{ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:replay:replay", Name: "replay",
		StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:replay", StateMachineName: "replay",
		Region: "us-east-1", Type: types.StateMachineTypeStandard, StartTime: start, Input: inputText}
	rep := newAnalysis(def)
	var x *engine.Execution
	// The engine names the rule a Choice matched just before the Choice's Exited event.
	rules := map[int64]int{} // the id of that event → the rule
	flow := func(s engine.FlowStage) {
		if s.Name == "Condition" && s.Err == nil {
			rules[x.LastEventID()+1] = s.Rule
		}
	}
	x = engine.New(def, meta, input, engine.Options{RecordHistory: true, HistoryLimit: engine.MaxHistoryEvents, TimeScale: 1,
		NewToken: func() string { return "replay-token" }, Flow: flow})
	// Each task is answered with the recorded result of the same visit of the same state
	// in the same branch or iteration, attempt by attempt.
	visitOf := map[*engine.TaskCall]*visit{}
	var readErr error
	onEvents := func(res *engine.Result) {
		for i := range res.Events {
			e := &res.Events[i]
			if err := rep.add(e); err != nil && readErr == nil {
				readErr = err
			}
			if r, ok := rules[e.ID]; ok && history.IsExited(e.Type) {
				if v := rep.info[e.ID].v; v != nil {
					v.rule = r
				}
			}
		}
		for _, c := range res.Commands {
			if c.Kind == engine.CmdInvokeTask {
				if f := x.Frame(c.Frame); f != nil {
					visitOf[c.Task] = rep.info[f.EnteredID].v
				}
			}
		}
	}
	reg := &engine.Registry{Default: func(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
		return answers.next(call, visitOf[call])
	}}
	runner := &engine.Runner{Clock: engine.NewVirtualClock(start), Handlers: reg, OnEvents: onEvents}
	if err := runner.Run(ctx, x); err != nil {
		return nil, err
	}
	if readErr != nil {
		return nil, readErr
	}
	return &Result{Execution: x, Events: x.History, Differences: compare(def, rec, rep)}, nil
}

// answers hands out the recorded task results.
type answers struct {
	byKey map[string]*visit
	// gone holds, by place and visit number, the recorded task visits of states the
	// definition no longer has.
	gone map[string][]*visit
	used map[*visit]int
}

func newAnswers(def *asl.Definition, rec *analysis) *answers {
	a := &answers{byKey: map[string]*visit{}, gone: map[string][]*visit{}, used: map[*visit]int{}}
	for _, v := range rec.visits {
		a.byKey[v.key()] = v
		if len(v.outcomes) > 0 && def.Find(v.state) == nil {
			k := v.thread.placeText() + "\x00" + fmt.Sprint(v.n)
			a.gone[k] = append(a.gone[k], v)
		}
	}
	return a
}

// next answers a task call of the replayed visit p with the recording's next result for
// the same visit; a state the definition renamed is answered from the one it replaced.
func (a *answers) next(call *engine.TaskCall, p *visit) (value.Value, error) {
	if p == nil {
		return nil, failure.Newf(failure.Runtime, "the replay cannot tell which visit of %q called its resource", call.StateName)
	}
	v := a.byKey[p.key()]
	if v == nil {
		v = a.replaced(p)
	}
	if v == nil || a.used[v] >= len(v.outcomes) {
		return nil, failure.Newf(failure.Runtime, "the recording has no more results for the task %q: the replay calls it more often than the recorded execution did", call.StateName)
	}
	o := v.outcomes[a.used[v]]
	a.used[v]++
	if o.err != nil {
		return nil, o.err
	}
	return o.output, nil
}

// replaced finds the recorded visit, at p's place and visit number, of a state the
// definition no longer has, when there is exactly one: the state p's was renamed from.
func (a *answers) replaced(p *visit) *visit {
	if g := a.gone[p.thread.placeText()+"\x00"+fmt.Sprint(p.n)]; len(g) == 1 {
		return g[0]
	}
	return nil
}

// Report is the differences as text, one headline per difference with its fields
// indented beneath; "" when the replay matches.
func (r *Result) Report() string {
	lines := make([]string, len(r.Differences))
	for i, d := range r.Differences {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}
