package pages

import (
	"testing"
	"time"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/common"
)

// The heartbeat deadline counts from the task's start until this screen sends a
// heartbeat, then from that heartbeat.
func TestHeartbeatDeadlineMovesWithSentHeartbeats(t *testing.T) {
	c := common.New(nil, false)
	c.Width, c.Height = 160, 30
	p := NewCallbacks(c)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cb := client.PendingCallback{Token: "tok", Heartbeat: time.Minute, HeartbeatAt: t0.Add(time.Minute)}
	if got := p.heartbeatDue(cb); !got.Equal(t0.Add(time.Minute)) {
		t.Errorf("before any heartbeat: %v", got)
	}
	p.Update(answeredMsg{what: "heartbeat", beat: "tok", beatAt: t0.Add(100 * time.Second)})
	if got := p.heartbeatDue(cb); !got.Equal(t0.Add(160 * time.Second)) {
		t.Errorf("after a heartbeat at 100 s: %v, want 160 s", got)
	}
	if got := p.heartbeatDue(client.PendingCallback{Token: "other"}); !got.IsZero() {
		t.Errorf("a task without a heartbeat limit: %v", got)
	}
	p.setItems([]client.PendingCallback{cb})
	if n := len(p.table.Rows()[0]); n != 6 {
		t.Errorf("a wide screen shows %d columns, want 6", n)
	}
	c.Width = 80
	p.View()
	if n := len(p.table.Rows()[0]); n != 4 {
		t.Errorf("a narrow screen shows %d columns, want 4", n)
	}
}
