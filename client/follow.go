package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
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
	// CallTimeout bounds one call (default 20s): a stalled endpoint is a transient
	// failure, retried, not a page that waits forever.
	CallTimeout time.Duration
	// NoEndCheck leaves out the DescribeExecution calls that check whether an idle
	// execution has ended: for a caller that learns it otherwise (the callbacks scan
	// lists the running executions).
	NoEndCheck bool
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
	if o.CallTimeout <= 0 {
		o.CallTimeout = 20 * time.Second
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
	polled    bool // the last page read was the tail
	tail      int  // events on the partial page last read
	idle      bool // the last poll found nothing new
	closed    bool // the last event delivered closes the execution
	done      bool
	wait      time.Duration // before the next poll

	// What the endpoint was found to ignore, and the status checks.
	noProbe, noTokens bool
	describer         describer // nil: the API cannot describe executions
	idlePolls         int       // idle polls in a row
	rereads           int       // reads from the start after DescribeExecution saw the end

	// Calls counts GetExecutionHistory calls, for the status line and for tests.
	Calls int
}

// ErrFollowDone is returned by Next once the execution has closed and its last event
// was delivered.
var ErrFollowDone = errors.New("the execution has closed: no more events")

// NewFollower returns a follower of executionArn that starts at the first event.
func NewFollower(api HistoryAPI, executionArn string, opts FollowOptions) *Follower {
	opts.defaults()
	f := &Follower{api: api, arn: executionArn, opts: opts, interval: opts.MinInterval,
		errs: backoff{base: opts.ErrorBase, max: opts.ErrorMax, rand: opts.Rand}}
	if !opts.NoEndCheck {
		f.describer, _ = api.(describer)
	}
	return f
}

// describer is what the follower asks whether an execution has ended; every API of the
// app has it, a test's bare history fake may not.
type describer interface {
	DescribeExecution(ctx context.Context, in *sfn.DescribeExecutionInput, optFns ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error)
}

// Next returns the next events, waiting (and backing off) as needed. It returns
// ErrFollowDone after the execution's closing event, ctx.Err() when ctx ends, and any
// other error only when retrying cannot help (the execution does not exist, access is
// denied, the ARN is malformed). Transient errors are retried inside Next, forever, and
// reported to FollowOptions.OnRetry.
func (f *Follower) Next(ctx context.Context) ([]types.HistoryEvent, error) {
	for {
		if f.done {
			return nil, ErrFollowDone
		}
		if f.wait > 0 {
			if err := f.opts.Sleep(ctx, f.wait); err != nil {
				return nil, err
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, err := f.Poll(ctx)
		if err != nil {
			return nil, err
		}
		if p.Retry != nil && f.opts.OnRetry != nil {
			f.opts.OnRetry(p.Retry, p.Wait)
		}
		if len(p.Events) > 0 {
			return p.Events, nil
		}
	}
}

// Polled is the outcome of one Poll.
type Polled struct {
	Events []types.HistoryEvent
	// Wait is how long to wait before the next Poll: 0 while pages follow at once, the
	// polling interval when caught up, the backoff after a transient failure.
	Wait time.Duration
	// Retry is the transient failure (throttling, a 5xx, the network, a time-out) that
	// this poll met; the next Poll, after Wait, tries again.
	Retry error
	// Done: the execution has closed and its last event was delivered.
	Done bool
}

// Poll makes one round of reading without sleeping: the next page, or while idle a
// probe for the newest event. Next is Poll in a loop; a UI calls Poll itself, to show
// each retry and to wait on its own timer. An error is returned only when retrying
// cannot help.
func (f *Follower) Poll(ctx context.Context) (Polled, error) {
	if f.done {
		return Polled{Done: true}, nil
	}
	if f.polled && f.idle {
		f.idlePolls++
		if f.describer != nil && f.idlePolls%checkEvery == 0 {
			if p, err, decided := f.checkEnd(ctx); decided {
				return p, err
			}
		}
		if f.tail >= probeAfter && !f.noProbe {
			newer, err := f.probe(ctx)
			if err != nil {
				return f.failed(err)
			}
			if !newer {
				f.slowDown()
				f.wait = f.interval
				return Polled{Wait: f.wait}, nil
			}
		}
	}
	in := &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(f.arn), MaxResults: f.opts.PageSize, NextToken: f.pageToken}
	out, err := f.get(ctx, in)
	var bad *types.InvalidToken
	if errors.As(err, &bad) && in.NextToken != nil {
		// Tokens expire (after a day on AWS): start over from the first page; the
		// events already delivered are skipped by id.
		f.pageToken, in.NextToken = nil, nil
		out, err = f.get(ctx, in)
	}
	if err != nil {
		return f.failed(err)
	}
	f.errs.reset()
	if in.NextToken != nil && len(out.Events) > 0 && out.Events[0].Id == 1 {
		// A page reached through a token never starts at the first event: this
		// endpoint ignores nextToken (and, as such endpoints do, serves the whole
		// history each time). Read it whole from now on.
		f.noTokens = true
	}
	if f.noTokens {
		f.pageToken, out.NextToken = nil, nil
	}
	fresh := f.fresh(out.Events)
	if out.NextToken != nil {
		// A full page: the rest follows at once.
		f.pageToken = out.NextToken
		f.polled = false
		f.wait = 0
	} else {
		f.polled = true
		f.tail = len(out.Events)
		f.idle = len(fresh) == 0
		if f.idle {
			f.slowDown()
		} else {
			f.interval = f.opts.MinInterval
			f.idlePolls = 0
		}
		f.wait = f.interval
	}
	if len(fresh) > 0 {
		f.closed = closes(fresh[len(fresh)-1].Type)
	}
	// The closing event may end a full page; it is over only once the page after
	// it is known to be the last.
	f.done = f.closed && out.NextToken == nil
	return Polled{Events: fresh, Wait: f.wait, Done: f.done}, nil
}

// checkEvery is how many idle polls pass between two checks of the execution's status:
// DescribeExecution is what says an execution has ended, whatever the history pages or
// probes of an endpoint say.
const checkEvery = 4

// checkEnd asks DescribeExecution whether the execution is still running. When it is
// not and no closing event was seen, the history is read again from its first page,
// without probes (the endpoint's answers to them cannot be trusted); when even that
// shows no close, following ends there. decided reports that the poll ends with p.
func (f *Follower) checkEnd(ctx context.Context) (p Polled, err error, decided bool) {
	cctx, cancel := context.WithTimeout(ctx, f.opts.CallTimeout)
	defer cancel()
	f.Calls++
	d, err := f.describer.DescribeExecution(cctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(f.arn)})
	if err != nil {
		if ctx.Err() != nil {
			return Polled{}, ctx.Err(), true
		}
		p, err := f.failed(err)
		return p, err, true
	}
	if d.Status == types.ExecutionStatusRunning || d.Status == types.ExecutionStatusPendingRedrive {
		return Polled{}, nil, false
	}
	if f.rereads > 0 {
		// Read from the start once already: this endpoint's history never shows
		// the end. Stop; the status is the caller's to show.
		f.done = true
		return Polled{Done: true}, nil, true
	}
	f.rereads++
	f.noProbe, f.pageToken, f.polled, f.wait = true, nil, false, 0
	return Polled{}, nil, true
}

// failed turns an error into a retry after a backoff, or into the error that ends
// following.
func (f *Follower) failed(err error) (Polled, error) {
	if !transient(err) {
		return Polled{}, fmt.Errorf("following %s: %w", f.arn, err)
	}
	f.wait = f.errs.next()
	return Polled{Retry: err, Wait: f.wait}, nil
}

// probeAfter is the size of the tail page from which an idle follower first asks for
// the newest event alone (one event, without data) rather than re-reading the page.
const probeAfter = 100

// probe reports whether the history has an event newer than the last delivered. An
// endpoint that ignores reverseOrder or maxResults is caught here, and not probed again.
func (f *Follower) probe(ctx context.Context) (bool, error) {
	out, err := f.get(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(f.arn),
		MaxResults: 1, ReverseOrder: true, IncludeExecutionData: aws.Bool(false)})
	if err != nil {
		return false, err
	}
	if len(out.Events) != 1 || out.Events[0].Id < f.lastID {
		// Not the one newest event: the endpoint ignored the parameters.
		f.noProbe = true
		return true, nil
	}
	return out.Events[0].Id > f.lastID, nil
}

func (f *Follower) slowDown() {
	f.interval += f.interval / 2
	if f.interval > f.opts.MaxInterval {
		f.interval = f.opts.MaxInterval
	}
}

// get makes one GetExecutionHistory call, bounded by the call time-out.
func (f *Follower) get(ctx context.Context, in *sfn.GetExecutionHistoryInput) (*sfn.GetExecutionHistoryOutput, error) {
	f.Calls++
	cctx, cancel := context.WithTimeout(ctx, f.opts.CallTimeout)
	defer cancel()
	out, err := f.api.GetExecutionHistory(cctx, in)
	if err != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return out, err
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
// the network, a time-out. A client fault (no such execution, bad ARN, access denied)
// will not.
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
	// The connection failed while the answer was read (its status may be 200): the
	// network, not the request.
	var netErr *net.OpError
	if errors.As(err, &netErr) || errors.Is(err, net.ErrClosed) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var resp *smithyhttp.ResponseError
	if errors.As(err, &resp) {
		code := resp.HTTPStatusCode()
		// No status at all: no response came (connection refused or reset, a
		// time-out, DNS); the SDK wraps those in a ResponseError too.
		return code == 0 || code == 429 || code >= 500
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
