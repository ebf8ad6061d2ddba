package replay

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// A history is a set of threads (the machine's main path, each Parallel branch, each Map
// iteration) whose events are interleaved and linked by previousEventId. Following those
// links tells which visit of which state each event belongs to, and in which branch or
// iteration the visit happened, for an AWS recording and a local run alike.

// thread is one path of control: the top level (parent nil), a Parallel branch or a Map
// iteration.
type thread struct {
	parent *visit // the Parallel or Map visit that runs it
	kind   string // "branch" or "iteration"
	index  int    // the iteration's index, or the branch's (-1 until resolved)
	// attempt counts the runs of this branch or iteration within one visit of its
	// parent: a retried Parallel or Map runs them again.
	attempt int
	first   string // the first state the thread entered
	counts  map[string]int
	place   string // placeText, once the index is known
}

// visit is one entry into a state.
type visit struct {
	thread    *thread
	state     string
	typ       string // the state's type: "Task", "Map", ...
	n         int    // which visit of the state in its thread, from 1
	enteredID int64
	input     string
	exited    bool
	output    string
	assigned  map[string]string // the variables its Assign set (nil: none)
	calls     []call            // what it sent to its resource, one per attempt
	outcomes  []outcome         // what the resource answered, one per attempt
	next      string            // the state the thread entered after this one
	prev      *visit            // the visit before it in its thread
	children  []*thread         // a Parallel's branches, a Map's iterations
	rule      int               // a replayed Choice's matched rule; -1 Default, -2 unknown
	pair      *visit            // the visit of the other run it is compared with
}

// call is one scheduling of a task: its resource and what it was sent.
type call struct {
	resource string
	params   string
}

// outcome is a task's recorded answer.
type outcome struct {
	output value.Value
	err    *failure.Error
}

// placeText names where a thread runs: `"Fan Out" branch 1 › "Each" iteration 2`, or ""
// at the top level. Branch and iteration indexes count from 0, as AWS's do.
func (t *thread) placeText() string {
	if t == nil || t.parent == nil {
		return ""
	}
	if t.place != "" {
		return t.place
	}
	if t.index < 0 {
		return t.describe() // not resolved yet: not kept
	}
	t.place = t.describe()
	return t.place
}

func (t *thread) describe() string {
	here := fmt.Sprintf("%q", t.parent.state)
	if t.parent.n > 1 {
		here += fmt.Sprintf(" (visit %d)", t.parent.n)
	}
	here += fmt.Sprintf(" %s %d", t.kind, t.index)
	if t.attempt > 1 {
		here += fmt.Sprintf(" (attempt %d)", t.attempt)
	}
	if outer := t.parent.thread.placeText(); outer != "" {
		return outer + " › " + here
	}
	return here
}

// key identifies the visit across the two runs: its place, state and visit number.
func (v *visit) key() string {
	return v.thread.placeText() + "\x00" + v.state + "\x00" + fmt.Sprint(v.n)
}

// eventInfo is what the analysis keeps of each event.
type eventInfo struct {
	typ types.HistoryEventType
	v   *visit // the visit of the state the event belongs to
	// iteration is a MapIterationStarted event's index.
	iteration int
}

// analysis reads a history, event by event, into visits.
type analysis struct {
	def    *asl.Definition
	root   *thread
	info   map[int64]eventInfo
	visits []*visit // in the order they were entered
	start  string   // the execution input
	end    ending
}

// ending is how an execution closed.
type ending struct {
	status string // SUCCEEDED, FAILED, ABORTED, TIMED_OUT, or "" while running
	output string // on success
	err    string // error name otherwise
	cause  string
}

func newAnalysis(def *asl.Definition) *analysis {
	return &analysis{def: def, root: &thread{counts: map[string]int{}}, info: map[int64]eventInfo{}}
}

// above walks from v out through its enclosing visits to the nearest of the given type,
// v excluded.
func above(v *visit, typ string) *visit {
	for v != nil {
		v = v.thread.parent
		if v != nil && v.typ == typ {
			return v
		}
	}
	return nil
}

// newThread starts a branch or iteration of the container visit c.
func newThread(c *visit, kind string, index int, first string) *thread {
	t := &thread{parent: c, kind: kind, index: index, first: first, attempt: 1, counts: map[string]int{}}
	for _, o := range c.children {
		if o.kind == kind && o.index == index && index >= 0 {
			t.attempt++
		}
	}
	c.children = append(c.children, t)
	return t
}

// up walks from v out through its enclosing visits to the one of the named state.
func up(v *visit, name string) *visit {
	for v != nil && v.state != name {
		v = v.thread.parent
	}
	return v
}

// add reads one event. Events come in id order; an event's previous event comes before it.
func (a *analysis) add(e *history.Event) error {
	prev := a.info[e.PreviousEventID]
	info := eventInfo{typ: e.Type, v: prev.v}
	switch {
	case e.Type == types.HistoryEventTypeExecutionStarted:
		a.start, _ = e.Input()
		info.v = nil
	case history.IsEntered(e.Type):
		name, _ := e.StateName()
		in, _ := e.Input()
		v := &visit{state: name, typ: history.StateType(e.Type), enteredID: e.ID, input: in, rule: -2}
		switch {
		case prev.typ == types.HistoryEventTypeMapIterationStarted && prev.v != nil:
			v.thread = newThread(prev.v, "iteration", prev.iteration, name)
		case prev.typ == types.HistoryEventTypeParallelStateStarted && prev.v != nil:
			v.thread = newThread(prev.v, "branch", a.branchIndex(prev.v.state, name), name)
		case prev.v != nil:
			v.thread, v.prev = prev.v.thread, prev.v
			prev.v.next = name
		default:
			v.thread = a.root
		}
		v.thread.counts[name]++
		v.n = v.thread.counts[name]
		a.visits = append(a.visits, v)
		info.v = v
	case history.IsExited(e.Type):
		name, _ := e.StateName()
		if v := up(prev.v, name); v != nil {
			v.exited = true
			v.output, _ = e.Output()
			if d, ok := e.Details.(*types.StateExitedEventDetails); ok && d != nil && d.AssignedVariables != nil {
				v.assigned = d.AssignedVariables
			}
			info.v = v
		}
	case e.Type == types.HistoryEventTypeMapIterationStarted, e.Type == types.HistoryEventTypeMapIterationSucceeded,
		e.Type == types.HistoryEventTypeMapIterationFailed, e.Type == types.HistoryEventTypeMapIterationAborted:
		if d, ok := e.Details.(*types.MapIterationEventDetails); ok && d != nil {
			info.v = up(prev.v, deref(d.Name))
			info.iteration = int(d.Index)
		}
	case e.Type == types.HistoryEventTypeParallelStateStarted, e.Type == types.HistoryEventTypeParallelStateSucceeded,
		e.Type == types.HistoryEventTypeParallelStateFailed, e.Type == types.HistoryEventTypeParallelStateAborted:
		// These follow the Parallel's Entered or Started event, or the last event of one
		// of its branches (a retried Parallel starts again after its failed branch).
		if prev.typ != types.HistoryEventTypeParallelStateEntered && prev.typ != types.HistoryEventTypeParallelStateStarted {
			info.v = above(prev.v, "Parallel")
		}
	case e.Type == types.HistoryEventTypeMapStateSucceeded, e.Type == types.HistoryEventTypeMapStateFailed,
		e.Type == types.HistoryEventTypeMapStateAborted:
		switch prev.typ {
		case types.HistoryEventTypeMapStateStarted, types.HistoryEventTypeMapIterationSucceeded, types.HistoryEventTypeMapIterationFailed,
			types.HistoryEventTypeMapIterationAborted, types.HistoryEventTypeMapStateEntered:
		default:
			info.v = above(prev.v, "Map")
		}
	case e.Type == types.HistoryEventTypeTaskScheduled:
		if d, ok := e.Details.(*types.TaskScheduledEventDetails); ok && d != nil && prev.v != nil {
			prev.v.calls = append(prev.v.calls, call{resource: resourceText(deref(d.ResourceType), deref(d.Resource)), params: deref(d.Parameters)})
		}
	case e.Type == types.HistoryEventTypeActivityScheduled, e.Type == types.HistoryEventTypeLambdaFunctionScheduled:
		if prev.v != nil {
			res, _ := e.Resource()
			in, _ := e.Input()
			prev.v.calls = append(prev.v.calls, call{resource: res, params: in})
		}
	case e.Type == types.HistoryEventTypeExecutionSucceeded:
		a.end.status = "SUCCEEDED"
		a.end.output, _ = e.Output()
	case e.Type == types.HistoryEventTypeExecutionFailed, e.Type == types.HistoryEventTypeExecutionAborted,
		e.Type == types.HistoryEventTypeExecutionTimedOut:
		a.end.status = map[types.HistoryEventType]string{types.HistoryEventTypeExecutionFailed: "FAILED",
			types.HistoryEventTypeExecutionAborted: "ABORTED", types.HistoryEventTypeExecutionTimedOut: "TIMED_OUT"}[e.Type]
		a.end.err, _ = e.Error()
		a.end.cause, _ = e.Cause()
	default:
		if o, ok, err := taskOutcome(e); ok {
			if err != nil {
				return err
			}
			if prev.v == nil {
				return fmt.Errorf("event %d (%s) belongs to no state the history shows", e.ID, e.Type)
			}
			prev.v.outcomes = append(prev.v.outcomes, o)
		}
	}
	a.info[e.ID] = info
	return nil
}

// resourceText joins TaskScheduled's resourceType and resource as a service
// integration names them ("lambda:invoke"); a resource that is an ARN stays whole.
func resourceText(typ, res string) string {
	if typ == "" || strings.HasPrefix(res, "arn:") {
		return res
	}
	return typ + ":" + res
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// taskOutcome reads a task's answer from a Task*, Lambda* or Activity* outcome event.
func taskOutcome(e *history.Event) (outcome, bool, error) {
	switch e.Type {
	case types.HistoryEventTypeTaskSucceeded, types.HistoryEventTypeLambdaFunctionSucceeded, types.HistoryEventTypeActivitySucceeded:
		text, _ := e.Output()
		v, err := value.ParseString(text)
		if err != nil {
			return outcome{}, true, fmt.Errorf("event %d: the recorded task output is not JSON: %w", e.ID, err)
		}
		return outcome{output: v}, true, nil
	case types.HistoryEventTypeTaskFailed, types.HistoryEventTypeLambdaFunctionFailed, types.HistoryEventTypeActivityFailed,
		types.HistoryEventTypeTaskTimedOut, types.HistoryEventTypeLambdaFunctionTimedOut, types.HistoryEventTypeActivityTimedOut,
		types.HistoryEventTypeTaskStartFailed, types.HistoryEventTypeTaskSubmitFailed, types.HistoryEventTypeLambdaFunctionStartFailed,
		types.HistoryEventTypeLambdaFunctionScheduleFailed, types.HistoryEventTypeActivityScheduleFailed:
		name, _ := e.Error()
		cause, _ := e.Cause()
		if strings.HasSuffix(string(e.Type), "TimedOut") && name == "" {
			name = failure.Timeout
		}
		return outcome{err: failure.New(name, cause)}, true, nil
	}
	return outcome{}, false, nil
}

// branchIndex finds the branch of the Parallel state that starts with (or holds) the
// named state in the definition being replayed; -1 when none does (the recording ran a
// branch whose first state the new definition renamed or removed).
func (a *analysis) branchIndex(parallel, first string) int {
	st := a.def.Find(parallel)
	if st == nil {
		return -1
	}
	for i, b := range st.Branches {
		if b.StartAt == first {
			return i
		}
	}
	for i, b := range st.Branches {
		if b.Find(first) != nil {
			return i
		}
	}
	return -1
}

// resolveBranches gives each branch thread the definition could not place the index no
// other branch of its Parallel visit took, in the order the branches started: AWS starts
// a Parallel's branches in order.
func (a *analysis) resolveBranches() {
	for _, v := range a.visits {
		taken := map[int]bool{}
		for _, t := range v.children {
			if t.kind == "branch" && t.index >= 0 {
				taken[t.index] = true
			}
		}
		free := 0
		for _, t := range v.children {
			if t.kind != "branch" || t.index >= 0 {
				continue
			}
			for taken[free] {
				free++
			}
			t.index = free
			taken[free] = true
		}
	}
}
