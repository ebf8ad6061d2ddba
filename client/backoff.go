package client

import (
	"context"
	"math/rand/v2"
	"time"
)

// backoff grows a delay exponentially up to a cap. Each delay is drawn in [d/2, d]
// ("equal jitter"): followers of many executions started together spread out, yet none
// retries at once.
type backoff struct {
	base, max time.Duration
	n         int
	rand      func() float64
}

func (b *backoff) next() time.Duration {
	d := b.base
	for i := 0; i < b.n && d < b.max; i++ {
		d *= 2
	}
	if d > b.max {
		d = b.max
	}
	b.n++
	r := b.rand
	if r == nil {
		r = rand.Float64
	}
	return d/2 + time.Duration(r()*float64(d/2))
}

func (b *backoff) reset() { b.n = 0 }

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
