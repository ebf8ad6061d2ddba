package engine

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/dataflow"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Start begins the execution at time now.
func (e *Execution) Start(now time.Time) *Result {
	e.begin(now)
	var d any
	if e.record() {
		in := e.Meta.Input
		if in == "" {
			in = "{}"
		}
		sd := &types.ExecutionStartedEventDetails{Input: aws.String(in), InputDetails: history.NotTruncated, RoleArn: aws.String(e.Meta.RoleArn)}
		if e.Meta.VersionArn != "" {
			sd.StateMachineVersionArn = aws.String(e.Meta.VersionArn)
		}
		if e.Meta.AliasArn != "" {
			sd.StateMachineAliasArn = aws.String(e.Meta.AliasArn)
		}
		d = sd
	}
	e.emit(types.HistoryEventTypeExecutionStarted, 0, d)
	// The first state of the machine names no previous event, as AWS records it.
	vars := &Vars{}
	if o := e.Opts.Variables; o != nil {
		for i := 0; i < o.Len(); i++ {
			k, v := o.At(i)
			vars.Set(k, v)
		}
	}
	e.newFrame(-1, RootFrame, 0, &e.Def.Scope, e.input, 0, vars)
	if e.Def.TimeoutSeconds > 0 {
		e.command(Command{Kind: CmdStartTimer, Frame: ExecutionFrame, Purpose: TimerExecutionTimeout,
			At: now.Add(time.Duration(e.Def.TimeoutSeconds) * time.Second)})
	}
	e.drain()
	return e.end()
}

// Advance applies one outcome at time now. Outcomes that are no longer awaited (a
// timer of a state that has moved on, a second answer to a task) are ignored.
func (e *Execution) Advance(in Input, now time.Time) *Result {
	e.begin(now)
	if e.Done() {
		return e.end()
	}
	switch in.Kind {
	case InputStop:
		e.stop(in.Error, in.Cause)
	case InputTimer:
		if in.Frame == ExecutionFrame {
			e.timedOut()
			break
		}
		if f := e.awaiting(in); f != nil {
			switch f.Phase {
			case PhaseWait:
				e.waitElapsed(f)
			case PhaseBackoff:
				e.retry(f)
			case PhaseTask:
				if e.taskDeadlinePassed(f, in.Purpose) {
					e.taskTimedOut(f)
				}
			}
		}
	case InputTaskSucceeded, InputTaskFailed:
		if f := e.awaiting(in); f != nil && f.Phase == PhaseTask {
			if st := f.scope.States[f.State]; st.Type == asl.Map {
				// A Map waits in PhaseTask only for its ItemReader or ResultWriter.
				if writing(f, st) {
					e.written(f, in)
				} else {
					e.itemsRead(f, in)
				}
				break
			}
			e.taskDone(f, in)
		}
	case InputTaskSubmitted:
		if f := e.awaiting(in); f != nil && f.Phase == PhaseTask && !f.Submitted {
			e.taskSubmitted(f, in.Output)
		}
	case InputHeartbeat:
		if f := e.awaiting(in); f != nil && f.Phase == PhaseTask {
			e.heartbeat(f)
		}
	case InputActivityStarted:
		if f := e.awaiting(in); f != nil && f.Phase == PhaseTask && !f.Submitted {
			e.activityStarted(f, in.Worker)
		}
	}
	e.drain()
	return e.end()
}

func (e *Execution) awaiting(in Input) *Frame {
	f := e.frames[in.Frame]
	if f == nil || f.Seq != in.Seq {
		return nil
	}
	e.muted = f.Silent
	return f
}

func (e *Execution) begin(now time.Time) {
	e.now = now
	e.muted = false
	e.out = &Result{}
}

func (e *Execution) end() *Result {
	r := e.out
	e.out = nil
	return r
}

func (e *Execution) command(c Command) {
	if e.out != nil {
		e.out.Commands = append(e.out.Commands, c)
	}
}

func (e *Execution) newFrame(parent int, kind FrameKind, index int, scope *asl.Scope, input value.Value, prev int64, vars *Vars) *Frame {
	f := &Frame{ID: e.nextFrame, Parent: parent, Kind: kind, Index: index, scope: scope, State: scope.StartAt, Input: input, Prev: prev, Vars: vars}
	e.nextFrame++
	e.frames[f.ID] = f
	e.runq = append(e.runq, f.ID)
	return f
}

// Resume goes on with work a previous call left ready (Result.More).
func (e *Execution) Resume(now time.Time) *Result {
	e.begin(now)
	e.drain()
	return e.end()
}

// drain runs every ready frame until all of them wait, the execution closes or the step
// budget is spent. Frames take turns one state at a time, so Parallel branches and Map
// iterations interleave.
func (e *Execution) drain() {
	budget := e.Opts.StepBudget
	if budget <= 0 {
		budget = DefaultStepBudget
	}
	for len(e.runq) > 0 && !e.Done() {
		round := e.runq
		e.runq = nil
		for i, id := range round {
			if e.Done() {
				return
			}
			if budget == 0 {
				e.runq = append(round[i:], e.runq...)
				e.out.More = true
				return
			}
			budget--
			f := e.frames[id]
			if f == nil || f.Phase != PhaseReady || e.gated(f) {
				continue
			}
			e.muted = f.Silent
			e.enter(f)
		}
	}
}

// enter records the entry into a frame's current state and runs it.
func (e *Execution) enter(f *Frame) {
	st := f.scope.States[f.State]
	f.Seq++
	f.EnteredTime = e.now
	f.RetryCounts = f.RetryCounts[:0]
	f.RetryCount = 0
	f.Kept = nil
	f.EnteredPrev = f.Prev
	f.EnteredID = e.emitEntered(f, st)
	f.Prev = f.EnteredID
	e.run(f, st)
}

// run executes a state's work; a retry runs it again without a new Entered event.
func (e *Execution) run(f *Frame, st *asl.State) {
	switch st.Type {
	case asl.Pass:
		e.pass(f, st)
	case asl.Task:
		e.task(f, st)
	case asl.Choice:
		e.choice(f, st)
	case asl.Wait:
		e.wait(f, st)
	case asl.Succeed:
		e.succeed(f, st)
	case asl.Fail:
		e.failState(f, st)
	case asl.Parallel:
		e.parallel(f, st)
	case asl.Map:
		e.mapState(f, st)
	}
}

// transition moves a frame on after its state exited with event exitID: to the next
// state, or to the end of its scope when next is empty.
func (e *Execution) transition(f *Frame, next string, output value.Value, exitID int64) {
	f.Prev = exitID
	f.Task = nil
	if next == "" {
		f.Phase = PhaseDone
		f.Output = output
		e.frameDone(f)
		return
	}
	f.State = next
	f.Input = output
	f.Phase = PhaseReady
	e.runq = append(e.runq, f.ID)
}

// complete finishes a state that produced a result: ResultSelector, ResultPath,
// Assign and OutputPath, then the Exited event and the transition.
func (e *Execution) complete(f *Frame, st *asl.State, result value.Value) {
	if st.Type != asl.Pass { // a Pass state's result is its Parameters (or Result) stage
		e.flow(f, st, dataflow.Result(result))
	}
	if st.IsJSONata() {
		e.completeJ(f, st, statesVar{result: result, hasResult: true}, st.Output, st.Assign, nextOf(st))
		return
	}
	sc := e.scopeOf(f, st)
	selected := dataflow.ResultSelector(st.ResultSelector, result, sc)
	if !e.stage(f, st, selected) {
		return
	}
	merged := dataflow.ResultPath(st.ResultPath, f.Input, selected.Value)
	if !e.stage(f, st, merged) {
		return
	}
	out, as, ok := e.assignAndOutput(f, st, st.Assign, selected.Value, merged.Value, sc)
	if !ok {
		return
	}
	if tooBig(out) {
		e.raise(f, st, dataLimit(st.Name))
		return
	}
	e.exit(f, st, out, as, nextOf(st))
}

// frameDone hands a finished frame to whoever waits for it.
func (e *Execution) frameDone(f *Frame) {
	if f.Parent < 0 {
		if f.Err != nil {
			e.closeFailed(f.Err.EventID, f.Err.Error, f.Err.Cause)
			return
		}
		var d any
		if e.record() {
			d = &types.ExecutionSucceededEventDetails{Output: e.jsonText(f.Output), OutputDetails: history.NotTruncated}
		}
		e.emit(types.HistoryEventTypeExecutionSucceeded, f.Prev, d)
		e.Output = f.Output
		e.setClosed(types.ExecutionStatusSucceeded, nil, nil)
		delete(e.frames, f.ID)
		return
	}
	parent := e.frames[f.Parent]
	delete(e.frames, f.ID)
	if parent == nil {
		return
	}
	e.childDone(parent, parent.scope.States[parent.State], f)
}

// stop ends the execution as StopExecution does.
func (e *Execution) stop(errName, cause *string) {
	e.cancelTasks()
	var d any
	if e.record() {
		d = &types.ExecutionAbortedEventDetails{Error: errName, Cause: cause}
	}
	e.emit(types.HistoryEventTypeExecutionAborted, 0, d)
	e.setClosed(types.ExecutionStatusAborted, errName, cause)
}

func (e *Execution) timedOut() {
	e.cancelTasks()
	var d any
	if e.record() {
		d = &types.ExecutionTimedOutEventDetails{Error: aws.String(failure.Timeout)}
	}
	e.emit(types.HistoryEventTypeExecutionTimedOut, e.lastID, d)
	e.setClosed(types.ExecutionStatusTimedOut, nil, nil)
}

func (e *Execution) cancelTasks() {
	for _, f := range e.frames {
		if f.Phase == PhaseTask && f.Task != nil {
			e.command(Command{Kind: CmdCancelTask, Frame: f.ID, Seq: f.Seq, Task: f.Task})
		}
	}
}

// scaled turns a delay in seconds into a wall-clock duration under the time scale.
func (e *Execution) scaled(seconds float64) time.Duration {
	return time.Duration(seconds * e.Opts.TimeScale * float64(time.Second))
}

func (e *Execution) startTimer(f *Frame, purpose TimerPurpose, after time.Duration) {
	f.WakeAt = e.now.Add(after)
	e.command(Command{Kind: CmdStartTimer, Frame: f.ID, Seq: f.Seq, Purpose: purpose, At: e.now.Add(after)})
}

func secondsToDuration(n int64) time.Duration { return time.Duration(n) * time.Second }
