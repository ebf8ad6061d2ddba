package pages

import (
	"testing"
	"time"
)

func TestCadenceSlowsWhileNothingChanges(t *testing.T) {
	c := newCadence(3*time.Second, time.Minute, 10*time.Second)
	var waits []time.Duration
	for i := 0; i < 10; i++ {
		waits = append(waits, c.next(false, false, false))
	}
	if waits[0] != 4500*time.Millisecond || waits[9] != time.Minute {
		t.Errorf("idle waits %v", waits)
	}
	if w := c.next(false, false, true); w != 10*time.Second {
		t.Errorf("with something running: %v", w)
	}
	if w := c.next(true, false, false); w != 3*time.Second {
		t.Errorf("after a change: %v", w)
	}
	if w := c.next(false, true, true); w != 6*time.Second {
		t.Errorf("after an error: %v", w)
	}
	if w := c.next(false, true, true); w != 12*time.Second {
		t.Errorf("after two errors, running or not: %v", w)
	}
}
