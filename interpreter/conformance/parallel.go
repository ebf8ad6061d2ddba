package conformance

import (
	"sort"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// sortParallelBranches reproduces the recording tool's treatment of Parallel branches,
// whose events AWS interleaves differently from run to run: the events between
// ParallelStateStarted and the next Parallel closing event get id [0] and
// previousEventId 0 and are sorted by their JSON text.
//
// The tool rewrites the list while it walks it, with two consequences the recordings
// carry and this function therefore keeps: a second closing event of the same block
// (ParallelStateSucceeded then ParallelStateExited) re-sorts the block over one more
// slot, which drops the first closing event; and in nested blocks only the innermost
// block is sorted, the outer events keeping their place with their ids blanked.
func sortParallelBranches(events []any) []any {
	start := 0 // a closing event before any start rewrites from the top, as the tool does
	var sub []any
	inSub := false
	for i := 0; i < len(events); i++ {
		ev, _ := events[i].(*value.Object)
		t, _ := ev.Get("type")
		switch {
		case t == nil:
			inSub = false
		case isParallelClose(t):
			events = spliceSorted(events, start, i, sub)
			inSub = false
		case t == "ParallelStateStarted":
			inSub, sub, start = true, nil, i+1
		case inSub && ev != nil:
			ev.Set("id", []any{int64(0)})
			ev.Set("previousEventId", int64(0))
			sub = append(sub, ev)
		}
	}
	return events
}

func isParallelClose(t value.Value) bool {
	switch t {
	case "ParallelStateSucceeded", "ParallelStateAborted", "ParallelStateExited", "ParallelStateFailed":
		return true
	}
	return false
}

// spliceSorted replaces events[lo:hi] with sub sorted by JSON text, like a Python slice
// assignment (which clamps its bounds).
func spliceSorted(events []any, lo, hi int, sub []any) []any {
	lo = min(max(lo, 0), len(events))
	hi = max(min(hi, len(events)), lo)
	sorted := make([]any, len(sub))
	copy(sorted, sub)
	keys := make(map[*value.Object]string, len(sorted))
	for _, e := range sorted {
		keys[e.(*value.Object)] = pyDumps(e)
	}
	sort.SliceStable(sorted, func(a, b int) bool {
		return keys[sorted[a].(*value.Object)] < keys[sorted[b].(*value.Object)]
	})
	out := make([]any, 0, len(events)-(hi-lo)+len(sorted))
	out = append(out, events[:lo]...)
	out = append(out, sorted...)
	return append(out, events[hi:]...)
}
