package conformance

import (
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// The recorded events, turned back into what AWS sent, must normalize to themselves.
func TestNormalizeRecordedHistories(t *testing.T) {
	n, bad := 0, 0
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
		if m := Diff(value.Value(want), value.Value(got)); m != nil {
			bad++
			if bad < 100 {
				t.Errorf("%s: %s", c.ID, m)
			}
		}
	}
	t.Logf("%d histories, %d differ", n, bad)
}
