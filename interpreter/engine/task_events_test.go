package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// A result over the payload quota fails the task with States.DataLimitExceeded; the
// cause names a service integration by its service and a Lambda function by its ARN,
// as AWS's recordings show.
func TestTaskResultOverQuotaNamesTheTask(t *testing.T) {
	big := strings.Repeat("a", MaxPayloadBytes+1)
	for _, tc := range []struct{ resource, named string }{
		{"arn:aws:states:::lambda:invoke", "'lambda'"},
		{"arn:aws:lambda:us-east-1:123456789012:function:f", "'arn:aws:lambda:us-east-1:123456789012:function:f'"},
	} {
		reg := &Registry{}
		reg.Handle(tc.resource, func(context.Context, *TaskCall) (value.Value, error) { return big, nil })
		def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + tc.resource + `","End":true}}}`
		x := run(t, def, `{}`, reg)
		if x.Status != types.ExecutionStatusFailed || x.Error != failure.DataLimitExceeded {
			t.Fatalf("%s: status %s error %s", tc.resource, x.Status, x.Error)
		}
		if want := "The state/task " + tc.named + " returned a result with a size exceeding"; !strings.HasPrefix(x.Cause, want) {
			t.Errorf("%s: cause %q, want it to start %q", tc.resource, x.Cause, want)
		}
	}
}

// A legacy Lambda task with Credentials records the role in LambdaFunctionScheduled,
// as a service task does in TaskScheduled.
func TestLambdaFunctionScheduledRecordsCredentials(t *testing.T) {
	const fn = "arn:aws:lambda:us-east-1:123456789012:function:f"
	reg := &Registry{}
	reg.Handle(fn, func(_ context.Context, call *TaskCall) (value.Value, error) { return call.Input, nil })
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + fn + `",
		"Credentials":{"RoleArn":"arn:aws:iam::222222222222:role/r"},"End":true}}}`
	x := run(t, def, `{}`, reg)
	for _, ev := range x.History {
		if ev.Type != types.HistoryEventTypeLambdaFunctionScheduled {
			continue
		}
		d, _ := ev.Details.(*types.LambdaFunctionScheduledEventDetails)
		if d == nil || d.TaskCredentials == nil || aws.ToString(d.TaskCredentials.RoleArn) != "arn:aws:iam::222222222222:role/r" {
			t.Fatalf("LambdaFunctionScheduled details %+v, want the task's role", d)
		}
		return
	}
	t.Fatal("no LambdaFunctionScheduled event")
}
