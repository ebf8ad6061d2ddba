package engine

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func (e *Execution) parallel(f *Frame, st *asl.State) {
	eff, err := e.inputPath(f, st)
	if err != nil {
		e.raise(f, st, err)
		return
	}
	input := eff
	if st.Parameters != nil {
		if input, err = e.evalTemplate(st.Parameters, f, st, eff, nil, ""); err != nil {
			e.raise(f, st, err)
			return
		}
	}
	started := e.emit(types.HistoryEventTypeParallelStateStarted, f.Prev, nil)
	f.Prev = started
	f.Phase = PhaseChildren
	f.Seq++
	f.Results = make([]value.Value, len(st.Branches))
	f.Children = f.Children[:0]
	f.Running = len(st.Branches)
	for i, b := range st.Branches {
		c := e.newFrame(f.ID, BranchFrame, i, b, input, started, &Vars{Parent: f.Vars})
		f.Children = append(f.Children, c.ID)
	}
}

func (e *Execution) mapState(f *Frame, st *asl.State) {
	eff, err := e.inputPath(f, st)
	if err != nil {
		e.raise(f, st, err)
		return
	}
	f.EffInput = eff
	items := eff
	if st.ItemsPath != nil {
		if items, err = st.ItemsPath.Eval(e.env(f, st, eff, nil, "")); err != nil {
			e.raise(f, st, pathFailure(st.ItemsPath, err))
			return
		}
	}
	list, ok := items.([]any)
	if !ok {
		e.raise(f, st, failure.Newf(failure.Runtime, "Map state input must be an array but was: %s", value.String(items)))
		return
	}
	limit, err := e.resolveInt(f, st, st.MaxConcurrency, "MaxConcurrency", eff)
	if err != nil {
		e.raise(f, st, err)
		return
	}
	if _, _, err := e.tolerance(f, st, eff); err != nil {
		e.raise(f, st, err)
		return
	}
	var d any
	if e.record() {
		d = &types.MapStateStartedEventDetails{Length: int32(len(list))}
	}
	started := e.emit(types.HistoryEventTypeMapStateStarted, f.Prev, d)
	f.Prev = started
	f.Items = list
	f.Results = make([]value.Value, len(list))
	f.NextItem, f.Running, f.Failures, f.Finished = 0, 0, 0, 0
	f.Children = f.Children[:0]
	f.Phase = PhaseChildren
	f.Seq++
	if len(list) == 0 {
		e.emit(types.HistoryEventTypeMapStateSucceeded, started, nil)
		f.Phase = PhaseReady
		e.complete(f, st, []any{})
		return
	}
	if limit <= 0 || limit > int64(len(list)) {
		limit = int64(len(list))
	}
	f.Limit = int(limit)
	for f.Running < f.Limit && f.NextItem < len(list) && f.Phase == PhaseChildren {
		e.startIteration(f, st, started)
	}
}

// tolerance reads ToleratedFailureCount and ToleratedFailurePercentage; a negative
// count means none was set.
func (e *Execution) tolerance(f *Frame, st *asl.State, eff value.Value) (count int64, pct float64, err error) {
	count, pct = -1, -1
	if st.ToleratedFailureCount.Set {
		if count, err = e.resolveInt(f, st, st.ToleratedFailureCount, "ToleratedFailureCount", eff); err != nil {
			return
		}
		if count < 0 {
			return 0, 0, failure.New(failure.Runtime, "ToleratedFailureCount cannot be negative.")
		}
	}
	if tp := st.ToleratedFailurePct; tp.Set {
		pct = tp.Value
		if tp.Path != nil {
			v, perr := tp.Path.Eval(e.env(f, st, eff, nil, ""))
			if perr != nil {
				return 0, 0, pathFailure(tp.Path, perr)
			}
			var ok bool
			if pct, ok = floatFromPath(v); !ok {
				return 0, 0, failure.Newf(failure.Runtime, "The ToleratedFailurePercentagePath field refers to value \"%s\" which is not a valid float: %s", plain(v), tp.Path)
			}
		}
		if pct < 0 || pct > 100 {
			return 0, 0, failure.New(failure.Runtime, "ToleratedFailurePercentage must be between 0 and 100.")
		}
	}
	return count, pct, nil
}

func (e *Execution) startIteration(f *Frame, st *asl.State, prev int64) {
	i := f.NextItem
	f.NextItem++
	var d any
	if e.record() {
		d = &types.MapIterationEventDetails{Index: int32(i), Name: aws.String(st.Name)}
	}
	id := e.emit(types.HistoryEventTypeMapIterationStarted, prev, d)
	input := f.Items[i]
	if st.ItemSelector != nil {
		v, err := e.evalTemplate(st.ItemSelector, f, st, f.EffInput, &mapItem{index: i, value: input}, "")
		if err != nil {
			e.raise(f, st, err)
			return
		}
		input = v
	}
	c := e.newFrame(f.ID, IterationFrame, i, st.ItemProcessor, input, id, &Vars{Parent: f.Vars})
	f.Children = append(f.Children, c.ID)
	f.Running++
}

// childDone takes a finished branch or iteration into its Parallel or Map state.
func (e *Execution) childDone(f *Frame, st *asl.State, c *Frame) {
	if f.Phase != PhaseChildren {
		return
	}
	f.Running--
	f.Children = removeID(f.Children, c.ID)
	if st.Type == asl.Parallel {
		if c.Err != nil {
			e.abortChildren(f, c.Err.EventID)
			id := e.emit(types.HistoryEventTypeParallelStateFailed, c.Err.EventID, nil)
			e.childrenFailed(f, st, c.Err, id)
			return
		}
		f.Results[c.Index] = c.Output
		f.Prev = c.Prev
		if f.Running == 0 {
			e.emit(types.HistoryEventTypeParallelStateSucceeded, c.Prev, nil)
			f.Phase = PhaseReady
			e.complete(f, st, f.Results)
		}
		return
	}
	var d any
	if e.record() {
		d = &types.MapIterationEventDetails{Index: int32(c.Index), Name: aws.String(st.Name)}
	}
	if c.Err != nil {
		e.emit(types.HistoryEventTypeMapIterationFailed, c.Err.EventID, d)
		f.Failures++
		count, pct, _ := e.tolerance(f, st, f.EffInput)
		tolerated := (count >= 0 && int64(f.Failures) <= count) ||
			(pct >= 0 && float64(f.Failures)*100 <= pct*float64(len(f.Items)))
		if !tolerated || c.Err.Uncatchable {
			e.abortChildren(f, c.Err.EventID)
			id := e.emit(types.HistoryEventTypeMapStateFailed, c.Err.EventID, nil)
			r := c.Err
			if count >= 0 || pct >= 0 {
				r = &Raised{Error: aws.String(failure.ExceedToleratedFailureThreshold),
					Cause: aws.String("The specified tolerated failure threshold was exceeded"), Uncatchable: c.Err.Uncatchable}
			}
			e.childrenFailed(f, st, r, id)
			return
		}
		f.Results[c.Index] = errorOutput(c.Err)
		f.Prev = c.Err.EventID
	} else {
		f.Prev = e.emit(types.HistoryEventTypeMapIterationSucceeded, c.Prev, d)
		f.Results[c.Index] = c.Output
	}
	f.Finished++
	if f.NextItem < len(f.Items) {
		e.startIteration(f, st, c.Prev)
		return
	}
	if f.Running == 0 {
		e.emit(types.HistoryEventTypeMapStateSucceeded, f.Prev, nil)
		f.Phase = PhaseReady
		e.complete(f, st, f.Results)
	}
}

// childrenFailed hands the error of a failed Parallel or Map to its Retry and Catch.
func (e *Execution) childrenFailed(f *Frame, st *asl.State, r *Raised, failedID int64) {
	f.Phase = PhaseReady
	f.Results, f.Items = nil, nil
	e.handleError(f, st, &Raised{Error: r.Error, Cause: r.Cause, EventID: failedID, Uncatchable: r.Uncatchable})
}

// abortChildren stops every running branch or iteration of f, recording what AWS
// records: the aborted state of each, and MapIterationAborted for iterations.
func (e *Execution) abortChildren(f *Frame, cause int64) {
	st := f.scope.States[f.State]
	for _, id := range f.Children {
		c := e.frames[id]
		if c == nil {
			continue
		}
		e.abortFrame(c, cause)
		if c.Kind == IterationFrame {
			var d any
			if e.record() {
				d = &types.MapIterationEventDetails{Index: int32(c.Index), Name: aws.String(st.Name)}
			}
			e.emit(types.HistoryEventTypeMapIterationAborted, cause, d)
		}
	}
	f.Children = f.Children[:0]
	f.Running = 0
}

func (e *Execution) abortFrame(c *Frame, cause int64) {
	delete(e.frames, c.ID)
	if c.Phase == PhaseReady || c.Phase == PhaseDone {
		return
	}
	st := c.scope.States[c.State]
	if c.Phase == PhaseChildren {
		e.abortChildren(c, cause)
	}
	if c.Phase == PhaseTask && c.Task != nil {
		e.command(Command{Kind: CmdCancelTask, Frame: c.ID, Seq: c.Seq, Task: c.Task})
	}
	if t, ok := abortedType(st.Type); ok {
		e.emit(t, cause, nil)
	}
}

func removeID(ids []int, id int) []int {
	for i, x := range ids {
		if x == id {
			return append(ids[:i], ids[i+1:]...)
		}
	}
	return ids
}
