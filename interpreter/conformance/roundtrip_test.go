package conformance

import (
	"testing"
)

// The recorded events, turned back into what AWS sent, must normalize to themselves.
// Placeholder numbers may differ where one recording session numbered several
// executions together.
func TestNormalizeRecordedHistories(t *testing.T) {
	n := 0
	for _, c := range loadCases(t) {
		if !c.IsExecution() || !c.HasHistory() {
			continue
		}
		n++
		want := recordedEvents(t, c)
		got, err := NormalizeEvents(c, toWire(c, want))
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		if m := diffAt("$", want, got, matchRenumbered); m != nil {
			t.Errorf("%s: %s", c.ID, m)
		}
	}
	if n == 0 {
		t.Fatal("no recorded history found: the corpus layout changed?")
	}
}
