package service

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/store"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// faultyDisk fails commits at random, with the error a full disk gives.
type faultyDisk struct {
	mu     sync.Mutex
	rng    *rand.Rand
	rate   float64 // the chance that a commit fails
	failed int
}

func (d *faultyDisk) beforeCommit() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.rng.Float64() < d.rate {
		d.failed++
		return fmt.Errorf("write stepdeck.db: %w", syscall.ENOSPC)
	}
	return nil
}

func (d *faultyDisk) set(rate float64) {
	d.mu.Lock()
	d.rate = rate
	d.mu.Unlock()
}

// faultDef waits (a timer that fires while commits fail), runs a handler (an outcome
// posted to the loop), then waits for its token (SendTaskSuccess).
const faultDef = `{"StartAt":"Nap","States":{
 "Nap":{"Type":"Wait","Seconds":1,"Next":"Work"},
 "Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:work","Next":"Ask"},
 "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"t.$":"$$.Task.Token"},"End":true}}}`

// TestFailedCommitsAcknowledgeNothing fails commits at random while executions start,
// wait, run a handler and are answered. Every call that failed must have left no trace
// and be answerable again; every call acknowledged must be in the file, read back after
// the service is closed; and once commits succeed again every execution must finish.
func TestFailedCommitsAcknowledgeNothing(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { failedCommits(t, seed) })
	}
}

func failedCommits(t *testing.T, seed uint64) {
	path := filepath.Join(t.TempDir(), "stepdeck.db")
	disk := &faultyDisk{rng: rand.New(rand.NewPCG(seed, 16))}
	st, err := store.Open(path, store.Options{NoSync: true, BeforeCommit: disk.beforeCommit})
	if err != nil {
		t.Fatal(err)
	}
	reg := &engine.Registry{}
	reg.Handle("arn:aws:lambda:*", func(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
		return value.ObjectOf("ok", true), nil
	})
	s, err := New(Config{Store: st, TimeScale: 0.02, Clock: engine.RealClock{}, Handlers: reg})
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			s.Close()
			st.Close()
		}
	}()
	m := createMachine(t, s, "faults", faultDef, "")
	// A reference run with no fault: every execution's history must read as its does.
	ref, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Name: aws.String("reference")})
	if err != nil {
		t.Fatal(err)
	}
	refArn := aws.ToString(ref.ExecutionArn)
	for s.tokenFor(refArn) == "" {
		time.Sleep(time.Millisecond)
	}
	if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(s.tokenFor(refArn)), Output: aws.String(`{}`)}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, refArn)
	refEvents := eventTypes(t, s, refArn)

	stored := func(err error) bool {
		var se *storeError
		return errors.As(err, &se) && errors.Is(err, syscall.ENOSPC)
	}
	notThere := func(a string) {
		t.Helper()
		_, err := s.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(a)})
		var dne *types.ExecutionDoesNotExist
		if !errors.As(err, &dne) {
			t.Fatalf("a start that failed left %s behind (DescribeExecution: %v)", a, err)
		}
	}

	disk.set(0.3)
	const n = 40
	var acked []string     // executions whose start was acknowledged
	var abandoned []string // executions whose only start failed
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("run-%02d", i)
		a := "arn:aws:states:us-east-1:123456789012:execution:faults:" + name
		for {
			// Three callers start it at once, as an SDK's retries can: their calls
			// often share a commit, and one may find the start another made.
			errs := make([]error, 3)
			var wg sync.WaitGroup
			for k := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[k] = s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Name: aws.String(name), Input: aws.String(`{}`)})
				}()
			}
			wg.Wait()
			ok := false
			for _, err := range errs {
				switch {
				case err == nil:
					ok = true
				case !stored(err):
					t.Fatalf("StartExecution %s: %v", name, err)
				}
			}
			if ok {
				acked = append(acked, a)
				break
			}
			notThere(a)
			if i%5 == 4 {
				abandoned = append(abandoned, a)
				break
			}
		}
	}

	// Answer every token as it appears, while commits still fail: a SendTaskSuccess
	// that failed leaves its token answerable.
	answered := map[string]bool{}
	deadline := time.Now().Add(20 * time.Second)
	for len(answered) < len(acked) && time.Now().Before(deadline) {
		if len(answered) >= len(acked)/2 {
			disk.set(0) // space is back: the rest must go on by itself
		}
		for _, a := range acked {
			if answered[a] {
				continue
			}
			tok := s.tokenFor(a)
			if tok == "" {
				continue
			}
			_, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(`{"done":true}`)})
			switch {
			case err == nil:
				answered[a] = true
			case stored(err):
				d, derr := s.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(a)})
				if derr != nil || d.Status != types.ExecutionStatusRunning {
					t.Fatalf("after a failed SendTaskSuccess %s is %v (%v), want RUNNING", a, d, derr)
				}
				// tokenFor answers "" when what it read was not stored (its turn's
				// commit failed too): ask until it knows.
				now := ""
				for try := 0; now == "" && try < 100; try++ {
					now = s.tokenFor(a)
				}
				if now != tok {
					t.Fatalf("a failed SendTaskSuccess took the token of %s", a)
				}
			default:
				t.Fatalf("SendTaskSuccess %s: %v", a, err)
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	if len(answered) < len(acked) {
		t.Fatalf("%d of %d executions reached their token in time", len(answered), len(acked))
	}
	for _, a := range acked {
		if d := waitFor(t, s, a); d.Status != types.ExecutionStatusSucceeded {
			t.Errorf("%s ended %s (%s: %s)", a, d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
		}
		if got := eventTypes(t, s, a); got != refEvents {
			t.Errorf("%s's history is %v, want %v", a, got, refEvents)
		}
	}
	t.Logf("seed %d: %d commits failed; %d starts acknowledged, %d abandoned", seed, disk.failed, len(acked), len(abandoned))
	if disk.failed == 0 {
		t.Fatal("no commit failed: the test tested nothing")
	}

	// Read the file back, as a restart would.
	s.Close()
	st.Close()
	closed = true
	st2, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	err = st2.View(func(tx *store.Tx) error {
		rows, _, err := tx.ListExecutions(store.ExecutionQuery{})
		if err != nil {
			return err
		}
		if len(rows) != len(acked)+1 {
			t.Errorf("the file holds %d executions, want the %d acknowledged and the reference", len(rows), len(acked))
		}
		for _, a := range acked {
			row, err := tx.GetExecution(a)
			if err != nil {
				t.Errorf("acknowledged %s is not in the file: %v", a, err)
				continue
			}
			if row.Status != string(types.ExecutionStatusSucceeded) {
				t.Errorf("%s is %s in the file", a, row.Status)
			}
			evs, err := tx.Events(a, 0, 0, false)
			if err != nil {
				return err
			}
			if want := len(strings.Fields(refEvents)); len(evs) != want {
				t.Errorf("%s has %d events in the file, want %d", a, len(evs), want)
			}
		}
		for _, a := range abandoned {
			if _, err := tx.GetExecution(a); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the failed start of %s is in the file (%v)", a, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// faultyService is a service on a store whose commits fail while disk.rate is 1.
func faultyService(t *testing.T, cfg Config) (*Service, *faultyDisk) {
	t.Helper()
	disk := &faultyDisk{rng: rand.New(rand.NewPCG(1, 2))}
	st, err := store.Open(filepath.Join(t.TempDir(), "stepdeck.db"), store.Options{NoSync: true, BeforeCommit: disk.beforeCommit})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store = st
	if cfg.Clock == nil {
		cfg.Clock = engine.RealClock{}
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		st.Close()
	})
	return s, disk
}

// TestWaitThatEndsOnAFullDiskGoesOnLater: a Wait whose end cannot be stored is tried
// again, and the execution goes on once commits succeed.
func TestWaitThatEndsOnAFullDiskGoesOnLater(t *testing.T) {
	s, disk := faultyService(t, Config{TimeScale: 0.05})
	m := createMachine(t, s, "napper", `{"StartAt":"Nap","States":{"Nap":{"Type":"Wait","Seconds":1,"Next":"Done"},"Done":{"Type":"Pass","End":true}}}`, "")
	a := startNamed(t, s, m, "nap")
	disk.set(1)
	time.Sleep(500 * time.Millisecond) // the 50ms Wait ends, and its commit fails again and again
	if got := eventTypes(t, s, a); got != "ExecutionStarted WaitStateEntered" {
		t.Fatalf("while the disk is full the history is %q", got)
	}
	disk.mu.Lock()
	failed := disk.failed
	disk.mu.Unlock()
	if failed < 2 {
		t.Fatalf("%d commits failed: the Wait's end was not tried again", failed)
	}
	disk.set(0)
	if d := waitFor(t, s, a); d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("ended %s", d.Status)
	}
}

// TestActivityTaskTakenOnAFullDiskStaysQueued: a worker whose GetActivityTask could not
// be stored gets an error, and the task waits for the next worker.
func TestActivityTaskTakenOnAFullDiskStaysQueued(t *testing.T) {
	s, disk := faultyService(t, Config{ActivityPoll: 200 * time.Millisecond})
	act := createActivity(t, s, "work")
	m := createMachine(t, s, "worked", activityDef(act, ""), "")
	a := startNamed(t, s, m, "job")
	time.Sleep(50 * time.Millisecond) // the task is scheduled and queued
	disk.set(1)
	if out, err := s.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(act), WorkerName: aws.String("w1")}); err == nil {
		t.Fatalf("a worker got %+v though its taking the task was not stored", out)
	}
	disk.set(0)
	out, err := s.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(act), WorkerName: aws.String("w2")})
	if err != nil || out.TaskToken == nil {
		t.Fatalf("the next worker got %+v, %v; want the task", out, err)
	}
	if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: out.TaskToken, Output: aws.String(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if d := waitFor(t, s, a); d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("ended %s", d.Status)
	}
	if h := eventTypes(t, s, a); strings.Count(h, "ActivityStarted") != 1 {
		t.Fatalf("history %q: the failed take left an ActivityStarted", h)
	}
}

// TestFailedCommitsWithChildrenAndWorkers: commits fail at random while parents start
// children (.sync:2), the children wait, and activity workers take and answer tasks.
// Once commits succeed again, every parent succeeds with the history of a run without
// faults, and each has exactly one child: no start that failed left one behind.
func TestFailedCommitsWithChildrenAndWorkers(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { childrenAndWorkers(t, seed) })
	}
}

func childrenAndWorkers(t *testing.T, seed uint64) {
	s, disk := faultyService(t, Config{TimeScale: 0.02, ActivityPoll: 50 * time.Millisecond})
	disk.rng = rand.New(rand.NewPCG(seed, 99))
	act := createActivity(t, s, "review")
	kid := createMachine(t, s, "kid", `{"StartAt":"Nap","States":{"Nap":{"Type":"Wait","Seconds":1,"Next":"P"},"P":{"Type":"Pass","End":true}}}`, "")
	parent := createMachine(t, s, "parent", `{"StartAt":"Child","States":{
		"Child":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","Parameters":{"StateMachineArn":"`+kid+`"},"Next":"Review"},
		"Review":{"Type":"Task","Resource":"`+act+`","End":true}}}`, "")
	stored := func(err error) bool {
		var se *storeError
		return errors.As(err, &se)
	}
	workCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for workCtx.Err() == nil {
				out, err := s.GetActivityTask(workCtx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(act)})
				if err != nil || out.TaskToken == nil {
					continue // a take that was not stored, or no task: poll again
				}
				for {
					_, err := s.SendTaskSuccess(workCtx, &sfn.SendTaskSuccessInput{TaskToken: out.TaskToken, Output: aws.String(`{"ok":true}`)})
					if err == nil || workCtx.Err() != nil {
						break
					}
					if !stored(err) {
						errs <- fmt.Errorf("SendTaskSuccess: %w", err)
						return
					}
				}
			}
		}()
	}
	defer func() {
		stop()
		wg.Wait()
	}()

	ref := startNamed(t, s, parent, "reference")
	waitFor(t, s, ref)
	refEvents := eventTypes(t, s, ref)

	disk.set(0.3)
	const n = 20
	var parents []string
	for i := 0; i < n; i++ {
		for {
			out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(parent), Name: aws.String(fmt.Sprintf("p%02d", i))})
			if err == nil {
				parents = append(parents, aws.ToString(out.ExecutionArn))
				break
			}
			if !stored(err) {
				t.Fatal(err)
			}
		}
	}
	time.Sleep(200 * time.Millisecond) // children wait, workers work, commits fail
	disk.set(0)
	for _, p := range parents {
		d := waitFor(t, s, p)
		if d.Status != types.ExecutionStatusSucceeded {
			t.Errorf("%s ended %s (%s: %s)", p, d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
		}
		if got := eventTypes(t, s, p); got != refEvents {
			t.Errorf("%s's history is %q, want %q", p, got, refEvents)
		}
	}
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
	kids, err := s.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(kid), MaxResults: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(kids.Executions) != n+1 {
		t.Errorf("%d child executions for %d parents", len(kids.Executions), n+1)
	}
	for _, k := range kids.Executions {
		if k.Status != types.ExecutionStatusSucceeded {
			t.Errorf("child %s is %s", aws.ToString(k.ExecutionArn), k.Status)
		}
	}
	disk.mu.Lock()
	t.Logf("seed %d: %d commits failed", seed, disk.failed)
	disk.mu.Unlock()
}

// TestExpressCallsStandOnAFullDisk: EXPRESS executions are never stored, so a failed
// commit of other work in the same turn does not fail them.
func TestExpressCallsStandOnAFullDisk(t *testing.T) {
	s, disk := faultyService(t, Config{})
	express := createMachine(t, s, "quick", passDef, types.StateMachineTypeExpress)
	standard := createMachine(t, s, "stored", passDef, "")
	disk.set(1)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() { // STANDARD starts keep the turns writing, and failing
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			_, _ = s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(standard)})
		}
	}()
	for i := 0; i < 200; i++ {
		out, err := s.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(express), Input: aws.String(`{"i":1}`)})
		if err != nil || out.Status != types.SyncExecutionStatusSucceeded {
			t.Fatalf("StartSyncExecution on a full disk: %v, %v", out, err)
		}
	}
	close(stop)
	wg.Wait()
	disk.mu.Lock()
	defer disk.mu.Unlock()
	if disk.failed == 0 {
		t.Fatal("no commit failed")
	}
}
