package client

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/client/faults"
	"github.com/stepdeck/stepdeck/interpreter/server"
)

// loopThenAskDef writes 160-odd events, then waits on a token: a long tail page, so an
// idle follower probes for the newest event rather than re-reading it.
const loopThenAskDef = `{"StartAt":"Init","States":{
 "Init":{"Type":"Pass","Result":{"i":0},"Next":"Loop"},
 "Loop":{"Type":"Pass","Parameters":{"i.$":"States.MathAdd($.i, 1)"},"Next":"More"},
 "More":{"Type":"Choice","Choices":[{"Variable":"$.i","NumericLessThan":40,"Next":"Loop"}],"Default":"Ask"},
 "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
  "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}`

// retries records what OnRetry heard.
type retries struct {
	mu   sync.Mutex
	errs []error
}

func (r *retries) add(err error, _ time.Duration) {
	r.mu.Lock()
	r.errs = append(r.errs, err)
	r.mu.Unlock()
}

func (r *retries) all() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.errs...)
}

var quickFollow = FollowOptions{MinInterval: time.Millisecond, MaxInterval: 4 * time.Millisecond,
	ErrorBase: time.Millisecond, ErrorMax: 8 * time.Millisecond}

// An endpoint that goes down (connections refused and dropped) and comes back: the
// follower retries the network errors, never gives up, and sees the end.
func TestFollowerOutlivesAnOutage(t *testing.T) {
	svc := newService(t)
	ep := &faults.Endpoint{Next: server.New(svc)}
	c := awsClient(t, ep)
	exec := start(t, svc, "approval", approvalDef)
	var heard retries
	o := quickFollow
	o.OnRetry = heard.add
	got := collectAsync(t, Follow(ctx, c, exec, o))
	cbs := pendingSoon(t, svc, CallbackOptions{}, 1)
	ep.Set(func(e *faults.Endpoint) { e.Down = true })
	waitFor(t, "20 retries while down", func() bool { return len(heard.all()) >= 20 })
	answer(t, svc, cbs[0].Token)
	ep.Set(func(e *faults.Endpoint) { e.Down = false })
	evs := <-got
	checkContiguous(t, evs, len(evs))
	if last := evs[len(evs)-1].Type; last != types.HistoryEventTypeExecutionSucceeded {
		t.Errorf("last event %s", last)
	}
	for _, err := range heard.all() {
		if !transient(err) || !strings.Contains(err.Error(), "EOF") && !strings.Contains(err.Error(), "connection") {
			t.Errorf("retried %v", err)
		}
	}
}

// A call that stalls is cut by the call time-out and tried again.
func TestFollowerTimesOutAStalledCall(t *testing.T) {
	svc := newService(t)
	ep := &faults.Endpoint{Next: server.New(svc), Stall: map[string]time.Duration{"GetExecutionHistory": time.Minute}}
	c := awsClient(t, ep)
	exec := start(t, svc, "approval", approvalDef)
	var heard retries
	o := quickFollow
	o.OnRetry, o.CallTimeout = heard.add, 20*time.Millisecond
	got := collectAsync(t, Follow(ctx, c, exec, o))
	waitFor(t, "3 retries of a stalled call", func() bool { return len(heard.all()) >= 3 })
	ep.Set(func(e *faults.Endpoint) { e.Stall = nil })
	cbs := pendingSoon(t, svc, CallbackOptions{}, 1)
	answer(t, svc, cbs[0].Token)
	evs := <-got
	if last := evs[len(evs)-1].Type; last != types.HistoryEventTypeExecutionSucceeded {
		t.Errorf("last event %s", last)
	}
	if !errors.Is(heard.all()[0], errDeadline) && !strings.Contains(heard.all()[0].Error(), "deadline") {
		t.Errorf("first retry: %v", heard.all()[0])
	}
}

var errDeadline = errors.New("context deadline exceeded")

// An endpoint that ignores maxResults, nextToken and reverseOrder (it serves the whole
// history, oldest first, every time) is read correctly: the idle follower's probe for
// the newest event is caught out, and the end is seen.
func TestFollowerReadsAnEndpointThatIgnoresPaging(t *testing.T) {
	for _, pageSize := range []int32{0, 50} {
		svc := newService(t)
		ep := &faults.Endpoint{Next: server.New(svc), IgnorePaging: true}
		c := awsClient(t, ep)
		exec := start(t, svc, "loop", loopThenAskDef)
		o := quickFollow
		o.PageSize = pageSize
		got := collectAsync(t, Follow(ctx, c, exec, o))
		cbs := pendingSoon(t, svc, CallbackOptions{}, 1)
		// Idle long enough to probe.
		before := ep.Calls("GetExecutionHistory")
		waitFor(t, "10 idle polls", func() bool { return ep.Calls("GetExecutionHistory") >= before+10 })
		answer(t, svc, cbs[0].Token)
		evs := <-got
		checkContiguous(t, evs, len(evs))
		if len(evs) < 160 || evs[len(evs)-1].Type != types.HistoryEventTypeExecutionSucceeded {
			t.Errorf("page size %d: %d events, the last %s", pageSize, len(evs), evs[len(evs)-1].Type)
		}
	}
}

// collectAsync reads a Follow channel to its end on a goroutine of its own (a follower
// blocks until its events are taken), and sends what it read.
func collectAsync(t *testing.T, ch <-chan Update) <-chan []types.HistoryEvent {
	got := make(chan []types.HistoryEvent, 1)
	go func() {
		var all []types.HistoryEvent
		for u := range ch {
			if u.Err != nil {
				t.Error(u.Err)
			}
			all = append(all, u.Events...)
		}
		got <- all
	}()
	return got
}

// waitFor polls until ok, failing the test after a while rather than hanging it.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
