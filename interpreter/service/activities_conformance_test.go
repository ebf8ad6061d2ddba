package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/awsjson"
	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/store"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// TestConformanceThroughService replays the external executions recorded on AWS that
// need nothing beyond Step Functions itself (activities, nested executions, aws-sdk:sfn
// calls) through the service. The recordings' activity workers were state machines
// polling with aws-sdk:sfn:getActivityTask, and they run here the same way. It runs on
// the wall clock (a recorded task timeout takes its real seconds), so -short skips it.
func TestConformanceThroughService(t *testing.T) {
	if testing.Short() {
		t.Skip("these recordings run in real time; skipped with -short")
	}
	dir := conformance.DataDir(t, "asl", "external")
	all, err := conformance.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var cases []*conformance.Case
	for _, c := range conformance.Executions(all) {
		if servedByService(c) {
			cases = append(cases, c)
		}
	}
	if len(cases) == 0 {
		t.Fatalf("no recording under %s needs only Step Functions", dir)
	}
	conformance.Run(t, cases, filepath.Join("testdata", "known_failures_service.txt"), replayThroughService)
}

// servedByService reports whether a recording needs nothing the service lacks: its
// task resources are activities, nested executions or aws-sdk:sfn, its setup is
// activity workers, and it names no mock test case.
func servedByService(c *conformance.Case) bool {
	if c.Execution == nil || c.StateMachine == nil || (c.Execution.MockTestName != nil && *c.Execution.MockTestName != "") {
		return false
	}
	if len(c.Requires) == 0 || len(c.PostStartCalls) > 0 && string(c.PostStartCalls) != "null" {
		return false
	}
	for _, r := range c.Requires {
		if r != "activity" && r != "states" && r != "aws-sdk:sfn" {
			return false
		}
	}
	var calls []setupCall
	if len(c.SetupCalls) > 0 && json.Unmarshal(c.SetupCalls, &calls) != nil {
		return false
	}
	for _, call := range calls {
		if call.Op != "sfn_activity_consumer" {
			return false
		}
	}
	return true
}

// otherMachine is a state machine the recording created besides the one it ran.
type otherMachine struct {
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	Definition json.RawMessage `json:"definition"`
}

// setupCall is a fixture the recording ran before its execution.
type setupCall struct {
	Op     string `json:"op"`
	Kwargs struct {
		Kwargs struct {
			Template    json.RawMessage `json:"template"`
			ActivityArn string          `json:"activity_arn"`
		} `json:"kwargs"`
	} `json:"kwargs"`
}

func replayThroughService(c *conformance.Case) (*conformance.Result, error) {
	dir, err := os.MkdirTemp("", "stepdeck-conformance-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(filepath.Join(dir, "stepdeck.db"), store.Options{NoSync: true})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	p, err := arn.Parse(c.StateMachine.ARN)
	if err != nil {
		return nil, err
	}
	// Waits pass at once (the workers' polling loops); task timeouts keep real time.
	s, err := New(Config{Store: st, Location: p.Location, Clock: evenDigitsClock{}, TimeScale: 0})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	c0 := context.Background()

	var calls []setupCall
	if len(c.SetupCalls) > 0 {
		if err := json.Unmarshal(c.SetupCalls, &calls); err != nil {
			return nil, fmt.Errorf("setup_calls: %w", err)
		}
	}
	for i, call := range calls {
		if call.Op != "sfn_activity_consumer" {
			return nil, fmt.Errorf("setup call %q is not replayed here", call.Op)
		}
		act := call.Kwargs.Kwargs.ActivityArn
		ap, err := arn.Parse(act)
		if err != nil || len(ap.Rest) != 1 {
			return nil, fmt.Errorf("activity ARN %q: %v", act, err)
		}
		if _, err := s.CreateActivity(c0, &sfn.CreateActivityInput{Name: aws.String(ap.Rest[0])}); err != nil {
			return nil, err
		}
		name := fmt.Sprintf("worker-%d", i)
		m, err := s.CreateStateMachine(c0, &sfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(string(call.Kwargs.Kwargs.Template)),
			RoleArn: aws.String(c.StateMachine.RoleARN)})
		if err != nil {
			return nil, fmt.Errorf("the worker's state machine: %w", err)
		}
		in := value.String(value.ObjectOf("ActivityArn", act))
		if _, err := s.StartExecution(c0, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Input: aws.String(in)}); err != nil {
			return nil, err
		}
		// The recording's worker was polling before the execution started.
		if err := waitUntil(func() bool {
			n := 0
			_ = s.do(c0, func(b *batch) error { n = len(s.actQueues.pollers[act]); return nil })
			return n > 0
		}); err != nil {
			return nil, fmt.Errorf("the worker never polled: %w", err)
		}
	}

	var others []otherMachine
	if len(c.OtherStateMachines) > 0 {
		if err := json.Unmarshal(c.OtherStateMachines, &others); err != nil {
			return nil, fmt.Errorf("other_state_machines: %w", err)
		}
	}
	for _, o := range others {
		if _, err := s.CreateStateMachine(c0, &sfn.CreateStateMachineInput{Name: aws.String(o.Name), Definition: aws.String(string(o.Definition)),
			RoleArn: aws.String(c.StateMachine.RoleARN), Type: types.StateMachineType(o.Type)}); err != nil {
			return nil, fmt.Errorf("state machine %s: %w", o.Name, err)
		}
	}
	m, err := s.CreateStateMachine(c0, &sfn.CreateStateMachineInput{Name: aws.String(c.StateMachine.Name), Definition: aws.String(string(c.Definition)),
		RoleArn: aws.String(c.StateMachine.RoleARN), Type: types.StateMachineType(c.StateMachine.Type)})
	if err != nil {
		return nil, err
	}
	var input *string
	if c.InputString != "" {
		input = aws.String(c.InputString)
	}
	started, err := s.StartExecution(c0, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Name: aws.String(c.Execution.Name), Input: input})
	if err != nil {
		return nil, err
	}
	var d *sfn.DescribeExecutionOutput
	if err := waitUntil(func() bool {
		d, err = s.DescribeExecution(c0, &sfn.DescribeExecutionInput{ExecutionArn: started.ExecutionArn})
		return err != nil || d.Status != types.ExecutionStatusRunning
	}); err != nil {
		return nil, fmt.Errorf("the execution did not end: %w", err)
	}
	if err != nil {
		return nil, err
	}
	r := &conformance.Result{Status: string(d.Status), Error: aws.ToString(d.Error), Cause: aws.ToString(d.Cause), Output: d.Output}
	h, err := s.GetExecutionHistory(c0, &sfn.GetExecutionHistoryInput{ExecutionArn: started.ExecutionArn, MaxResults: 1000})
	if err != nil {
		return nil, err
	}
	if r.Events, err = awsjson.Marshal(h.Events); err != nil {
		return nil, err
	}
	return r, nil
}

// evenDigitsClock is the wall clock, kept off whole centiseconds: a timestamp whose
// milliseconds end in 0 prints one digit shorter, and the recorded Content-Length of a
// response counts those digits.
type evenDigitsClock struct{ engine.RealClock }

func (evenDigitsClock) Now() time.Time {
	t := time.Now()
	if t.UnixMilli()%10 == 0 {
		t = t.Add(time.Millisecond)
	}
	return t
}

// waitUntil polls cond for up to a minute: the recordings' own timeouts are seconds.
func waitUntil(cond func() bool) error {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		if cond() {
			return nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return errors.New("gave up after a minute")
}
