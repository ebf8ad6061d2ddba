package conformance

import (
	"testing"
)

// largestHistory returns the recorded case with the most events.
func largestHistory(b *testing.B) (*Case, []byte, []any) {
	b.Helper()
	var best *Case
	var events []any
	for _, c := range Executions(loadCases(b)) {
		if !c.HasHistory() {
			continue
		}
		if ev := recordedEvents(b, c); len(ev) > len(events) {
			best, events = c, ev
		}
	}
	if best == nil {
		b.Skip("no recorded history")
	}
	return best, toWire(best, events), events
}

func BenchmarkNormalizeEvents(b *testing.B) {
	c, wire, events := largestHistory(b)
	b.ReportMetric(float64(len(events)), "events")
	b.SetBytes(int64(len(wire)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := NormalizeEvents(c, wire); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	c, wire, _ := largestHistory(b)
	r := resultFromRecording(b, c)
	r.Events = wire
	b.ResetTimer()
	for b.Loop() {
		for _, o := range Check(c, r) {
			if o.Err != nil {
				b.Fatal(o.Err)
			}
		}
	}
}

// BenchmarkCorpus is the cost of checking every recorded execution once.
func BenchmarkCorpus(b *testing.B) {
	type item struct {
		c *Case
		r *Result
	}
	var items []item
	for _, c := range Executions(loadCases(b)) {
		items = append(items, item{c, resultFromRecording(b, c)})
	}
	b.ReportMetric(float64(len(items)), "cases")
	b.ResetTimer()
	for b.Loop() {
		for _, it := range items {
			Check(it.c, it.r)
		}
	}
}
