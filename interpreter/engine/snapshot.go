package engine

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// An execution between two calls is data: Snapshot writes it out, Restore reads it back
// against the same definition. This is what lets a waiting execution live in storage
// instead of memory, and survive a restart. The history is not part of a snapshot: a
// driver stores the events of each Result as they come (so a snapshot stays small) and
// reads them from its store; a restored execution goes on numbering after LastEventID.

type snapshot struct {
	Meta      Meta            `json:"meta"`
	Status    Status          `json:"status"`
	Output    json.RawMessage `json:"output,omitempty"`
	Error     *string         `json:"error,omitempty"`
	Cause     *string         `json:"cause,omitempty"`
	StopTime  time.Time       `json:"stopTime"`
	LastID    int64           `json:"lastId"`
	NextFrame int             `json:"nextFrame"`
	RunQueue  []int           `json:"runQueue,omitempty"`
	Input     json.RawMessage `json:"input"`
	Silent    int64           `json:"silentEvents,omitempty"`
	Vars      []varsState     `json:"vars"`
	Frames    []frameState    `json:"frames"`
}

type varsState struct {
	ID     int                        `json:"id"`
	Parent int                        `json:"parent"` // -1: none
	Values map[string]json.RawMessage `json:"values,omitempty"`
}

type frameState struct {
	ID           int               `json:"id"`
	Parent       int               `json:"parent"`
	Kind         FrameKind         `json:"kind"`
	Index        int               `json:"index"`
	Silent       bool              `json:"silent,omitempty"`
	Scope        string            `json:"scope"`
	State        string            `json:"state"`
	Phase        Phase             `json:"phase"`
	Input        json.RawMessage   `json:"input"`
	EffInput     json.RawMessage   `json:"effInput,omitempty"`
	EnteredID    int64             `json:"enteredId"`
	EnteredTime  time.Time         `json:"enteredTime"`
	Prev         int64             `json:"prev"`
	RetryCounts  []int64           `json:"retryCounts,omitempty"`
	RetryCount   int64             `json:"retryCount,omitempty"`
	Seq          uint64            `json:"seq"`
	WakeAt       time.Time         `json:"wakeAt"`
	TaskDue      time.Time         `json:"taskDeadline"`
	HeartbeatDue time.Time         `json:"heartbeatDeadline"`
	Submitted    bool              `json:"submitted,omitempty"`
	Vars         int               `json:"vars"`
	Children     []int             `json:"children,omitempty"`
	Results      []json.RawMessage `json:"results,omitempty"`
	Running      int               `json:"running,omitempty"`
	NextItem     int               `json:"nextItem,omitempty"`
	Limit        int               `json:"limit,omitempty"`
	Items        json.RawMessage   `json:"items,omitempty"`
	Failures     int               `json:"failures,omitempty"`
	Finished     int               `json:"finished,omitempty"`
	MapRunArn    string            `json:"mapRunArn,omitempty"`
	Task         *taskState        `json:"task,omitempty"`
	Output       json.RawMessage   `json:"output,omitempty"`
	Err          *Raised           `json:"err,omitempty"`
	Stopped      []stopState       `json:"stopped,omitempty"`
	TolCount     *int64            `json:"toleratedFailureCount,omitempty"`
	TolPct       *float64          `json:"toleratedFailurePercentage,omitempty"`
	Kept         *keptState        `json:"kept,omitempty"`
	Redo         *keptState        `json:"redo,omitempty"`
}

type taskState struct {
	StateName        string          `json:"stateName"`
	Resource         string          `json:"resource"`
	Input            json.RawMessage `json:"input"`
	TimeoutSeconds   int64           `json:"timeoutSeconds,omitempty"`
	HeartbeatSeconds int64           `json:"heartbeatSeconds,omitempty"`
	Credentials      json.RawMessage `json:"credentials,omitempty"`
	Token            string          `json:"token,omitempty"`
	Attempt          int64           `json:"attempt,omitempty"`
}

func raw(v value.Value) json.RawMessage { return json.RawMessage(value.Marshal(v)) }

func rawOrNil(v value.Value) json.RawMessage {
	if v == nil {
		return nil
	}
	return raw(v)
}

// Snapshot writes the execution's whole state as JSON.
func (e *Execution) Snapshot() ([]byte, error) {
	s := snapshot{Meta: e.Meta, Status: e.Status, StopTime: e.StopTime, LastID: e.lastID,
		NextFrame: e.nextFrame, RunQueue: append(append([]int(nil), e.runq...), e.held...), Input: raw(e.input), Silent: e.silentEvents}
	if e.Status == Status("SUCCEEDED") {
		s.Output = raw(e.Output)
	}
	if e.HasError {
		s.Error = &e.Error
	}
	if e.HasCause {
		s.Cause = &e.Cause
	}
	varIDs := map[*Vars]int{}
	var addVars func(v *Vars) int
	addVars = func(v *Vars) int {
		if v == nil {
			return -1
		}
		if id, ok := varIDs[v]; ok {
			return id
		}
		parent := addVars(v.Parent)
		id := len(s.Vars)
		varIDs[v] = id
		vs := varsState{ID: id, Parent: parent, Values: map[string]json.RawMessage{}}
		for k, x := range v.m {
			vs.Values[k] = raw(x)
		}
		s.Vars = append(s.Vars, vs)
		return id
	}
	ids := make([]int, 0, len(e.frames))
	for id := range e.frames {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		f := e.frames[id]
		fs := frameState{ID: f.ID, Parent: f.Parent, Kind: f.Kind, Index: f.Index, Silent: f.Silent, Scope: f.scope.Location,
			State: f.State, Phase: f.Phase, Input: raw(f.Input), EffInput: rawOrNil(f.EffInput), EnteredID: f.EnteredID,
			EnteredTime: f.EnteredTime, Prev: f.Prev, RetryCounts: f.RetryCounts, RetryCount: f.RetryCount, Seq: f.Seq, WakeAt: f.WakeAt,
			TaskDue: f.TaskDeadline, HeartbeatDue: f.HeartbeatDeadline, Submitted: f.Submitted,
			Vars: addVars(f.Vars), Children: f.Children, Running: f.Running, NextItem: f.NextItem, Limit: f.Limit,
			Failures: f.Failures, Finished: f.Finished, MapRunArn: f.MapRunArn, Output: rawOrNil(f.Output), Err: f.Err}
		if f.Items != nil {
			fs.Items = raw(f.Items)
		}
		fs.Stopped = stopsToState(f.Stopped, addVars)
		if f.TolCountSet {
			fs.TolCount = &f.TolCount
		}
		if f.TolPctSet {
			fs.TolPct = &f.TolPct
		}
		fs.Kept, fs.Redo = keptToState(f.Kept, addVars), keptToState(f.Redo, addVars)
		for _, r := range f.Results {
			fs.Results = append(fs.Results, raw(r))
		}
		if t := f.Task; t != nil {
			fs.Task = &taskState{StateName: t.StateName, Resource: t.Resource, Input: raw(t.Input), TimeoutSeconds: t.TimeoutSeconds,
				HeartbeatSeconds: t.HeartbeatSeconds, Credentials: rawOrNil(t.Credentials), Token: t.Token, Attempt: t.Attempt}
		}
		s.Frames = append(s.Frames, fs)
	}
	return json.Marshal(s)
}

// Restore reads a snapshot back. def must be the definition the execution was started
// with; opts are not stored, since they belong to the process that runs it.
func Restore(def *asl.Definition, data []byte, opts Options) (*Execution, error) {
	var s snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("reading an execution snapshot: %w", err)
	}
	scopes := map[string]*asl.Scope{}
	var index func(*asl.Scope)
	index = func(sc *asl.Scope) {
		scopes[sc.Location] = sc
		for _, st := range sc.States {
			for _, b := range st.Branches {
				index(b)
			}
			if st.ItemProcessor != nil {
				index(st.ItemProcessor)
			}
		}
	}
	index(&def.Scope)
	val := func(r json.RawMessage) (value.Value, error) {
		if len(r) == 0 {
			return nil, nil
		}
		return value.Parse(r)
	}
	input, err := val(s.Input)
	if err != nil {
		return nil, err
	}
	e := New(def, s.Meta, input, opts)
	e.Status, e.StopTime, e.lastID, e.nextFrame, e.runq, e.silentEvents =
		s.Status, s.StopTime, s.LastID, s.NextFrame, s.RunQueue, s.Silent
	if e.Output, err = val(s.Output); err != nil {
		return nil, err
	}
	if s.Error != nil {
		e.Error, e.HasError = *s.Error, true
	}
	if s.Cause != nil {
		e.Cause, e.HasCause = *s.Cause, true
	}
	vars := make([]*Vars, len(s.Vars))
	for i := range s.Vars {
		vars[i] = &Vars{}
	}
	for i, vs := range s.Vars {
		if vs.Parent >= 0 && vs.Parent < len(vars) {
			vars[i].Parent = vars[vs.Parent]
		}
		for k, r := range vs.Values {
			x, err := val(r)
			if err != nil {
				return nil, err
			}
			vars[i].Set(k, x)
		}
	}
	for _, fs := range s.Frames {
		sc, ok := scopes[fs.Scope]
		if !ok {
			return nil, fmt.Errorf("the snapshot names the scope %q, which the definition does not have", fs.Scope)
		}
		if fs.Vars < 0 || fs.Vars >= len(vars) {
			return nil, fmt.Errorf("the snapshot's frame %d has no variables", fs.ID)
		}
		f := &Frame{ID: fs.ID, Parent: fs.Parent, Kind: fs.Kind, Index: fs.Index, Silent: fs.Silent, scope: sc, State: fs.State,
			Phase: fs.Phase, EnteredID: fs.EnteredID, EnteredTime: fs.EnteredTime, Prev: fs.Prev, RetryCounts: fs.RetryCounts,
			RetryCount: fs.RetryCount, Seq: fs.Seq, WakeAt: fs.WakeAt, TaskDeadline: fs.TaskDue,
			HeartbeatDeadline: fs.HeartbeatDue, Submitted: fs.Submitted, Vars: vars[fs.Vars], Children: fs.Children, Running: fs.Running,
			NextItem: fs.NextItem, Limit: fs.Limit, Failures: fs.Failures, Finished: fs.Finished, MapRunArn: fs.MapRunArn, Err: fs.Err}
		if _, ok := sc.States[f.State]; !ok {
			return nil, fmt.Errorf("the snapshot's frame %d is in the state %q, which the definition does not have", fs.ID, fs.State)
		}
		for _, p := range []struct {
			dst *value.Value
			src json.RawMessage
		}{{&f.Input, fs.Input}, {&f.EffInput, fs.EffInput}, {&f.Output, fs.Output}} {
			if *p.dst, err = val(p.src); err != nil {
				return nil, err
			}
		}
		if len(fs.Items) > 0 {
			items, err := val(fs.Items)
			if err != nil {
				return nil, err
			}
			f.Items, _ = items.([]any)
		}
		for _, r := range fs.Results {
			x, err := val(r)
			if err != nil {
				return nil, err
			}
			f.Results = append(f.Results, x)
		}
		if fs.TolCount != nil {
			f.TolCount, f.TolCountSet = *fs.TolCount, true
		}
		if fs.TolPct != nil {
			f.TolPct, f.TolPctSet = *fs.TolPct, true
		}
		if f.Stopped, err = stopsFromState(fs.Stopped, vars); err != nil {
			return nil, err
		}
		if f.Kept, err = keptFromState(fs.Kept, vars); err != nil {
			return nil, err
		}
		if f.Redo, err = keptFromState(fs.Redo, vars); err != nil {
			return nil, err
		}
		if t := fs.Task; t != nil {
			in, err := val(t.Input)
			if err != nil {
				return nil, err
			}
			creds, err := val(t.Credentials)
			if err != nil {
				return nil, err
			}
			f.Task = &TaskCall{StateName: t.StateName, Resource: t.Resource, Input: in, TimeoutSeconds: t.TimeoutSeconds,
				HeartbeatSeconds: t.HeartbeatSeconds, Credentials: creds, Token: t.Token, Attempt: t.Attempt}
		}
		e.frames[f.ID] = f
	}
	return e, nil
}

// Rearm returns what a restored execution needs its driver to do again: start its
// timers (a deadline already past fires at once), and run or re-await its tasks. A task
// command has Resumed set: its first attempt may have run before the restart, and a
// callback task that was Submitted only needs its token to be answerable again.
func (e *Execution) Rearm() []Command {
	var out []Command
	if e.Done() {
		return nil
	}
	if e.Def.TimeoutSeconds > 0 {
		from := e.Meta.StartTime
		if e.Meta.RedriveTime.After(from) {
			from = e.Meta.RedriveTime
		}
		out = append(out, Command{Kind: CmdStartTimer, Frame: ExecutionFrame, Purpose: TimerExecutionTimeout,
			At: from.Add(time.Duration(e.Def.TimeoutSeconds) * time.Second)})
	}
	ids := make([]int, 0, len(e.frames))
	for id := range e.frames {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		f := e.frames[id]
		switch f.Phase {
		case PhaseWait:
			out = append(out, Command{Kind: CmdStartTimer, Frame: f.ID, Seq: f.Seq, Purpose: TimerWait, At: f.WakeAt})
		case PhaseBackoff:
			out = append(out, Command{Kind: CmdStartTimer, Frame: f.ID, Seq: f.Seq, Purpose: TimerRetry, At: f.WakeAt})
		case PhaseTask:
			if f.Task != nil {
				out = append(out, Command{Kind: CmdInvokeTask, Frame: f.ID, Seq: f.Seq, Task: f.Task, Resumed: true, Submitted: f.Submitted})
			}
			if !f.TaskDeadline.IsZero() {
				out = append(out, Command{Kind: CmdStartTimer, Frame: f.ID, Seq: f.Seq, Purpose: TimerTaskTimeout, At: f.TaskDeadline})
			}
			if !f.HeartbeatDeadline.IsZero() {
				out = append(out, Command{Kind: CmdStartTimer, Frame: f.ID, Seq: f.Seq, Purpose: TimerHeartbeat, At: f.HeartbeatDeadline})
			}
		}
	}
	return out
}
