package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"
)

// fakeClock is a clock that only sleeping moves.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func fakeBudget(l Limits) (*Budget, *fakeClock) {
	clk := &fakeClock{t: time.Unix(1e9, 0)}
	b := NewBudget(l)
	b.now, b.sleep = clk.now, clk.sleep
	return b, clk
}

var throttled = &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}

func TestBudgetPacesAnOperation(t *testing.T) {
	b, clk := fakeBudget(Limits{Ops: map[string]Limit{"ListExecutions": {Rate: 2, Burst: 4}}})
	start := clk.now()
	for i := 0; i < 14; i++ {
		done, err := b.Wait(ctx, "ListExecutions")
		if err != nil {
			t.Fatal(err)
		}
		done(nil)
	}
	// 4 at once from the burst, then 10 more at 2 a second.
	if got := clk.now().Sub(start); got != 5*time.Second {
		t.Errorf("14 calls took %v, want 5s", got)
	}
	// Another operation has its own bucket (the default one): no wait.
	before := clk.now()
	done, _ := b.Wait(ctx, "DescribeExecution")
	done(nil)
	if clk.now() != before {
		t.Errorf("an operation waited on another's bucket")
	}
	if b.Status().Calls["ListExecutions"] != 14 {
		t.Errorf("calls %v", b.Status().Calls)
	}
}

func TestBudgetSlowsDownOnThrottlingAndRecoversSlowly(t *testing.T) {
	b, clk := fakeBudget(Limits{Ops: map[string]Limit{"GetExecutionHistory": {Rate: 8, Burst: 1}}})
	call := func(err error) {
		done, werr := b.Wait(ctx, "GetExecutionHistory")
		if werr != nil {
			t.Fatal(werr)
		}
		done(err)
	}
	call(throttled)
	call(throttled)
	if r := b.Status().Slowed["GetExecutionHistory"]; r != 2 {
		t.Fatalf("after two throttles the rate is %v, want 2", r)
	}
	if h := b.Status().Holding(); h == "" {
		t.Errorf("the status line does not say the budget is holding back")
	}
	// Paced at the slowed rate: a call every half second.
	before := clk.now()
	call(nil)
	call(nil)
	if d := clk.now().Sub(before); d < 500*time.Millisecond {
		t.Errorf("two calls at 2/s took %v", d)
	}
	// Recovery is slow: 10 s later it is up by a quarter, not back to 8.
	clk.sleep(ctx, recoverEvery)
	if r := b.Status().Slowed["GetExecutionHistory"]; r != 2.5 {
		t.Errorf("10 s after the throttle the rate is %v, want 2.5", r)
	}
	clk.sleep(ctx, 2*time.Minute)
	if s := b.Status(); len(s.Slowed) != 0 || s.Holding() != "" {
		t.Errorf("two minutes later still slowed: %+v", s)
	}
	if b.Status().Throttles != 2 {
		t.Errorf("throttles %d", b.Status().Throttles)
	}
}

func TestBudgetCapsCallsInFlight(t *testing.T) {
	b := NewBudget(Limits{Ops: map[string]Limit{}, Default: Limit{Rate: 1e6, Burst: 1e6}, Concurrency: 3})
	var in, most atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			done, err := b.Wait(ctx, "DescribeExecution")
			if err != nil {
				t.Error(err)
				return
			}
			n := in.Add(1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(2 * time.Millisecond)
			in.Add(-1)
			done(nil)
		}()
	}
	wg.Wait()
	if most.Load() > 3 || most.Load() < 2 {
		t.Errorf("at most %d in flight, want 3", most.Load())
	}
}

func TestBudgetWaitEndsWithItsContext(t *testing.T) {
	b := NewBudget(Limits{Ops: map[string]Limit{"ListExecutions": {Rate: 0.001, Burst: 1}}})
	done, _ := b.Wait(ctx, "ListExecutions")
	done(nil)
	c, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := b.Wait(c, "ListExecutions"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a wait of 1000 s ended with %v", err)
	}
	if s := b.Status(); s.Waiting != 0 || s.InFlight != 0 {
		t.Errorf("a cancelled wait left %+v", s)
	}
}

// Every attempt over HTTP goes through the budget, the SDK's own retries included, and a
// throttling answer slows the operation down.
func TestBudgetSeesEveryAttemptOverHTTP(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate exceeded"}`))
	}))
	defer srv.Close()
	isolateAWSEnv(t)
	budget := NewBudget(Limits{Ops: map[string]Limit{}, Default: Limit{Rate: 1000, Burst: 1000}})
	c, err := NewAWS(ctx, Options{Endpoint: srv.URL, MaxAttempts: 3, Budget: budget})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err == nil {
		t.Fatal("no error from a throttling endpoint")
	}
	s := budget.Status()
	if int64(s.Calls["ListStateMachines"]) != served.Load() || served.Load() != 3 {
		t.Errorf("budget counted %d calls, the server saw %d", s.Calls["ListStateMachines"], served.Load())
	}
	if s.Throttles != 3 || s.Slowed["ListStateMachines"] == 0 {
		t.Errorf("status after three throttles: %+v", s)
	}
}

// A call whose time runs out while the budget holds it back never goes out, and says so.
func TestBudgetHeldBackCallSaysSo(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { served.Add(1) }))
	defer srv.Close()
	isolateAWSEnv(t)
	budget := NewBudget(Limits{Ops: map[string]Limit{"ListStateMachines": {Rate: 0.001, Burst: 1}}})
	c, err := NewAWS(ctx, Options{Endpoint: srv.URL, MaxAttempts: 1, Budget: budget})
	if err != nil {
		t.Fatal(err)
	}
	done, _ := budget.Wait(ctx, "ListStateMachines") // the one token
	done(nil)
	short, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	_, err = c.ListStateMachines(short, &sfn.ListStateMachinesInput{})
	var held *HeldBack
	if !errors.As(err, &held) || served.Load() != 0 {
		t.Fatalf("err %v, %d calls served", err, served.Load())
	}
	if s := Explain(err).Summary; !strings.HasPrefix(s, "not sent: stepdeck's request budget held it back") {
		t.Errorf("%q", s)
	}
}
