package history

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// record is what the reference walk reads of a recorded event, straight from its JSON.
type record struct {
	id, prev int64
	typ      string
	name     string // the "name" member of its details, if any
}

// TestStatesFollowPreviousEventIDInAWSRecordings checks the state of every event of every
// AWS recording with its links intact against referenceState, a walk written apart
// from AppendStates: it replays the event's own chain of previousEventIds from the
// execution's start, keeping a stack of the Parallel and Map blocks the chain is in.
func TestStatesFollowPreviousEventIDInAWSRecordings(t *testing.T) {
	root := conformance.DataDir(t, "asl")
	histories, events, masked, inBlocks, fixed := 0, 0, 0, 0, 0
	for _, area := range []string{"self_contained", "external"} {
		cases, err := conformance.Load(filepath.Join(root, area))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range conformance.Executions(cases) {
			if len(c.Expected.Events) == 0 {
				continue
			}
			recs, evs, ok := readRecording(t, c.ID, c.Expected.Events)
			if !ok {
				masked++ // the normalization replaced the ids of an unordered block
				continue
			}
			histories++
			got := States(evs)
			incremental := AppendStates(nil, evs[:len(evs)/2], 0)
			incremental = AppendStates(incremental, evs, len(evs)/2)
			block := false
			for i := range recs {
				want := referenceState(recs, i)
				if got[i] != want {
					t.Errorf("%s: event %d (%s) is put in state %q; its previousEventId chain says %q", c.ID, recs[i].id, recs[i].typ, got[i], want)
				}
				if incremental[i] != got[i] {
					t.Errorf("%s: event %d: %q in two steps, %q at once", c.ID, recs[i].id, incremental[i], got[i])
				}
				if want != lastEntered(evs, i) && recs[i].name == "" && !strings.HasPrefix(recs[i].typ, "Execution") {
					fixed++
				}
				block = block || isBlockStart(evs[i].Type)
				events++
			}
			if block {
				inBlocks++
			}
		}
	}
	if histories < 400 || inBlocks < 30 || fixed < 10 {
		t.Fatalf("too little checked: %d histories (%d with a Parallel or Map), %d events the last-entered rule got wrong", histories, inBlocks, fixed)
	}
	t.Logf("%d events of %d AWS histories (%d with a Parallel or Map) attributed as their previousEventId chains say; %d of them the last-entered rule got wrong; %d histories skipped, their block ids masked by the normalization", events, histories, inBlocks, fixed, masked)
}

// referenceState replays the chain of event i from the execution's start. Each level
// of the stack is a block (a Parallel's branch, a Map's iteration) with the state its
// chain is in now; a block starts in the Parallel or Map itself.
func referenceState(recs []record, i int) string {
	e := recs[i]
	if e.name != "" {
		return e.name
	}
	if strings.HasPrefix(e.typ, "Execution") {
		return ""
	}
	byID := map[int64]record{}
	for _, r := range recs {
		byID[r.id] = r
	}
	var chain []record
	for id := e.prev; id != 0; id = byID[id].prev {
		chain = append([]record{byID[id]}, chain...)
	}
	type level struct{ block, cur string }
	stack := []level{{}}
	top := func() *level { return &stack[len(stack)-1] }
	for k, a := range chain {
		switch {
		case blockStart(a.typ):
			if k > 0 && blockEntered(chain[k-1].typ) {
				stack = append(stack, level{block: chain[k-1].name, cur: chain[k-1].name})
			} else { // a retry starts the block around the chain again
				top().cur = top().block
			}
		case blockEnd(a.typ):
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case a.name != "":
			top().cur = a.name
		}
	}
	if blockStart(e.typ) || blockEnd(e.typ) {
		if last := chain[len(chain)-1]; blockEntered(last.typ) {
			return last.name
		}
		if len(stack) == 1 { // the chain is in no block: the block failed before it started
			return top().cur
		}
		return top().block
	}
	return top().cur
}

// readRecording reads a recording's events twice: as records for the reference, straight
// from the JSON, and as events for AppendStates. ok is false when the ids of some events
// were masked.
func readRecording(t *testing.T, id string, raw []byte) ([]record, []hist.Event, bool) {
	evs, err := conformance.HistoryEvents(raw)
	if errors.Is(err, conformance.ErrMaskedIDs) {
		return nil, nil, false
	}
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	doc, err := value.Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	var recs []record
	for _, item := range doc.([]any) {
		obj := item.(*value.Object)
		idv, _ := obj.Get("id")
		prev, _ := obj.Get("previousEventId")
		typ, _ := obj.Get("type")
		r := record{typ: typ.(string)}
		r.id, _ = value.ToInt(idv)
		r.prev, _ = value.ToInt(prev)
		for k := 0; k < obj.Len(); k++ {
			key, v := obj.At(k)
			d, isObj := v.(*value.Object)
			if !isObj || !strings.HasSuffix(key, "Details") {
				continue
			}
			if n, ok := d.Get("name"); ok {
				r.name, _ = n.(string)
			}
			if n, ok := d.Get("state"); ok && key == "evaluationFailedEventDetails" {
				r.name, _ = n.(string) // the state whose expression failed
			}
		}
		recs = append(recs, r)
	}
	return recs, evs, true
}

// blockStart, blockEnd: a Parallel's or Map's own events around its branches.
func blockStart(typ string) bool { return typ == "ParallelStateStarted" || typ == "MapStateStarted" }

func blockEnd(typ string) bool {
	switch typ {
	case "ParallelStateSucceeded", "ParallelStateFailed", "ParallelStateAborted",
		"MapStateSucceeded", "MapStateFailed", "MapStateAborted":
		return true
	}
	return false
}

func blockEntered(typ string) bool { return typ == "ParallelStateEntered" || typ == "MapStateEntered" }

// TestStatesOfInterleavedBranches: Alice's task succeeds after Bob's branch entered its
// state; the event is still Alice's, and the Parallel's own events are the Parallel's.
func TestStatesOfInterleavedBranches(t *testing.T) {
	ev := func(id, prev int64, typ types.HistoryEventType, d any) hist.Event {
		return hist.Event{ID: id, PreviousEventID: prev, Type: typ, Details: d}
	}
	evs := []hist.Event{
		ev(1, 0, types.HistoryEventTypeExecutionStarted, nil),
		ev(2, 0, types.HistoryEventTypeParallelStateEntered, hist.Entered("Sign-off", "{}")),
		ev(3, 2, types.HistoryEventTypeParallelStateStarted, nil),
		ev(4, 3, types.HistoryEventTypeTaskStateEntered, hist.Entered("Alice Signature", "{}")),
		ev(5, 4, types.HistoryEventTypeTaskScheduled, nil),
		ev(6, 3, types.HistoryEventTypeTaskStateEntered, hist.Entered("Bob Signature", "{}")),
		ev(7, 6, types.HistoryEventTypeTaskScheduled, nil),
		ev(8, 5, types.HistoryEventTypeTaskSucceeded, nil),
		ev(9, 8, types.HistoryEventTypeTaskStateExited, hist.Exited("Alice Signature", "{}", nil)),
		ev(10, 7, types.HistoryEventTypeTaskSucceeded, nil),
		ev(11, 10, types.HistoryEventTypeTaskStateExited, hist.Exited("Bob Signature", "{}", nil)),
		ev(12, 11, types.HistoryEventTypeParallelStateSucceeded, nil),
		ev(13, 12, types.HistoryEventTypeParallelStateExited, hist.Exited("Sign-off", "[]", nil)),
		ev(14, 13, types.HistoryEventTypeExecutionSucceeded, nil),
	}
	want := []string{"", "Sign-off", "Sign-off", "Alice Signature", "Alice Signature", "Bob Signature", "Bob Signature",
		"Alice Signature", "Alice Signature", "Bob Signature", "Bob Signature", "Sign-off", "Sign-off", ""}
	if got := States(evs); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("states\n got %q\nwant %q", got, want)
	}
}
