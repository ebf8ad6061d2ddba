package client

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

func waitClosed(t *testing.T, api API, exec string) *sfn.DescribeExecutionOutput {
	t.Helper()
	for i := 0; i < 1000; i++ {
		d, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(exec)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			return d
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the execution never closed")
	return nil
}

func TestActivityWorkerOnTheLocalService(t *testing.T) {
	api := newLocal(t)
	act, err := api.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("approve")})
	if err != nil {
		t.Fatal(err)
	}
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + aws.ToString(act.ActivityArn) + `","HeartbeatSeconds":600,"End":true}}}`
	w := &ActivityWorker{API: api, ActivityArn: aws.ToString(act.ActivityArn), WorkerName: "me"}

	ok := start(t, api, "ok", def)
	task, err := w.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if task.Input != `{"n":1}` || task.Token == "" {
		t.Errorf("task %+v", task)
	}
	if err := task.Heartbeat(ctx); err != nil {
		t.Errorf("heartbeat: %v", err)
	}
	if err := task.Succeed(ctx, `{"approved":`); !errors.Is(err, ErrNotJSON) {
		t.Errorf("bad JSON: %v", err)
	}
	if err := task.Succeed(ctx, `{"approved":true}`); err != nil {
		t.Fatal(err)
	}
	if d := waitClosed(t, api, ok); d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"approved":true}` {
		t.Errorf("after success: %s %s", d.Status, aws.ToString(d.Output))
	}

	bad := start(t, api, "bad", def)
	if task, err = w.Next(ctx); err != nil {
		t.Fatal(err)
	}
	if err := task.Fail(ctx, "Rejected", "not today"); err != nil {
		t.Fatal(err)
	}
	if d := waitClosed(t, api, bad); d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "Rejected" || aws.ToString(d.Cause) != "not today" {
		t.Errorf("after failure: %s %s %s", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}

	// Nothing to take: Next waits until it is told to stop.
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if task, err := w.Next(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("idle: %+v %v", task, err)
	}
}

func TestActivityWorkerGivesUpOnAMissingActivity(t *testing.T) {
	api := newLocal(t)
	w := &ActivityWorker{API: api, ActivityArn: "arn:aws:states:us-east-1:123456789012:activity:nope"}
	var dne *types.ActivityDoesNotExist
	if _, err := w.Next(ctx); !errors.As(err, &dne) {
		t.Errorf("got %v", err)
	}
}
