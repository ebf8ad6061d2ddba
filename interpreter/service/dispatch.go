package service

import (
	"context"
	"errors"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
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
			here(engine.FailedInput(failure.New(failure.Runtime, err.Error())))
			return
		case mocked && r.Throw != nil:
			here(engine.FailedInput(r.Throw))
			return
		case mocked && callback && r.Wait:
			here(engine.Input{Kind: engine.InputTaskSubmitted, Output: r.Return})
			return
		case mocked:
			here(engine.Input{Kind: engine.InputTaskSucceeded, Output: r.Return})
			return
		}
	}

	if act, ok := s.sdkSfnAction(call.Resource); ok && !callback {
		h := func(ctx context.Context, call *engine.TaskCall) (out value.Value, err error) {
			params, _ := call.Input.(*value.Object)
			err = s.untilStored(func() (err error) {
				out, err = act(ctx, sdkParams{params})
				return err
			})
			return out, err
		}
		s.runHandler(execArn, c, h, deliver, strings.HasSuffix(call.Resource, ":getActivityTask"))
		return
	}
	if mode, ok := nestedMode(call.Resource); ok {
		s.tasks.Go(engine.KeyOf(execArn, c), func(context.Context) { s.startNested(execArn, c, mode) })
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
		s.runHandler(execArn, c, h, deliver, false)
		return
	}
	if callback {
		// Nothing performs the side effect (the message, the call): the execution waits
		// for whoever answers its token, which is how a person plays the other side.
		// Its token was opened when the task was scheduled.
		return
	}
	here(engine.FailedInput(engine.NoHandlerError(call.Resource)))
}

// runHandler runs a task's handler off the loop and delivers its outcome (for a
// .waitForTaskToken task that the handler submitted, the wait for its token). A task
// that was cancelled (StopExecution, its timeout, a lost branch) or a service that is
// closing wants no outcome: after a restart the task runs again. waits marks work that
// waits on purpose, such as a worker's long poll: a virtual clock need not wait for it.
func (s *Service) runHandler(execArn string, c engine.Command, h engine.Handler, deliver func(engine.Input), waits bool) {
	work := func(ctx context.Context) {
		in, err := engine.Invoke(ctx, h, c, true)
		if errors.Is(err, ErrClosed) || ctx.Err() != nil {
			return
		}
		deliver(in)
	}
	if waits {
		s.tasks.GoWaiting(engine.KeyOf(execArn, c), work)
		return
	}
	s.tasks.Go(engine.KeyOf(execArn, c), work)
}
