package service

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// On a virtual clock, time jumps to the next timer only when nothing is going on. A
// handler still working on a task is something going on: the task's TimeoutSeconds
// must not pass while it works, however long it takes on the wall clock.
func TestVirtualClockWaitsForHandlersInFlight(t *testing.T) {
	called, release := make(chan struct{}), make(chan struct{})
	reg := &engine.Registry{}
	reg.Handle("arn:aws:states:::sqs:sendMessage", func(context.Context, *engine.TaskCall) (value.Value, error) {
		close(called)
		<-release
		return value.ObjectOf("MessageId", "m-1"), nil
	})
	s := newService(t, "", Config{Handlers: reg})
	m := createMachine(t, s, "slow", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
		"TimeoutSeconds":5,"End":true}}}`, "")
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
	if err != nil {
		t.Fatal(err)
	}
	<-called
	// Each call is a turn of the loop, where due timers fire: give it several.
	for range 5 {
		if err := s.do(ctx, func(*batch) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	d, err := s.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: out.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != types.ExecutionStatusRunning {
		t.Fatalf("while the handler works the execution is %s (%s), want RUNNING", d.Status, aws.ToString(d.Error))
	}
	close(release)
	if d := waitFor(t, s, aws.ToString(out.ExecutionArn)); d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s (%s), want SUCCEEDED with the handler's answer", d.Status, aws.ToString(d.Error))
	}
}
