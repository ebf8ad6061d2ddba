package client

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/client/faults"
	"github.com/stepdeck/stepdeck/interpreter/server"
	"github.com/stepdeck/stepdeck/interpreter/service"
)

const passDef = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`

// account fills the local service with machines, of which the first waiters are
// approvalDef (a token wait) and the rest cannot wait; each waiter gets one running
// execution waiting on its token. It returns the waiters' ARNs.
func account(t testing.TB, svc *service.Service, machines, waiters int) []string {
	t.Helper()
	var out []string
	for i := 0; i < machines; i++ {
		def := passDef
		if i < waiters {
			def = approvalDef
		}
		m, err := svc.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(fmt.Sprintf("m%03d", i)),
			Definition: aws.String(def), RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
		if err != nil {
			t.Fatal(err)
		}
		if i < waiters {
			out = append(out, aws.ToString(m.StateMachineArn))
			if _, err := svc.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Input: aws.String(`{}`)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

// stepUntil steps a scan until it has want callbacks, with a bound.
func stepUntil(t testing.TB, s *CallbackScan, want int) ScanResult {
	t.Helper()
	var r ScanResult
	failures := 0
	for i := 0; i < 200; i++ {
		var err error
		if r, err = s.Step(ctx); err != nil {
			// The screen tries a failed step again at its next turn; so does this,
			// a few times, for what the network may do (a connection closed while an
			// answer was read has been seen here under -race).
			if failures++; failures > 3 || !transient(err) {
				t.Fatal(err)
			}
			t.Logf("step failed, tried again: %v", err)
			continue
		}
		if r.Complete && len(r.Callbacks) >= want {
			return r
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("after 200 steps: %d callbacks, want %d: %+v", len(r.Callbacks), want, r)
	return r
}

func TestCallbackScanReadsOnlyMachinesThatCanWait(t *testing.T) {
	svc := newService(t)
	ep := &faults.Endpoint{Next: server.New(svc)}
	c := awsClient(t, ep)
	waiters := account(t, svc, 60, 3)
	denied := waiters[1]
	ep.Set(func(e *faults.Endpoint) {
		e.Rules = []*faults.Rule{{Op: "ListExecutions", BodyContains: denied, Status: 403}}
	})
	clock := time.Unix(1e9, 0)
	s := NewCallbackScan(c, ScanOptions{Now: func() time.Time { return clock }})
	r := stepUntil(t, s, 2)
	if len(r.Callbacks) != 2 || r.Machines != 60 || r.Described != 60 || r.CanWait != 3 {
		t.Fatalf("result: %+v", r)
	}
	for _, cb := range r.Callbacks {
		if cb.Token == "" || cb.StateMachineArn == denied || cb.StateName != "Approve" {
			t.Errorf("callback %+v", cb)
		}
	}
	// The denial is on its machine's row, naming what it needs.
	if len(r.Errors) != 1 || r.Errors[0].StateMachineArn != denied ||
		!strings.Contains(Explain(r.Errors[0].Err).Summary, "needs states:ListExecutions on "+denied) {
		t.Errorf("errors: %+v", r.Errors)
	}
	// Only the three machines that can wait were asked for executions; every machine
	// was described once and only once.
	if n := ep.Calls("ListExecutions"); n != 3 {
		t.Errorf("%d ListExecutions calls, want 3", n)
	}
	if n := ep.Calls("DescribeStateMachine"); n != 60 {
		t.Errorf("%d DescribeStateMachine calls, want 60", n)
	}
	if n := ep.Calls("DescribeStateMachineForExecution"); n != 0 {
		t.Errorf("%d DescribeStateMachineForExecution calls (its quota is 1 a second)", n)
	}

	// Nothing is due yet: a step makes no call.
	before := ep.Calls("")
	if _, err := s.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if ep.Calls("") != before {
		t.Errorf("a step with nothing due made %d calls", ep.Calls("")-before)
	}

	// Answer one: at its machine's next turn it is gone, the other stays, and the
	// history was not downloaded again from the start.
	answer(t, svc, r.Callbacks[0].Token)
	time.Sleep(50 * time.Millisecond)
	clock = clock.Add(time.Minute)
	r2, err := s.Step(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(r2.Callbacks) != 1 || r2.Callbacks[0].Token != r.Callbacks[1].Token {
		t.Errorf("after answering: %+v", r2.Callbacks)
	}

	// The denial lifted: its callback shows at its next turn.
	ep.Set(func(e *faults.Endpoint) { e.Rules = nil })
	clock = clock.Add(time.Minute)
	r3, err := s.Step(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(r3.Callbacks) != 2 || len(r3.Errors) != 0 {
		t.Errorf("after the denial lifted: %d callbacks, errors %+v", len(r3.Callbacks), r3.Errors)
	}
}

// idleCallsPerMinute runs a scan over an account for minutes of a fake clock, one step
// each time the scan says one is due, and returns the calls per minute after the first.
func idleCallsPerMinute(t testing.TB, machines, waiters, minutes int) (float64, int) {
	return idleCallsPerMinuteWith(t, machines, waiters, 0, minutes)
}

// idleCallsPerMinuteWith also starts extra running executions on the first waiter.
func idleCallsPerMinuteWith(t testing.TB, machines, waiters, extra, minutes int) (float64, int) {
	svc := newService(t)
	ep := &faults.Endpoint{Next: server.New(svc)}
	c := awsClient(t, ep)
	first := account(t, svc, machines, waiters)
	for i := 0; i < extra; i++ {
		if _, err := svc.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(first[0]), Input: aws.String(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	waiters += extra
	clock := time.Unix(1e9, 0)
	s := NewCallbackScan(c, ScanOptions{Now: func() time.Time { return clock }})
	r := stepUntil(t, s, waiters)
	firstCalls := ep.Calls("")
	// Left open for minutes: the second half is counted, once the cadences have
	// stretched as far as they go.
	step := func(until time.Time) {
		for clock.Before(until) {
			clock = clock.Add(max(r.Next, time.Second))
			var err error
			if r, err = s.Step(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	step(clock.Add(time.Duration(minutes/2) * time.Minute))
	settled := ep.Calls("")
	step(clock.Add(time.Duration(minutes-minutes/2) * time.Minute))
	return float64(ep.Calls("")-settled) / float64(minutes-minutes/2), firstCalls
}

// Left open on an account where nothing changes, the scan costs less and less.
func TestCallbackScanIdleCallRate(t *testing.T) {
	perMin, first := idleCallsPerMinute(t, 500, 5, 10)
	t.Logf("500 machines, 5 waiting: first scan %d calls, then %.1f calls a minute (minutes 5 to 10)", first, perMin)
	if perMin >= 30 {
		t.Errorf("%.1f calls a minute while idle, want under 30", perMin)
	}
	// A hundred more executions waiting on one machine: each history is read less and
	// less often (up to every 3 minutes), and the machine's listing sees them end.
	perMin, first = idleCallsPerMinuteWith(t, 500, 5, 100, 20)
	t.Logf("the same with 100 more executions waiting: first scan %d calls, then %.1f calls a minute (minutes 10 to 20)", first, perMin)
	if perMin >= 60 {
		t.Errorf("%.1f calls a minute while idle with 105 waiting executions, want under 60", perMin)
	}
}

// BenchmarkCallbackScanFirstOpen measures what an operator waits for on opening the
// callbacks screen: 500 machines of which 5 can wait on a token, 0.25 s a call, the
// default request budget. Reported: seconds until every waiting token is known, and the
// calls made. Run with -benchtime=1x (one run takes tens of seconds).
func BenchmarkCallbackScanFirstOpen(b *testing.B) {
	b.Run("share=0.5", func(b *testing.B) { benchFirstOpen(b, 0.5) })
	b.Run("share=1", func(b *testing.B) { benchFirstOpen(b, 1) })
}

func benchFirstOpen(b *testing.B, share float64) {
	for b.Loop() {
		b.StopTimer()
		svc := newService(b)
		ep := &faults.Endpoint{Next: server.New(svc), Latency: 250 * time.Millisecond}
		c := awsClientWith(b, ep, NewBudget(DefaultLimits(share)))
		account(b, svc, 500, 5)
		cache := &ScanCache{Path: filepath.Join(b.TempDir(), "cache.json")}
		b.StartTimer()
		start := time.Now()
		stepUntil(b, NewCallbackScan(c, ScanOptions{Cache: cache}), 5)
		b.ReportMetric(time.Since(start).Seconds(), "s-to-all-tokens")
		b.ReportMetric(float64(ep.Calls("")), "calls")
		// Opened again (the next run of stepdeck): the cache knows the definitions.
		before := ep.Calls("")
		start = time.Now()
		stepUntil(b, NewCallbackScan(c, ScanOptions{Cache: cache}), 5)
		b.ReportMetric(time.Since(start).Seconds(), "s-to-all-tokens-again")
		b.ReportMetric(float64(ep.Calls("")-before), "calls-again")
	}
}

func TestCallbackScanCacheSkipsDescribesOnTheNextOpen(t *testing.T) {
	svc := newService(t)
	ep := &faults.Endpoint{Next: server.New(svc)}
	c := awsClient(t, ep)
	account(t, svc, 40, 2)
	cache := &ScanCache{Path: filepath.Join(t.TempDir(), "stepdeck", "cache.json")}
	stepUntil(t, NewCallbackScan(c, ScanOptions{Cache: cache}), 2)
	if n := ep.Calls("DescribeStateMachine"); n != 40 {
		t.Fatalf("first open: %d describes", n)
	}
	// A machine added since is described; the others are not.
	account(t, svc, 0, 0)
	if _, err := svc.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("new"), Definition: aws.String(approvalDef),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r")}); err != nil {
		t.Fatal(err)
	}
	r := stepUntil(t, NewCallbackScan(c, ScanOptions{Cache: cache}), 2)
	if n := ep.Calls("DescribeStateMachine"); n != 41 || r.Machines != 41 || r.CanWait != 3 {
		t.Errorf("second open: %d describes in all, result %+v", n, r)
	}
	// An expired cache is read again.
	stale := &ScanCache{Path: cache.Path, MaxAge: time.Nanosecond}
	stepUntil(t, NewCallbackScan(c, ScanOptions{Cache: stale}), 2)
	if n := ep.Calls("DescribeStateMachine"); n != 82 {
		t.Errorf("after expiry: %d describes in all, want 82", n)
	}
}

// Express machines cannot wait on a token: they are not even described.
func TestCallbackScanSkipsExpressMachines(t *testing.T) {
	svc := newService(t)
	ep := &faults.Endpoint{Next: server.New(svc)}
	c := awsClient(t, ep)
	account(t, svc, 4, 1)
	for i := 0; i < 3; i++ {
		if _, err := svc.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(fmt.Sprintf("x%d", i)),
			Definition: aws.String(passDef), Type: "EXPRESS", RoleArn: aws.String("arn:aws:iam::123456789012:role/r")}); err != nil {
			t.Fatal(err)
		}
	}
	r := stepUntil(t, NewCallbackScan(c, ScanOptions{}), 1)
	if n := ep.Calls("DescribeStateMachine"); n != 4 || r.Machines != 7 || r.Described != 7 {
		t.Errorf("%d describes; result %+v", n, r)
	}
}
