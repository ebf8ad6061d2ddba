package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// ActivityWorker works an activity by hand: it takes one task at a time and holds it
// while a person decides, then answers with success, failure or a heartbeat.
type ActivityWorker struct {
	API         ActivityAPI
	ActivityArn string
	WorkerName  string // shown in the ActivityStarted event; at most 80 characters
	// Backoff bounds the waits after errors in Next (defaults 1s and 60s).
	ErrorBase, ErrorMax time.Duration
	// Sleep waits; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// ActivityTask is a task taken from an activity and not yet answered.
type ActivityTask struct {
	Token    string
	Input    string
	Received time.Time
	api      ActivityAPI
}

// Poll makes one GetActivityTask call. The service holds it up to a minute; with no task
// by then Poll returns nil and no error.
func (w *ActivityWorker) Poll(ctx context.Context) (*ActivityTask, error) {
	out, err := w.API.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(w.ActivityArn), WorkerName: optional(w.WorkerName)})
	if err != nil {
		return nil, fmt.Errorf("polling activity %s: %w", w.ActivityArn, err)
	}
	if aws.ToString(out.TaskToken) == "" {
		return nil, nil
	}
	return &ActivityTask{Token: *out.TaskToken, Input: aws.ToString(out.Input), Received: time.Now(), api: w.API}, nil
}

// Next polls until a task arrives, ctx ends, or an error that retrying cannot fix (the
// activity does not exist). Throttling and server errors are retried with backoff.
func (w *ActivityWorker) Next(ctx context.Context) (*ActivityTask, error) {
	b := backoff{base: w.ErrorBase, max: w.ErrorMax}
	if b.base <= 0 {
		b.base = time.Second
	}
	if b.max < b.base {
		b.max = 60 * b.base
	}
	wait := w.Sleep
	if wait == nil {
		wait = sleep
	}
	for {
		task, err := w.Poll(ctx)
		if task != nil {
			return task, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err == nil {
			b.reset()
			continue
		}
		if !transient(err) {
			return nil, err
		}
		if err := wait(ctx, b.next()); err != nil {
			return nil, err
		}
	}
}

// ErrNotJSON is returned by Succeed for an output that is not JSON: Step Functions would
// refuse it, and the person can fix it before it is sent.
var ErrNotJSON = errors.New("the output is not JSON")

// Succeed answers the task with output, a JSON text, checked before it is sent.
func (t *ActivityTask) Succeed(ctx context.Context, output string) error {
	return SendSuccess(ctx, t.api, t.Token, output)
}

// Fail answers the task with an error name and a cause (both may be empty).
func (t *ActivityTask) Fail(ctx context.Context, errorName, cause string) error {
	return SendFailure(ctx, t.api, t.Token, errorName, cause)
}

// Heartbeat tells Step Functions the task is still being worked on.
func (t *ActivityTask) Heartbeat(ctx context.Context) error {
	_, err := t.api.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(t.Token)})
	return err
}

// SendSuccess answers any task token (activity or .waitForTaskToken) with output,
// checked to be JSON before it is sent.
func SendSuccess(ctx context.Context, api ActivityAPI, token, output string) error {
	if _, err := value.ParseString(output); err != nil {
		return fmt.Errorf("%w: %v", ErrNotJSON, err)
	}
	_, err := api.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(output)})
	return err
}

// SendFailure answers any task token with an error name and a cause.
func SendFailure(ctx context.Context, api ActivityAPI, token, errorName, cause string) error {
	_, err := api.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: aws.String(token), Error: optional(errorName), Cause: optional(cause)})
	return err
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
