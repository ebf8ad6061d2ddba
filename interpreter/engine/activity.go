package engine

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/history"
)

// An activity task waits in three steps, each its own event: scheduled (queued for a
// worker), started (a worker took it with GetActivityTask), then succeeded, failed or
// timed out. The task's token is what the worker answers with.

// IsActivityResource reports whether a Task resource is an activity ARN.
func IsActivityResource(resource string) bool { return isActivityResource(resource) }

func isActivityResource(resource string) bool {
	parts := strings.SplitN(resource, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[2] == "states" && strings.HasPrefix(parts[5], "activity:")
}

func (e *Execution) activityScheduled(f *Frame, call *TaskCall) {
	var d any
	if e.record() {
		x := &types.ActivityScheduledEventDetails{Resource: aws.String(call.Resource), Input: e.jsonText(call.Input), InputDetails: history.NotTruncated}
		if call.TimeoutSeconds > 0 {
			x.TimeoutInSeconds = aws.Int64(call.TimeoutSeconds)
		}
		if call.HeartbeatSeconds > 0 {
			x.HeartbeatInSeconds = aws.Int64(call.HeartbeatSeconds)
		}
		d = x
	}
	f.Prev = e.emit(types.HistoryEventTypeActivityScheduled, f.Prev, d)
}

// activityStarted records that a worker took the task. Its heartbeat clock starts
// again here: the time in the queue is no worker's silence.
func (e *Execution) activityStarted(f *Frame, worker string) {
	var d any
	if e.record() {
		x := &types.ActivityStartedEventDetails{}
		if worker != "" {
			x.WorkerName = aws.String(worker)
		}
		d = x
	}
	f.Prev = e.emit(types.HistoryEventTypeActivityStarted, f.Prev, d)
	f.Submitted = true
	e.heartbeat(f)
}

func (e *Execution) activityDone(f *Frame, st *asl.State, in Input) {
	if in.Kind == InputTaskSucceeded {
		var d any
		if e.record() {
			d = &types.ActivitySucceededEventDetails{Output: e.jsonText(in.Output), OutputDetails: history.NotTruncated}
		}
		f.Prev = e.emit(types.HistoryEventTypeActivitySucceeded, f.Prev, d)
		f.Phase = PhaseReady
		f.Seq++
		e.complete(f, st, in.Output)
		return
	}
	var d any
	if e.record() {
		d = &types.ActivityFailedEventDetails{Error: in.Error, Cause: in.Cause}
	}
	id := e.emit(types.HistoryEventTypeActivityFailed, f.Prev, d)
	f.Phase = PhaseReady
	f.Seq++
	e.handleError(f, st, &Raised{Error: in.Error, Cause: in.Cause, EventID: id, TaskOutcome: true})
}
