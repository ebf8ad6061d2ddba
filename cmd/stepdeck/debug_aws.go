package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/debug"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// deployedOptions say which deployed machine to step through, and how its tasks run.
type deployedOptions struct {
	arn      string // --state-machine-arn
	roleArn  string // the role TestState assumes (default: the machine's own)
	profile  string
	endpoint string
	byHand   []string // states answered by hand instead of through TestState
}

// newDeployedSession steps through a machine deployed on AWS (or an endpoint): its
// definition is read with DescribeStateMachine and run by the local debugger, which
// does the data flow, the breakpoints and the editing; each Task's integration runs for
// real through the TestState API with a role, unless the state is answered by hand or
// a mock config covers it. It returns the session and the API, for the other screens.
func newDeployedSession(ctx context.Context, o debugOptions) (*debug.Session, client.API, error) {
	d := o.deployed
	region := regionOfARN(d.arn)
	if region == "" {
		return nil, nil, usageError("--state-machine-arn %q is not a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)", d.arn)
	}
	api, err := client.NewAWS(ctx, client.Options{Profile: d.profile, Region: region, Endpoint: d.endpoint})
	if err != nil {
		return nil, nil, err
	}
	sm, err := api.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(d.arn)})
	if err != nil {
		return nil, nil, fmt.Errorf("reading the state machine: %s", client.Explain(err).Summary)
	}
	text := aws.ToString(sm.Definition)
	def, err := asl.ParseFor([]byte(text), string(sm.Type))
	if err != nil {
		return nil, nil, fmt.Errorf("the deployed definition does not parse: %w", err)
	}
	role := d.roleArn
	if role == "" {
		role = aws.ToString(sm.RoleArn)
	}
	_, input, err := readInput(o.run.input)
	if err != nil {
		return nil, nil, usageError("%v", err)
	}
	for _, b := range append(append([]string(nil), o.breakpoints...), d.byHand...) {
		if def.Find(b) == nil {
			return nil, nil, usageError("%s: the deployed definition has no such state", b)
		}
	}
	byHand := map[string]bool{}
	for _, s := range d.byHand {
		byHand[s] = true
	}
	viaTestState := client.TestStateHandler(api, role)
	fallback := func(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
		if byHand[call.StateName] {
			return nil, debug.ErrByHand
		}
		return viaTestState(ctx, call)
	}
	name := aws.ToString(sm.Name)
	newTasks, err := taskHandlersPerExecution(o.run, name, fallback)
	if err != nil {
		return nil, nil, usageError("%v", err)
	}
	s, err := debug.New(debug.Config{Definition: def, Source: text, Name: name, Input: input, NewTasks: newTasks,
		TimeScale: o.run.timeScale, Breakpoints: o.breakpoints})
	if err != nil {
		return nil, nil, err
	}
	s.BreakOn(true, o.onRetry)
	return s, api, nil
}

// regionOfARN reads the region of an ARN ("" when it is not one).
func regionOfARN(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "states" || parts[5] != "stateMachine" {
		return ""
	}
	return parts[3]
}
