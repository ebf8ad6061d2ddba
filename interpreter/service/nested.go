package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/ids"
	"github.com/stepdeck/stepdeck/interpreter/store"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// A Task on arn:aws:states:::states:startExecution starts a child execution through
// this service. The child's start and the parent's TaskSucceeded (or TaskSubmitted, for
// the modes that wait) are one commit, so a crash cannot start a child twice. A parent
// waiting for its child's end (.sync, .sync:2) is a record keyed by the child, answered
// when the child finishes: no goroutine waits.

const kindNested = "nested" // the parents waiting on a child, by child ARN

// Nested-execution modes, the resource's suffix.
const (
	nestedStart    = ""
	nestedSync     = ".sync"
	nestedSync2    = ".sync:2"
	nestedCallback = ".waitForTaskToken"
)

// nestedWait is a parent task waiting for a child execution to end.
type nestedWait struct {
	Parent string `json:"parent"`
	Frame  int    `json:"frame"`
	Seq    uint64 `json:"seq"`
	Mode   string `json:"mode"`
}

// nestedMode tells whether a resource starts a child execution, and how it waits.
func nestedMode(resource string) (string, bool) {
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "states" || parts[3] != "" || parts[4] != "" {
		return "", false
	}
	rest, ok := strings.CutPrefix(parts[5], "states:startExecution")
	if !ok {
		return "", false
	}
	switch rest {
	case nestedStart, nestedSync, nestedSync2, nestedCallback:
		return rest, true
	}
	return "", false
}

// taskWanted returns a live execution whose task (frame, seq) still waits for its outcome.
func (s *Service) taskWanted(execArn string, frame int, seq uint64) *liveExec {
	le := s.live[execArn]
	if le == nil {
		return nil
	}
	if f := le.x.Frame(frame); f == nil || f.Seq != seq || f.Phase != engine.PhaseTask {
		return nil
	}
	return le
}

// startNested runs off the loop: it starts the child with the service's own
// StartExecution, and the outcome reaches the parent through the loop.
func (s *Service) startNested(parentArn string, c engine.Command, mode string) {
	params, _ := c.Task.Input.(*value.Object)
	field := func(k string) value.Value {
		if params == nil {
			return nil
		}
		v, _ := params.Get(k)
		return v
	}
	machine, _ := field("StateMachineArn").(string)
	name, _ := field("Name").(string)
	if name == "" {
		// Named once, so that a start tried again after a failed commit is the same child.
		name = ids.UUID()
	}
	var input *string
	switch v := field("Input").(type) {
	case nil:
	case string:
		input = aws.String(v)
	default:
		input = aws.String(value.String(v))
	}
	// A parent task whose outcome is no longer wanted (stopped, timed out) starts nothing.
	started := func(b *batch, child *liveExec) {
		parent := s.taskWanted(parentArn, c.Frame, c.Seq)
		if parent == nil {
			return
		}
		resp := startResponse(child)
		kind := engine.InputTaskSubmitted
		if mode == nestedStart {
			kind = engine.InputTaskSucceeded
		}
		s.apply(b, parent, parent.x.Advance(engine.Input{Kind: kind, Frame: c.Frame, Seq: c.Seq, Output: resp}, s.clock.Now()))
		if mode == nestedSync || mode == nestedSync2 {
			s.addNestedWait(b, child.arn(), nestedWait{Parent: parentArn, Frame: c.Frame, Seq: c.Seq, Mode: mode})
		}
	}
	err := s.untilStored(func() error {
		_, err := s.startWith(context.Background(), machine, name, input, false, func(b *batch, child *liveExec) {
			if le := s.live[parentArn]; le != nil && le.ephemeral && !child.ephemeral {
				// The child's start writes; an EXPRESS parent hears of it after the commit.
				s.later(b, func(b *batch) error {
					if child := s.live[child.arn()]; child != nil {
						started(b, child)
					}
					return nil
				})
				return
			}
			started(b, child)
		})
		return err
	})
	if errors.Is(err, ErrClosed) {
		return
	}
	if err != nil {
		fe := sdkFailure(err)
		s.post(func(b *batch) error {
			if parent := s.taskWanted(parentArn, c.Frame, c.Seq); parent != nil {
				in := engine.FailedInput(fe)
				in.Frame, in.Seq = c.Frame, c.Seq
				s.apply(b, parent, parent.x.Advance(in, s.clock.Now()))
			}
			return nil
		})
	}
}

// sdkFailure names an API error the way a service integration reports it:
// StepFunctions.<Code>Exception, with the Java SDK's message trailer.
func sdkFailure(err error) *failure.Error {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return failure.New(failure.TaskFailed, err.Error())
	}
	code := ae.ErrorCode()
	cause := fmt.Sprintf("%s (Service: AWSStepFunctions; Status Code: 400; Error Code: %s; Request ID: %s; Proxy: null)", ae.ErrorMessage(), code, ids.UUID())
	return failure.New("StepFunctions."+strings.TrimSuffix(code, "Exception")+"Exception", cause)
}

// startResponse is StartExecution's response as the Java SDK gives it to a task.
func startResponse(child *liveExec) value.Value {
	m := child.x.Meta
	resp := value.ObjectOf("ExecutionArn", m.ExecutionArn, "StartDate", m.StartTime.UnixMilli())
	// The length is the wire body's, which the Java SDK read: startDate in epoch seconds
	// as a Java double prints it.
	body := `{"executionArn":"` + m.ExecutionArn + `","startDate":` + javaDouble(float64(m.StartTime.UnixMilli())/1000) + `}`
	reqID := ids.UUID()
	date := m.StartTime.UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")
	length := fmt.Sprint(len(body))
	all := value.ObjectOf("Content-Length", []any{length}, "Content-Type", []any{"application/x-amz-json-1.0"},
		"Date", []any{date}, "connection", []any{"keep-alive"}, "x-amzn-RequestId", []any{reqID})
	single := value.ObjectOf("Content-Length", length, "Content-Type", "application/x-amz-json-1.0",
		"Date", date, "connection", "keep-alive", "x-amzn-RequestId", reqID)
	return resp.With("SdkHttpMetadata", value.ObjectOf("AllHttpHeaders", all, "HttpHeaders", single, "HttpStatusCode", int64(200))).
		With("SdkResponseMetadata", value.ObjectOf("RequestId", reqID))
}

// javaDouble formats a number as Java's Double.toString does for large magnitudes:
// 1.700000000123E9.
func javaDouble(f float64) string {
	t := strconv.FormatFloat(f, 'E', -1, 64)
	mant, exp, _ := strings.Cut(t, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	exp = strings.TrimPrefix(exp, "+")
	neg := strings.HasPrefix(exp, "-")
	exp = strings.TrimLeft(strings.TrimPrefix(exp, "-"), "0")
	if exp == "" {
		exp = "0"
	}
	if neg {
		exp = "-" + exp
	}
	return mant + "E" + exp
}

// nestedTask names a parent's task, to find the child it waits on.
type nestedTask struct {
	parent string
	frame  int
	seq    uint64
}

func (s *Service) indexNested(child string, w nestedWait) {
	if s.nested == nil {
		s.nested = map[string][]nestedWait{}
		s.nestedChild = map[nestedTask]string{}
	}
	s.nested[child] = append(s.nested[child], w)
	s.nestedChild[nestedTask{w.Parent, w.Frame, w.Seq}] = child
}

// saveNested lets a failed commit undo changes to the parents waiting on a child.
func (s *Service) saveNested(b *batch, child string) {
	prev, had := s.nested[child]
	prev = append([]nestedWait(nil), prev...)
	b.undo(func() {
		for _, w := range s.nested[child] {
			delete(s.nestedChild, nestedTask{w.Parent, w.Frame, w.Seq})
		}
		delete(s.nested, child)
		if had {
			for _, w := range prev {
				s.indexNested(child, w)
			}
		}
	})
}

// cancelNested stops the child of a .sync task whose outcome is no longer wanted (the
// parent stopped, timed out, or lost its branch), as Step Functions stops the job it
// was running.
func (s *Service) cancelNested(b *batch, parent string, c engine.Command) {
	key := nestedTask{parent, c.Frame, c.Seq}
	child, ok := s.nestedChild[key]
	if !ok {
		return
	}
	delete(s.nestedChild, key)
	b.undo(func() { s.nestedChild[key] = child })
	stop := func(b *batch) error {
		if le := s.live[child]; le != nil {
			s.apply(b, le, le.x.Advance(engine.Input{Kind: engine.InputStop}, s.clock.Now()))
		}
		return nil
	}
	if le := s.live[child]; le != nil && le.ephemeral {
		s.later(b, stop)
		return
	}
	_ = stop(b)
}

func (s *Service) addNestedWait(b *batch, child string, w nestedWait) {
	s.saveNested(b, child)
	s.indexNested(child, w)
	if le := s.live[w.Parent]; le != nil && le.ephemeral {
		return // an EXPRESS parent does not outlive a restart: nothing to store
	}
	list := append([]nestedWait(nil), s.nested[child]...)
	b.write(func(tx *store.Tx) error { return putJSON(tx, kindNested, child, list) })
}

// nestedDone answers the parents of a child that ended, in the child's last commit.
func (s *Service) nestedDone(b *batch, child *liveExec) {
	waits, ok := s.nested[child.arn()]
	if !ok {
		return
	}
	s.saveNested(b, child.arn())
	delete(s.nested, child.arn())
	a := child.arn()
	forget := func(b *batch) {
		b.write(func(tx *store.Tx) error {
			if err := tx.Delete(kindNested, a); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			return nil
		})
	}
	answers := make([]func(b *batch) error, 0, len(waits))
	mixed := child.ephemeral
	for _, w := range waits {
		delete(s.nestedChild, nestedTask{w.Parent, w.Frame, w.Seq})
		in := childOutcome(child.x, w.Mode == nestedSync2)
		in.Frame, in.Seq = w.Frame, w.Seq
		answers = append(answers, func(b *batch) error {
			if parent := s.taskWanted(w.Parent, w.Frame, w.Seq); parent != nil {
				s.apply(b, parent, parent.x.Advance(in, s.clock.Now()))
			}
			return nil
		})
		if le := s.live[w.Parent]; le != nil && le.ephemeral {
			mixed = true
		}
	}
	if !mixed {
		// Both sides are stored: the parent hears of the end in the child's last commit.
		forget(b)
		for _, answer := range answers {
			_ = answer(b)
		}
		return
	}
	// An EXPRESS child or parent is only in memory: a unit that writes must not change
	// it, so the parents are answered after this commit, as work that is tried again
	// until it is stored.
	s.later(b, func(b *batch) error {
		forget(b)
		for _, answer := range answers {
			_ = answer(b)
		}
		return nil
	})
}

// childOutcome is what a .sync task gets from its child: DescribeExecution's fields,
// with Input and Output parsed for .sync:2. A child that did not succeed fails the task
// with States.TaskFailed and those fields, with its error and cause, as the cause.
func childOutcome(x *engine.Execution, parsed bool) engine.Input {
	m := x.Meta
	data := func(text string) value.Value {
		if parsed {
			if v, err := value.ParseString(text); err == nil {
				return v
			}
		}
		return text
	}
	o := value.NewObject(12)
	if x.Status != types.ExecutionStatusSucceeded {
		if x.HasCause {
			o.Set("Cause", x.Cause)
		}
		if x.HasError {
			o.Set("Error", x.Error)
		}
	}
	o.Set("ExecutionArn", m.ExecutionArn)
	o.Set("Input", data(m.Input))
	o.Set("InputDetails", value.ObjectOf("Included", true))
	o.Set("Name", m.Name)
	if x.Status == types.ExecutionStatusSucceeded {
		o.Set("Output", data(x.OutputText()))
		o.Set("OutputDetails", value.ObjectOf("Included", true))
	}
	if m.Type != types.StateMachineTypeExpress {
		o.Set("RedriveCount", int64(m.RedriveCount))
		if x.Status == types.ExecutionStatusSucceeded {
			o.Set("RedriveStatus", string(types.ExecutionRedriveStatusNotRedrivable))
			o.Set("RedriveStatusReason", "Execution is SUCCEEDED and cannot be redriven")
		} else {
			o.Set("RedriveStatus", string(types.ExecutionRedriveStatusRedrivable))
		}
	}
	o.Set("StartDate", m.StartTime.UnixMilli())
	o.Set("StateMachineArn", m.StateMachineArn)
	o.Set("Status", string(x.Status))
	o.Set("StopDate", x.StopTime.UnixMilli())
	if x.Status == types.ExecutionStatusSucceeded {
		return engine.Input{Kind: engine.InputTaskSucceeded, Output: o}
	}
	return engine.Input{Kind: engine.InputTaskFailed, Error: aws.String(failure.TaskFailed), Cause: aws.String(value.String(o))}
}

// loadNested reads the parents that wait on children. It runs after recover, so the
// children still running are live; a child that is not cannot answer (an EXPRESS child
// is not kept across a restart), and its parents' tasks fail.
func (s *Service) loadNested() ([]func(), error) {
	var lost []func()
	err := s.st.View(func(tx *store.Tx) error {
		items, _, err := tx.List(kindNested, "", "", 0)
		if err != nil {
			return err
		}
		for _, kv := range items {
			var waits []nestedWait
			if json.Unmarshal(kv.Value, &waits) != nil {
				continue
			}
			child := kv.Key
			if s.live[child] != nil {
				for _, w := range waits {
					s.indexNested(child, w)
				}
				continue
			}
			for _, w := range waits {
				w := w
				lost = append(lost, func() {
					s.post(func(b *batch) error {
						b.write(func(tx *store.Tx) error { return tx.Delete(kindNested, child) })
						if parent := s.taskWanted(w.Parent, w.Frame, w.Seq); parent != nil {
							in := engine.FailedInput(failure.New(failure.TaskFailed, "The child execution "+child+" did not survive a restart of the local service"))
							in.Frame, in.Seq = w.Frame, w.Seq
							s.apply(b, parent, parent.x.Advance(in, s.clock.Now()))
						}
						return nil
					})
				})
			}
		}
		return nil
	})
	return lost, err
}
