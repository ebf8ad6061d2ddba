package engine

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// A distributed Map with an ItemReader gets its items from a service call (an S3 read)
// that the driver makes, as it runs a Task's: the Map's frame waits in PhaseTask with a
// TaskCall named after the Map, so mocks, handlers, snapshots, Rearm and cancellation
// treat it as any task. AWS records no task events for the read: the history shows
// MapStateStarted (length 0) and MapRunStarted before it, and MapRunFailed with
// States.ItemReaderFailed when it goes wrong.

// startReader begins a Map state that reads its items: it records the start of the
// map run and asks the driver for the read.
func (e *Execution) startReader(f *Frame, st *asl.State, eff value.Value, redo *Kept) {
	r := st.ItemReader
	params := eff
	var err error
	switch {
	case r.Parameters != nil:
		params, err = e.evalTemplate(r.Parameters, f, st, eff, nil, "")
	case r.Arguments != nil:
		params, err = e.evalJ(r.Arguments, f, st, statesVar{})
	}
	if err != nil {
		e.raise(f, st, err)
		return
	}
	if _, err := e.resolveInt(f, st, st.MaxConcurrency, "MaxConcurrency", eff); err != nil {
		e.raise(f, st, err)
		return
	}
	var d any
	if e.record() {
		// AWS counts no items before it has read them.
		d = &types.MapStateStartedEventDetails{Length: 0}
	}
	f.Prev = e.emit(types.HistoryEventTypeMapStateStarted, f.Prev, d)
	if _, _, err := e.tolerance(f, st, eff); err != nil {
		e.raise(f, st, err)
		return
	}
	e.mapRunStarted(f, st)
	call := &TaskCall{StateName: st.Name, Resource: r.Resource, Input: params, Attempt: f.RetryCount}
	f.Redo = redo // kept for the items once they are read
	f.Items, f.Results = nil, nil
	f.Task = call
	f.Phase = PhaseTask
	f.Seq++
	f.Submitted = false
	f.TaskDeadline, f.HeartbeatDeadline = time.Time{}, time.Time{}
	e.command(Command{Kind: CmdInvokeTask, Frame: f.ID, Seq: f.Seq, Task: call})
}

// mapRunStarted names a distributed Map's run and records its start.
func (e *Execution) mapRunStarted(f *Frame, st *asl.State) {
	f.MapRunArn = e.mapRunArn(st)
	var d any
	if e.record() {
		d = &types.MapRunStartedEventDetails{MapRunArn: aws.String(f.MapRunArn)}
	}
	f.Prev = e.emit(types.HistoryEventTypeMapRunStarted, f.Prev, d)
}

// itemsRead takes the outcome of a Map's read: the items run as the Map's children, or
// the map run fails with States.ItemReaderFailed.
func (e *Execution) itemsRead(f *Frame, in Input) {
	st := f.scope.States[f.State]
	f.Task = nil
	f.Seq++
	if in.Kind != InputTaskSucceeded {
		e.readerFailed(f, st, callFailureCause(in, "the item reader's call failed", failure.ItemReaderFailed))
		return
	}
	maxItems, err := e.resolveInt(f, st, st.ItemReader.MaxItems, "MaxItems", f.EffInput)
	if err != nil {
		e.readerFailed(f, st, failureCause(err))
		return
	}
	if maxItems < 0 {
		e.readerFailed(f, st, "field MaxItems must be positive")
		return
	}
	list, err := parseItems(st.ItemReader, in.Output, maxItems)
	if err != nil {
		e.readerFailed(f, st, fmt.Sprintf("%s (resource %s)", err.Error(), st.ItemReader.Resource))
		return
	}
	// startReader resolved it already, from the same input.
	limit, _ := e.resolveInt(f, st, st.MaxConcurrency, "MaxConcurrency", f.EffInput)
	if e.out != nil {
		if e.out.ItemsRead == nil {
			e.out.ItemsRead = map[string]int{}
		}
		e.out.ItemsRead[f.MapRunArn] = len(list)
	}
	redo := f.Redo
	f.Redo = nil
	if st.ItemBatcher != nil {
		if list, err = e.batches(f, st, f.EffInput, list); err != nil {
			// The map run has started: its failure is recorded as the run's.
			fe := asFailure(err)
			e.childrenFailed(f, st, &Raised{Error: aws.String(fe.Name), Cause: aws.String(fe.Cause), Uncatchable: uncatchable(fe.Name)},
				f.Prev, types.HistoryEventTypeMapStateFailed)
			return
		}
	}
	e.runItems(f, st, list, limit, redo)
}

// readerFailed ends the map run with States.ItemReaderFailed, which Retry and Catch
// see as any failure of the Map.
func (e *Execution) readerFailed(f *Frame, st *asl.State, cause string) {
	f.Redo = nil
	r := &Raised{Error: aws.String(failure.ItemReaderFailed), Cause: aws.String(cause)}
	e.childrenFailed(f, st, r, f.Prev, types.HistoryEventTypeMapStateFailed)
}

func failureCause(err error) string { return asFailure(err).Cause }

// callFailureCause is the cause a Map's reader or writer failure records for the
// failed call in: the call's cause (or fallback), prefixed by its error unless that is
// already the Map's own error name.
func callFailureCause(in Input, fallback, own string) string {
	cause := fallback
	if in.Cause != nil && *in.Cause != "" {
		cause = *in.Cause
	}
	if in.Error != nil && *in.Error != "" && *in.Error != own {
		cause = *in.Error + ": " + cause
	}
	return cause
}
