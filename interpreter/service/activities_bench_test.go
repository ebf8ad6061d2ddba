package service

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// BenchmarkActivityRoundTrip: one execution through an activity: start, a worker takes
// the task (GetActivityTask), answers it (SendTaskSuccess), and the execution ends.
func BenchmarkActivityRoundTrip(b *testing.B) {
	s := benchService(b, false)
	out, err := s.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	act := aws.ToString(out.ActivityArn)
	m, err := s.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("m"), Definition: aws.String(activityDef(act, "")),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ex, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Input: aws.String(`{"n":1}`)})
		if err != nil {
			b.Fatal(err)
		}
		task, err := s.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(act), WorkerName: aws.String("w")})
		if err != nil || task.TaskToken == nil {
			b.Fatalf("no task: %v", err)
		}
		if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: task.Input}); err != nil {
			b.Fatal(err)
		}
		_ = ex
	}
}

// BenchmarkNestedSync: a parent starts a Pass child with .sync and ends when it ends.
func BenchmarkNestedSync(b *testing.B) {
	s := benchService(b, false)
	child, err := s.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("child"), Definition: aws.String(childOK),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		b.Fatal(err)
	}
	def := `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
		"Parameters":{"StateMachineArn":"` + aws.ToString(child.StateMachineArn) + `"},"End":true}}}`
	parent, err := s.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("parent"), Definition: aws.String(def),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ex, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: parent.StateMachineArn})
		if err != nil {
			b.Fatal(err)
		}
		for {
			d, err := s.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: ex.ExecutionArn})
			if err != nil {
				b.Fatal(err)
			}
			if d.Status != types.ExecutionStatusRunning {
				if d.Status != types.ExecutionStatusSucceeded {
					b.Fatalf("parent %s: %s", d.Status, aws.ToString(d.Cause))
				}
				break
			}
		}
	}
}
