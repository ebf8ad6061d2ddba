package engine

import (
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// emit appends one event and returns its id. Once the execution has closed nothing more
// is recorded. details is built by the caller only when history is kept (see record).
func (e *Execution) emit(t types.HistoryEventType, prev int64, details any) int64 {
	if e.Done() {
		return e.lastID
	}
	if e.muted {
		e.silentEvents++
		if lim := int64(e.Opts.HistoryLimit); lim > 0 && e.silentEvents > lim*int64(len(e.frames)+1) {
			// Child executions have quotas of their own; one that runs away is
			// stopped here rather than left to spin.
			e.muted = false
			e.closeFailed(e.lastID, aws.String(failure.Runtime), aws.String("A child execution of a distributed Map exceeded the history quota."))
		}
		return 0
	}
	if lim := int64(e.Opts.HistoryLimit); lim > 0 && e.lastID+1 >= lim && !closing(t) {
		// AWS keeps the last slot for the closing event: anything else there fails
		// the execution.
		e.closeFailed(e.lastID, aws.String(failure.Runtime),
			aws.String("The execution reached the maximum number of history events ("+strconv.FormatInt(lim, 10)+")."))
		return e.lastID
	}
	e.lastID++
	if e.Opts.RecordHistory {
		ev := history.Event{ID: e.lastID, PreviousEventID: prev, Timestamp: e.now, Type: t, Details: details}
		e.History = append(e.History, ev)
		if e.out != nil {
			e.out.Events = append(e.out.Events, ev)
		}
	}
	return e.lastID
}

// record reports whether event details need building.
func (e *Execution) record() bool { return e.Opts.RecordHistory }

// stateEvents names the history events of each state type; an empty name means the
// type has no such event (a Fail state is never exited, a Pass never aborted).
var stateEvents = map[asl.StateType]struct{ entered, exited, aborted types.HistoryEventType }{
	asl.Task:     {types.HistoryEventTypeTaskStateEntered, types.HistoryEventTypeTaskStateExited, types.HistoryEventTypeTaskStateAborted},
	asl.Pass:     {types.HistoryEventTypePassStateEntered, types.HistoryEventTypePassStateExited, ""},
	asl.Choice:   {types.HistoryEventTypeChoiceStateEntered, types.HistoryEventTypeChoiceStateExited, ""},
	asl.Wait:     {types.HistoryEventTypeWaitStateEntered, types.HistoryEventTypeWaitStateExited, types.HistoryEventTypeWaitStateAborted},
	asl.Succeed:  {types.HistoryEventTypeSucceedStateEntered, types.HistoryEventTypeSucceedStateExited, ""},
	asl.Fail:     {types.HistoryEventTypeFailStateEntered, "", ""},
	asl.Parallel: {types.HistoryEventTypeParallelStateEntered, types.HistoryEventTypeParallelStateExited, types.HistoryEventTypeParallelStateAborted},
	asl.Map:      {types.HistoryEventTypeMapStateEntered, types.HistoryEventTypeMapStateExited, types.HistoryEventTypeMapStateAborted},
}

func (e *Execution) emitEntered(f *Frame, st *asl.State) int64 {
	var d any
	if e.record() {
		d = &types.StateEnteredEventDetails{Name: aws.String(st.Name), Input: e.jsonText(f.Input), InputDetails: history.NotTruncated}
	}
	return e.emit(stateEvents[st.Type].entered, f.Prev, d)
}

func (e *Execution) emitExited(f *Frame, st *asl.State, prev int64, output value.Value, assigned []assignment) int64 {
	var d any
	if e.record() {
		x := &types.StateExitedEventDetails{Name: aws.String(st.Name), Output: e.jsonText(output), OutputDetails: history.NotTruncated}
		if assigned != nil {
			x.AssignedVariables = make(map[string]string, len(assigned))
			for _, a := range assigned {
				x.AssignedVariables[a.name] = value.String(a.value)
			}
			x.AssignedVariablesDetails = &types.AssignedVariablesDetails{Truncated: false}
		}
		d = x
	}
	return e.emit(stateEvents[st.Type].exited, prev, d)
}

// closeFailed ends the execution as FAILED.
func (e *Execution) closeFailed(prev int64, errName, cause *string) {
	var d any
	if e.record() {
		d = &types.ExecutionFailedEventDetails{Error: errName, Cause: cause}
	}
	e.emit(types.HistoryEventTypeExecutionFailed, prev, d)
	e.setClosed(types.ExecutionStatusFailed, errName, cause)
}

func (e *Execution) setClosed(s Status, errName, cause *string) {
	e.Status = s
	e.StopTime = e.now
	if errName != nil {
		e.Error, e.HasError = *errName, true
	}
	if cause != nil {
		e.Cause, e.HasCause = *cause, true
	}
	e.runq = e.runq[:0]
}

// closing reports whether t closes an execution.
func closing(t types.HistoryEventType) bool {
	switch t {
	case types.HistoryEventTypeExecutionSucceeded, types.HistoryEventTypeExecutionFailed,
		types.HistoryEventTypeExecutionAborted, types.HistoryEventTypeExecutionTimedOut:
		return true
	}
	return false
}
