package engine

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"path"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

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

// Runner drives one execution to its end in the calling goroutine: it runs tasks with
// the registry's handlers and waits out timers on its clock. It is what `stepdeck run`
// and the tests use; the service drives executions its own way.
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

// Run starts the execution and drives it until it closes or ctx ends.
func (r *Runner) Run(ctx context.Context, x *Execution) error {
	clock := r.Clock
	if clock == nil {
		clock = RealClock{}
	}
	var timers timerHeap
	var inputs []Input
	more := false
	handle := func(res *Result) {
		more = res.More
		if r.OnEvents != nil && len(res.Events) > 0 {
			r.OnEvents(res)
		}
		for _, c := range res.Commands {
			switch c.Kind {
			case CmdStartTimer:
				heap.Push(&timers, c)
			case CmdInvokeTask:
				inputs = append(inputs, r.invoke(ctx, c))
			}
		}
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
		if len(inputs) > 0 {
			in := inputs[0]
			inputs = inputs[1:]
			handle(x.Advance(in, clock.Now()))
			continue
		}
		if timers.Len() == 0 {
			return errors.New("the execution waits for something that will never come: no task or timer is pending")
		}
		t := heap.Pop(&timers).(Command)
		if err := clock.SleepUntil(ctx, t.At); err != nil {
			return err
		}
		handle(x.Advance(Input{Kind: InputTimer, Frame: t.Frame, Seq: t.Seq, Purpose: t.Purpose}, clock.Now()))
	}
	return nil
}

func (r *Runner) invoke(ctx context.Context, c Command) Input {
	in := Input{Frame: c.Frame, Seq: c.Seq}
	h, ok := r.Handlers.Lookup(c.Task.Resource)
	if !ok {
		fe := NoHandlerError(c.Task.Resource)
		in.Kind, in.Error, in.Cause = InputTaskFailed, aws.String(fe.Name), aws.String(fe.Cause)
		return in
	}
	out, err := CallHandler(ctx, h, c.Task)
	if err != nil {
		var fe *failure.Error
		if !errors.As(err, &fe) {
			fe = failure.New(failure.TaskFailed, err.Error())
		}
		in.Kind, in.Error, in.Cause = InputTaskFailed, aws.String(fe.Name), aws.String(fe.Cause)
		return in
	}
	in.Kind, in.Output = InputTaskSucceeded, out
	return in
}

// CallHandler calls a task handler. A handler that panics fails its task with
// States.TaskFailed and the panic's value, rather than taking the process down: every
// driver of the engine (the runner, the service, the debugger) calls handlers this way.
func CallHandler(ctx context.Context, h Handler, call *TaskCall) (out value.Value, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = failure.New(failure.TaskFailed, fmt.Sprint("the task handler panicked: ", p))
		}
	}()
	return h(ctx, call)
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
