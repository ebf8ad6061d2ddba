package engine

import (
	"encoding/json"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// A redrive keeps the work a failed Parallel or Map already did: AWS re-runs only the
// branches and iterations that failed or were aborted, each from the state where it
// stopped, and keeps the results of those that succeeded. Kept is that record, taken
// when the Parallel or Map fails (or, for a stopped or timed-out execution, when it is
// redriven) and handed back to the state as its redrive plan.

// Kept is what a Parallel or Map keeps for a redrive.
type Kept struct {
	// Results and Done hold, per branch or item, the output of each one that succeeded.
	Results []value.Value
	Done    []bool
	// Stopped says where each failed or aborted branch or iteration stopped; one that
	// never started is in neither Done nor Stopped and runs from the beginning.
	Stopped map[int]*StopPoint
}

// StopPoint is where a branch or iteration stopped: the state it was in, that state's
// input, its variables, and, when the state is itself a Parallel or Map, what that one
// keeps.
type StopPoint struct {
	State string
	Input value.Value
	Vars  *Vars
	Kept  *Kept
}

// capture records what f, a Parallel or Map in PhaseChildren, has done so far. failed
// is the branch or iteration whose failure ends it (already out of the frame table),
// nil when the execution was stopped or timed out with f running.
func (e *Execution) capture(f *Frame, failed *Frame) *Kept {
	n := len(f.Results)
	k := &Kept{Results: make([]value.Value, n), Done: make([]bool, n), Stopped: map[int]*StopPoint{}}
	for i, sp := range f.Stopped {
		k.Stopped[i] = sp
	}
	for _, id := range f.Children {
		if c := e.frames[id]; c != nil {
			k.Stopped[c.Index] = e.stopOf(c)
		}
	}
	if failed != nil {
		k.Stopped[failed.Index] = e.stopOf(failed)
	}
	started := n // every branch of a Parallel starts at once
	if f.Items != nil {
		started = min(f.NextItem, n)
	}
	for i := 0; i < started; i++ {
		if _, stopped := k.Stopped[i]; !stopped {
			k.Done[i], k.Results[i] = true, f.Results[i]
		}
	}
	return k
}

func (e *Execution) stopOf(c *Frame) *StopPoint {
	sp := &StopPoint{State: c.State, Input: c.Input, Vars: c.Vars, Kept: c.Kept}
	if c.Phase == PhaseChildren {
		sp.Kept = e.capture(c, nil)
	}
	return sp
}

// resumeAt moves a new branch or iteration frame to where a previous attempt stopped.
func resumeAt(c *Frame, sp *StopPoint) {
	c.State, c.Input, c.Redo = sp.State, sp.Input, sp.Kept
	if sp.Vars != nil {
		c.Vars = sp.Vars
	}
}

// keptFor returns the plan of a redrive when it fits a state with n branches or items.
func keptFor(k *Kept, n int) *Kept {
	if k == nil || len(k.Done) != n || len(k.Results) != n {
		return nil
	}
	return k
}

// The snapshot form: variables are named by their index in the snapshot's table.

type keptState struct {
	Results []json.RawMessage `json:"results"`
	Done    []bool            `json:"done"`
	Stopped []stopState       `json:"stopped,omitempty"`
}

type stopState struct {
	Index int             `json:"index"`
	State string          `json:"state"`
	Input json.RawMessage `json:"input"`
	Vars  int             `json:"vars"`
	Kept  *keptState      `json:"kept,omitempty"`
}

func keptToState(k *Kept, addVars func(*Vars) int) *keptState {
	if k == nil {
		return nil
	}
	ks := &keptState{Done: k.Done}
	for _, r := range k.Results {
		ks.Results = append(ks.Results, raw(r))
	}
	ks.Stopped = stopsToState(k.Stopped, addVars)
	return ks
}

func stopsToState(m map[int]*StopPoint, addVars func(*Vars) int) []stopState {
	var out []stopState
	for i, sp := range m {
		out = append(out, stopState{Index: i, State: sp.State, Input: raw(sp.Input), Vars: addVars(sp.Vars),
			Kept: keptToState(sp.Kept, addVars)})
	}
	return out
}

func keptFromState(ks *keptState, vars []*Vars) (*Kept, error) {
	if ks == nil {
		return nil, nil
	}
	k := &Kept{Done: ks.Done}
	for _, r := range ks.Results {
		v, err := value.Parse(r)
		if err != nil {
			return nil, err
		}
		k.Results = append(k.Results, v)
	}
	var err error
	k.Stopped, err = stopsFromState(ks.Stopped, vars)
	return k, err
}

func stopsFromState(ss []stopState, vars []*Vars) (map[int]*StopPoint, error) {
	if len(ss) == 0 {
		return nil, nil
	}
	m := map[int]*StopPoint{}
	for _, s := range ss {
		in, err := value.Parse(s.Input)
		if err != nil {
			return nil, err
		}
		sp := &StopPoint{State: s.State, Input: in}
		if s.Vars >= 0 && s.Vars < len(vars) {
			sp.Vars = vars[s.Vars]
		}
		if sp.Kept, err = keptFromState(s.Kept, vars); err != nil {
			return nil, err
		}
		m[s.Index] = sp
	}
	return m, nil
}
