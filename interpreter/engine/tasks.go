package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// This file is what every driver of the engine (Runner for `stepdeck run` and the
// tests, the service behind `stepdeck serve` and the TUI, the debugger) shares to run
// tasks: where task work runs and how it is cancelled (Tasks), and how a handler is
// called and what it returned becomes the engine's input (Invoke). The drivers differ
// only in how they wait (a loop over a store, a mutex and timers, one goroutine), so a
// fix to panics, cancellation or timeouts here is a fix in all three.

// TaskKey names one attempt of a task: its frame and the frame's sequence number when
// the task was asked for, under an execution (Exec may be empty for a driver of one).
type TaskKey struct {
	Exec  string
	Frame int
	Seq   uint64
}

// timeoutGrace is how long past its TimeoutSeconds a handler that keeps the limit itself
// waits before it gives up (HandlerTimeout).
const timeoutGrace = time.Second

// HandlerTimeout is how long a handler that keeps a task's time limit itself lets the
// work run: a little longer than TimeoutSeconds, 0 when there is none. The driver's
// timer gives the task up at TimeoutSeconds and records TaskTimedOut, as AWS does; the
// handler's own limit is a backstop for a driver whose clock stands still while the
// task runs (a virtual clock), and must not race that record.
func HandlerTimeout(call *TaskCall) time.Duration {
	if call.TimeoutSeconds <= 0 {
		return 0
	}
	return time.Duration(call.TimeoutSeconds)*time.Second + timeoutGrace
}

// KeyOf is the key of the task a command is about.
func KeyOf(exec string, c Command) TaskKey { return TaskKey{exec, c.Frame, c.Seq} }

// Tasks runs task work, each task on its own goroutine with its own context. The
// context ends when the engine gives the task up (Cancel: its timeout or heartbeat ran
// out, its branch was lost, its execution was stopped) or the driver closes (Close), so
// a command handler's process is killed then rather than left running.
type Tasks struct {
	ctx     context.Context
	stop    context.CancelFunc
	mu      sync.Mutex
	running map[TaskKey]*context.CancelFunc
	wg      sync.WaitGroup
	// inFlight counts the work a virtual clock must wait for (Go, not GoWaiting).
	inFlight atomic.Int64
	// Settled, when set, is called each time work started with Go has returned and no
	// longer counts as in flight: a driver on a virtual clock, which waits for such
	// work before it moves time on, looks again then. Set it before the first Go.
	Settled func()
}

// NewTasks makes a place to run tasks whose contexts all end with parent's.
func NewTasks(parent context.Context) *Tasks {
	ctx, stop := context.WithCancel(parent)
	return &Tasks{ctx: ctx, stop: stop, running: map[TaskKey]*context.CancelFunc{}}
}

// Go runs a task's work. Until it returns it counts as in flight: a virtual clock stands
// still, because what happens next is its outcome, not a timer, however long it takes.
func (t *Tasks) Go(k TaskKey, work func(ctx context.Context)) { t.start(k, true, work) }

// GoWaiting runs work that waits on purpose (a worker's long poll for an activity task,
// like a person answering a callback): a virtual clock need not wait for it.
func (t *Tasks) GoWaiting(k TaskKey, work func(ctx context.Context)) { t.start(k, false, work) }

func (t *Tasks) start(k TaskKey, counted bool, work func(ctx context.Context)) {
	ctx, cancel := context.WithCancel(t.ctx)
	mine := &cancel
	t.mu.Lock()
	t.running[k] = mine
	t.mu.Unlock()
	if counted {
		t.inFlight.Add(1)
	}
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		defer func() {
			t.mu.Lock()
			// Another attempt under the same key may have taken its place; leave it.
			if t.running[k] == mine {
				delete(t.running, k)
			}
			t.mu.Unlock()
			cancel()
			if counted {
				t.inFlight.Add(-1)
				if t.Settled != nil {
					t.Settled()
				}
			}
		}()
		work(ctx)
	}()
}

// Cancel ends the context of a task's work: its outcome is no longer wanted.
func (t *Tasks) Cancel(k TaskKey) {
	t.mu.Lock()
	cancel := t.running[k]
	delete(t.running, k)
	t.mu.Unlock()
	if cancel != nil {
		(*cancel)()
	}
}

// InFlight counts the work started with Go that has not returned.
func (t *Tasks) InFlight() int64 { return t.inFlight.Load() }

// Close cancels all work and returns once it has returned.
func (t *Tasks) Close() {
	t.stop()
	t.wg.Wait()
}

// Wait returns once all work has returned (after the parent context ended, say).
func (t *Tasks) Wait() { t.wg.Wait() }

// CallbackWait is what a handler returns when its task's service call went through and
// the task must now wait for SendTaskSuccess or SendTaskFailure on its token (a mock
// with "WaitForCallback", a command or Lambda that says so).
type CallbackWait struct {
	Output value.Value // the service's reply to the submission, recorded in TaskSubmitted
	Token  string
}

func (w *CallbackWait) Error() string {
	return "the task waits for a callback (SendTaskSuccess or SendTaskFailure on its task token), but this run cannot receive callbacks: " +
		"run the state machine with `stepdeck serve` or in the TUI, or mock the task without \"WaitForCallback\""
}

// Invoke calls h for the task of command c and returns the input that reports its
// outcome to the engine:
//   - InputTaskSubmitted with the service's response when h returned a *CallbackWait: its
//     service call went through and the answer comes on the task token (a handler says
//     so itself: a mock with "WaitForCallback", a handlers-file entry with
//     "waitForCallback");
//   - InputTaskSucceeded with h's output, also for a .waitForTaskToken task: the
//     handler played both sides;
//   - InputTaskFailed named by a *failure.Error h returned, or States.TaskFailed for any
//     other error and for a handler that panicked.
//
// A driver that takes no callbacks (Runner) fails a task that waits for one, with a
// cause that says how to run it instead. err is what h returned, for a driver that
// gives an error of its own a meaning (the debugger's answer by hand).
func Invoke(ctx context.Context, h Handler, c Command, callbacks bool) (in Input, err error) {
	out, err := callHandler(ctx, h, c.Task)
	var wait *CallbackWait
	switch {
	case errors.As(err, &wait) && callbacks:
		in = Input{Kind: InputTaskSubmitted, Output: wait.Output}
	case errors.As(err, &wait):
		in = FailedInput(failure.New(failure.Runtime, wait.Error()))
	case err != nil:
		var fe *failure.Error
		if !errors.As(err, &fe) {
			fe = failure.New(failure.TaskFailed, err.Error())
		}
		in = FailedInput(fe)
	default:
		in = Input{Kind: InputTaskSucceeded, Output: out}
	}
	in.Frame, in.Seq = c.Frame, c.Seq
	return in, err
}

// FailedInput fails a task with fe's name and cause.
func FailedInput(fe *failure.Error) Input {
	return Input{Kind: InputTaskFailed, Error: aws.String(fe.Name), Cause: aws.String(fe.Cause)}
}

// callHandler calls a task handler. A handler that panics fails its task with
// States.TaskFailed and the panic's value, rather than taking the process down.
func callHandler(ctx context.Context, h Handler, call *TaskCall) (out value.Value, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = failure.New(failure.TaskFailed, fmt.Sprint("the task handler panicked: ", p))
		}
	}()
	return h(ctx, call)
}
