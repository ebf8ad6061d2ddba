package conformance

import (
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// resultFromRecording builds what a perfect engine would report for c.
func resultFromRecording(t testing.TB, c *Case) *Result {
	t.Helper()
	undo := undoSubstitutions(c)
	r := &Result{Status: c.Expected.Status}
	asText := func(raw []byte) *string {
		if len(raw) == 0 || isNull(raw) {
			return nil
		}
		v, err := value.Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		v = undo(v)
		s, ok := v.(string)
		if !ok {
			s = value.String(v)
		}
		return &s
	}
	r.Output = asText(c.Expected.Output)
	if cause := asText(c.Expected.Cause); cause != nil {
		r.Cause = *cause
	}
	if name, ok := c.Expected.ErrorName(); ok {
		r.Error = undo(name).(string)
	}
	if c.HasHistory() {
		r.Events = toWire(c, recordedEvents(t, c))
	}
	return r
}

func TestRecordingsPassEveryLevel(t *testing.T) {
	levels := map[Level]int{}
	for _, c := range Executions(loadCases(t)) {
		for _, o := range Check(c, resultFromRecording(t, c)) {
			levels[o.Level]++
			if o.Err != nil {
				t.Errorf("%s: %s: %v", c.ID, o.Level, o.Err)
			}
		}
	}
	if levels[LevelResult] == 0 || levels[LevelEvents] == 0 {
		t.Fatalf("levels checked: %v", levels)
	}
	t.Logf("levels checked: %v", levels)
}
