package conformance

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Level is one of the three depths at which a run is compared with its recording.
type Level int

const (
	// LevelResult compares the status and the output, or the error and cause.
	LevelResult Level = iota
	// LevelSummary compares the "Type:StateName" list of the history.
	LevelSummary
	// LevelEvents compares the full normalized history.
	LevelEvents
)

// Levels lists every level, shallowest first.
var Levels = []Level{LevelResult, LevelSummary, LevelEvents}

func (l Level) String() string {
	switch l {
	case LevelResult:
		return "result"
	case LevelSummary:
		return "summary"
	case LevelEvents:
		return "events"
	}
	return fmt.Sprintf("level(%d)", int(l))
}

// ParseLevel reads the name printed by Level.String.
func ParseLevel(s string) (Level, error) {
	for _, l := range Levels {
		if l.String() == s {
			return l, nil
		}
	}
	return 0, fmt.Errorf("unknown level %q (want result, summary or events)", s)
}

// Outcome is the verdict at one level. Err is nil when the level passes and holds a
// readable difference otherwise. A level the recording has no data for is not listed.
type Outcome struct {
	Level Level
	Err   error
}

// Check compares r with the recording of c at every level the recording supports.
func Check(c *Case, r *Result) []Outcome {
	out := []Outcome{{LevelResult, CompareResult(c, r)}}
	if !c.HasHistory() {
		return out
	}
	got, err := NormalizeEvents(c, r.Events)
	if r.Events == nil {
		err = fmt.Errorf("the engine returned no history")
	}
	if err != nil {
		return append(out, Outcome{LevelSummary, err}, Outcome{LevelEvents, err})
	}
	return append(out,
		Outcome{LevelSummary, CompareSummary(c, got)},
		Outcome{LevelEvents, CompareEvents(c, got)})
}

// CompareResult compares the status, output, error and cause of r with the recording.
func CompareResult(c *Case, r *Result) error {
	if c.Expected == nil {
		return fmt.Errorf("case %s records no result", c.ID)
	}
	n, err := NormalizeResult(c, r)
	if err != nil {
		return err
	}
	want := c.Expected
	if n.Status != want.Status {
		return fmt.Errorf("status: got %s, want %s%s", orNone(n.Status), want.Status, failureHint(r))
	}
	if err := compareOptional("output", want.Output, n.Output); err != nil {
		return err
	}
	wantErr, _ := want.ErrorName()
	gotErr := ""
	if n.Error != nil {
		gotErr = *n.Error
	}
	if !textMatches(wantErr, gotErr, matchPlaceholders) {
		return fmt.Errorf("error: got %q, want %q", gotErr, wantErr)
	}
	return compareOptional("cause", want.Cause, n.Cause)
}

func orNone(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// failureHint shows why the engine failed when the recording did not.
func failureHint(r *Result) string {
	if r.Error == "" && r.Cause == "" {
		return ""
	}
	return fmt.Sprintf(" (engine error %q: %s)", r.Error, clip(r.Cause, 300))
}

func compareOptional(field string, wantRaw json.RawMessage, got value.Value) error {
	if len(wantRaw) == 0 || isNull(wantRaw) {
		if got != nil {
			return fmt.Errorf("%s: got %s, want none", field, clip(value.String(got), 300))
		}
		return nil
	}
	want, err := value.Parse(wantRaw)
	if err != nil {
		return fmt.Errorf("recorded %s is not JSON: %v", field, err)
	}
	if got == nil {
		return fmt.Errorf("%s: got none, want %s", field, clip(value.String(want), 300))
	}
	if m := Diff(want, got); m != nil {
		return fmt.Errorf("%s %s", field, m)
	}
	return nil
}

// EventSummary lists "Type:StateName" for each event, or just "Type" for events that
// name no state. The name is that of the event's details.
func EventSummary(events []any) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = eventLabel(e)
	}
	return out
}

func eventLabel(e value.Value) string {
	o, _ := e.(*value.Object)
	t, _ := o.Get("type")
	label, _ := t.(string)
	for i, k := range o.Keys() {
		if !strings.HasSuffix(k, "EventDetails") {
			continue
		}
		_, d := o.At(i)
		if dn, ok := d.(*value.Object); ok {
			if name, ok := dn.Get("name"); ok {
				if s, ok := name.(string); ok {
					return label + ":" + s
				}
			}
		}
	}
	return label
}

// CompareSummary compares the summary of normalized events with the recorded one:
// in order outside Parallel/Map blocks, as a multiset inside each block.
func CompareSummary(c *Case, events []any) error {
	if !c.HasHistory() {
		return nil
	}
	want := c.Expected.EventSummary
	got := EventSummary(events)
	ws, gs := segments(want), segments(got)
	for k := 0; k < len(ws) || k < len(gs); k++ {
		switch {
		case k >= len(gs):
			return fmt.Errorf("history ends early: got %d events, want %d; first missing: event %d %s",
				len(got), len(want), ws[k].start+1, want[ws[k].start])
		case k >= len(ws):
			return fmt.Errorf("history too long: got %d events, want %d; first extra: event %d %s",
				len(got), len(want), gs[k].start+1, got[gs[k].start])
		}
		w, g := ws[k], gs[k]
		if w.block != g.block || !w.block {
			if want[w.start] != got[g.start] || w.block != g.block {
				return fmt.Errorf("event %d: got %s, want %s%s", g.start+1, got[g.start], want[w.start], context(want, w.start))
			}
			continue
		}
		if err := sameMultiset(want[w.start:w.end], got[g.start:g.end]); err != nil {
			return fmt.Errorf("events %d-%d (a Parallel/Map block, compared in any order): %v", w.start+1, w.end, err)
		}
	}
	return nil
}

// context shows the recorded events just before a difference.
func context(labels []string, at int) string {
	from := max(at-3, 0)
	return fmt.Sprintf(" (recorded before it: %s)", strings.Join(labels[from:at], ", "))
}

func sameMultiset(want, got []string) error {
	count := map[string]int{}
	for _, l := range want {
		count[l]++
	}
	for _, l := range got {
		count[l]--
	}
	var missing, extra []string
	for _, l := range want {
		if count[l] > 0 {
			missing = append(missing, fmt.Sprintf("%s ×%d", l, count[l]))
			count[l] = 0
		}
	}
	for _, l := range got {
		if count[l] < 0 {
			extra = append(extra, fmt.Sprintf("%s ×%d", l, -count[l]))
			count[l] = 0
		}
	}
	if len(missing) == 0 && len(extra) == 0 {
		return nil
	}
	return fmt.Errorf("missing [%s], unexpected [%s]", strings.Join(missing, ", "), strings.Join(extra, ", "))
}
