package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/stepdeck/stepdeck/client"
)

// distributedDef runs its items in a distributed Map that tolerates no failure; an item
// of 2 fails.
const distributedDef = `{"StartAt":"Each","States":{"Each":{"Type":"Map","Label":"orders",
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Check","States":{
  "Check":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Bad"}],"Default":"Good"},
  "Good":{"Type":"Pass","End":true},
  "Bad":{"Type":"Fail","Error":"BadItem","Cause":"item 2"}}},
 "MaxConcurrency":2,"ToleratedFailureCount":0,"End":true}}}`

// childrenAPI answers ListExecutions by mapRunArn as AWS does, with the executions it
// is given (the local engine runs a distributed Map's items inside the parent, with no
// child executions to list).
type childrenAPI struct {
	client.API
	children []types.ExecutionListItem
}

func (c *childrenAPI) ListExecutions(ctx context.Context, in *sfn.ListExecutionsInput, optFns ...func(*sfn.Options)) (*sfn.ListExecutionsOutput, error) {
	if in.MapRunArn != nil {
		return &sfn.ListExecutionsOutput{Executions: c.children}, nil
	}
	return c.API.ListExecutions(ctx, in, optFns...)
}

func (c *childrenAPI) RedriveExecution(ctx context.Context, in *sfn.RedriveExecutionInput, optFns ...func(*sfn.Options)) (*sfn.RedriveExecutionOutput, error) {
	return c.API.(client.RedriveAPI).RedriveExecution(ctx, in, optFns...)
}

// TestMapRunView: from a failed distributed Map on the execution page, m opens its Map
// Run (counts by status, tolerated failures, child executions); a child opens and is
// followed; R redrives the parent.
func TestMapRunView(t *testing.T) {
	local := localAPI(t)
	if _, err := local.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{Name: aws.String("fan-out"),
		Definition: aws.String(distributedDef), RoleArn: aws.String(exampleRole)}); err != nil {
		t.Fatal(err)
	}
	parent := start(t, local, "fan-out", "batch-1", `[1,2,3]`)
	waitStatus(t, local, parent, types.ExecutionStatusFailed)
	// A child stands in for one AWS would list: a real execution of hello.
	child := start(t, local, "hello", "orders-child-1", `{"name":"child"}`)
	waitStatus(t, local, child, types.ExecutionStatusSucceeded)
	api := &childrenAPI{API: local}
	d, err := local.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(child)})
	if err != nil {
		t.Fatal(err)
	}
	api.children = []types.ExecutionListItem{{ExecutionArn: d.ExecutionArn, Name: d.Name, StateMachineArn: d.StateMachineArn,
		Status: d.Status, StartDate: d.StartDate, StopDate: d.StopDate}}

	a := New(fixedCommon(api, 120, 30), "local")
	drain(a, a.Init())
	openExecution(a, parent)
	mustContain(t, a.Render(), "MapRunStarted", "MapRunFailed", "ExecutionFailed")
	// The cursor on the Map's run selects the Map state.
	press(a, "up", "up", "up")
	mustContain(t, a.Render(), "m map run")
	press(a, "m")
	screen := a.Render()
	mustContain(t, screen, "Map Run orders of Each · FAILED", "max concurrency 2", "tolerated failures none",
		"Items       3", "failed 1", "orders-child-1", "SUCCEEDED", "redrive the parent")
	golden.RequireEqual(t, []byte(screen))

	press(a, "enter")
	mustContain(t, a.Render(), "Execution orders-chi", "ExecutionSucceeded", "Hello, child!")
	press(a, "esc")

	press(a, "R")
	mustContain(t, a.Render(), "Redrive the parent execution")
	press(a, "y")
	mustContain(t, statusLine(a), "Parent execution redriven")
	r, err := local.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(parent)})
	if err != nil || aws.ToInt32(r.RedriveCount) != 1 {
		t.Fatalf("the parent after R: %+v, %v", r, err)
	}
}

// TestMapRunLocalChildren: on the local engine, which keeps no child executions, the
// view says why none are listed and still counts the items.
func TestMapRunLocalChildren(t *testing.T) {
	api := localAPI(t)
	if _, err := api.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{Name: aws.String("fan-out"),
		Definition: aws.String(distributedDef), RoleArn: aws.String(exampleRole)}); err != nil {
		t.Fatal(err)
	}
	parent := start(t, api, "fan-out", "batch-1", `[1,3]`)
	waitStatus(t, api, parent, types.ExecutionStatusSucceeded)
	a := New(fixedCommon(api, 120, 30), "local")
	drain(a, a.Init())
	openExecution(a, parent)
	press(a, "up", "up", "up", "m")
	screen := a.Render()
	mustContain(t, screen, "Map Run orders of Each · SUCCEEDED", "succeeded 2", "Child executions: ")
	if strings.Contains(screen, "redrive the parent") {
		t.Fatal("R offered on a run whose parent succeeded")
	}
}
