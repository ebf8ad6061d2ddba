package conformance

import (
	"fmt"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// CompareEvents compares normalized events with the recorded ones: in order outside
// Parallel/Map blocks, as a multiset inside each block. Inside a block the ids depend
// on how branches interleaved, so an event's own id is not compared there, and a
// previousEventId that points into a block is compared by the label of the event it
// points to.
func CompareEvents(c *Case, events []any) error {
	if !c.HasHistory() {
		return nil
	}
	wantV, err := value.Parse(c.Expected.Events)
	if err != nil {
		return fmt.Errorf("recorded events are not JSON: %v", err)
	}
	want, _ := wantV.([]any)
	wl, gl := EventSummary(want), EventSummary(events)
	ws, gs := segments(wl), segments(gl)
	wc, gc := comparable(want, ws), comparable(events, gs)
	for k := 0; k < len(ws) || k < len(gs); k++ {
		switch {
		case k >= len(gs):
			return fmt.Errorf("history ends early: got %d events, want %d; first missing: event %d %s",
				len(events), len(want), ws[k].start+1, clip(value.String(want[ws[k].start]), 300))
		case k >= len(ws):
			return fmt.Errorf("history too long: got %d events, want %d; first extra: event %d %s",
				len(events), len(want), gs[k].start+1, clip(value.String(events[gs[k].start]), 300))
		}
		w, g := ws[k], gs[k]
		if w.block != g.block {
			return fmt.Errorf("event %d: got %s, want %s: the Parallel/Map blocks do not line up",
				g.start+1, gl[g.start], wl[w.start])
		}
		if !w.block {
			if m := Diff(wc[w.start], gc[g.start]); m != nil {
				return fmt.Errorf("event %d (%s) %s", g.start+1, wl[w.start], m)
			}
			continue
		}
		if err := matchBlock(wc[w.start:w.end], gc[g.start:g.end], wl[w.start:w.end], gl[g.start:g.end]); err != nil {
			return fmt.Errorf("events %d-%d (a Parallel/Map block, compared in any order): %v", w.start+1, w.end, err)
		}
	}
	return nil
}

// comparable returns copies of the events in the form described at CompareEvents.
func comparable(events []any, segs []segment) []any {
	inBlock := make([]bool, len(events))
	for _, s := range segs {
		for i := s.start; s.block && i < s.end; i++ {
			inBlock[i] = true
		}
	}
	byID := map[int64]int{}
	for i, e := range events {
		o, _ := e.(*value.Object)
		if id, ok := o.Get("id"); ok {
			if n, ok := value.ToInt(id); ok {
				byID[n] = i
			}
		}
	}
	out := make([]any, len(events))
	for i, e := range events {
		o, ok := e.(*value.Object)
		if !ok {
			out[i] = e
			continue
		}
		o = o.Clone()
		if inBlock[i] {
			o.Delete("id")
		}
		if prev, ok := o.Get("previousEventId"); ok {
			if n, ok := value.ToInt(prev); ok {
				if j, found := byID[n]; found && inBlock[j] {
					o.Set("previousEventId", "after "+eventLabel(events[j]))
				}
			}
		}
		out[i] = o
	}
	return out
}

// matchBlock pairs every recorded event of a block with an equal event of the run.
// What stays unpaired is reported, with the closest candidate of the same label.
func matchBlock(want, got []any, wl, gl []string) error {
	used := make([]bool, len(got))
	var lost []int
	for i, w := range want {
		found := false
		for j, g := range got {
			if !used[j] && Diff(w, g) == nil {
				used[j], found = true, true
				break
			}
		}
		if !found {
			lost = append(lost, i)
		}
	}
	var extra []int
	for j := range got {
		if !used[j] {
			extra = append(extra, j)
		}
	}
	if len(lost) == 0 && len(extra) == 0 {
		return nil
	}
	if len(lost) == 0 {
		return fmt.Errorf("%d unexpected event(s), first: %s %s", len(extra), gl[extra[0]], clip(value.String(got[extra[0]]), 300))
	}
	i := lost[0]
	for _, j := range extra {
		if gl[j] == wl[i] {
			return fmt.Errorf("%d recorded event(s) without an equal, first: %s; closest candidate %s",
				len(lost), wl[i], Diff(want[i], got[j]))
		}
	}
	return fmt.Errorf("%d recorded event(s) without an equal, first: %s %s (no event with that label is left)",
		len(lost), wl[i], clip(value.String(want[i]), 300))
}
