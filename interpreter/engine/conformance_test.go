package engine

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// TestConformanceSelfContained replays the executions recorded on real AWS that need
// nothing but Step Functions, in both query languages, and compares result, event summary and full events.
// Known failures are listed, with a reason each, in testdata/known_failures.txt.
func TestConformanceSelfContained(t *testing.T) {
	dir := conformance.DataDir(t, "asl", "self_contained")
	all, err := conformance.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	conformance.Run(t, conformance.Executions(all), filepath.Join("testdata", "known_failures.txt"), replay)
}

// observationWindow is how long after its start a recorded execution was looked at: the
// recordings were taken by tests that run for minutes, so a timer due later than this
// had not fired when AWS's history was read.
const observationWindow = 10 * time.Minute

// replay runs one recorded case on the engine the way the recording ran it on AWS.
func replay(c *conformance.Case) (*conformance.Result, error) {
	def, err := asl.Parse(c.Definition)
	if err != nil {
		return nil, err
	}
	input := c.InputString
	if input == "" {
		input = "{}"
	}
	in, err := value.ParseString(input)
	if err != nil {
		return nil, err
	}
	start := time.Now().UTC()
	meta := Meta{
		ExecutionArn:     c.Execution.ARN,
		Name:             c.Execution.Name,
		StateMachineArn:  c.StateMachine.ARN,
		StateMachineName: c.StateMachine.Name,
		RoleArn:          c.StateMachine.RoleARN,
		Region:           "us-east-1",
		Type:             types.StateMachineType(c.StateMachine.Type),
		StartTime:        start,
		Input:            input,
		Sync:             c.Execution.API == "StartSyncExecution",
	}
	opts := Options{RecordHistory: true, TimeScale: 1}
	if meta.Type == types.StateMachineTypeStandard {
		opts.HistoryLimit = MaxHistoryEvents
	}
	x := New(def, meta, in, opts)
	if err := drive(c, x, start); err != nil {
		return nil, err
	}
	r := &conformance.Result{Status: string(x.Status)}
	if x.HasError {
		r.Error = x.Error
	}
	if x.HasCause {
		r.Cause = x.Cause
	}
	if x.Status == types.ExecutionStatusSucceeded {
		r.Output = aws.String(x.OutputText())
	}
	if meta.Type == types.StateMachineTypeStandard {
		if r.Events, err = json.Marshal(x.History); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// postStartCall is an API call a recording made while its execution ran.
type postStartCall struct {
	Op     string         `json:"op"`
	Kwargs map[string]any `json:"kwargs"`
}

// drive runs an execution on a virtual clock, making the calls the recording made after
// the start, and stops looking once only timers beyond the observation window remain.
func drive(c *conformance.Case, x *Execution, start time.Time) error {
	clock := NewVirtualClock(start)
	var pending []Command
	collect := func(r *Result) {
		for _, cmd := range r.Commands {
			if cmd.Kind != CmdCancelTask {
				pending = append(pending, cmd)
			}
		}
	}
	collect(x.Start(clock.Now()))
	var calls []postStartCall
	if len(c.PostStartCalls) > 0 {
		if err := json.Unmarshal(c.PostStartCalls, &calls); err != nil {
			return err
		}
	}
	for _, call := range calls {
		if call.Op == "stop_execution" {
			stop := Input{Kind: InputStop}
			if s, ok := call.Kwargs["error"].(string); ok {
				stop.Error = aws.String(s)
			}
			if s, ok := call.Kwargs["cause"].(string); ok {
				stop.Cause = aws.String(s)
			}
			collect(x.Advance(stop, clock.Now()))
		}
	}
	for !x.Done() && len(pending) > 0 {
		next := 0
		for i, cmd := range pending {
			if cmd.Kind == CmdInvokeTask {
				next = i
				break
			}
			if cmd.At.Before(pending[next].At) {
				next = i
			}
		}
		cmd := pending[next]
		pending = append(pending[:next], pending[next+1:]...)
		var in Input
		switch cmd.Kind {
		case CmdInvokeTask:
			// Nothing serves tasks here: self-contained cases have none that succeed.
			in = FailedInput(NoHandlerError(cmd.Task.Resource))
			in.Frame, in.Seq = cmd.Frame, cmd.Seq
		case CmdStartTimer:
			if cmd.At.Sub(start) > observationWindow {
				return nil
			}
			if err := clock.SleepUntil(context.Background(), cmd.At); err != nil {
				return err
			}
			in = Input{Kind: InputTimer, Frame: cmd.Frame, Seq: cmd.Seq, Purpose: cmd.Purpose}
		}
		collect(x.Advance(in, clock.Now()))
	}
	if !x.Done() && len(pending) == 0 {
		return errors.New("the execution is stuck: nothing pending")
	}
	return nil
}
