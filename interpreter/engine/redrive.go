package engine

import (
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// ErrNotRedrivable is returned by Redrive for an execution that cannot go on: one still
// running, one that succeeded, or one whose snapshot kept no state to restart from.
var ErrNotRedrivable = errors.New("the execution cannot be redriven")

// Redrive reopens a closed execution at the top-level state it stopped in, with that
// state's recorded input and variables, as RedriveExecution does. Retry counts start
// over. A Parallel or Map runs again only the branches and iterations that failed, were
// aborted or never started, each from the state where it stopped; the others keep
// their results (kept.go).
func (e *Execution) Redrive(now time.Time) (*Result, error) {
	if !e.Done() || e.Status == types.ExecutionStatusSucceeded {
		return nil, ErrNotRedrivable
	}
	var root *Frame
	for _, f := range e.frames {
		if f.Parent < 0 {
			root = f
		}
	}
	if root == nil {
		return nil, ErrNotRedrivable
	}
	kept := root.Kept
	if root.Phase == PhaseChildren { // stopped or timed out while its children ran
		kept = e.capture(root, nil)
	}
	for id := range e.frames {
		if id != root.ID {
			delete(e.frames, id)
		}
	}
	e.begin(now)
	e.Status = types.ExecutionStatusRunning
	e.Error, e.Cause, e.HasError, e.HasCause = "", "", false, false
	e.StopTime = time.Time{}
	e.Meta.RedriveCount++
	e.Meta.RedriveTime = now
	var d any
	if e.record() {
		d = &types.ExecutionRedrivenEventDetails{RedriveCount: aws.Int32(int32(e.Meta.RedriveCount))}
	}
	id := e.emit(types.HistoryEventTypeExecutionRedriven, e.lastID, d)
	*root = Frame{ID: root.ID, Parent: root.Parent, Kind: root.Kind, scope: root.scope, State: root.State,
		Input: root.Input, Prev: id, Vars: root.Vars, Seq: root.Seq + 1, Redo: kept}
	e.runq = append(e.runq[:0], root.ID)
	if e.Def.TimeoutSeconds > 0 {
		// The execution's time limit counts again from the redrive.
		e.command(Command{Kind: CmdStartTimer, Frame: ExecutionFrame, Purpose: TimerExecutionTimeout,
			At: now.Add(time.Duration(e.Def.TimeoutSeconds) * time.Second)})
	}
	e.drain()
	return e.end(), nil
}
