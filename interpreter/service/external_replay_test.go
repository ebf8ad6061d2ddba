package service

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/awsjson"
	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/localtask"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/interpreter/store"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// replayExternal runs a case through a fresh service over a real store in dir, with
// its tasks served as the plan says, and answers its callback tasks as the recording
// did. It drives the service only through the API calls a client makes.
func replayExternal(c *conformance.Case, p *externalPlan, dir string) (*conformance.Result, error) {
	st, err := store.Open(filepath.Join(dir, "stepdeck.db"), store.Options{NoSync: true})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	loc, err := arn.Parse(c.StateMachine.ARN)
	if err != nil {
		return nil, err
	}
	cfg := Config{Store: st, Location: loc.Location, Clock: evenDigitsClock{}, TimeScale: 0, Handlers: &engine.Registry{}}
	if p.mockFile != nil {
		// Written and loaded exactly as a user's file is.
		file := filepath.Join(dir, "MockConfigFile.json")
		if err := os.WriteFile(file, p.mockFile, 0o644); err != nil {
			return nil, err
		}
		mc, err := mock.Load(file)
		if err != nil {
			return nil, fmt.Errorf("the generated mock file: %w", err)
		}
		cfg.Mocks = Mocks(mc)
	}
	lam := fakeLambda(p.functions)
	defer lam.Close()
	fn, err := localtask.NewLambda(lam.URL, loc.Region)
	if err != nil {
		return nil, err
	}
	fn.Register(cfg.Handlers)
	if p.s3 != nil {
		p.s3.register(cfg.Handlers)
	}
	s, err := New(cfg)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	ctx := context.Background()

	if err := startWorkers(ctx, s, p.workers, c.StateMachine.RoleARN); err != nil {
		return nil, err
	}
	for _, o := range p.others {
		if _, err := s.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(o.Name), Definition: aws.String(string(o.Definition)),
			RoleArn: aws.String(c.StateMachine.RoleARN), Type: types.StateMachineType(o.Type)}); err != nil {
			return nil, fmt.Errorf("state machine %s: %w", o.Name, err)
		}
	}
	m, err := s.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(c.StateMachine.Name), Definition: aws.String(string(c.Definition)),
		RoleArn: aws.String(c.StateMachine.RoleARN), Type: types.StateMachineType(c.StateMachine.Type)})
	if err != nil {
		return nil, err
	}
	machine := aws.ToString(m.StateMachineArn)
	if p.mockFile != nil {
		machine += "#" + mockTestCase
	}
	var input *string
	if c.InputString != "" {
		input = aws.String(c.InputString)
	}
	if c.Execution.API == "StartSyncExecution" {
		out, err := s.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(machine), Name: aws.String(c.Execution.Name), Input: input})
		if err != nil {
			return nil, err
		}
		return &conformance.Result{Status: string(out.Status), Error: aws.ToString(out.Error), Cause: aws.ToString(out.Cause), Output: out.Output}, nil
	}
	started, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machine), Name: aws.String(c.Execution.Name), Input: input})
	if err != nil {
		return nil, err
	}
	d, err := p.answerUntilDone(ctx, s, aws.ToString(started.ExecutionArn))
	if err != nil {
		return nil, err
	}
	r := &conformance.Result{Status: string(d.Status), Error: aws.ToString(d.Error), Cause: aws.ToString(d.Cause), Output: d.Output}
	if c.StateMachine.Type == string(types.StateMachineTypeExpress) {
		return r, nil // AWS keeps no history of an EXPRESS execution
	}
	events, err := fullHistory(ctx, s, aws.ToString(started.ExecutionArn))
	if err != nil {
		return nil, err
	}
	if r.Events, err = awsjson.Marshal(events); err != nil {
		return nil, err
	}
	return r, nil
}

// startWorkers starts the recording's activity workers and waits until each polls, as
// the recording's were before its execution started.
func startWorkers(ctx context.Context, s *Service, workers []extWorker, role string) error {
	for i, w := range workers {
		ap, err := arn.Parse(w.activityArn)
		if err != nil || len(ap.Rest) != 1 {
			return fmt.Errorf("activity ARN %q: %v", w.activityArn, err)
		}
		if _, err := s.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String(ap.Rest[0])}); err != nil {
			return err
		}
		m, err := s.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(fmt.Sprintf("worker-%d", i)),
			Definition: aws.String(string(w.definition)), RoleArn: aws.String(role)})
		if err != nil {
			return fmt.Errorf("the worker's state machine: %w", err)
		}
		in := value.String(value.ObjectOf("ActivityArn", w.activityArn))
		if _, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Input: aws.String(in)}); err != nil {
			return err
		}
		if err := waitUntil(func() bool {
			n := 0
			_ = s.do(ctx, func(*batch) error { n = len(s.actQueues.pollers[w.activityArn]); return nil })
			return n > 0
		}); err != nil {
			return fmt.Errorf("the worker never polled: %w", err)
		}
	}
	return nil
}

// callbackDeadline bounds one execution: the recordings' own timeouts are seconds.
const callbackDeadline = 30 * time.Second

// answerUntilDone waits for the execution to end, answering each callback task once
// its TaskSubmitted event shows in the history, with what the recording's call got.
func (p *externalPlan) answerUntilDone(ctx context.Context, s *Service, execArn string) (*sfn.DescribeExecutionOutput, error) {
	answered := map[int64]bool{}
	for deadline := time.Now().Add(callbackDeadline); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		d, err := s.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(execArn)})
		if err != nil {
			return nil, err
		}
		if d.Status != types.ExecutionStatusRunning {
			return d, nil
		}
		if len(p.calls) == 0 {
			continue
		}
		if err := p.answerCallbacks(ctx, s, execArn, answered); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("the execution was still running after %s", callbackDeadline)
}

// tokenText finds a task token (ids.TaskToken: 32 random bytes, base64url) in the text
// of a TaskScheduled event: the definition put it somewhere in the parameters.
var tokenText = regexp.MustCompile(`[A-Za-z0-9_-]{43}`)

func (p *externalPlan) answerCallbacks(ctx context.Context, s *Service, execArn string, answered map[int64]bool) error {
	events, err := fullHistory(ctx, s, execArn)
	if err != nil {
		return err
	}
	text, err := awsjson.Marshal(events)
	if err != nil {
		return err
	}
	ours, err := parseRecordedEvents(text)
	if err != nil {
		return err
	}
	byID := map[int64]*recordedEvent{}
	for i := range ours {
		byID[ours[i].id] = &ours[i]
	}
	nth := map[int64]int{} // TaskScheduled id → its index among its state's calls
	seen := map[string]int{}
	for i := range ours {
		if e := &ours[i]; e.typ == "TaskScheduled" {
			state := enteredState(byID, e)
			nth[e.id] = seen[state]
			seen[state]++
		}
	}
	for i := range ours {
		e := &ours[i]
		if e.typ != "TaskSubmitted" || answered[e.id] {
			continue
		}
		answered[e.id] = true
		sched := byID[e.prev]
		for sched != nil && sched.typ != "TaskScheduled" {
			sched = byID[sched.prev]
		}
		if sched == nil {
			return fmt.Errorf("event %d: a TaskSubmitted with no TaskScheduled before it", e.id)
		}
		state := enteredState(byID, sched)
		rec := p.calls[state]
		n := nth[sched.id]
		if n >= len(rec) {
			return fmt.Errorf("state %s: call %d was submitted, the recording has %d", state, n, len(rec))
		}
		token := tokenText.FindString(string(value.Marshal(sched.details)))
		if token == "" {
			continue // nothing can answer it, as on AWS: it times out
		}
		call := rec[n]
		if p.heartbeatFirst && call.answer != "" {
			if _, err := s.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)}); err != nil {
				return fmt.Errorf("state %s: SendTaskHeartbeat: %w", state, err)
			}
		}
		switch call.answer {
		case "TaskSucceeded":
			out := textOf(p.den.value(call.answerOutput))
			if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(out)}); err != nil {
				return fmt.Errorf("state %s: SendTaskSuccess: %w", state, err)
			}
		case "TaskFailed":
			in := &sfn.SendTaskFailureInput{TaskToken: aws.String(token), Error: call.answerError}
			if call.answerCause != nil {
				in.Cause = aws.String(p.den.text(*call.answerCause))
			}
			if _, err := s.SendTaskFailure(ctx, in); err != nil {
				return fmt.Errorf("state %s: SendTaskFailure: %w", state, err)
			}
		}
	}
	return nil
}

func fullHistory(ctx context.Context, s *Service, execArn string) ([]types.HistoryEvent, error) {
	var events []types.HistoryEvent
	var next *string
	for {
		h, err := s.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(execArn), MaxResults: 1000, NextToken: next})
		if err != nil {
			return nil, err
		}
		events = append(events, h.Events...)
		if h.NextToken == nil {
			return events, nil
		}
		next = h.NextToken
	}
}
