package conformance

import (
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// findCase returns the first recorded execution with a history that satisfies ok.
func findCase(t *testing.T, ok func(c *Case, events []any) bool) (*Case, []any) {
	t.Helper()
	for _, c := range Executions(loadCases(t)) {
		if !c.HasHistory() {
			continue
		}
		if events := recordedEvents(t, c); ok(c, events) {
			return c, events
		}
	}
	t.Skip("no recorded case has the shape this test needs")
	return nil, nil
}

func hasTransformer(c *Case, kind string) bool {
	for _, tr := range c.Normalization.TestTransformers {
		if tr.Kind == kind {
			return true
		}
	}
	return false
}

func details(e any, key string) *value.Object {
	d, _ := e.(*value.Object).Get(key)
	o, _ := d.(*value.Object)
	return o
}

func checkLevels(c *Case, r *Result) map[Level]error {
	out := map[Level]error{}
	for _, o := range Check(c, r) {
		out[o.Level] = o.Err
	}
	return out
}

func wantError(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no difference reported, want one mentioning %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("difference %q does not mention %q", err, p)
		}
	}
}

func TestPerturbedFieldIsReportedWithItsPath(t *testing.T) {
	at := -1
	c, events := findCase(t, func(c *Case, events []any) bool {
		for i, e := range events[:len(events)-1] {
			if d := details(e, "stateExitedEventDetails"); d != nil && i > 0 {
				if out, _ := d.Get("output"); value.KindOf(out) == value.KindObject {
					at = i
					return true
				}
			}
		}
		return false
	})
	r := resultFromRecording(t, c)
	d := details(events[at], "stateExitedEventDetails")
	d.Set("output", value.ObjectOf("perturbed", true))
	r.Events = toWire(c, events)
	got := checkLevels(c, r)
	if got[LevelResult] != nil || got[LevelSummary] != nil {
		t.Errorf("only the events level should fail: %v", got)
	}
	wantError(t, got[LevelEvents], "event "+itoa(at+1)+" ", "$.stateExitedEventDetails.output")
}

func TestSwappedEventsAreReportedWhereTheOrderBreaks(t *testing.T) {
	c, events := findCase(t, func(c *Case, events []any) bool {
		return len(events) > 3 && len(segments(EventSummary(events))) == len(events)
	})
	r := resultFromRecording(t, c)
	events[1], events[2] = events[2], events[1]
	r.Events = toWire(c, events)
	got := checkLevels(c, r)
	wantError(t, got[LevelSummary], "event 2:")
	wantError(t, got[LevelEvents], "event 2 ")
	if got[LevelResult] != nil {
		t.Errorf("result level: %v", got[LevelResult])
	}
}

// blockOf returns the first Parallel/Map block with at least two distinct labels.
func blockOf(events []any) (span, bool) {
	labels := EventSummary(events)
	for _, s := range blockSpans(labels) {
		for i := s.start + 1; i < s.end; i++ {
			if labels[i] != labels[s.start] {
				return s, true
			}
		}
	}
	return span{}, false
}

// Reordering the events of a block, as another interleaving of branches would, and
// numbering the ids accordingly must not matter.
func TestReorderedBlockStillPasses(t *testing.T) {
	var s span
	c, events := findCase(t, func(c *Case, events []any) bool {
		var ok bool
		s, ok = blockOf(events)
		return ok && !hasTransformer(c, "SfnNoneRecursiveParallelTransformer")
	})
	r := resultFromRecording(t, c)
	block := append([]any(nil), events[s.start:s.end]...)
	for i := range block {
		events[s.start+i] = block[len(block)-1-i]
	}
	renumber(events)
	r.Events = toWire(c, events)
	for l, err := range checkLevels(c, r) {
		if err != nil {
			t.Errorf("%s (%s): %v", l, c.ID, err)
		}
	}

	// Losing one event of the block is still caught.
	events = append(events[:s.start+1:s.start+1], events[s.start+2:]...)
	renumber(events)
	r.Events = toWire(c, events)
	got := checkLevels(c, r)
	wantError(t, got[LevelSummary], "block", "missing")
	wantError(t, got[LevelEvents], "block")
}

// renumber gives events ids by position and keeps each previousEventId pointing at the
// same event.
func renumber(events []any) {
	newID := map[int64]int64{}
	for i, e := range events {
		if id, ok := value.ToInt(get(e, "id")); ok {
			newID[id] = int64(i + 1)
		}
	}
	for i, e := range events {
		o := e.(*value.Object)
		o.Set("id", int64(i+1))
		if p, ok := value.ToInt(get(e, "previousEventId")); ok {
			if n, found := newID[p]; found {
				o.Set("previousEventId", n)
			}
		}
	}
}

func get(e any, k string) value.Value {
	v, _ := e.(*value.Object).Get(k)
	return v
}

func itoa(n int) string { return value.String(int64(n)) }

func TestResultDifferences(t *testing.T) {
	c, _ := findCase(t, func(c *Case, events []any) bool {
		return c.Expected.Status == "SUCCEEDED" && len(c.Expected.Output) > 0 && c.Expected.Output[0] == '{'
	})
	r := resultFromRecording(t, c)
	if err := CompareResult(c, r); err != nil {
		t.Fatal(err)
	}
	failed := *r
	failed.Status, failed.Error, failed.Cause, failed.Output = "FAILED", "States.Runtime", "boom", nil
	wantError(t, CompareResult(c, &failed), "status: got FAILED, want SUCCEEDED", "States.Runtime")

	changed := *r
	out := `{"changed":1}`
	changed.Output = &out
	wantError(t, CompareResult(c, &changed), "output at $.")
}

func TestPlaceholders(t *testing.T) {
	const u = "0a1b2c3d-0000-4000-8000-00000000abcd"
	for _, tc := range []struct {
		want, got string
		match     bool
	}{
		{"<uuid:1>", u, true},
		{"<uuid:1>", "<uuid:7>", true},
		{"generated-uuid", u, true},
		{"generated-uuid", "not a uuid", false},
		{"plain", u, false},
		{"arn:<partition>:states:<region>:1:execution:<ArnPart_0idx>:<uuid:3>", "arn:<partition>:states:<region>:1:execution:<ArnPart_0idx>:" + u, true},
		{"<task_token:1>", "<task_token:2>", true},
		{"<task_token:1>", "<message_id:1>", false},
		{"a.b(c)", "a.b(c)", true},
		{"a.b", "axb", false},
	} {
		if got := Diff(tc.want, tc.got) == nil; got != tc.match {
			t.Errorf("Diff(%q, %q) matches = %v, want %v", tc.want, tc.got, got, tc.match)
		}
	}
	if ExactDiff("<uuid:1>", "<uuid:2>") == nil {
		t.Error("ExactDiff ignores placeholder numbers")
	}
	if Diff(int64(1), 1.0) != nil {
		t.Error("1 and 1.0 differ")
	}
}

func TestBlockSpans(t *testing.T) {
	for _, tc := range []struct {
		labels string
		want   []span
	}{
		{"ExecutionStarted PassStateEntered:A PassStateExited:A ExecutionSucceeded", nil},
		{"ParallelStateEntered:P ParallelStateStarted PassStateEntered:A PassStateExited:A ParallelStateSucceeded ParallelStateExited:P",
			[]span{{2, 4}}},
		// nested blocks: only the outermost counts
		{"ParallelStateEntered:P ParallelStateStarted ParallelStateEntered:Q ParallelStateStarted X ParallelStateSucceeded ParallelStateExited:Q ParallelStateSucceeded ParallelStateExited:P",
			[]span{{2, 7}}},
		// as the Parallel transformer leaves it: closing events gone
		{"ParallelStateEntered:P ParallelStateStarted ParallelStateEntered:Q ParallelStateStarted X ParallelStateExited:P Y",
			[]span{{2, 5}}},
		{"MapStateEntered:M MapStateStarted MapIterationStarted:M X MapIterationSucceeded:M MapStateSucceeded MapStateExited:M",
			[]span{{2, 5}}},
		// execution ends inside the block
		{"MapStateEntered:M MapStateStarted MapIterationStarted:M ExecutionFailed", []span{{2, 4}}},
	} {
		got := blockSpans(strings.Fields(tc.labels))
		if len(got) != len(tc.want) {
			t.Errorf("%s: got %v, want %v", tc.labels, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: got %v, want %v", tc.labels, got, tc.want)
			}
		}
	}
}
