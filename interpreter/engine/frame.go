package engine

import (
	"time"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// FrameKind says what a frame runs.
type FrameKind uint8

const (
	RootFrame      FrameKind = iota // the machine's top-level States
	BranchFrame                     // one branch of a Parallel
	IterationFrame                  // one iteration of a Map
)

// Phase is what a frame is doing.
type Phase uint8

const (
	PhaseReady    Phase = iota // about to enter State
	PhaseTask                  // waiting for a task's outcome
	PhaseWait                  // waiting for a Wait state's timer
	PhaseBackoff               // waiting to retry
	PhaseChildren              // waiting for Parallel branches or Map iterations
	PhaseDone                  // finished; the parent collects it
)

// Frame is one thread of control: it walks the states of one scope.
type Frame struct {
	ID     int
	Parent int // -1 for the root
	Kind   FrameKind
	Index  int // branch or iteration index
	// Silent frames record no events in this history: the items of a distributed Map
	// are child executions with histories of their own.
	Silent bool

	scope *asl.Scope
	State string // the current state
	Phase Phase

	Input       value.Value // the current state's raw input
	EffInput    value.Value // its effective input (after InputPath), kept for retries
	EnteredID   int64       // event id of the current state's Entered event
	EnteredPrev int64       // and the event that one followed (EvaluationFailed shares it)
	EnteredTime time.Time
	// Prev is the id of the last event of this thread: the next event's previousEventId.
	Prev int64

	// Retry bookkeeping for the current state visit.
	RetryCounts []int64
	RetryCount  int64 // $$.State.RetryCount

	// Seq tells a current wait from a stale one: timers and task outcomes carry the Seq
	// they were issued with and are ignored when it no longer matches.
	Seq uint64
	// WakeAt is when the timer the frame waits for fires (PhaseWait, PhaseBackoff, or a
	// task's timeout), so a restored execution can re-arm it.
	WakeAt time.Time

	Vars *Vars

	// Parallel/Map bookkeeping while in PhaseChildren.
	Children  []int
	Results   []value.Value
	Running   int
	NextItem  int
	Limit     int // Map: iterations allowed to run at once
	Items     []any
	Failures  int
	Finished  int
	MapRunArn string // a distributed Map's run
	// TolCount and TolPct replace the state's failure tolerance once UpdateMapRun
	// set them.
	TolCount    int64
	TolPct      float64
	TolCountSet bool
	TolPctSet   bool
	// Stopped holds where a Map's tolerated failed iterations stopped, for a redrive.
	Stopped map[int]*StopPoint
	// Kept is what this frame's Parallel or Map kept when it failed; Redo is a
	// redrive's plan for the Parallel or Map about to run (see kept.go).
	Kept *Kept
	Redo *Kept

	// Task bookkeeping while in PhaseTask.
	Task *TaskCall
	// TaskDeadline and HeartbeatDeadline end the task with States.Timeout when reached;
	// zero when the state sets no such limit.
	TaskDeadline      time.Time
	HeartbeatDeadline time.Time
	// Submitted is set once a callback task's service call went through: it waits for
	// its token to be answered.
	Submitted bool

	// passGate lets a released frame enter its state without asking the gate again.
	passGate bool

	// Set when the frame is done.
	Output value.Value
	Err    *Raised
}

// Raised is an error on its way up: the failure plus the event it came from.
type Raised struct {
	// Error and Cause are nil when not given, which AWS records differently from "".
	Error *string `json:"error,omitempty"`
	Cause *string `json:"cause,omitempty"`
	// EventID is the id of the event that records the failure (TaskFailed,
	// FailStateEntered, ...): the causing event of what follows.
	EventID int64 `json:"eventId"`
	// Uncatchable errors (States.Runtime and kin) skip Retry and Catch.
	Uncatchable bool `json:"uncatchable,omitempty"`
	// TaskOutcome marks the failure of a task's work (TaskFailed, TaskTimedOut and
	// kin), which AWS aborts the Task state after when it ends a branch or iteration.
	TaskOutcome bool `json:"taskOutcome,omitempty"`
}

// Vars is one scope of workflow variables. Inner scopes read outer ones but write
// only their own.
type Vars struct {
	Parent *Vars
	m      map[string]value.Value
}

// Get looks a variable up through the enclosing scopes.
func (v *Vars) Get(name string) (value.Value, bool) {
	for s := v; s != nil; s = s.Parent {
		if x, ok := s.m[name]; ok {
			return x, true
		}
	}
	return nil, false
}

// Set writes a variable in this scope.
func (v *Vars) Set(name string, x value.Value) {
	if v.m == nil {
		v.m = map[string]value.Value{}
	}
	v.m[name] = x
}

// SetVisible writes a variable where it is visible from this scope: in the nearest
// scope that has it, or in this one (the debugger's "set a variable").
func (v *Vars) SetVisible(name string, x value.Value) {
	for s := v; s != nil; s = s.Parent {
		if _, ok := s.m[name]; ok {
			s.m[name] = x
			return
		}
	}
	v.Set(name, x)
}

// Len is the number of variables in this scope alone.
func (v *Vars) Len() int { return len(v.m) }

// All returns every variable visible in this scope, inner ones hiding outer ones.
func (v *Vars) All() map[string]value.Value {
	out := map[string]value.Value{}
	var chain []*Vars
	for s := v; s != nil; s = s.Parent {
		chain = append(chain, s)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for k, x := range chain[i].m {
			out[k] = x
		}
	}
	return out
}
