// Package service is the Step Functions API over the local engine and its store. Its
// methods have the signatures of the AWS SDK's *sfn.Client and return the SDK's types
// and error types, so the UI, the HTTP server and tests use it exactly as they would use
// AWS.
//
// One goroutine (the loop) owns every running execution: API calls that change
// something, task outcomes and timers all become jobs it runs in turn. Each turn of the
// loop commits what its jobs changed in one store transaction (group commit) before it
// answers them, so an acknowledged call is durable, and only then hands tasks to their
// handlers. If the commit fails, what the turn changed is undone (see rollback.go), so a
// call that failed leaves no trace. A waiting execution is data in memory and in the store: no goroutine waits
// for it.
package service

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/ids"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// Config sets up a Service.
type Config struct {
	Store    *store.Store
	Location arn.Location // defaults to arn.Local
	Clock    engine.Clock // defaults to the wall clock
	// TimeScale multiplies Wait and retry delays: 1 is real time, 0 passes them at once.
	TimeScale float64
	// Handlers run Task states in process (command handlers, Lambda, tests).
	Handlers *engine.Registry
	// Mocks answers Task states from a mock config file, by test case.
	Mocks TaskMocks
	// DefaultTestCase is the test case of executions started without "#TestCase", for
	// the state machines the mock config has it for (a stepdeck extension: it lets the
	// bundled examples run out of the box while other machines run as they are).
	DefaultTestCase string
	// ActivityPoll is how long GetActivityTask waits for a task; 0 means
	// DefaultActivityPoll.
	ActivityPoll time.Duration
	// Retention is how long a closed execution is kept after it stops (AWS keeps
	// closed STANDARD executions DefaultRetention); 0 keeps them for ever.
	Retention time.Duration
}

// ErrClosed is returned by calls made after Close.
var ErrClosed = errors.New("the local Step Functions service is closed")

// Service is the local Step Functions API.
type Service struct {
	cfg   Config
	st    *store.Store
	loc   arn.Location
	clock engine.Clock

	inbox chan job
	quit  chan struct{}
	// ctx is cancelled by Close: every task's work runs under it.
	ctx     context.Context
	stopAll context.CancelFunc
	// tasks runs the work of tasks (handlers, nested starts) off the loop; each task's
	// context ends when the engine gives it up or the service closes.
	tasks *engine.Tasks
	// workers counts the other goroutines Close waits for (retention sweeps).
	workers sync.WaitGroup
	done    chan struct{}
	closed  sync.Once
	// draining is closed by Drain.
	draining  chan struct{}
	drainOnce sync.Once

	defsMu sync.Mutex
	defs   map[string]*asl.Definition // parsed definitions by hash

	activities activityIndex

	// Owned by the loop goroutine.
	live        map[string]*liveExec
	timers      timerHeap
	tokens      map[string]*tokenRecord
	runnable    []string // executions whose last step left work ready (Result.More)
	actQueues   activityQueues
	nested      map[string][]nestedWait // parents waiting on a child, by child ARN
	nestedChild map[nestedTask]string   // the child a parent's task waits on
	// deferred is work the loop gave itself outside a turn (while handing tasks out),
	// run at the start of the next: posting it would wait on the loop's own inbox. Work
	// whose commit failed waits here too, to be tried again.
	deferred []func(b *batch) error
	// After a failed commit, internal work (deferred work, timers, ready executions)
	// waits until retryAt, and retryDelay grows with each failure in a row.
	retryAt    time.Time
	retryDelay time.Duration
	// unloaded are executions a failed commit left to read back from the store, when
	// that read failed too.
	unloaded map[string]bool
}

// job is work for the loop. It returns the error for its caller; the loop adds the
// commit's error. internal marks a job nobody waits for (a task outcome): when its
// turn's commit fails, the loop runs it again rather than answering it.
type job struct {
	fn       func(b *batch) error
	done     chan error
	internal bool
}

// New starts the service and resumes every execution the store holds as running.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("service: a store is required")
	}
	if cfg.Location.Region == "" {
		cfg.Location = arn.Local
	}
	if cfg.Clock == nil {
		cfg.Clock = engine.RealClock{}
	}
	if cfg.Handlers == nil {
		cfg.Handlers = &engine.Registry{}
	}
	s := &Service{cfg: cfg, st: cfg.Store, loc: cfg.Location, clock: cfg.Clock,
		inbox: make(chan job, 1024), quit: make(chan struct{}), done: make(chan struct{}), draining: make(chan struct{}),
		defs: map[string]*asl.Definition{}, live: map[string]*liveExec{}, tokens: map[string]*tokenRecord{}}
	s.ctx, s.stopAll = context.WithCancel(context.Background())
	s.tasks = engine.NewTasks(s.ctx)
	if _, virtual := s.clock.(*engine.VirtualClock); virtual {
		// The loop holds a virtual clock still while task work is in flight; once the
		// last of it settles, it must look at its timers again.
		s.tasks.Settled = func() {
			select {
			case s.inbox <- job{fn: func(*batch) error { return nil }, done: make(chan error, 1), internal: true}:
			default: // the inbox is busy: the loop will turn anyway
			}
		}
	}
	if err := s.loadActivities(); err != nil {
		return nil, fmt.Errorf("reading the activities of %s: %w", s.st.Path(), err)
	}
	if err := s.recover(); err != nil {
		return nil, err
	}
	lost, err := s.loadNested()
	if err != nil {
		return nil, fmt.Errorf("reading the nested executions of %s: %w", s.st.Path(), err)
	}
	go s.loop()
	for _, f := range lost {
		go f()
	}
	if cfg.Retention > 0 {
		s.workers.Add(1)
		go s.sweepLoop()
	}
	return s, nil
}

// Close stops the loop and the tasks under way (a command handler's whole process
// group is killed), waiting up to closeWait for their work to end. Running executions
// stay in the store and resume on the next New, where their tasks run again.
func (s *Service) Close() error {
	s.closed.Do(func() {
		s.stopAll()
		close(s.quit)
	})
	<-s.done
	ended := make(chan struct{})
	go func() {
		s.tasks.Wait()
		s.workers.Wait()
		close(ended)
	}()
	select {
	case <-ended:
	case <-time.After(closeWait):
	}
	return nil
}

// closeWait bounds how long Close waits for cancelled task work: a handler that ignores
// its context must not hold the process.
const closeWait = 5 * time.Second

// do runs fn on the loop and waits until its changes are committed.
func (s *Service) do(ctx context.Context, fn func(b *batch) error) error {
	j := job{fn: fn, done: make(chan error, 1)}
	select {
	case s.inbox <- j:
	case <-s.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-j.done:
		return err
	case <-s.done:
		return ErrClosed
	}
}

// post hands the loop work nobody waits for (a task outcome).
func (s *Service) post(fn func(b *batch) error) {
	select {
	case s.inbox <- job{fn: fn, done: make(chan error, 1), internal: true}:
	case <-s.quit:
	}
}

const maxJobsPerTurn = 512

func (s *Service) loop() {
	defer close(s.done)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	s.armTimer(timer) // for the timers and ready work of recovered executions
	for {
		var jobs []job
		select {
		case j := <-s.inbox:
			jobs = append(jobs, j)
		more:
			for len(jobs) < maxJobsPerTurn {
				select {
				case j := <-s.inbox:
					jobs = append(jobs, j)
				default:
					break more
				}
			}
		case <-timer.C:
		case <-s.quit:
			return
		}
		s.turn(jobs)
		s.armTimer(timer)
	}
}

// turn runs one turn of the loop: the jobs, the work the loop gave itself, the timers
// that are due, then one commit for all of it. Each piece runs as a unit of the batch,
// so that when the commit fails, what the units that wrote did is undone (see
// rollback) and every caller whose change was not stored gets an error.
func (s *Service) turn(jobs []job) {
	b := &batch{}
	if len(s.unloaded) > 0 {
		s.reload(s.unloaded)
	}
	deferred := s.deferred
	s.deferred = nil
	for _, f := range deferred {
		b.run(f, true)
	}
	errs := make([]error, len(jobs))
	units := make([]*unit, len(jobs))
	for i, j := range jobs {
		errs[i], units[i] = b.run(j.fn, j.internal)
	}
	s.fireTimers(b)
	s.runReady(b)
	var commitErr error
	if len(b.writes) > 0 {
		commitErr = s.st.Update(func(tx *store.Tx) error {
			for _, w := range b.writes {
				if err := w(tx); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if commitErr != nil {
		s.rollback(b)
		s.backOff()
	} else if len(b.writes) > 0 {
		s.retryDelay = 0
	}
	for i, j := range jobs {
		if errs[i] == nil && commitErr != nil && units[i].undone {
			errs[i] = &storeError{commitErr}
		}
		j.done <- errs[i] // an internal job's is read by nobody: rollback retries it
	}
	for _, a := range b.after {
		if a.runs() {
			a.f()
		}
	}
}

// armTimer sets the loop's timer to the earliest pending engine timer.
func (s *Service) armTimer(t *time.Timer) {
	if !t.Stop() {
		select {
		case <-t.C:
		default:
		}
	}
	d := time.Hour
	if len(s.timers) > 0 {
		d = time.Until(s.timers[0].At)
		if _, virtual := s.clock.(*engine.VirtualClock); virtual {
			// The clock jumps at once, unless task work is under way: its outcome
			// wakes the loop through the inbox.
			d = 0
			if s.tasks.InFlight() > 0 {
				d = time.Hour
			}
		}
		if d < 0 {
			d = 0
		}
	}
	if len(s.runnable) > 0 || len(s.deferred) > 0 || len(s.unloaded) > 0 {
		d = 0
	}
	if wait := time.Until(s.retryAt); wait > d {
		d = wait // a commit failed: internal work waits before it is tried again
	}
	t.Reset(d)
}

// fireTimers delivers every engine timer that is due.
func (s *Service) fireTimers(b *batch) {
	for len(s.timers) > 0 {
		next := s.timers[0]
		now := s.clock.Now()
		if vc, ok := s.clock.(*engine.VirtualClock); ok {
			// A virtual clock jumps to the next timer once nothing else is going on.
			if len(s.inbox) > 0 || len(s.runnable) > 0 || b.tasks > 0 || s.tasks.InFlight() > 0 {
				return
			}
			_ = vc.SleepUntil(context.Background(), next.At)
			now = vc.Now()
		}
		if next.At.After(now) {
			return
		}
		heap.Pop(&s.timers)
		le := s.live[next.Exec]
		if le == nil {
			continue
		}
		in := engine.Input{Kind: engine.InputTimer, Frame: next.Frame, Seq: next.Seq, Purpose: next.Purpose}
		// Undone, a timer comes back with its execution's state (rollback rearms it).
		b.run(func(b *batch) error {
			s.apply(b, le, le.x.Advance(in, now))
			return nil
		}, false)
	}
}

// runReady goes on with executions that stopped on their step budget.
func (s *Service) runReady(b *batch) {
	ready := s.runnable
	s.runnable = nil
	for _, a := range ready {
		if le := s.live[a]; le != nil {
			b.run(func(b *batch) error {
				s.apply(b, le, le.x.Resume(s.clock.Now()))
				return nil
			}, false)
		}
	}
}

func (s *Service) engineOptions(typ string) engine.Options {
	o := engine.Options{RecordHistory: true, TimeScale: s.cfg.TimeScale, Rand: rand.Float64, NewToken: ids.TaskToken,
		ActivityExists: s.activityExists}
	if typ == "STANDARD" {
		o.HistoryLimit = engine.MaxHistoryEvents
	}
	return o
}

// definition parses a definition once per distinct text.
func (s *Service) definition(text, typ string) (*asl.Definition, string, error) {
	h := definitionHash(typ + "\x00" + text)
	s.defsMu.Lock()
	d, ok := s.defs[h]
	s.defsMu.Unlock()
	if ok {
		return d, h, nil
	}
	d, err := asl.ParseFor([]byte(text), typ)
	if err != nil {
		return nil, "", err
	}
	s.defsMu.Lock()
	if len(s.defs) >= maxCachedDefinitions {
		// Make room by forgetting any one: executions keep the definitions they run,
		// and a forgotten text is parsed again when next needed.
		for k := range s.defs {
			delete(s.defs, k)
			break
		}
	}
	s.defs[h] = d
	s.defsMu.Unlock()
	return d, h, nil
}

// maxCachedDefinitions bounds the parsed definitions kept, so that a client creating
// machine after machine cannot grow the process without limit.
const maxCachedDefinitions = 512

// timerEntry is an engine timer the loop keeps.
type timerEntry struct {
	engine.Command
	Exec string
}

type timerHeap []timerEntry

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].At.Before(h[j].At) }
func (h timerHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)        { *h = append(*h, x.(timerEntry)) }
func (h *timerHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
