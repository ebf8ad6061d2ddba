package engine

import (
	"container/heap"
	"context"
	"errors"
	"path"
	"sync"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Handler runs a task in process. Returning a *failure.Error fails the task with that
// error name and cause; any other error fails it as States.TaskFailed.
type Handler func(ctx context.Context, call *TaskCall) (value.Value, error)

// Registry maps resources to handlers. A pattern is a resource ARN, or a path.Match
// pattern over it such as "arn:aws:states:::lambda:*".
type Registry struct {
	mu       sync.RWMutex
	patterns []string
	handlers map[string]Handler
	// Default serves every resource no pattern matches, when set (mocks use it to see
	// every task first and fall back to the patterns).
	Default Handler
}

// Handle registers h for resources matching pattern. Later registrations win.
func (r *Registry) Handle(pattern string, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.handlers == nil {
		r.handlers = map[string]Handler{}
	}
	if _, ok := r.handlers[pattern]; !ok {
		r.patterns = append(r.patterns, pattern)
	}
	r.handlers[pattern] = h
}

// Lookup finds the handler for a resource.
func (r *Registry) Lookup(resource string) (Handler, bool) {
	if r == nil {
		return nil, false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if h, ok := r.handlers[resource]; ok {
		return h, true
	}
	for i := len(r.patterns) - 1; i >= 0; i-- {
		if ok, _ := path.Match(r.patterns[i], resource); ok {
			return r.handlers[r.patterns[i]], true
		}
	}
	if r.Default != nil {
		return r.Default, true
	}
	return nil, false
}

// Serve runs a call with the handler that serves its resource, or fails it with
// NoHandlerError: the fallback of mocks that do not cover a state.
func (r *Registry) Serve(ctx context.Context, call *TaskCall) (value.Value, error) {
	if h, ok := r.Lookup(call.Resource); ok {
		return h(ctx, call)
	}
	return nil, NoHandlerError(call.Resource)
}

// Clock is the time a Runner lives in.
type Clock interface {
	Now() time.Time
	// SleepUntil returns once t has come, or with ctx's error.
	SleepUntil(ctx context.Context, t time.Time) error
}

// RealClock is the wall clock.
type RealClock struct{}

func (RealClock) Now() time.Time { return time.Now() }

func (RealClock) SleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// VirtualClock jumps straight to each timer: an execution that waits for a day finishes
// at once, with the timestamps it would have had.
type VirtualClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewVirtualClock starts a virtual clock at t.
func NewVirtualClock(t time.Time) *VirtualClock { return &VirtualClock{t: t} }

func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *VirtualClock) SleepUntil(ctx context.Context, t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
	return ctx.Err()
}

// Runner drives one execution to its end from the calling goroutine: it runs tasks
// with the registry's handlers (through Tasks and Invoke, as every driver does) and
// waits out timers on its clock. It is what `stepdeck run`, replay and
// the tests use. It takes no callbacks: nothing can answer a task token in a run of its
// own, so a task's handler gives the task's result.
type Runner struct {
	Clock    Clock
	Handlers *Registry
	// OnEvents, when set, sees each batch of new events as they happen.
	OnEvents func(*Result)
}

// NoHandlerError is the cause of a task that nothing can run.
func NoHandlerError(resource string) *failure.Error {
	return failure.Newf(failure.Runtime,
		"No local handler serves the resource '%s'. Mock it in a mock config file (--mock-config) or map it to a command (--handlers).", resource)
}

// Run starts the execution and drives it until it closes or ctx ends. Tasks still
// running then (the execution failed or was stopped around them) are cancelled.
//
// On the wall clock (RealClock) tasks run at once, each on its own goroutine, and their
// outcomes go in as they finish, while timers (a task's timeout, its heartbeat) fire.
// On any other clock (a virtual clock, a test's) time moves only when the runner moves
// it, so tasks take no time: each runs to its end when the engine asks for it, one at
// a time, and a run is the same each time.
func (r *Runner) Run(ctx context.Context, x *Execution) error {
	clock := r.Clock
	if clock == nil {
		clock = RealClock{}
	}
	_, concurrent := clock.(RealClock)
	tasks := NewTasks(ctx)
	defer tasks.Close()

	var (
		timers  timerHeap
		more    bool
		asked   []TaskKey // tasks whose outcome the engine waits for, in the order it asked
		mu      sync.Mutex
		results = map[TaskKey]Input{} // outcomes of finished tasks, under mu
		wake    = make(chan struct{}, 1)
	)
	deliver := func(k TaskKey, in Input) {
		mu.Lock()
		results[k] = in
		mu.Unlock()
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	handle := func(res *Result) {
		more = res.More
		if r.OnEvents != nil && len(res.Events) > 0 {
			r.OnEvents(res)
		}
		for _, c := range res.Commands {
			k := KeyOf("", c)
			switch c.Kind {
			case CmdStartTimer:
				heap.Push(&timers, c)
			case CmdInvokeTask:
				asked = append(asked, k)
				r.start(ctx, tasks, c, concurrent, func(in Input) { deliver(k, in) })
			case CmdCancelTask:
				tasks.Cancel(k)
				for i := range asked {
					if asked[i] == k {
						asked = append(asked[:i], asked[i+1:]...)
						break
					}
				}
			}
		}
	}
	// finished takes the outcome of the first task, in the order asked, that has one.
	finished := func() (Input, bool) {
		mu.Lock()
		defer mu.Unlock()
		for i, k := range asked {
			if in, ok := results[k]; ok {
				delete(results, k)
				asked = append(asked[:i], asked[i+1:]...)
				return in, true
			}
		}
		return Input{}, false
	}

	handle(x.Start(clock.Now()))
	for !x.Done() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if more {
			handle(x.Resume(clock.Now()))
			continue
		}
		if in, ok := finished(); ok {
			handle(x.Advance(in, clock.Now()))
			continue
		}
		if len(asked) == 0 && timers.Len() == 0 {
			return errors.New("the execution waits for something that will never come: no task or timer is pending")
		}
		if timers.Len() == 0 { // tasks are running (concurrent): wait for one
			select {
			case <-wake:
			case <-ctx.Done():
				return ctx.Err()
			}
			continue
		}
		fired, err := sleepUnlessWoken(ctx, clock, timers[0].At, wake, len(asked) > 0)
		if err != nil {
			return err
		}
		if fired {
			t := heap.Pop(&timers).(Command)
			handle(x.Advance(Input{Kind: InputTimer, Frame: t.Frame, Seq: t.Seq, Purpose: t.Purpose}, clock.Now()))
		}
	}
	return nil
}

// sleepUnlessWoken waits on the clock until at, or, when tasks are running, until one
// of them finishes (wake) first. fired says the time came.
func sleepUnlessWoken(ctx context.Context, clock Clock, at time.Time, wake <-chan struct{}, running bool) (fired bool, err error) {
	if !running {
		return true, clock.SleepUntil(ctx, at)
	}
	sleep, stop := context.WithCancel(ctx)
	defer stop()
	slept := make(chan error, 1)
	go func() { slept <- clock.SleepUntil(sleep, at) }()
	select {
	case err := <-slept:
		return true, err
	case <-wake:
		stop()
		<-slept
		return false, nil
	}
}

// start runs a task's handler, on its own goroutine when concurrent; deliver gets its
// outcome unless the task is cancelled first. A task nothing serves fails at once.
func (r *Runner) start(ctx context.Context, tasks *Tasks, c Command, concurrent bool, deliver func(Input)) {
	h, ok := r.Handlers.Lookup(c.Task.Resource)
	if !ok {
		in := FailedInput(NoHandlerError(c.Task.Resource))
		in.Frame, in.Seq = c.Frame, c.Seq
		deliver(in)
		return
	}
	if !concurrent {
		in, _ := Invoke(ctx, h, c, false)
		deliver(in)
		return
	}
	tasks.Go(KeyOf("", c), func(ctx context.Context) {
		in, _ := Invoke(ctx, h, c, false)
		if ctx.Err() == nil {
			deliver(in)
		}
	})
}

type timerHeap []Command

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].At.Equal(h[j].At) {
		return h[i].Frame < h[j].Frame
	}
	return h[i].At.Before(h[j].At)
}
func (h timerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)   { *h = append(*h, x.(Command)) }
func (h *timerHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
