package engine

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// resourceKind tells how a Task's resource is recorded in history.
type resourceKind uint8

const (
	serviceIntegration resourceKind = iota // arn:aws:states:::service:action → Task* events
	lambdaFunction                         // a Lambda function ARN → LambdaFunction* events
	activity                               // an activity ARN → Activity* events
)

// splitResource splits arn:<partition>:states:::<type>:<resource> the way TaskScheduled
// records it: resourceType "lambda", resource "invoke"; "aws-sdk:s3" keeps its service.
func splitResource(arn string) (kind resourceKind, resourceType, resource string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[2] == "lambda" && strings.HasPrefix(parts[5], "function:") {
		return lambdaFunction, "lambda", arn
	}
	if len(parts) == 6 && parts[2] == "states" && strings.HasPrefix(parts[5], "activity:") {
		return activity, "", arn
	}
	if len(parts) == 6 && parts[2] == "states" && parts[3] == "" && parts[4] == "" {
		rest := parts[5]
		if strings.HasPrefix(rest, "aws-sdk:") {
			i := strings.LastIndex(rest, ":")
			return serviceIntegration, rest[:i], rest[i+1:]
		}
		if t, r, ok := strings.Cut(rest, ":"); ok {
			return serviceIntegration, t, r
		}
	}
	return serviceIntegration, "", arn
}

func (e *Execution) task(f *Frame, st *asl.State) {
	eff, ok := e.inputPath(f, st)
	if !ok {
		return
	}
	f.EffInput = eff
	isActivity := isActivityResource(st.Resource)
	if isActivity && e.Opts.ActivityExists != nil && !e.Opts.ActivityExists(st.Resource) {
		e.raise(f, st, failure.New(failure.Runtime, "The activity "+st.Resource+" does not exist."))
		return
	}
	token := ""
	if strings.HasSuffix(st.Resource, ".waitForTaskToken") && e.Opts.NewToken != nil {
		token = e.Opts.NewToken()
	}
	params, ok := e.parameters(f, st, eff, token)
	if !ok {
		return
	}
	timeout, err := e.resolveInt(f, st, st.TimeoutSeconds, "TimeoutSeconds", eff)
	if err != nil {
		e.raise(f, st, err)
		return
	}
	heartbeat, err := e.resolveInt(f, st, st.HeartbeatSeconds, "HeartbeatSeconds", eff)
	if err != nil {
		e.raise(f, st, err)
		return
	}
	var creds value.Value
	if st.Credentials != nil && st.IsJSONata() {
		if creds, err = e.evalJ(st.Credentials, f, st, statesVar{}); err != nil {
			e.raise(f, st, err)
			return
		}
	} else if st.Credentials != nil {
		if creds, err = e.evalTemplate(st.Credentials, f, st, eff, nil, ""); err != nil {
			e.raise(f, st, err)
			return
		}
	}
	call := &TaskCall{StateName: st.Name, Resource: st.Resource, Input: params, TimeoutSeconds: timeout,
		HeartbeatSeconds: heartbeat, Credentials: creds, Token: token, Attempt: f.RetryCount}
	if isActivity && e.Opts.NewToken != nil {
		// A worker answers an activity with the token GetActivityTask hands it; the
		// state's own $$.Task.Token stays unset, as on AWS.
		call.Token = e.Opts.NewToken()
	}
	e.emitTaskScheduled(f, st, call)
	f.Task = call
	f.Phase = PhaseTask
	f.Seq++
	f.Submitted = false
	f.TaskDeadline, f.HeartbeatDeadline = time.Time{}, time.Time{}
	e.command(Command{Kind: CmdInvokeTask, Frame: f.ID, Seq: f.Seq, Task: call})
	if timeout > 0 {
		f.TaskDeadline = e.now.Add(secondsToDuration(timeout))
		e.command(Command{Kind: CmdStartTimer, Frame: f.ID, Seq: f.Seq, Purpose: TimerTaskTimeout, At: f.TaskDeadline})
	}
	if heartbeat > 0 {
		f.HeartbeatDeadline = e.now.Add(secondsToDuration(heartbeat))
		e.command(Command{Kind: CmdStartTimer, Frame: f.ID, Seq: f.Seq, Purpose: TimerHeartbeat, At: f.HeartbeatDeadline})
	}
}

// taskDeadlinePassed reports whether a task timer that fired ends the task: a heartbeat
// timer is stale once a heartbeat has moved the deadline on.
func (e *Execution) taskDeadlinePassed(f *Frame, purpose TimerPurpose) bool {
	switch purpose {
	case TimerHeartbeat:
		return !f.HeartbeatDeadline.IsZero() && !e.now.Before(f.HeartbeatDeadline)
	case TimerTaskTimeout:
		return !f.TaskDeadline.IsZero() && !e.now.Before(f.TaskDeadline)
	}
	return false
}

// heartbeat restarts the heartbeat clock of a task that has one.
func (e *Execution) heartbeat(f *Frame) {
	if f.Task == nil || f.Task.HeartbeatSeconds <= 0 {
		return
	}
	f.HeartbeatDeadline = e.now.Add(secondsToDuration(f.Task.HeartbeatSeconds))
	e.command(Command{Kind: CmdStartTimer, Frame: f.ID, Seq: f.Seq, Purpose: TimerHeartbeat, At: f.HeartbeatDeadline})
}

// taskSubmitted records that a callback task's service call went through.
func (e *Execution) taskSubmitted(f *Frame, response value.Value) {
	st := f.scope.States[f.State]
	_, rtype, res := splitResource(st.Resource)
	var d any
	if e.record() {
		d = &types.TaskSubmittedEventDetails{Resource: aws.String(res), ResourceType: aws.String(rtype),
			Output: e.jsonText(response), OutputDetails: history.NotTruncated}
	}
	f.Prev = e.emit(types.HistoryEventTypeTaskSubmitted, f.Prev, d)
	f.Submitted = true
}

func (e *Execution) emitTaskScheduled(f *Frame, st *asl.State, call *TaskCall) {
	kind, rtype, res := splitResource(st.Resource)
	var d any
	if kind == activity {
		e.activityScheduled(f, call)
		return
	}
	if kind == lambdaFunction {
		if e.record() {
			x := &types.LambdaFunctionScheduledEventDetails{Resource: aws.String(res), Input: e.jsonText(call.Input), InputDetails: history.NotTruncated}
			if call.TimeoutSeconds > 0 {
				x.TimeoutInSeconds = aws.Int64(call.TimeoutSeconds)
			}
			x.TaskCredentials = taskCredentials(call)
			d = x
		}
		f.Prev = e.emit(types.HistoryEventTypeLambdaFunctionScheduled, f.Prev, d)
		f.Prev = e.emit(types.HistoryEventTypeLambdaFunctionStarted, f.Prev, nil)
		return
	}
	if e.record() {
		x := &types.TaskScheduledEventDetails{Resource: aws.String(res), ResourceType: aws.String(rtype),
			Region: aws.String(e.Meta.Region), Parameters: e.jsonText(call.Input)}
		if call.TimeoutSeconds > 0 {
			x.TimeoutInSeconds = aws.Int64(call.TimeoutSeconds)
		}
		if call.HeartbeatSeconds > 0 {
			x.HeartbeatInSeconds = aws.Int64(call.HeartbeatSeconds)
		}
		x.TaskCredentials = taskCredentials(call)
		d = x
	}
	f.Prev = e.emit(types.HistoryEventTypeTaskScheduled, f.Prev, d)
	d = nil
	if e.record() {
		d = &types.TaskStartedEventDetails{Resource: aws.String(res), ResourceType: aws.String(rtype)}
	}
	f.Prev = e.emit(types.HistoryEventTypeTaskStarted, f.Prev, d)
}

func (e *Execution) taskDone(f *Frame, in Input) {
	if e.taskDeadlinePassed(f, TimerTaskTimeout) || e.taskDeadlinePassed(f, TimerHeartbeat) {
		// The outcome came at or after the task's deadline (a handler that gave up at
		// the same moment, or an answer in the same turn as the timer): on AWS the
		// timeout comes first.
		e.taskTimedOut(f)
		return
	}
	st := f.scope.States[f.State]
	kind, rtype, res := splitResource(st.Resource)
	if in.Kind == InputTaskSucceeded && tooBig(in.Output) {
		// AWS names a service integration by its service (the event's resourceType),
		// and a Lambda function or activity by its ARN.
		name := st.Resource
		if kind == serviceIntegration && rtype != "" {
			name = rtype
		}
		in = Input{Kind: InputTaskFailed, Error: aws.String(failure.DataLimitExceeded),
			Cause: aws.String("The state/task '" + name + "' returned a result with a size exceeding the maximum number of bytes service limit.")}
	}
	f.Task = nil
	if kind == activity {
		e.activityDone(f, st, in)
		return
	}
	if in.Kind == InputTaskSucceeded {
		var d any
		t := types.HistoryEventTypeTaskSucceeded
		if kind == lambdaFunction {
			t = types.HistoryEventTypeLambdaFunctionSucceeded
			if e.record() {
				d = &types.LambdaFunctionSucceededEventDetails{Output: e.jsonText(in.Output), OutputDetails: history.NotTruncated}
			}
		} else if e.record() {
			d = &types.TaskSucceededEventDetails{Resource: aws.String(res), ResourceType: aws.String(rtype), Output: e.jsonText(in.Output), OutputDetails: history.NotTruncated}
		}
		f.Prev = e.emit(t, f.Prev, d)
		f.Phase = PhaseReady
		f.Seq++
		e.complete(f, st, in.Output)
		return
	}
	var d any
	t := types.HistoryEventTypeTaskFailed
	if kind == lambdaFunction {
		t = types.HistoryEventTypeLambdaFunctionFailed
		if e.record() {
			d = &types.LambdaFunctionFailedEventDetails{Error: in.Error, Cause: in.Cause}
		}
	} else if e.record() {
		d = &types.TaskFailedEventDetails{Resource: aws.String(res), ResourceType: aws.String(rtype), Error: in.Error, Cause: in.Cause}
	}
	id := e.emit(t, f.Prev, d)
	f.Phase = PhaseReady
	f.Seq++
	e.handleError(f, st, &Raised{Error: in.Error, Cause: in.Cause, EventID: id, TaskOutcome: true})
}

func (e *Execution) taskTimedOut(f *Frame) {
	st := f.scope.States[f.State]
	kind, rtype, res := splitResource(st.Resource)
	e.command(Command{Kind: CmdCancelTask, Frame: f.ID, Seq: f.Seq, Task: f.Task})
	f.Task = nil
	var d any
	t := types.HistoryEventTypeTaskTimedOut
	if kind == activity {
		t = types.HistoryEventTypeActivityTimedOut
		if e.record() {
			d = &types.ActivityTimedOutEventDetails{Error: aws.String(failure.Timeout)}
		}
	} else if kind == lambdaFunction {
		t = types.HistoryEventTypeLambdaFunctionTimedOut
		if e.record() {
			d = &types.LambdaFunctionTimedOutEventDetails{Error: aws.String(failure.Timeout)}
		}
	} else if e.record() {
		d = &types.TaskTimedOutEventDetails{Resource: aws.String(res), ResourceType: aws.String(rtype), Error: aws.String(failure.Timeout)}
	}
	id := e.emit(t, f.Prev, d)
	f.Phase = PhaseReady
	f.Seq++
	e.handleError(f, st, &Raised{Error: aws.String(failure.Timeout), EventID: id, TaskOutcome: true})
}

// taskCredentials is the role a task's Credentials field assumes, as its scheduled
// event records it (nil without Credentials).
func taskCredentials(call *TaskCall) *types.TaskCredentials {
	if o, ok := call.Credentials.(*value.Object); ok {
		if r, ok := o.Get("RoleArn"); ok {
			return &types.TaskCredentials{RoleArn: aws.String(plain(r))}
		}
	}
	return nil
}
