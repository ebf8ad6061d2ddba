// Package debug runs one execution of a state machine under a debugger's control:
// breakpoints on states, break on errors and before retries, step, step over a Parallel
// or Map, continue, pause, edit a state's input before it runs, skip a Wait or a retry
// delay, answer tasks by hand, and restart from a state.
//
// It is a driver of the engine, not a second engine: the engine asks the session's gate
// before each state is entered (engine.Options.Gate), and the session holds the frames it
// turns away until told to go on. Tasks run on the registry the session is given (mocks,
// command handlers, a Lambda endpoint); a task nothing serves waits for an answer by
// hand, as does a .waitForTaskToken task.
package debug

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/ids"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Config says what to debug.
type Config struct {
	Definition *asl.Definition
	// Source is the definition's text; Name the state machine's name.
	Source string
	Name   string
	Input  value.Value
	// Tasks runs Task states. Build it with ByHand as its fallback (Registry.Default, or
	// the mocks' fallback) so that a task nothing serves waits for an answer by hand;
	// nil answers every task by hand.
	Tasks *engine.Registry
	// NewTasks, when set, makes Tasks afresh for each execution, New's and each
	// Restart's: mocks count invocations per execution, and a restart is a new one.
	NewTasks func() *engine.Registry
	// TimeScale multiplies Wait and retry delays (1 is real time, 0 no waiting).
	TimeScale float64
	// StartAt and Variables start the execution at a top-level state other than the
	// machine's first, with workflow variables already set (Restart).
	StartAt   string
	Variables *value.Object
	// Now is the clock; nil is the wall clock.
	Now func() time.Time
	// Breakpoints are set before the first state, and Conditions too (conditional
	// breakpoints, by state).
	Breakpoints []string
	Conditions  map[string]Condition
}

// Session is one execution under the debugger. Its methods are safe to call from any
// goroutine; Changed signals each change.
type Session struct {
	mu  sync.Mutex
	cfg Config
	x   *engine.Execution
	ctx context.Context
	end context.CancelFunc

	breakpoints  map[string]bool
	conditions   map[string]Condition // breakpoints that stop only when true
	runTo        string               // a one-time breakpoint (RunTo)
	breakOnError bool
	errorNames   map[string]bool // break only on these errors (empty: on any)
	breakOnRetry bool
	stepping     bool
	// over is the frame a step over waits for: its branches and iterations run free.
	over       int
	errorBreak bool
	scanned    int // events already looked at for failures
	reasons    map[int]string
	tasks      map[key]*Task // tasks waiting for an answer by hand
	work       *engine.Tasks // where handlers run
	timers     map[key]*Timer
	changed    chan struct{}
	tokens     map[string]string // the last task token of each state
	lastError  error
	flows      map[int64]*flowRun // by the Entered event of the run (flow.go)
}

type key struct {
	frame int
	seq   uint64
}

// Task is a task that waits for an answer by hand.
type Task struct {
	Frame    int
	Seq      uint64
	State    string
	Resource string
	Input    value.Value
	Token    string // the task token of a .waitForTaskToken task
	// Callback says the task's service call went through and it waits for its token.
	Callback bool
}

// Timer is a Wait or a retry delay that has not fired.
type Timer struct {
	Frame   int
	Seq     uint64
	State   string
	Purpose engine.TimerPurpose
	At      time.Time
	// Paused timers (a retry when breaking before retries) wait for Continue or Skip.
	Paused bool
	t      *time.Timer
}

// Held is a frame stopped before a state.
type Held struct {
	Frame  int
	State  string
	Input  value.Value
	Reason string // "breakpoint", "step", "error", "start"
	// Path names the branches and iterations the frame is in, outermost first
	// ("Par branch 1 › Each item 3"), empty at the top level; Iterations gives the
	// item index of each Map around it, by the Map's name.
	Path       string
	Iterations map[string]int
	// Vars are the workflow variables the state sees.
	Vars map[string]value.Value
}

// ErrByHand is what ByHand returns: the session turns it into a task answered by hand.
var ErrByHand = errors.New("answered by hand in the debugger")

// ByHand is the fallback handler of a debugging registry.
func ByHand(context.Context, *engine.TaskCall) (value.Value, error) { return nil, ErrByHand }

// New starts a session: the execution starts and stops before its first state.
func New(cfg Config) (*Session, error) {
	if cfg.Definition == nil {
		return nil, errors.New("no definition to debug")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Input == nil {
		cfg.Input = value.NewObject(0)
	}
	if cfg.Name == "" {
		cfg.Name = "debug"
	}
	if cfg.NewTasks != nil {
		cfg.Tasks = cfg.NewTasks()
	}
	def := cfg.Definition
	if cfg.StartAt != "" {
		if _, ok := def.States[cfg.StartAt]; !ok {
			return nil, fmt.Errorf("the state machine has no top-level state %q to start at", cfg.StartAt)
		}
		d := *def
		d.StartAt = cfg.StartAt
		def = &d
	}
	ctx, end := context.WithCancel(context.Background())
	s := &Session{cfg: cfg, ctx: ctx, end: end, work: engine.NewTasks(ctx), breakpoints: map[string]bool{}, conditions: map[string]Condition{}, stepping: true, over: -1,
		reasons: map[int]string{}, tokens: map[string]string{}, tasks: map[key]*Task{}, timers: map[key]*Timer{}, changed: make(chan struct{}, 1),
		breakOnError: true}
	for _, b := range cfg.Breakpoints {
		s.breakpoints[b] = true
	}
	for state, c := range cfg.Conditions {
		s.breakpoints[state], s.conditions[state] = true, c
	}
	now := cfg.Now()
	name := ids.UUID()
	machineArn := "arn:aws:states:us-east-1:123456789012:stateMachine:" + cfg.Name
	meta := engine.Meta{ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:" + cfg.Name + ":" + name, Name: name,
		StateMachineArn: machineArn, StateMachineName: cfg.Name, RoleArn: "arn:aws:iam::123456789012:role/stepdeck-debug",
		Region: "us-east-1", Type: types.StateMachineTypeStandard, StartTime: now, Input: value.String(cfg.Input)}
	s.x = engine.New(def, meta, cfg.Input, engine.Options{RecordHistory: true, HistoryLimit: engine.MaxHistoryEvents,
		TimeScale: cfg.TimeScale, NewToken: ids.TaskToken, Variables: cfg.Variables, Gate: s.gate, Flow: s.recordFlow})
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apply(s.x.Start(now))
	for _, id := range s.x.Held() {
		if s.reasons[id] == "step" {
			s.reasons[id] = "start"
		}
	}
	return s, nil
}

// Changed signals, without blocking, that the session changed.
func (s *Session) Changed() <-chan struct{} { return s.changed }

func (s *Session) notify() {
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

// Close stops the session's timers and tasks, and returns once the tasks' handlers
// have (a command handler's process group is killed).
func (s *Session) Close() {
	s.mu.Lock()
	s.end()
	for _, t := range s.timers {
		if t.t != nil {
			t.t.Stop()
		}
	}
	s.mu.Unlock()
	s.work.Wait() // outside the lock: a handler that returns takes it
}

// Definition is the definition being debugged.
func (s *Session) Definition() *asl.Definition { return s.x.Def }

// Config is what the session was started with.
func (s *Session) Config() Config { return s.cfg }

// gate runs inside the engine, under s.mu: it holds a frame at a breakpoint, after an
// error, and everywhere while stepping, but lets the branches and iterations of a
// frame being stepped over run.
func (s *Session) gate(f *engine.Frame) bool {
	s.scan()
	reason := ""
	stop, why := false, ""
	if s.breakpoints[f.State] {
		stop, why = s.holds(f)
	}
	if !stop && s.runTo != "" && f.State == s.runTo {
		stop, why = true, "run to here"
	}
	if stop && f.State == s.runTo {
		s.runTo = ""
	}
	switch {
	case stop:
		reason = why
	case s.errorBreak:
		reason = "error"
		s.errorBreak = false
		s.stepping = true
	case s.stepping:
		if s.over >= 0 && s.within(f, s.over) {
			return true
		}
		reason = "step"
	default:
		return true
	}
	if f.ID == s.over {
		s.over = -1
	}
	s.reasons[f.ID] = reason
	return false
}

// within reports whether f runs inside the frame id (a branch or iteration of it, at
// any depth).
func (s *Session) within(f *engine.Frame, id int) bool {
	for p := f.Parent; p >= 0; {
		if p == id {
			return true
		}
		pf := s.x.Frame(p)
		if pf == nil {
			return false
		}
		p = pf.Parent
	}
	return false
}

// scan looks at the events since the last scan for failures, to break on them.
func (s *Session) scan() {
	evs := s.x.History
	for ; s.scanned < len(evs); s.scanned++ {
		e := &evs[s.scanned]
		if !s.breakOnError || !isFailure(e.Type) {
			continue
		}
		if len(s.errorNames) > 0 {
			if name, _ := e.Error(); !s.errorNames[name] {
				continue
			}
		}
		s.errorBreak = true
	}
}

func isFailure(t types.HistoryEventType) bool {
	name := string(t)
	return strings.HasSuffix(name, "Failed") || strings.HasSuffix(name, "TimedOut")
}

// apply takes one engine result: it runs or parks tasks and starts timers. Called with
// s.mu held.
func (s *Session) apply(res *engine.Result) {
	for res != nil {
		// Failures first: a retry delay started for one is paused at the failure,
		// before the retry acts.
		s.scan()
		for _, c := range res.Commands {
			switch c.Kind {
			case engine.CmdStartTimer:
				s.startTimer(c)
			case engine.CmdInvokeTask:
				s.invoke(c)
			case engine.CmdCancelTask:
				delete(s.tasks, key{c.Frame, c.Seq})
				s.work.Cancel(engine.KeyOf("", c))
			}
		}
		s.scan()
		s.errorBreak = false // an error with no state after it to stop at
		if s.x.Done() {
			for k, t := range s.timers {
				if t.t != nil {
					t.t.Stop()
				}
				delete(s.timers, k)
			}
			s.tasks = map[key]*Task{}
		}
		if !res.More {
			break
		}
		res = s.x.Resume(s.cfg.Now())
	}
	s.notify()
}

func (s *Session) startTimer(c engine.Command) {
	if c.Frame == engine.ExecutionFrame {
		// The execution's own time limit is not enforced while debugging: a person
		// stepping through would always run over it.
		return
	}
	k := key{c.Frame, c.Seq}
	t := &Timer{Frame: c.Frame, Seq: c.Seq, Purpose: c.Purpose, At: c.At}
	if f := s.x.Frame(c.Frame); f != nil {
		t.State = f.State
	}
	s.timers[k] = t
	if c.Purpose == engine.TimerRetry && (s.breakOnRetry || s.errorBreak) {
		t.Paused = true
		s.stepping = true
		return
	}
	s.arm(k, t)
}

func (s *Session) arm(k key, t *Timer) {
	t.Paused = false
	t.t = time.AfterFunc(max(t.At.Sub(s.cfg.Now()), 0), func() { s.fire(k) })
}

// fire delivers a timer.
func (s *Session) fire(k key) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.timers[k]
	if t == nil || s.ctx.Err() != nil {
		return
	}
	delete(s.timers, k)
	s.apply(s.x.Advance(engine.Input{Kind: engine.InputTimer, Frame: t.Frame, Seq: t.Seq, Purpose: t.Purpose}, s.cfg.Now()))
}

func (s *Session) invoke(c engine.Command) {
	call := c.Task
	k := key{c.Frame, c.Seq}
	if call.Token != "" {
		s.tokens[call.StateName] = call.Token
	}
	byHand := func(callback bool) {
		s.tasks[k] = &Task{Frame: c.Frame, Seq: c.Seq, State: call.StateName, Resource: call.Resource, Input: call.Input,
			Token: call.Token, Callback: callback}
	}
	// A task with a token that nothing serves waits for that token, as in the service:
	// answering it by hand is answering the token.
	h, ok := s.cfg.Tasks.Lookup(call.Resource)
	if !ok {
		byHand(call.Token != "")
		return
	}
	s.work.Go(engine.KeyOf("", c), func(ctx context.Context) {
		in, err := engine.Invoke(ctx, h, c, true)
		s.mu.Lock()
		defer s.mu.Unlock()
		if ctx.Err() != nil || s.x.Done() {
			return // given up (a timeout, a lost branch), or the session ended
		}
		switch {
		case errors.Is(err, ErrByHand):
			byHand(call.Token != "")
			s.notify()
			return
		case in.Kind == engine.InputTaskSubmitted:
			byHand(true)
		default:
			s.dropTaskTimers(k)
		}
		s.apply(s.x.Advance(in, s.cfg.Now()))
	})
}

// dropTaskTimers stops the time limit and heartbeat limit of a task that has ended: left
// in place they would show, counting down, for a task that is over.
func (s *Session) dropTaskTimers(k key) {
	if t := s.timers[k]; t != nil && (t.Purpose == engine.TimerHeartbeat || t.Purpose == engine.TimerTaskTimeout) {
		if t.t != nil {
			t.t.Stop()
		}
		delete(s.timers, k)
	}
}

// History returns the events so far.
func (s *Session) History() []history.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.x.History[:len(s.x.History):len(s.x.History)]
}
