package service

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// TaskMocks answers Task states from mocks (Step Functions Local's MockConfigFile.json).
type TaskMocks interface {
	// Lookup returns the mocked response of a state's n-th call (from 0) in a test case.
	// mocked is false when the test case does not mock the state.
	Lookup(machine, testCase, state string, n int) (r MockResponse, mocked bool, err error)
	// HasTestCase reports whether a test case exists for a machine.
	HasTestCase(machine, testCase string) bool
}

// MockResponse is one mocked answer: a Return value or a Throw error. Wait asks a
// .waitForTaskToken task to really wait for its callback, with Return as the response
// of its service call.
type MockResponse struct {
	Return value.Value
	Throw  *failure.Error
	Wait   bool
}

// dispatch hands a task to whatever serves it: a mock, a handler, or (for a callback
// task nothing serves) the person who will answer its token. It runs on the loop, after
// the commit that recorded the task; outcomes come back as jobs.
func (s *Service) dispatch(le *liveExec, c engine.Command) {
	call := c.Task
	execArn := le.arn()
	outcome := func(in engine.Input) func(b *batch) error {
		in.Frame, in.Seq = c.Frame, c.Seq
		return func(b *batch) error {
			if le := s.live[execArn]; le != nil {
				s.apply(b, le, le.x.Advance(in, s.clock.Now()))
			}
			return nil
		}
	}
	// deliver sends an outcome from a handler's goroutine; here sends one from the loop
	// itself, which must not wait on its own inbox.
	deliver := func(in engine.Input) { s.post(outcome(in)) }
	here := func(in engine.Input) { s.deferred = append(s.deferred, outcome(in)) }
	activity := engine.IsActivityResource(call.Resource)
	// An activity's token is for its worker; the task is not a callback task.
	callback := call.Token != "" && !activity
	// awaitCallback leaves a callback task to whoever holds its token (opened when the
	// task was scheduled); submitted records the service's response first.
	awaitCallback := func(send func(engine.Input), response value.Value, submitted bool) {
		if !submitted {
			return
		}
		send(engine.Input{Kind: engine.InputTaskSubmitted, Output: response})
	}
	if c.Resumed && c.Submitted {
		return // its token was stored and is answerable again
	}

	if tc := le.rec.TestCase; tc != "" && s.cfg.Mocks != nil {
		if le.rec.MockCalls == nil {
			le.rec.MockCalls = map[string]int{}
		}
		n := le.rec.MockCalls[call.StateName]
		r, mocked, err := s.cfg.Mocks.Lookup(le.x.Meta.StateMachineName, tc, call.StateName, n)
		if mocked || err != nil {
			le.rec.MockCalls[call.StateName] = n + 1
		}
		switch {
		case err != nil:
			here(failed(failure.New(failure.Runtime, err.Error())))
			return
		case mocked && r.Throw != nil:
			here(failed(r.Throw))
			return
		case mocked && callback && r.Wait:
			awaitCallback(here, r.Return, true)
			return
		case mocked:
			here(engine.Input{Kind: engine.InputTaskSucceeded, Output: r.Return})
			return
		}
	}

	if act, ok := s.sdkSfnAction(call.Resource); ok && !callback {
		// A worker's long poll waits for work on purpose, like a person answering a
		// callback: a virtual clock need not wait for it.
		run := s.offLoop
		if strings.HasSuffix(call.Resource, ":getActivityTask") {
			run = func(work func()) { go work() }
		}
		ctx, done := s.taskContext(execArn, c)
		run(func() {
			defer done()
			params, _ := call.Input.(*value.Object)
			var out value.Value
			err := s.untilStored(func() (err error) {
				out, err = act(ctx, sdkParams{params})
				return err
			})
			if errors.Is(err, ErrClosed) || ctx.Err() != nil {
				return // stopped, or the service closed: the call resumes with its execution
			}
			var fe *failure.Error
			switch {
			case errors.As(err, &fe):
				deliver(failed(fe))
			case err != nil:
				deliver(failed(failure.New(failure.TaskFailed, err.Error())))
			default:
				deliver(engine.Input{Kind: engine.InputTaskSucceeded, Output: out})
			}
		})
		return
	}
	if mode, ok := nestedMode(call.Resource); ok {
		s.offLoop(func() { s.startNested(execArn, c, mode) })
		return
	}
	if activity {
		t := activityTask{exec: execArn, frame: c.Frame, seq: c.Seq, token: call.Token, input: call.Input}
		s.deferred = append(s.deferred, func(b *batch) error {
			s.offerActivity(b, call.Resource, t)
			return nil
		})
		return
	}
	if h, ok := s.cfg.Handlers.Lookup(call.Resource); ok {
		ctx, done := s.taskContext(execArn, c)
		s.offLoop(func() {
			defer done()
			out, err := engine.CallHandler(ctx, h, call)
			if ctx.Err() != nil {
				// The task was cancelled (StopExecution, its timeout, a lost branch) or
				// the service is closing: its outcome is not wanted, and after a
				// restart the task runs again.
				return
			}
			if cw, ok := mock.AsCallbackWait(err); ok {
				// The handler did its part and leaves the answer to the token's holder.
				awaitCallback(deliver, cw.Output, true)
				return
			}
			switch {
			case err != nil:
				var fe *failure.Error
				if !errors.As(err, &fe) {
					fe = failure.New(failure.TaskFailed, err.Error())
				}
				deliver(failed(fe))
			case callback:
				// The handler made the service call; the task now waits for its token.
				awaitCallback(deliver, out, true)
			default:
				deliver(engine.Input{Kind: engine.InputTaskSucceeded, Output: out})
			}
		})
		return
	}
	if callback {
		// Nothing performs the side effect (the message, the call): the execution waits
		// for whoever answers its token, which is how a person plays the other side.
		awaitCallback(here, nil, false)
		return
	}
	here(failed(engine.NoHandlerError(call.Resource)))
}

func failed(fe *failure.Error) engine.Input {
	return engine.Input{Kind: engine.InputTaskFailed, Error: aws.String(fe.Name), Cause: aws.String(fe.Cause)}
}

// taskKey names one attempt of a task.
type taskKey struct {
	exec  string
	frame int
	seq   uint64
}

// taskContext gives a task's work a context that is cancelled when the engine no
// longer wants its outcome (cancelTask) or the service closes. done releases it.
func (s *Service) taskContext(execArn string, c engine.Command) (context.Context, func()) {
	ctx, cancel := context.WithCancel(s.ctx)
	k := taskKey{execArn, c.Frame, c.Seq}
	s.runningMu.Lock()
	s.running[k] = cancel
	s.runningMu.Unlock()
	return ctx, func() {
		s.runningMu.Lock()
		delete(s.running, k)
		s.runningMu.Unlock()
		cancel()
	}
}

// cancelTask stops the work of a task whose outcome is no longer wanted.
func (s *Service) cancelTask(k taskKey) {
	s.runningMu.Lock()
	cancel := s.running[k]
	s.runningMu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// offLoop runs a task's work (a handler, a nested start) on its own goroutine. Until
// the work has handed its outcome to the loop, a virtual clock stands still: what
// happens next is that outcome, not a timer, however long the work takes for real.
func (s *Service) offLoop(work func()) {
	s.inflight.Add(1)
	s.workers.Add(1)
	go func() {
		defer s.workers.Done()
		defer s.inflight.Add(-1)
		work()
	}()
}
