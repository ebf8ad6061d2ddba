package client

import (
	"context"
	"errors"
	"testing"
	"time"
)

// callsPerMinute follows a history that grows at perSecond events per second for ten
// fake minutes and returns the follower's GetExecutionHistory calls per minute and the
// events the fake served per event produced.
func callsPerMinute(t *testing.T, base, perSecond int) (float64, float64) {
	const window = 10 * time.Minute
	h := &fakeHistory{produced: func(now time.Duration) int { return base + int(now.Seconds()*float64(perSecond)) }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := NewFollower(h, arn, FollowOptions{Sleep: func(ctx context.Context, d time.Duration) error {
		if h.now+d >= window {
			cancel()
		}
		return h.sleep(ctx, d)
	}})
	delivered := 0
	for {
		evs, err := f.Next(ctx)
		if errors.Is(err, context.Canceled) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		delivered += len(evs)
	}
	if delivered != h.count() {
		// The last poll before the window closed may have left a few behind.
		if h.count()-delivered > perSecond*10+1 {
			t.Fatalf("delivered %d of %d events", delivered, h.count())
		}
	}
	tokensNeverGoBack(t, h.tokens)
	return float64(h.calls) / window.Minutes(), float64(h.served) / float64(delivered)
}

func TestFollowerCallRates(t *testing.T) {
	idle, _ := callsPerMinute(t, 1, 0)
	idleLong, idleServed := callsPerMinute(t, 900, 0)
	busy, reread := callsPerMinute(t, 1, 100)
	t.Logf("GetExecutionHistory calls per minute: idle %.1f, idle with a 900-event tail page %.1f (events served per event %.2f), 100 events/s %.1f (events served per event delivered %.2f)",
		idle, idleLong, idleServed, busy, reread)
	if idleServed > 3 {
		t.Errorf("an idle follower re-read its 900-event tail page: %.2f events served per event", idleServed)
	}
	// With the default 1s..10s intervals: an idle follower settles at one call every
	// 10s; a busy one polls every second plus one call per full page of 1000.
	if idle > 7 {
		t.Errorf("idle follower makes %.1f calls a minute", idle)
	}
	if busy > 70 {
		t.Errorf("busy follower makes %.1f calls a minute", busy)
	}
	// Each poll re-reads the partial tail page (up to 1000 events): at 100 events/s that
	// is about 5 pages' worth per event on average, bounded by the page size.
	if reread > 12 {
		t.Errorf("the follower downloads each event %.1f times", reread)
	}
}
