package client

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
)

const arn = "arn:aws:states:us-east-1:123456789012:execution:m:e"

func followAll(t *testing.T, f *Follower) []types.HistoryEvent {
	t.Helper()
	var all []types.HistoryEvent
	for i := 0; i < 100000; i++ {
		evs, err := f.Next(context.Background())
		if errors.Is(err, ErrFollowDone) {
			return all
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			t.Fatal("Next returned no events and no error")
		}
		all = append(all, evs...)
	}
	t.Fatal("the follower never finished")
	return nil
}

func checkContiguous(t *testing.T, evs []types.HistoryEvent, n int) {
	t.Helper()
	if len(evs) != n {
		t.Fatalf("got %d events, want %d", len(evs), n)
	}
	for i, e := range evs {
		if e.Id != int64(i+1) {
			t.Fatalf("event %d has id %d", i, e.Id)
		}
	}
}

// tokensNeverGoBack checks that the follower only moves forward: it never asks for the
// first page again, nor for a page before one it already read.
func tokensNeverGoBack(t *testing.T, tokens []string) {
	t.Helper()
	last := -1
	for i, tok := range tokens {
		n := 0
		if tok != "" {
			n, _ = strconv.Atoi(tok)
		} else if i > 0 && last > 0 {
			t.Fatalf("call %d went back to the first page after reading from %d", i, last)
		}
		if n < last {
			t.Fatalf("call %d asked for the page after %d, having read after %d", i, n, last)
		}
		last = n
	}
}

func TestFollowerPagesForwardAndDeliversEachEventOnce(t *testing.T) {
	for _, tc := range []struct {
		name     string
		pageSize int32
		closeAt  int
	}{
		{"many pages", 7, 100},
		{"close ends a full page", 10, 50},
		{"one page", 1000, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &fakeHistory{closeAt: tc.closeAt,
				produced: func(now time.Duration) int { return int(now / time.Second * 3) }}
			f := NewFollower(h, arn, FollowOptions{PageSize: tc.pageSize, Sleep: h.sleep})
			checkContiguous(t, followAll(t, f), tc.closeAt)
			tokensNeverGoBack(t, h.tokens)
			// Only the partial tail page is read again, never more than a page at a time.
			if extra := h.served - tc.closeAt; extra > h.calls*int(tc.pageSize) {
				t.Errorf("served %d events for %d", h.served, tc.closeAt)
			}
			if f.Calls != h.calls {
				t.Errorf("Calls = %d, the API saw %d", f.Calls, h.calls)
			}
		})
	}
}

func TestFollowerStopsAfterTheCloseEvenWhenItEndsAFullPage(t *testing.T) {
	h := &fakeHistory{closeAt: 10, produced: func(time.Duration) int { return 10 }, tokenWhenFull: true}
	f := NewFollower(h, arn, FollowOptions{PageSize: 5, Sleep: h.sleep})
	checkContiguous(t, followAll(t, f), 10)
	if h.calls != 3 { // 1-5, 6-10 with a token, then an empty last page
		t.Errorf("%d calls, tokens %q", h.calls, h.tokens)
	}
	if _, err := f.Next(context.Background()); !errors.Is(err, ErrFollowDone) {
		t.Errorf("after the end: %v", err)
	}
}

func TestFollowerSlowsDownWhenIdle(t *testing.T) {
	h := &fakeHistory{produced: func(time.Duration) int { return 5 }}
	f := NewFollower(h, arn, FollowOptions{Sleep: h.sleep, MinInterval: time.Second, MaxInterval: 8 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	if evs, err := f.Next(ctx); err != nil || len(evs) != 5 {
		t.Fatal(evs, err)
	}
	// Nothing more comes: Next keeps polling, further and further apart.
	stopAfter := 12
	f.opts.Sleep = func(ctx context.Context, d time.Duration) error {
		if len(h.sleeps) >= stopAfter {
			cancel()
		}
		return h.sleep(ctx, d)
	}
	if _, err := f.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("want the cancellation, got %v", err)
	}
	for i := 1; i < len(h.sleeps); i++ {
		if h.sleeps[i] < h.sleeps[i-1] {
			t.Fatalf("idle waits shrank: %v", h.sleeps)
		}
	}
	if first, last := h.sleeps[0], h.sleeps[len(h.sleeps)-1]; first != time.Second || last != 8*time.Second {
		t.Errorf("idle waits %v: want 1s growing to the 8s cap", h.sleeps)
	}
}

func TestFollowerBacksOffOnThrottlingAndRecovers(t *testing.T) {
	throttle := &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}
	h := &fakeHistory{closeAt: 3, produced: func(time.Duration) int { return 3 },
		failNext: []error{throttle, throttle, throttle, throttle, throttle, throttle, throttle, throttle}}
	var retried []error
	f := NewFollower(h, arn, FollowOptions{Sleep: h.sleep, Rand: func() float64 { return 0.999999 },
		ErrorBase: time.Second, ErrorMax: 16 * time.Second,
		OnRetry: func(err error, _ time.Duration) { retried = append(retried, err) }})
	checkContiguous(t, followAll(t, f), 3)
	if len(retried) != 8 {
		t.Errorf("OnRetry heard %d errors", len(retried))
	}
	want := []time.Duration{1, 2, 4, 8, 16, 16, 16, 16}
	for i, w := range want {
		if d := h.sleeps[i]; d > w*time.Second || d < w*time.Second/2 {
			t.Errorf("wait %d = %v, want about %v", i, d, w*time.Second)
		}
	}
}

func TestFollowerGivesUpOnErrorsThatRetryingCannotFix(t *testing.T) {
	for _, err := range []error{
		&types.ExecutionDoesNotExist{Message: strPtr("Execution Does Not Exist: '" + arn + "'")},
		&types.InvalidArn{Message: strPtr("Invalid Arn")},
	} {
		h := &fakeHistory{produced: func(time.Duration) int { return 0 }, failNext: []error{err}}
		f := NewFollower(h, arn, FollowOptions{Sleep: h.sleep})
		_, got := f.Next(context.Background())
		if !errors.As(got, new(smithy.APIError)) || h.calls != 1 {
			t.Errorf("%T: got %v after %d calls", err, got, h.calls)
		}
	}
}

func TestFollowerRestartsWhenItsTokenExpires(t *testing.T) {
	h := &fakeHistory{closeAt: 30, produced: func(now time.Duration) int { return 10 + int(now/time.Second) }}
	f := NewFollower(h, arn, FollowOptions{PageSize: 4, Sleep: h.sleep})
	first, err := f.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f.pageToken = strPtr("garbled") // as a day-old token would be
	rest := followAll(t, f)
	checkContiguous(t, append(first, rest...), 30)
}

func TestFollowStopsOnCancel(t *testing.T) {
	h := &fakeHistory{produced: func(time.Duration) int { return 2 }}
	ctx, cancel := context.WithCancel(context.Background())
	ch := Follow(ctx, h, arn, FollowOptions{Sleep: sleep, MinInterval: time.Millisecond})
	u := <-ch
	if len(u.Events) != 2 || u.Err != nil {
		t.Fatalf("first update %+v", u)
	}
	cancel()
	for u := range ch {
		if len(u.Events) > 0 {
			t.Errorf("events after cancel: %+v", u)
		}
	}
}

func TestFollowSendsTheFatalErrorLast(t *testing.T) {
	h := &fakeHistory{produced: func(time.Duration) int { return 0 },
		failNext: []error{&types.ExecutionDoesNotExist{Message: strPtr("no")}}}
	var last Update
	n := 0
	for u := range Follow(context.Background(), h, arn, FollowOptions{Sleep: h.sleep}) {
		last = u
		n++
	}
	var dne *types.ExecutionDoesNotExist
	if n != 1 || !errors.As(last.Err, &dne) {
		t.Errorf("%d updates, last %+v", n, last)
	}
}

func TestIdleFollowerProbesRatherThanRereadingALongTail(t *testing.T) {
	h := &fakeHistory{closeAt: 502, produced: func(now time.Duration) int {
		switch {
		case now < time.Minute:
			return 500
		case now < 2*time.Minute:
			return 501
		}
		return 502
	}}
	f := NewFollower(h, arn, FollowOptions{Sleep: h.sleep})
	checkContiguous(t, followAll(t, f), 502)
	// Forward reads: the first, and for each of the two later events the read that
	// finds it and the one that finds nothing after it. Every other poll is a probe.
	forward := h.calls - h.probes
	if h.probes < 10 || forward > 5 {
		t.Errorf("%d forward reads and %d probes", forward, h.probes)
	}
	if h.served > 5*502+h.probes {
		t.Errorf("served %d events", h.served)
	}
}
