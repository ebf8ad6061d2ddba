package engine

import (
	"errors"
	"fmt"
	"math"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/dataflow"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// raise turns an error met while running a state into a Raised error and handles it.
// The causing event is the frame's last event (the state's Entered, usually).
func (e *Execution) raise(f *Frame, st *asl.State, err error) {
	var fe *failure.Error
	if !errors.As(err, &fe) {
		fe = failure.New(failure.Runtime, err.Error())
	}
	cause := fe.Cause
	switch fe.Name {
	case failure.Runtime, failure.IntrinsicFailure, failure.QueryEvaluationError:
		// AWS says where these happened.
		cause = fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #%d). %s", st.Name, f.EnteredID, cause)
	}
	r := &Raised{Error: aws.String(fe.Name), Cause: aws.String(cause), EventID: f.Prev}
	if fe.Name == failure.QueryEvaluationError {
		r.EventID = e.emitEvaluationFailed(f, st, fe, cause)
		if st.Type == asl.Map {
			// A Map records its own failure after the evaluation's.
			r.EventID = e.emit(types.HistoryEventTypeMapStateFailed, r.EventID, nil)
		}
	}
	e.handleError(f, st, r)
}

// uncatchable reports whether no Retry or Catch may see an error.
func uncatchable(name string) bool { return name == failure.Runtime }

// matches reports whether an ErrorEquals list covers an error name.
func matches(list []string, name string) bool {
	for _, x := range list {
		switch {
		case x == name:
			return true
		case x == failure.All:
			return true
		case x == failure.TaskFailed && name != failure.Timeout && name != failure.DataLimitExceeded:
			// States.TaskFailed stands for any failure of the task itself.
			return true
		}
	}
	return false
}

// handleError applies the state's Retry and Catch to an error, or fails the frame.
func (e *Execution) handleError(f *Frame, st *asl.State, r *Raised) {
	if e.tryRetry(f, st, r) {
		return
	}
	e.catchOrFail(f, st, r)
}

// tryRetry schedules another attempt when a retrier covers the error and has attempts
// left. The next attempt's first event follows the failure event.
func (e *Execution) tryRetry(f *Frame, st *asl.State, r *Raised) bool {
	name := aws.ToString(r.Error)
	if uncatchable(name) || r.Uncatchable {
		return false
	}
	for i := range st.Retry {
		rt := &st.Retry[i]
		if !matches(rt.ErrorEquals, name) {
			continue
		}
		for len(f.RetryCounts) < len(st.Retry) {
			f.RetryCounts = append(f.RetryCounts, 0)
		}
		if f.RetryCounts[i] >= rt.MaxAttempts {
			return false // the first matching retrier is spent: on to Catch
		}
		delay := e.backoff(rt, f.RetryCounts[i])
		f.RetryCounts[i]++
		f.RetryCount++
		f.Prev = r.EventID
		f.Phase = PhaseBackoff
		f.Task = nil
		f.Seq++
		e.startTimer(f, TimerRetry, e.scaled(delay))
		return true
	}
	return false
}

// catchOrFail sends the error to the first catcher that covers it, or fails the frame.
func (e *Execution) catchOrFail(f *Frame, st *asl.State, r *Raised) {
	name := aws.ToString(r.Error)
	if !uncatchable(name) && !r.Uncatchable {
		for i := range st.Catch {
			c := &st.Catch[i]
			if matches(c.ErrorEquals, name) {
				e.caught(f, st, c, r)
				return
			}
		}
	}
	if uncatchable(name) {
		r.Uncatchable = true
	}
	e.fail(f, r)
}

// backoff is the delay in seconds before retry number n (from 0).
func (e *Execution) backoff(rt *asl.Retrier, n int64) float64 {
	d := float64(rt.IntervalSeconds) * math.Pow(rt.BackoffRate, float64(n))
	if rt.MaxDelaySeconds > 0 && d > float64(rt.MaxDelaySeconds) {
		d = float64(rt.MaxDelaySeconds)
	}
	if rt.JitterFull && e.Opts.Rand != nil {
		d *= e.Opts.Rand()
	}
	return d
}

// errorOutput is the Error Output a catcher receives.
func errorOutput(r *Raised) *value.Object {
	o := value.NewObject(2)
	if r.Error != nil {
		o.Set("Error", *r.Error)
	} else {
		o.Set("Error", nil)
	}
	if r.Cause != nil {
		o.Set("Cause", *r.Cause)
	} else {
		o.Set("Cause", nil)
	}
	return o
}

func (e *Execution) caught(f *Frame, st *asl.State, c *asl.Catcher, r *Raised) {
	if st.IsJSONata() {
		e.caughtJ(f, st, c, r)
		return
	}
	errOut := errorOutput(r)
	f.Prev = r.EventID
	// The catcher's stages are not handed to Options.Flow: they are not the state's.
	merged := dataflow.ResultPath(c.ResultPath, f.Input, errOut)
	err := merged.Err
	if err == nil && tooBig(merged.Value) {
		err = dataLimit(st.Name)
	}
	var as []assignment
	if err == nil && c.Assign != nil {
		s := dataflow.Assign(c.Assign, errOut, e.scopeOf(f, st))
		as, err = assignments(s.Value), s.Err
	}
	if err != nil {
		fe := asFailure(err)
		e.fail(f, &Raised{Error: aws.String(fe.Name), Cause: aws.String(fe.Cause), EventID: r.EventID, Uncatchable: true})
		return
	}
	e.exit(f, st, merged.Value, as, c.Next)
}

func asFailure(err error) *failure.Error {
	var fe *failure.Error
	if errors.As(err, &fe) {
		return fe
	}
	return failure.New(failure.Runtime, err.Error())
}

// fail ends a frame with an error; its parent (or the execution) takes it from there.
func (e *Execution) fail(f *Frame, r *Raised) {
	f.Phase = PhaseDone
	f.Err = r
	f.Prev = r.EventID
	f.Task = nil
	e.frameDone(f)
}

// retry runs a state again once its backoff has elapsed.
func (e *Execution) retry(f *Frame) {
	st := f.scope.States[f.State]
	f.Phase = PhaseReady
	f.Seq++
	e.run(f, st)
}
