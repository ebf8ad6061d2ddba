package client

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/middleware"
)

// Budget is the one request budget every AWS call of the app goes through: a token
// bucket per API operation and one cap on the calls in flight. The published Step
// Functions quotas are token buckets per account and region, shared with the
// production workloads an operator is looking at, so the budget is set well under them
// (Quota.Share of each) and slows an operation down further each time AWS throttles it,
// recovering slowly once it stops.
//
// It sits in the SDK's middleware stack after the retry step, so each attempt, the
// SDK's own retries included, is counted and paced.
type Budget struct {
	mu     sync.Mutex
	limits Limits
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error // tests move a fake clock
	ops    map[string]*bucket
	slots  chan struct{}

	waiting, inFlight int
	calls             map[string]int
	throttles         int
}

// Limit is a token bucket: Rate calls a second on average, Burst at once.
type Limit struct {
	Rate  float64
	Burst float64
}

// Limits configure a Budget.
type Limits struct {
	// Ops are the limits by operation name ("ListExecutions"); others get Default.
	Ops     map[string]Limit
	Default Limit
	// Concurrency caps the calls in flight at once (background and foreground alike).
	Concurrency int
}

// quotas are Step Functions' published API throttling quotas (bucket size, refill rate
// per second) in the regions with the lower figures; the three large regions have the
// same or higher. Per account and region, shared with everything else that calls the
// API there.
var quotas = map[string]Limit{
	"CreateActivity":                   {1, 100},
	"CreateStateMachine":               {1, 100},
	"DeleteActivity":                   {1, 100},
	"DeleteStateMachine":               {1, 100},
	"DescribeActivity":                 {1, 200},
	"DescribeExecution":                {10, 250},
	"DescribeStateMachine":             {20, 200},
	"DescribeStateMachineForExecution": {1, 200},
	"GetActivityTask":                  {300, 1500},
	"GetExecutionHistory":              {20, 400},
	"ListActivities":                   {5, 100},
	"ListExecutions":                   {2, 100},
	"ListStateMachines":                {5, 100},
	"ListTagsForResource":              {1, 100},
	"SendTaskFailure":                  {300, 1500},
	"SendTaskHeartbeat":                {300, 1500},
	"SendTaskSuccess":                  {300, 1500},
	"StartExecution":                   {150, 800},
	"StopExecution":                    {25, 500},
	"UpdateStateMachine":               {1, 100},
}

// DefaultShare is the part of each published quota the budget uses by default.
const DefaultShare = 0.5

// DefaultLimits are share of each published quota (DefaultShare when share is 0), at
// most 8 calls in flight, and 1 call a second (burst 10) for operations with no
// published quota.
func DefaultLimits(share float64) Limits {
	if share <= 0 || share > 1 {
		share = DefaultShare
	}
	l := Limits{Ops: map[string]Limit{}, Default: Limit{Rate: 1, Burst: 10}, Concurrency: 8}
	for op, q := range quotas {
		l.Ops[op] = Limit{Rate: q.Rate * share, Burst: max(1, q.Burst*share)}
	}
	return l
}

// bucket is one operation's token bucket. factor (in [minFactor, 1]) scales its rate:
// halved on each throttle, recovering by recoverStep every recoverEvery without one.
type bucket struct {
	limit     Limit
	tokens    float64
	last      time.Time
	factor    float64
	throttled time.Time // the last throttle, or the last recovery step since
}

const (
	minFactor    = 1.0 / 64
	recoverEvery = 10 * time.Second
	recoverStep  = 1.25
)

// NewBudget returns a budget with limits (DefaultLimits(0) for the zero Limits).
func NewBudget(limits Limits) *Budget {
	if limits.Ops == nil && limits.Default.Rate == 0 {
		limits = DefaultLimits(0)
	}
	if limits.Default.Rate <= 0 {
		limits.Default = Limit{Rate: 1, Burst: 10}
	}
	if limits.Concurrency <= 0 {
		limits.Concurrency = 8
	}
	return &Budget{limits: limits, now: time.Now, sleep: sleep, ops: map[string]*bucket{},
		slots: make(chan struct{}, limits.Concurrency), calls: map[string]int{}}
}

func (b *Budget) bucketOf(op string) *bucket {
	k := b.ops[op]
	if k == nil {
		lim, ok := b.limits.Ops[op]
		if !ok {
			lim = b.limits.Default
		}
		k = &bucket{limit: lim, tokens: lim.Burst, last: b.now(), factor: 1}
		b.ops[op] = k
	}
	return k
}

// refill brings a bucket up to now: tokens at its current rate, and a recovery step
// for each recoverEvery that passed without a throttle.
func (k *bucket) refill(now time.Time) {
	for k.factor < 1 && now.Sub(k.throttled) >= recoverEvery {
		k.factor = min(1, k.factor*recoverStep)
		k.throttled = k.throttled.Add(recoverEvery)
	}
	if d := now.Sub(k.last).Seconds(); d > 0 {
		k.tokens = min(k.limit.Burst, k.tokens+d*k.rate())
	}
	k.last = now
}

func (k *bucket) rate() float64 { return k.limit.Rate * k.factor }

// Wait blocks until op may be called: a token of its bucket and a slot in flight. It
// returns done, to be called with the call's error once it has returned.
func (b *Budget) Wait(ctx context.Context, op string) (done func(error), err error) {
	b.mu.Lock()
	k := b.bucketOf(op)
	k.refill(b.now())
	// A reservation: the token is taken now, possibly into debt, and the caller waits
	// for the debt to be paid; callers queue in the order they came.
	k.tokens--
	wait := time.Duration(0)
	if k.tokens < 0 {
		wait = time.Duration(-k.tokens / k.rate() * float64(time.Second))
	}
	b.waiting++
	b.mu.Unlock()

	giveBack := func() {
		b.mu.Lock()
		k.tokens = min(k.limit.Burst, k.tokens+1)
		b.waiting--
		b.mu.Unlock()
	}
	if wait > 0 {
		if err := b.sleep(ctx, wait); err != nil {
			giveBack()
			return nil, err
		}
	}
	select {
	case b.slots <- struct{}{}:
	case <-ctx.Done():
		giveBack()
		return nil, ctx.Err()
	}
	b.mu.Lock()
	b.waiting--
	b.inFlight++
	b.calls[op]++
	b.mu.Unlock()
	return func(err error) {
		<-b.slots
		b.mu.Lock()
		defer b.mu.Unlock()
		b.inFlight--
		if err != nil && retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err).Bool() {
			b.throttles++
			now := b.now()
			k.refill(now)
			k.factor = max(minFactor, k.factor/2)
			k.throttled = now
			// The bucket AWS keeps is empty: start this one empty too.
			k.tokens = min(k.tokens, 0)
		}
	}, nil
}

// Middleware adds the budget to an SDK client's stack (sfn.Options.APIOptions and the
// same for any other AWS client of the app).
func (b *Budget) Middleware(st *middleware.Stack) error {
	return st.Finalize.Insert(middleware.FinalizeMiddlewareFunc("StepdeckBudget",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			done, err := b.Wait(ctx, awsmiddleware.GetOperationName(ctx))
			if err != nil {
				return middleware.FinalizeOutput{}, middleware.Metadata{}, &HeldBack{Err: err}
			}
			out, md, err := next.HandleFinalize(ctx, in)
			done(err)
			return out, md, err
		}), "Retry", middleware.After)
}

// HeldBack is a call that never went out: its context ended while it waited its turn
// under the request budget.
type HeldBack struct{ Err error }

func (h *HeldBack) Error() string {
	return "not sent: the request budget held it back until its time ran out: " + h.Err.Error()
}

func (h *HeldBack) Unwrap() error { return h.Err }

// BudgetStatus is what the budget is doing now.
type BudgetStatus struct {
	Waiting, InFlight int
	// Slowed lists the operations running below their budget after throttling, with
	// their current rate in calls a second.
	Slowed    map[string]float64
	Throttles int
	Calls     map[string]int // calls made so far, by operation
}

// Status returns a snapshot.
func (b *Budget) Status() BudgetStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	s := BudgetStatus{Waiting: b.waiting, InFlight: b.inFlight, Throttles: b.throttles,
		Calls: make(map[string]int, len(b.calls))}
	for op, n := range b.calls {
		s.Calls[op] = n
	}
	for op, k := range b.ops {
		k.refill(now)
		if k.factor < 1 {
			if s.Slowed == nil {
				s.Slowed = map[string]float64{}
			}
			s.Slowed[op] = k.rate()
		}
	}
	return s
}

// Holding says, in a few words for the status line, how the budget is holding the app
// back ("" when it is not).
func (s BudgetStatus) Holding() string {
	var parts []string
	if len(s.Slowed) > 0 {
		ops := make([]string, 0, len(s.Slowed))
		for op := range s.Slowed {
			ops = append(ops, op)
		}
		sort.Strings(ops)
		var slowed []string
		for _, op := range ops {
			slowed = append(slowed, fmt.Sprintf("%s %s/s", op, trimRate(s.Slowed[op])))
		}
		parts = append(parts, "AWS throttled us: slowed "+strings.Join(slowed, ", "))
	}
	if s.Waiting > 0 {
		parts = append(parts, fmt.Sprintf("%d calls queued under the request budget", s.Waiting))
	}
	if len(parts) == 0 {
		return ""
	}
	return "holding back · " + strings.Join(parts, " · ")
}

func trimRate(r float64) string {
	if r >= 10 {
		return fmt.Sprintf("%.0f", r)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", r), "0"), ".")
}
