package service

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// flakyDef fails at Charge the first time it runs and succeeds after.
const flakyDef = `{"StartAt":"Prepare","States":{
	"Prepare":{"Type":"Pass","Result":{"n":1},"ResultPath":"$.prep","Next":"Charge"},
	"Charge":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:charge","End":true}}}`

func flakyService(t *testing.T, path string) (*Service, *atomic.Int32) {
	var calls atomic.Int32
	reg := &engine.Registry{}
	reg.Handle("arn:aws:lambda:us-east-1:123456789012:function:charge", func(_ context.Context, call *engine.TaskCall) (value.Value, error) {
		if calls.Add(1) == 1 {
			return nil, &failure.Error{Name: "Declined", Cause: "card declined"}
		}
		return value.ObjectOf("charged", true), nil
	})
	return newService(t, path, Config{Handlers: reg}), &calls
}

func TestRedriveRerunsTheFailedState(t *testing.T) {
	s, calls := flakyService(t, "")
	m := createMachine(t, s, "pay", flakyDef, "")
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Name: aws.String("e1"), Input: aws.String(`{"id":7}`)})
	if err != nil {
		t.Fatal(err)
	}
	d := waitFor(t, s, aws.ToString(out.ExecutionArn))
	if d.Status != types.ExecutionStatusFailed || d.RedriveStatus != types.ExecutionRedriveStatusRedrivable {
		t.Fatalf("first run: %s %s", d.Status, d.RedriveStatus)
	}
	r, err := s.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: out.ExecutionArn, ClientToken: aws.String("tok")})
	if err != nil {
		t.Fatal(err)
	}
	d = waitFor(t, s, aws.ToString(out.ExecutionArn))
	if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"charged":true}` {
		t.Fatalf("after redrive: %s %s", d.Status, aws.ToString(d.Output))
	}
	if aws.ToInt32(d.RedriveCount) != 1 || d.RedriveDate == nil || !d.RedriveDate.Equal(aws.ToTime(r.RedriveDate)) ||
		d.RedriveStatus != types.ExecutionRedriveStatusNotRedrivable {
		t.Errorf("describe after redrive: count %d date %v status %s", aws.ToInt32(d.RedriveCount), d.RedriveDate, d.RedriveStatus)
	}
	want := "ExecutionStarted PassStateEntered PassStateExited TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionFailed ExecutionFailed " +
		"ExecutionRedriven TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionSucceeded TaskStateExited ExecutionSucceeded"
	if got := eventTypes(t, s, aws.ToString(out.ExecutionArn)); got != want {
		t.Errorf("history:\n got %s\nwant %s", got, want)
	}
	if calls.Load() != 2 {
		t.Errorf("the task ran %d times, want 2 (Prepare must not run again)", calls.Load())
	}
	h, err := s.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: out.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range h.Events {
		if e.Type == types.HistoryEventTypeExecutionRedriven {
			if aws.ToInt32(e.ExecutionRedrivenEventDetails.RedriveCount) != 1 || h.Events[i+1].PreviousEventId != e.Id {
				t.Errorf("redriven event: %+v, next %+v", e.ExecutionRedrivenEventDetails, h.Events[i+1])
			}
			if in := aws.ToString(h.Events[i+1].StateEnteredEventDetails.Input); in != `{"id":7,"prep":{"n":1}}` {
				t.Errorf("the failed state was re-entered with %s", in)
			}
		}
	}
	// The same client token answers again without a second redrive.
	again, err := s.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: out.ExecutionArn, ClientToken: aws.String("tok")})
	if err != nil || !aws.ToTime(again.RedriveDate).Equal(aws.ToTime(r.RedriveDate)) {
		t.Errorf("repeated client token: %v %v", err, again)
	}
	// A succeeded execution cannot be redriven.
	_, err = s.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: out.ExecutionArn})
	var nr *types.ExecutionNotRedrivable
	if !errors.As(err, &nr) {
		t.Errorf("redriving a succeeded execution: %v", err)
	}
}

func TestRedriveErrors(t *testing.T) {
	s := newService(t, "", Config{})
	m := createMachine(t, s, "cb", callbackDefForRedrive, "")
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Name: aws.String("e1")})
	if err != nil {
		t.Fatal(err)
	}
	var nr *types.ExecutionNotRedrivable
	if _, err := s.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: out.ExecutionArn}); !errors.As(err, &nr) {
		t.Errorf("running: %v", err)
	}
	var dne *types.ExecutionDoesNotExist
	if _, err := s.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:123456789012:execution:cb:nope")}); !errors.As(err, &dne) {
		t.Errorf("missing: %v", err)
	}
	var ia *types.InvalidArn
	if _, err := s.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String("nope")}); !errors.As(err, &ia) {
		t.Errorf("bad arn: %v", err)
	}
	var ve *types.ValidationException
	if _, err := s.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: out.ExecutionArn, ClientToken: aws.String("")}); !errors.As(err, &ve) {
		t.Errorf("empty client token: %v", err)
	}
	// A stopped execution is redriven at the task it was waiting in.
	if _, err := s.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: out.ExecutionArn}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: out.ExecutionArn}); err != nil {
		t.Fatal(err)
	}
	d, err := s.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: out.ExecutionArn})
	if err != nil || d.Status != types.ExecutionStatusRunning || d.StopDate != nil {
		t.Fatalf("after redriving a stopped execution: %v %+v", err, d)
	}
}

const callbackDefForRedrive = `{"StartAt":"Ask","States":{"Ask":{"Type":"Task",
	"Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"QueueUrl":"q","MessageBody":{"t.$":"$$.Task.Token"}},"End":true}}}`

// BenchmarkRedrive measures a failed execution redriven to its end: reading its record,
// restoring it, and running the failed state again.
func BenchmarkRedrive(b *testing.B) {
	reg := &engine.Registry{}
	reg.Handle("arn:aws:lambda:us-east-1:123456789012:function:charge", func(context.Context, *engine.TaskCall) (value.Value, error) {
		return nil, &failure.Error{Name: "Declined"}
	})
	s := newService(b, "", Config{Handlers: reg})
	m := createMachine(b, s, "pay", flakyDef, "")
	var out *sfn.StartExecutionOutput
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%1000 == 0 {
			// A fresh execution now and then keeps the history under AWS's quota.
			var err error
			if out, err = s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)}); err != nil {
				b.Fatal(err)
			}
			waitFor(b, s, aws.ToString(out.ExecutionArn))
		}
		if _, err := s.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: out.ExecutionArn}); err != nil {
			b.Fatal(err)
		}
		waitFor(b, s, aws.ToString(out.ExecutionArn))
	}
}
