// Package timeline lays an execution out on a time axis, as a Gantt chart: one bar per
// state visit, visits of a Parallel's branches and a Map's iterations in lanes under the
// Parallel or Map, retries, Wait states and callback waits drawn apart, and the critical
// path (the chain of causes that ended the execution) marked. It is pure: events in,
// text out, so the execution screen and `stepdeck timeline` draw the same picture.
package timeline

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	hist "github.com/stepdeck/stepdeck/interpreter/history"
)

// Status is how a visit ended, or that it has not.
type Status uint8

const (
	Running Status = iota
	Succeeded
	Failed // the state failed (a Catch may have taken it)
	Aborted
)

// Kind is what a stretch of a visit was spent on.
type Kind uint8

const (
	Work      Kind = iota // the state ran
	Retrying              // between a failed attempt and the next (the retrier's backoff)
	Waiting               // a Wait state
	Callback              // a task waiting for its token (.waitForTaskToken) or an activity worker
	FailedTry             // an attempt that failed and was retried
)

// Segment is a stretch of a visit spent on one kind of thing.
type Segment struct {
	Kind       Kind
	Start, End time.Time // End is zero while it goes on
}

// Visit is one stay in one state: from its Entered event to its Exited (or its failure).
type Visit struct {
	State    string
	Type     string // the state type, from the Entered event: Task, Pass, Parallel, ...
	Lane     int    // index in Timeline.Lanes
	Start    time.Time
	End      time.Time // zero while it runs
	Status   Status
	Attempts int // tasks: how many times it was scheduled (1 + retries)
	Error    string
	Cause    string
	Entered  int // event index of its Entered event
	Exited   int // event index of its Exited event, or -1
	Last     int // event index of its last event so far
	Segments []Segment
	Critical bool  // on the chain of causes of the execution's last event
	Lanes    []int // the lanes of its branches or iterations (Parallel, Map)
	resource string
}

// Lane is a sequence of visits: the execution's top level, a Parallel branch or a Map
// iteration.
type Lane struct {
	Parent    int // the Parallel or Map visit it is in; -1 for the top level
	Index     int // branch number (from 0) or iteration index
	Iteration bool
	Visits    []int // in order of start
	Status    Status
	Depth     int
}

// Timeline is the visits of an execution. Add takes new events as they arrive, so a
// followed execution costs only its new events.
type Timeline struct {
	Visits []Visit
	Lanes  []Lane
	Start  time.Time // the first event's time
	Last   time.Time // the latest event's time
	Closed bool      // the execution ended

	visit, lane []int // per event: its visit (-1: none) and lane
	lastOf      map[string]int
	states      []string
}

// New returns an empty timeline with its top-level lane.
func New() *Timeline {
	return &Timeline{Lanes: []Lane{{Parent: -1}}, lastOf: map[string]int{}}
}

// Build lays out a whole history; states is what history.States gives for it.
func Build(events []hist.Event, states []string) *Timeline {
	t := New()
	t.Add(events, states)
	return t
}

// Add takes in events[len already taken:]; events and states are the whole history so
// far (states from history.AppendStates).
func (t *Timeline) Add(events []hist.Event, states []string) {
	from := len(t.visit)
	t.states = states
	for i := from; i < len(events); i++ {
		t.add(events, i)
	}
	t.markCritical(events)
}

func (t *Timeline) add(events []hist.Event, i int) {
	e := &events[i]
	if i == 0 {
		t.Start = e.Timestamp
	}
	if e.Timestamp.After(t.Last) {
		t.Last = e.Timestamp
	}
	p := indexOf(events[:i], e.PreviousEventID)
	if p < 0 && i > 0 {
		p = i - 1 // a history without links: the event before
	}
	state := t.states[i]
	v, lane := -1, 0
	if p >= 0 {
		v, lane = t.visit[p], t.lane[p]
	}
	typ := e.Type
	switch {
	case strings.HasPrefix(string(typ), "Execution"):
		t.visit, t.lane = append(t.visit, -1), append(t.lane, 0)
		switch typ {
		case types.HistoryEventTypeExecutionSucceeded, types.HistoryEventTypeExecutionFailed,
			types.HistoryEventTypeExecutionAborted, types.HistoryEventTypeExecutionTimedOut:
			t.Closed = true
			t.closeOpen(e.Timestamp)
		}
		return
	case hist.IsEntered(typ):
		if p >= 0 && v >= 0 && startsLane(events[p].Type) && events[p].Type != types.HistoryEventTypeMapIterationStarted {
			lane = t.newLane(v, false, len(t.Visits[v].Lanes))
		}
		v = len(t.Visits)
		t.Visits = append(t.Visits, Visit{State: state, Type: hist.StateType(typ), Lane: lane, Start: e.Timestamp,
			Entered: i, Exited: -1, Last: i, Segments: []Segment{{Kind: kindOf(typ), Start: e.Timestamp}}})
		t.Lanes[lane].Visits = append(t.Lanes[lane].Visits, v)
		t.lastOf[state] = v
	case typ == types.HistoryEventTypeMapIterationStarted:
		block := t.enclosing(v, state)
		idx := 0
		if d, ok := e.Details.(*types.MapIterationEventDetails); ok && d != nil {
			idx = int(d.Index)
		}
		if block >= 0 {
			lane = t.newLane(block, true, idx)
		}
		v = block
	case typ == types.HistoryEventTypeMapIterationSucceeded || typ == types.HistoryEventTypeMapIterationFailed ||
		typ == types.HistoryEventTypeMapIterationAborted:
		t.Lanes[lane].Status = map[types.HistoryEventType]Status{types.HistoryEventTypeMapIterationSucceeded: Succeeded,
			types.HistoryEventTypeMapIterationFailed: Failed, types.HistoryEventTypeMapIterationAborted: Aborted}[typ]
		v = t.enclosing(v, state)
		if v >= 0 {
			lane = t.Visits[v].Lane
		}
	default:
		if v < 0 || t.Visits[v].State != state {
			v = t.enclosing(v, state)
			if v >= 0 {
				lane = t.Visits[v].Lane
			}
		}
	}
	t.visit, t.lane = append(t.visit, v), append(t.lane, lane)
	if v >= 0 && !hist.IsEntered(typ) {
		t.step(&t.Visits[v], e, i)
	}
}

// enclosing finds the visit of state around visit v: v itself, the Parallel or Map
// whose lane v is in (and so on out), or else the latest visit of that state.
func (t *Timeline) enclosing(v int, state string) int {
	for v >= 0 {
		if t.Visits[v].State == state {
			return v
		}
		v = t.Lanes[t.Visits[v].Lane].Parent
	}
	if last, ok := t.lastOf[state]; ok {
		return last
	}
	return -1
}

func (t *Timeline) newLane(parent int, iteration bool, index int) int {
	depth := 1
	if parent >= 0 {
		depth = t.Lanes[t.Visits[parent].Lane].Depth + 1
	}
	t.Lanes = append(t.Lanes, Lane{Parent: parent, Index: index, Iteration: iteration, Depth: depth})
	n := len(t.Lanes) - 1
	if parent >= 0 {
		t.Visits[parent].Lanes = append(t.Visits[parent].Lanes, n)
	}
	return n
}

// step applies one of a visit's events after its Entered.
func (t *Timeline) step(v *Visit, e *hist.Event, i int) {
	v.Last = i
	at := e.Timestamp
	last := &v.Segments[len(v.Segments)-1]
	switch e.Type {
	case types.HistoryEventTypeTaskScheduled, types.HistoryEventTypeLambdaFunctionScheduled:
		v.Attempts++
		if r, ok := e.Resource(); ok {
			v.resource = r
		}
		t.segment(v, Work, at)
	case types.HistoryEventTypeActivityScheduled:
		v.Attempts++
		t.segment(v, Callback, at) // waiting for a worker to take it
	case types.HistoryEventTypeTaskStarted, types.HistoryEventTypeTaskSubmitted:
		// a task that waits for its token waits from the start (the local engine
		// records no TaskSubmitted) or from the submission
		if strings.HasSuffix(v.resource, ".waitForTaskToken") {
			t.segment(v, Callback, at)
		}
	case types.HistoryEventTypeActivityStarted:
		// the worker has the task: what was a wait for a worker is now work
		t.segment(v, Work, at)
	case types.HistoryEventTypeTaskFailed, types.HistoryEventTypeTaskTimedOut,
		types.HistoryEventTypeActivityFailed, types.HistoryEventTypeActivityTimedOut,
		types.HistoryEventTypeLambdaFunctionFailed, types.HistoryEventTypeLambdaFunctionTimedOut,
		types.HistoryEventTypeLambdaFunctionStartFailed, types.HistoryEventTypeLambdaFunctionScheduleFailed,
		types.HistoryEventTypeTaskStartFailed, types.HistoryEventTypeTaskSubmitFailed:
		v.Error, _ = e.Error()
		v.Cause, _ = e.Cause()
		// until the next attempt the visit waits for its retrier; if none comes, this
		// segment is cut at the exit or failure
		t.segment(v, Retrying, at)
		t.markTry(v)
	case types.HistoryEventTypeEvaluationFailed:
		v.Error, _ = e.Error()
		v.Cause, _ = e.Cause()
		v.Status = Failed
		t.end(v, at)
	case types.HistoryEventTypeParallelStateFailed, types.HistoryEventTypeMapStateFailed:
		v.Error, _ = e.Error()
		v.Cause, _ = e.Cause()
		v.Status = Failed
	case types.HistoryEventTypeParallelStateAborted, types.HistoryEventTypeMapStateAborted, types.HistoryEventTypeTaskStateAborted:
		v.Status = Aborted
		if last.Kind == Retrying {
			v.Status = Failed // its own failure, which no retrier took, stopped it
		}
		t.end(v, at)
	}
	if hist.IsExited(e.Type) {
		v.Exited = i
		if v.Status == Running {
			v.Status = Succeeded
			if last.Kind == Retrying {
				v.Status = Failed // it exited after a failure no retrier took: caught
			}
		}
		t.end(v, at)
	}
}

// markTry turns the attempt that just failed into a FailedTry stretch.
func (t *Timeline) markTry(v *Visit) {
	n := len(v.Segments)
	if n >= 2 && v.Segments[n-2].Kind == Work && v.Attempts > 0 {
		v.Segments[n-2].Kind = FailedTry
	}
}

func (t *Timeline) segment(v *Visit, k Kind, at time.Time) {
	last := &v.Segments[len(v.Segments)-1]
	if last.Kind == k {
		return
	}
	last.End = at
	if !last.Start.Before(at) && len(v.Segments) > 1 {
		v.Segments = v.Segments[:len(v.Segments)-1] // an empty stretch
	}
	v.Segments = append(v.Segments, Segment{Kind: k, Start: at})
}

func (t *Timeline) end(v *Visit, at time.Time) {
	if !v.End.IsZero() {
		return
	}
	v.End = at
	last := &v.Segments[len(v.Segments)-1]
	last.End = at
	if last.Kind == Retrying {
		last.Kind = FailedTry // no retry came: the last attempt failed
		if n := len(v.Segments); n >= 2 && v.Segments[n-2].Kind == FailedTry {
			v.Segments[n-2].End = at
			v.Segments = v.Segments[:n-1]
		}
	}
}

// closeOpen ends the visits still open when the execution ends (a Fail state's visit,
// visits aborted by the end).
func (t *Timeline) closeOpen(at time.Time) {
	for i := range t.Visits {
		v := &t.Visits[i]
		if v.End.IsZero() {
			if v.Status == Running {
				v.Status = Aborted
				if v.Type == "Fail" || v.Error != "" {
					v.Status = Failed
				}
			}
			t.end(v, at)
		}
	}
}

// markCritical marks the critical path. Of an execution that ended: the visits on the
// chain of causes of its last event (the branch that finished last in a Parallel, the
// retries that delayed a task, ...). Of one that runs: the chains that lead to each
// visit still open, what it is waiting on now.
func (t *Timeline) markCritical(events []hist.Event) {
	for i := range t.Visits {
		t.Visits[i].Critical = false
	}
	walked := make([]bool, len(events))
	if t.Closed {
		t.walkCauses(events, len(events)-1, walked)
		return
	}
	for i := range t.Visits {
		if t.Visits[i].End.IsZero() {
			t.walkCauses(events, t.Visits[i].Last, walked)
		}
	}
}

// walkCauses marks the visits of event i and of its causes, back to the start or to an
// event already walked.
func (t *Timeline) walkCauses(events []hist.Event, i int, walked []bool) {
	for i >= 0 && i < len(events) && !walked[i] {
		walked[i] = true
		if v := t.visit[i]; v >= 0 {
			t.Visits[v].Critical = true
		}
		p := indexOf(events[:i], events[i].PreviousEventID)
		if p < 0 && events[i].PreviousEventID != 0 {
			return // the cause is not in the history held
		}
		if p < 0 {
			// no cause but the start (AWS links an execution's first state to 0): the
			// event before it
			if events[i].Type == types.HistoryEventTypeExecutionStarted {
				return
			}
			p = i - 1
		}
		i = p
	}
}

// VisitOf is the visit of event i, or -1 (execution events).
func (t *Timeline) VisitOf(i int) int {
	if i < 0 || i >= len(t.visit) {
		return -1
	}
	return t.visit[i]
}

func kindOf(entered types.HistoryEventType) Kind {
	if entered == types.HistoryEventTypeWaitStateEntered {
		return Waiting
	}
	return Work
}

func startsLane(t types.HistoryEventType) bool {
	return t == types.HistoryEventTypeParallelStateStarted || t == types.HistoryEventTypeMapStateStarted ||
		t == types.HistoryEventTypeMapIterationStarted
}

// indexOf finds the event of id among events, which are in id order.
func indexOf(events []hist.Event, id int64) int {
	if id <= 0 {
		return -1
	}
	if i := int(id - 1); i < len(events) && events[i].ID == id {
		return i
	}
	lo, hi := 0, len(events)
	for lo < hi {
		m := (lo + hi) / 2
		if events[m].ID < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(events) && events[lo].ID == id {
		return lo
	}
	return -1
}
