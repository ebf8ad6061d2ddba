package history

import (
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	hist "github.com/stepdeck/stepdeck/interpreter/history"
)

// States returns the state each event belongs to (see AppendStates).
func States(events []hist.Event) []string {
	return AppendStates(nil, events, 0)
}

// AppendStates appends to states (which holds the states of events[:from]) the state of
// each of events[from:], and returns the longer slice; events is the whole history so
// far, so a followed execution costs only its new events.
//
// An event belongs to the state its previousEventId chain says, not to the state entered
// last, which in a Parallel or a Map with concurrency is another branch's:
//   - Entered, Exited and MapIteration* events name their state, EvaluationFailed too;
//   - execution events belong to no state;
//   - a Parallel's or a Map's own events (…Started, …Succeeded, …Failed, …Aborted)
//     belong to the Parallel or Map around the event they follow, found by walking the
//     chain back past nested blocks to the block's start;
//   - any other event (TaskScheduled, TaskSucceeded, MapRunStarted, ...) belongs to the
//     state of the event it follows.
//
// An event whose previous event is not in the history (a history without the links)
// falls back to the state entered last before it.
func AppendStates(states []string, events []hist.Event, from int) []string {
	for i := from; i < len(events); i++ {
		states = append(states, stateOf(events, states, i))
	}
	return states
}

func stateOf(events []hist.Event, states []string, i int) string {
	e := &events[i]
	if n, ok := e.StateName(); ok {
		return n
	}
	if strings.HasPrefix(string(e.Type), "Execution") {
		return ""
	}
	if d, ok := e.Details.(*types.EvaluationFailedEventDetails); ok && d != nil && d.State != nil {
		return *d.State // its previousEventId may be 0
	}
	p := indexOf(events[:i], e.PreviousEventID)
	if p < 0 {
		return lastEntered(events, i)
	}
	if isBlockEvent(e.Type) {
		if isBlockEntered(events[p].Type) {
			return states[p] // a Parallel's or Map's first Started
		}
		return enclosingBlock(events, states, p)
	}
	return states[p]
}

// enclosingBlock is the Parallel or Map whose branch or iteration event p is in: the
// walk back counts the blocks it steps out of (their end events) and into (their
// starts) until it reaches a start it did not step into, or a Map iteration's start.
func enclosingBlock(events []hist.Event, states []string, p int) string {
	depth := 0
	for q := p; q >= 0; {
		t := events[q].Type
		switch {
		case isBlockEnd(t):
			depth++
		case isBlockStart(t):
			if depth == 0 {
				return states[q]
			}
			depth--
		case t == types.HistoryEventTypeMapIterationStarted && depth == 0:
			return states[q] // the Map's name
		case isBlockEntered(t) && depth == 0:
			return states[q]
		}
		q = indexOf(events[:q], events[q].PreviousEventID)
	}
	return states[p] // in no block: a Map whose items failed to evaluate, before it started

}

// indexOf finds the event with the given id among events, which are in id order; ids
// are usually their position plus one.
func indexOf(events []hist.Event, id int64) int {
	if id <= 0 {
		return -1
	}
	if i := int(id - 1); i < len(events) && events[i].ID == id {
		return i
	}
	i := sort.Search(len(events), func(k int) bool { return events[k].ID >= id })
	if i < len(events) && events[i].ID == id {
		return i
	}
	return -1
}

func lastEntered(events []hist.Event, i int) string {
	for j := i - 1; j >= 0; j-- {
		if hist.IsEntered(events[j].Type) {
			n, _ := events[j].StateName()
			return n
		}
	}
	return ""
}

func isBlockStart(t types.HistoryEventType) bool {
	return t == types.HistoryEventTypeParallelStateStarted || t == types.HistoryEventTypeMapStateStarted
}

func isBlockEnd(t types.HistoryEventType) bool {
	switch t {
	case types.HistoryEventTypeParallelStateSucceeded, types.HistoryEventTypeParallelStateFailed,
		types.HistoryEventTypeParallelStateAborted, types.HistoryEventTypeMapStateSucceeded,
		types.HistoryEventTypeMapStateFailed, types.HistoryEventTypeMapStateAborted:
		return true
	}
	return false
}

func isBlockEvent(t types.HistoryEventType) bool { return isBlockStart(t) || isBlockEnd(t) }

func isBlockEntered(t types.HistoryEventType) bool {
	return t == types.HistoryEventTypeParallelStateEntered || t == types.HistoryEventTypeMapStateEntered
}
