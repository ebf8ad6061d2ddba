package engine

import (
	"context"
	"strings"
	"testing"
	"time"

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

// steppedClock is a clock that a handler moves on, to stand for the time it took.
type steppedClock struct{ t time.Time }

func (c *steppedClock) Now() time.Time { return c.t }
func (c *steppedClock) SleepUntil(_ context.Context, t time.Time) error {
	if t.After(c.t) {
		c.t = t
	}
	return nil
}

// An outcome that comes once the task's TimeoutSeconds have passed is a timeout, as on
// AWS, whatever the handler says: a Lambda client that gave up at the same deadline
// reports States.Timeout as a failure, a slow one its late result.
func TestOutcomeAfterTheDeadlineIsATimeout(t *testing.T) {
	for _, answer := range []error{nil, failure.New(failure.Timeout, "")} {
		clock := &steppedClock{t: epoch}
		reg := &Registry{}
		reg.Handle("arn:aws:states:::lambda:invoke", func(context.Context, *TaskCall) (value.Value, error) {
			clock.t = clock.t.Add(5 * time.Second)
			return value.ObjectOf(), answer
		})
		def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,"End":true}}}`
		x := newExec(t, def, `{}`, Options{RecordHistory: true, HistoryLimit: MaxHistoryEvents, TimeScale: 1})
		if err := (&Runner{Clock: clock, Handlers: reg}).Run(context.Background(), x); err != nil {
			t.Fatal(err)
		}
		if x.Status != types.ExecutionStatusFailed || x.Error != failure.Timeout || !strings.Contains(trace(x), "TaskTimedOut") {
			t.Errorf("handler answer %v: status %s error %s, events %s; want TaskTimedOut", answer, x.Status, x.Error, trace(x))
		}
	}
}
