package engine

import (
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/ids"
	"github.com/stepdeck/stepdeck/interpreter/template"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func (e *Execution) parallel(f *Frame, st *asl.State) {
	redo := keptFor(f.Redo, len(st.Branches))
	f.Redo, f.Kept = nil, nil
	eff, ok := e.inputPath(f, st)
	if !ok {
		return
	}
	input, ok := e.parameters(f, st, eff, "")
	if !ok {
		return
	}
	started := e.emit(types.HistoryEventTypeParallelStateStarted, f.Prev, nil)
	f.Prev = started
	f.Phase = PhaseChildren
	f.Seq++
	f.Results = make([]value.Value, len(st.Branches))
	f.Children = f.Children[:0]
	f.Running = 0
	for i, b := range st.Branches {
		if redo != nil && redo.Done[i] {
			f.Results[i] = redo.Results[i]
			continue
		}
		c := e.newFrame(f.ID, BranchFrame, i, b, input, started, &Vars{Parent: f.Vars})
		if redo != nil && redo.Stopped[i] != nil {
			resumeAt(c, redo.Stopped[i])
		}
		c.Silent = f.Silent
		f.Children = append(f.Children, c.ID)
		f.Running++
	}
	if f.Running == 0 { // a redrive found every branch done
		e.emit(types.HistoryEventTypeParallelStateSucceeded, started, nil)
		f.Phase = PhaseReady
		e.joinTexts(f.Results)
		e.complete(f, st, f.Results)
	}
}

func (e *Execution) distributed(st *asl.State) bool { return st.ProcessorMode == "DISTRIBUTED" }

func (e *Execution) mapState(f *Frame, st *asl.State) {
	redo := f.Redo
	f.Redo, f.Kept, f.Stopped = nil, nil, nil
	f.TolCountSet, f.TolPctSet = false, false
	eff, ok := e.inputPath(f, st)
	if !ok {
		return
	}
	f.EffInput = eff
	f.MapRunArn = ""
	var err error
	if st.ItemReader != nil && e.distributed(st) {
		// The reader's items replace the input's: AWS ignores ItemsPath then.
		e.startReader(f, st, eff, redo)
		return
	}
	items := eff
	switch {
	case st.ItemsPath != nil:
		if items, err = st.ItemsPath.Eval(e.env(f, st, eff, nil, "")); err != nil {
			e.raise(f, st, failure.InvalidPath(st.ItemsPath, err))
			return
		}
	case st.Items != nil:
		if items, err = e.evalJ(st.Items, f, st, statesVar{}); err != nil {
			e.raise(f, st, err)
			return
		}
		if _, isArray := items.([]any); !isArray && st.Items.Expression() != "" {
			e.raise(f, st, template.QueryError(st.Items.Expression(), "Items",
				fmt.Sprintf("returned an unexpected result type. Expected 'array', but was '%s' for value: %s", value.KindOf(items), value.String(items))))
			return
		}
	}
	list, ok := items.([]any)
	if !ok {
		name := failure.Runtime
		if st.IsJSONata() {
			name = failure.QueryEvaluationError
		}
		e.raise(f, st, failure.Newf(name, "Map state input must be an array but was: %s", value.String(items)))
		return
	}
	limit, err := e.resolveInt(f, st, st.MaxConcurrency, "MaxConcurrency", eff)
	if err != nil {
		e.raise(f, st, err)
		return
	}
	var d any
	if e.record() {
		d = &types.MapStateStartedEventDetails{Length: int32(len(list))}
	}
	started := e.emit(types.HistoryEventTypeMapStateStarted, f.Prev, d)
	f.Prev = started
	// AWS reads the failure tolerance once the map has started.
	if _, _, err := e.tolerance(f, st, eff); err != nil {
		e.raise(f, st, err)
		return
	}
	if st.ItemBatcher != nil {
		if list, err = e.batches(f, st, eff, list); err != nil {
			e.raise(f, st, err)
			return
		}
	}
	if e.distributed(st) {
		// A distributed map runs its items as child executions with their own
		// histories; the parent records only the map run.
		e.mapRunStarted(f, st)
	}
	e.runItems(f, st, list, limit, redo)
}

// runItems starts a Map's iterations over its items (batches, when it batches).
func (e *Execution) runItems(f *Frame, st *asl.State, list []any, limit int64, redo *Kept) {
	f.Items = list
	f.Results = make([]value.Value, len(list))
	f.NextItem, f.Running, f.Failures, f.Finished = 0, 0, 0, 0
	f.Children = f.Children[:0]
	f.Phase = PhaseChildren
	f.Seq++
	if f.Redo = keptFor(redo, len(list)); f.Redo != nil {
		for i, done := range f.Redo.Done {
			if done {
				f.Results[i] = f.Redo.Results[i]
				f.Finished++
			}
		}
		e.skipDone(f)
	}
	if f.NextItem >= len(list) {
		e.mapSucceeded(f, st)
		return
	}
	if limit <= 0 || limit > int64(len(list)) {
		limit = int64(len(list))
	}
	f.Limit = int(limit)
	for f.Running < f.Limit && f.NextItem < len(list) && f.Phase == PhaseChildren {
		e.startIteration(f, st, f.Prev)
	}
}

// mapRunArn names a distributed map's run: arn:...:mapRun:<machine>/<label or id>:<id>.
func (e *Execution) mapRunArn(st *asl.State) string {
	label := st.Label
	if label == "" {
		label = ids.UUID()
	}
	base := e.Meta.StateMachineArn
	if i := lastIndex(base, ":stateMachine:"); i >= 0 {
		base = base[:i] + ":mapRun:" + base[i+len(":stateMachine:"):]
	}
	return base + "/" + label + ":" + ids.UUID()
}

func lastIndex(s, sub string) int {
	for i := len(s) - len(sub); i >= 0; i-- {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// tolerance reads ToleratedFailureCount and ToleratedFailurePercentage; a negative
// value means the field is not set.
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
		if tp.Expr != nil {
			v, jerr := e.evalJ(tp.Expr, f, st, statesVar{})
			if jerr != nil {
				return 0, 0, jerr
			}
			var ok bool
			if pct, ok = value.ToFloat(v); !ok {
				return 0, 0, template.QueryError(tp.Expr.Expression(), "ToleratedFailurePercentage",
					fmt.Sprintf("returned an unexpected result type. Expected 'number', but was '%s' for value: %s", value.KindOf(v), value.String(v)))
			}
		}
		if tp.Path != nil {
			v, perr := tp.Path.Eval(e.env(f, st, eff, nil, ""))
			if perr != nil {
				return 0, 0, failure.InvalidPath(tp.Path, perr)
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
	id := prev
	if !e.distributed(st) {
		var d any
		if e.record() {
			d = &types.MapIterationEventDetails{Index: int32(i), Name: aws.String(st.Name)}
		}
		id = e.emit(types.HistoryEventTypeMapIterationStarted, prev, d)
	}
	input := f.Items[i]
	var resume *StopPoint
	if f.Redo != nil {
		resume = f.Redo.Stopped[i]
	}
	if st.ItemSelector != nil && st.ItemBatcher == nil && resume == nil {
		v, err := e.selectItem(f, st, i, input)
		if err != nil {
			e.raise(f, st, err)
			return
		}
		input = v
	}
	vars := &Vars{Parent: f.Vars}
	if e.distributed(st) {
		vars = &Vars{} // child executions see none of the parent's variables
	}
	c := e.newFrame(f.ID, IterationFrame, i, st.ItemProcessor, input, id, vars)
	if resume != nil {
		resumeAt(c, resume)
	}
	c.Silent = f.Silent || e.distributed(st)
	f.Children = append(f.Children, c.ID)
	f.Running++
	e.skipDone(f)
}

// skipDone moves a redriven Map past the items its earlier run finished.
func (e *Execution) skipDone(f *Frame) {
	for f.Redo != nil && f.NextItem < len(f.Redo.Done) && f.Redo.Done[f.NextItem] {
		f.NextItem++
	}
}

// childDone takes a finished branch or iteration into its Parallel or Map state.
func (e *Execution) childDone(f *Frame, st *asl.State, c *Frame) {
	if f.Phase != PhaseChildren {
		return
	}
	e.muted = f.Silent
	f.Running--
	f.Children = removeID(f.Children, c.ID)
	if st.Type == asl.Parallel {
		e.branchDone(f, st, c)
		return
	}
	e.iterationDone(f, st, c)
}

func (e *Execution) branchDone(f *Frame, st *asl.State, c *Frame) {
	if c.Err != nil {
		f.Kept = e.capture(f, c)
		e.abortChildren(f, c.Err.EventID, c)
		e.childrenFailed(f, st, c.Err, c.Err.EventID, types.HistoryEventTypeParallelStateFailed)
		return
	}
	f.Results[c.Index] = c.Output
	f.Prev = c.Prev
	if f.Running == 0 {
		e.emit(types.HistoryEventTypeParallelStateSucceeded, c.Prev, nil)
		f.Phase = PhaseReady
		e.joinTexts(f.Results)
		e.complete(f, st, f.Results)
	}
}

func (e *Execution) iterationDone(f *Frame, st *asl.State, c *Frame) {
	dist := e.distributed(st)
	var d any
	if e.record() && !dist {
		d = &types.MapIterationEventDetails{Index: int32(c.Index), Name: aws.String(st.Name)}
	}
	if c.Err != nil {
		if !dist {
			e.emit(types.HistoryEventTypeMapIterationFailed, c.Err.EventID, d)
		}
		f.Failures++
		count, pct, _ := e.tolerance(f, st, f.EffInput)
		count, pct = f.toleranceOf(count, pct)
		tolerated := (count >= 0 && int64(f.Failures) <= count) ||
			(pct >= 0 && float64(f.Failures)*100 <= pct*float64(len(f.Items)))
		if !tolerated || c.Err.Uncatchable {
			cause := c.Err.EventID
			if dist {
				cause = f.Prev // the map run's event
			}
			f.Kept = e.capture(f, c)
			e.abortChildren(f, cause, c)
			r := c.Err
			if count >= 0 || pct >= 0 {
				r = &Raised{Error: aws.String(failure.ExceedToleratedFailureThreshold),
					Cause: aws.String("The specified tolerated failure threshold was exceeded"), Uncatchable: c.Err.Uncatchable}
			}
			e.childrenFailed(f, st, r, cause, types.HistoryEventTypeMapStateFailed)
			return
		}
		f.Results[c.Index] = errorOutput(c.Err)
		if f.Stopped == nil {
			f.Stopped = map[int]*StopPoint{}
		}
		f.Stopped[c.Index] = e.stopOf(c)
		if !dist {
			f.Prev = c.Err.EventID
		}
	} else {
		if !dist {
			f.Prev = e.emit(types.HistoryEventTypeMapIterationSucceeded, c.Prev, d)
		}
		f.Results[c.Index] = c.Output
	}
	f.Finished++
	if f.NextItem < len(f.Items) {
		prev := c.Prev
		if dist {
			prev = f.Prev
		}
		e.startIteration(f, st, prev)
		return
	}
	if f.Running == 0 {
		e.mapSucceeded(f, st)
	}
}

func (e *Execution) mapSucceeded(f *Frame, st *asl.State) {
	if e.startWriter(f, st) {
		return // the results go to S3 first (resultwriter.go)
	}
	results := f.Results
	if results == nil {
		results = []any{}
	}
	e.joinTexts(results)
	e.finishMap(f, st, results)
}

// finishMap records a Map's success and completes it with its result.
func (e *Execution) finishMap(f *Frame, st *asl.State, result value.Value) {
	if e.distributed(st) {
		f.Prev = e.emit(types.HistoryEventTypeMapRunSucceeded, f.Prev, nil)
	}
	e.emit(types.HistoryEventTypeMapStateSucceeded, f.Prev, nil)
	f.Phase = PhaseReady
	f.Redo, f.Stopped = nil, nil
	e.complete(f, st, result)
}

// childrenFailed handles the failure of a Parallel or Map: a retry starts it over;
// otherwise the state records its failure and goes to Catch.
func (e *Execution) childrenFailed(f *Frame, st *asl.State, r *Raised, causeID int64, failed types.HistoryEventType) {
	f.Phase = PhaseReady
	f.Results, f.Items = nil, nil
	f.Redo, f.Stopped = nil, nil
	raised := &Raised{Error: r.Error, Cause: r.Cause, EventID: causeID, Uncatchable: r.Uncatchable}
	if e.tryRetry(f, st, raised) {
		return
	}
	prev := causeID
	if st.Type == asl.Map && e.distributed(st) {
		var d any
		if e.record() {
			d = &types.MapRunFailedEventDetails{Error: r.Error, Cause: r.Cause}
		}
		prev = e.emit(types.HistoryEventTypeMapRunFailed, prev, d)
	}
	raised.EventID = e.emit(failed, prev, nil)
	e.catchOrFail(f, st, raised)
}

// abortChildren stops every running branch or iteration of f, recording what AWS
// records, in branch or item order: for an iteration MapIterationAborted, then the
// aborted event of its state. failed, when set, is the branch or iteration whose
// failure ends f: AWS aborts it with the others, which shows only when it failed in a
// Task (TaskStateAborted after the task's failure event).
func (e *Execution) abortChildren(f *Frame, cause int64, failed *Frame) {
	st := f.scope.States[f.State]
	children := make([]*Frame, 0, len(f.Children)+1)
	for _, id := range f.Children {
		if c := e.frames[id]; c != nil {
			children = append(children, c)
		}
	}
	if failed != nil {
		children = append(children, failed)
	}
	sort.SliceStable(children, func(i, j int) bool { return children[i].Index < children[j].Index })
	for _, c := range children {
		if c == failed {
			e.abortFailedTask(c)
			continue
		}
		if c.Kind == IterationFrame && !c.Silent {
			var d any
			if e.record() {
				d = &types.MapIterationEventDetails{Index: int32(c.Index), Name: aws.String(st.Name)}
			}
			e.emit(types.HistoryEventTypeMapIterationAborted, cause, d)
		}
		e.abortFrame(c, cause)
	}
	f.Children = f.Children[:0]
	f.Running = 0
}

// abortFailedTask records TaskStateAborted for a branch or iteration that ended in a
// Task's failure (TaskFailed, TaskTimedOut and kin), as AWS does when the failure ends
// the Parallel or Map around it.
func (e *Execution) abortFailedTask(c *Frame) {
	if c.Silent || c.Err == nil || !c.Err.TaskOutcome {
		return
	}
	if st := c.scope.States[c.State]; st == nil || st.Type != asl.Task {
		return
	}
	e.emit(types.HistoryEventTypeTaskStateAborted, c.Err.EventID, nil)
}

func (e *Execution) abortFrame(c *Frame, cause int64) {
	delete(e.frames, c.ID)
	if c.Phase == PhaseReady || c.Phase == PhaseDone {
		return
	}
	st := c.scope.States[c.State]
	if c.Phase == PhaseChildren {
		e.abortChildren(c, cause, nil)
	}
	if c.Phase == PhaseTask && c.Task != nil {
		e.command(Command{Kind: CmdCancelTask, Frame: c.ID, Seq: c.Seq, Task: c.Task})
	}
	if t := stateEvents[st.Type].aborted; t != "" && !c.Silent {
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

// batches groups a Map's items as its ItemBatcher says: each child gets
// {"Items": [...], "BatchInput": ...}, with ItemSelector applied to every item first.
func (e *Execution) batches(f *Frame, st *asl.State, eff value.Value, items []any) ([]any, error) {
	b := st.ItemBatcher
	maxItems, err := e.resolveInt(f, st, b.MaxItemsPerBatch, "MaxItemsPerBatch", eff)
	if err != nil {
		return nil, err
	}
	maxBytes, err := e.resolveInt(f, st, b.MaxInputBytesPerBatch, "MaxInputBytesPerBatch", eff)
	if err != nil {
		return nil, err
	}
	if maxItems < 0 || maxBytes < 0 {
		return nil, failure.New(failure.Runtime, "The ItemBatcher limits must not be negative.")
	}
	if maxBytes == 0 || maxBytes > MaxPayloadBytes {
		maxBytes = MaxPayloadBytes
	}
	var batchInput value.Value
	switch {
	case b.BatchInput != nil && st.IsJSONata():
		if batchInput, err = e.evalJ(b.BatchInput, f, st, statesVar{}); err != nil {
			return nil, err
		}
	case b.BatchInput != nil:
		if batchInput, err = e.evalTemplate(b.BatchInput, f, st, eff, nil, ""); err != nil {
			return nil, err
		}
	}
	var out []any
	var cur []any
	size := 0
	flush := func() {
		if len(cur) == 0 {
			return
		}
		o := value.NewObject(2)
		if b.BatchInput != nil {
			o.Set("BatchInput", batchInput) // first, as AWS records it
		}
		o.Set("Items", cur)
		out = append(out, o)
		cur, size = nil, 0
	}
	for i, item := range items {
		if st.ItemSelector != nil {
			if item, err = e.selectItem(f, st, i, item); err != nil {
				return nil, err
			}
		}
		n := value.EncodedLen(item) + 1
		if len(cur) > 0 && (maxItems > 0 && int64(len(cur)) >= maxItems || int64(size+n) > maxBytes) {
			flush()
		}
		cur = append(cur, item)
		size += n
	}
	flush()
	return out, nil
}

// selectItem builds an item's input with the Map's ItemSelector.
func (e *Execution) selectItem(f *Frame, st *asl.State, i int, item value.Value) (value.Value, error) {
	if st.IsJSONata() {
		return e.evalJ(st.ItemSelector, f, st, statesVar{item: &mapItem{index: i, value: item}})
	}
	return e.evalTemplate(st.ItemSelector, f, st, f.EffInput, &mapItem{index: i, value: item}, "")
}
