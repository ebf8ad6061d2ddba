package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// FollowOptions tune a Follower. The zero value is sensible for AWS.
type FollowOptions struct {
	// PageSize is maxResults per call (default and maximum 1000).
	PageSize int32
	// MinInterval is the wait between polls while events keep coming (default 1s);
	// each poll that finds nothing new stretches it by half, up to MaxInterval
	// (default 10s).
	MinInterval, MaxInterval time.Duration
	// ErrorBase and ErrorMax bound the exponential backoff after throttling and other
	// transient errors (defaults 1s and 60s).
	ErrorBase, ErrorMax time.Duration
	// Sleep waits; tests replace it with a fake clock. It must return ctx.Err() when
	// ctx ends first.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns a number in [0, 1) for the jitter; tests pin it.
	Rand func() float64
	// OnRetry, if set, hears of each transient error before the wait that follows it,
	// so a status line can say "throttled, retrying in 4s".
	OnRetry func(err error, wait time.Duration)
}

func (o *FollowOptions) defaults() {
	if o.PageSize <= 0 || o.PageSize > 1000 {
		o.PageSize = 1000
	}
	if o.MinInterval <= 0 {
		o.MinInterval = time.Second
	}
	if o.MaxInterval < o.MinInterval {
		o.MaxInterval = 10 * o.MinInterval
	}
	if o.ErrorBase <= 0 {
		o.ErrorBase = time.Second
	}
	if o.ErrorMax < o.ErrorBase {
		o.ErrorMax = 60 * o.ErrorBase
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
}

// Follower streams the events of one execution as they are written.
//
// GetExecutionHistory has no "after event id" parameter, only nextToken. A token names a
// position in the history, so the follower keeps the token that led to the last page it
// read (nil for the first) and the id of the last event it delivered: a full page (one
// with a nextToken) moves the position on; a partial page is the tail, and the next poll
// reads that same page again, skipping what it already delivered. So each event is
// downloaded about once, plus the re-read partial tail page. While nothing happens and
// that page is long, a poll asks only for the newest event (reverseOrder, one result)
// and re-reads the page only when that event is new.
type Follower struct {
	api  HistoryAPI
	arn  string
	opts FollowOptions

	pageToken *string // the token of the page being read; nil: the first page
	lastID    int64   // last event id delivered
	interval  time.Duration
	errs      backoff
	polled    bool // the next call to Next must wait before polling
	tail      int  // events on the partial page last read
	idle      bool // the last poll found nothing new
	closed    bool // the last event delivered closes the execution
	done      bool

	// Calls counts GetExecutionHistory calls, for the status line and for tests.
	Calls int
}

// ErrFollowDone is returned by Next once the execution has closed and its last event
// was delivered.
var ErrFollowDone = errors.New("the execution has closed: no more events")

// NewFollower returns a follower of executionArn that starts at the first event.
func NewFollower(api HistoryAPI, executionArn string, opts FollowOptions) *Follower {
	opts.defaults()
	return &Follower{api: api, arn: executionArn, opts: opts, interval: opts.MinInterval,
		errs: backoff{base: opts.ErrorBase, max: opts.ErrorMax, rand: opts.Rand}}
}

// Next returns the next events, waiting (and backing off) as needed. It returns
// ErrFollowDone after the execution's closing event, ctx.Err() when ctx ends, and any
// other error only when retrying cannot help (the execution does not exist, access is
// denied, the ARN is malformed). Transient errors are retried inside Next and reported
// to FollowOptions.OnRetry.
func (f *Follower) Next(ctx context.Context) ([]types.HistoryEvent, error) {
	for {
		if f.done {
			return nil, ErrFollowDone
		}
		if f.polled {
			if err := f.opts.Sleep(ctx, f.interval); err != nil {
				return nil, err
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if f.polled && f.idle && f.tail >= probeAfter {
			newer, err := f.probe(ctx)
			if err != nil {
				return nil, err
			}
			if !newer {
				f.slowDown()
				continue
			}
		}
		out, err := f.call(ctx, &sfn.GetExecutionHistoryInput{
			ExecutionArn: aws.String(f.arn), MaxResults: f.opts.PageSize, NextToken: f.pageToken})
		if err != nil {
			return nil, err
		}
		fresh := f.fresh(out.Events)
		if out.NextToken != nil {
			// A full page: the rest follows at once.
			f.pageToken = out.NextToken
			f.polled = false
		} else {
			f.polled = true
			f.tail = len(out.Events)
			f.idle = len(fresh) == 0
			if f.idle {
				f.slowDown()
			} else {
				f.interval = f.opts.MinInterval
			}
		}
		if len(fresh) > 0 {
			f.closed = closes(fresh[len(fresh)-1].Type)
		}
		// The closing event may end a full page; it is over only once the page after
		// it is known to be the last.
		f.done = f.closed && out.NextToken == nil
		if len(fresh) > 0 {
			return fresh, nil
		}
	}
}

// probeAfter is the size of the tail page from which an idle follower first asks for
// the newest event alone (one event, without data) rather than re-reading the page.
const probeAfter = 100

// probe reports whether the history has an event newer than the last delivered.
func (f *Follower) probe(ctx context.Context) (bool, error) {
	out, err := f.call(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(f.arn),
		MaxResults: 1, ReverseOrder: true, IncludeExecutionData: aws.Bool(false)})
	if err != nil {
		return false, err
	}
	return len(out.Events) > 0 && out.Events[0].Id > f.lastID, nil
}

func (f *Follower) slowDown() {
	f.interval += f.interval / 2
	if f.interval > f.opts.MaxInterval {
		f.interval = f.opts.MaxInterval
	}
}

// call makes one GetExecutionHistory call, retrying transient errors with backoff.
func (f *Follower) call(ctx context.Context, in *sfn.GetExecutionHistoryInput) (*sfn.GetExecutionHistoryOutput, error) {
	for {
		f.Calls++
		out, err := f.api.GetExecutionHistory(ctx, in)
		if err == nil {
			f.errs.reset()
			return out, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var bad *types.InvalidToken
		if errors.As(err, &bad) && in.NextToken != nil {
			// Tokens expire (after a day on AWS): start over from the first page; the
			// events already delivered are skipped by id.
			f.pageToken, in.NextToken = nil, nil
			continue
		}
		if !transient(err) {
			return nil, fmt.Errorf("following %s: %w", f.arn, err)
		}
		wait := f.errs.next()
		if f.opts.OnRetry != nil {
			f.opts.OnRetry(err, wait)
		}
		if err := f.opts.Sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// fresh drops the events already delivered and remembers the last one.
func (f *Follower) fresh(evs []types.HistoryEvent) []types.HistoryEvent {
	i := 0
	for i < len(evs) && evs[i].Id <= f.lastID {
		i++
	}
	evs = evs[i:]
	if len(evs) > 0 {
		f.lastID = evs[len(evs)-1].Id
	}
	return evs
}

// closes reports whether an event ends the execution. A redrive may reopen a failed
// execution later; a follower stops at the close all the same, and a new one picks up
// from there.
func closes(t types.HistoryEventType) bool {
	switch t {
	case types.HistoryEventTypeExecutionSucceeded, types.HistoryEventTypeExecutionFailed,
		types.HistoryEventTypeExecutionAborted, types.HistoryEventTypeExecutionTimedOut:
		return true
	}
	return false
}

// transient reports whether an error may go away by itself: throttling, server faults,
// the network. A client fault (no such execution, bad ARN, access denied) will not.
func transient(err error) bool {
	if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) == aws.TrueTernary {
		return true
	}
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorFault() == smithy.FaultClient {
		return false
	}
	// Errors the SDK does not model (AccessDeniedException, UnrecognizedClientException)
	// carry no fault: their HTTP status tells.
	var resp *smithyhttp.ResponseError
	if errors.As(err, &resp) {
		code := resp.HTTPStatusCode()
		return code == 429 || code >= 500
	}
	return true
}

// Update is one step of Follow: new events, or the error that ended following.
type Update struct {
	Events []types.HistoryEvent
	Err    error // set on the last update when following failed
}

// Follow streams an execution's events on a channel until the execution closes (the
// channel is closed after its last event), ctx ends, or an error that retrying cannot
// fix (sent as the last Update).
func Follow(ctx context.Context, api HistoryAPI, executionArn string, opts FollowOptions) <-chan Update {
	ch := make(chan Update)
	f := NewFollower(api, executionArn, opts)
	go func() {
		defer close(ch)
		for {
			evs, err := f.Next(ctx)
			if errors.Is(err, ErrFollowDone) || (err != nil && ctx.Err() != nil) {
				return
			}
			u := Update{Events: evs, Err: err}
			select {
			case ch <- u:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return ch
}
