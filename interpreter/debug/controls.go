package debug

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// ErrNotHeld is returned for a frame that is not stopped before a state.
var ErrNotHeld = errors.New("that branch is not stopped before a state")

// Step lets one held frame run its state (frame -1: the first held); everything else
// stays where it is, and the frame stops again before its next state. Stepping into a
// Parallel or Map stops its branches or iterations before their first states.
func (s *Session) Step(frame int) error {
	return s.release(frame, false)
}

// StepOver runs a held frame's state to its end, with the branches or iterations of a
// Parallel or Map running free (breakpoints inside still stop them).
func (s *Session) StepOver(frame int) error {
	return s.release(frame, true)
}

func (s *Session) release(frame int, over bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if frame < 0 {
		held := s.x.Held()
		if len(held) == 0 {
			return ErrNotHeld
		}
		frame = held[0]
	}
	s.stepping = true
	if over {
		s.over = frame
	}
	if !s.x.Release(frame) {
		return ErrNotHeld
	}
	delete(s.reasons, frame)
	s.apply(s.x.Resume(s.cfg.Now()))
	return nil
}

// Continue lets every held frame go on and runs until a breakpoint, an error (when
// breaking on errors) or the end. Paused retry delays start counting.
func (s *Session) Continue() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stepping, s.over = false, -1
	for k, t := range s.timers {
		if t.Paused {
			s.arm(k, t)
		}
	}
	for _, id := range s.x.Held() {
		s.x.Release(id)
		delete(s.reasons, id)
	}
	s.apply(s.x.Resume(s.cfg.Now()))
}

// Pause stops every frame before its next state.
func (s *Session) Pause() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stepping = true
	s.notify()
}

// ToggleBreakpoint sets or clears a breakpoint on a state and reports whether it is set.
func (s *Session) ToggleBreakpoint(state string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.breakpoints[state] = !s.breakpoints[state]
	if !s.breakpoints[state] {
		delete(s.breakpoints, state)
		delete(s.conditions, state)
	}
	s.notify()
	return s.breakpoints[state]
}

// Breakpoints returns the states with a breakpoint.
func (s *Session) Breakpoints() map[string]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]bool, len(s.breakpoints))
	for k := range s.breakpoints {
		out[k] = true
	}
	return out
}

// BreakOn sets whether the session stops after an error (before the state a Catch
// leads to) and before a retry (its delay waits for Continue or Skip).
func (s *Session) BreakOn(errors, retries bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.breakOnError, s.breakOnRetry = errors, retries
	s.notify()
}

// BreakOnErrorNames narrows break on errors to these error names (States.TaskFailed,
// a Lambda's own error, ...); none: any error. It turns break on errors on.
func (s *Session) BreakOnErrorNames(names []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.breakOnError = true
	s.errorNames = map[string]bool{}
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			s.errorNames[n] = true
		}
	}
	s.notify()
}

// ErrorNames are the errors break on errors is narrowed to (none: any).
func (s *Session) ErrorNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.errorNames))
	for n := range s.errorNames {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// SetInput replaces the input of a held frame's state before it runs.
func (s *Session) SetInput(frame int, v value.Value) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.x.SetInput(frame, v) {
		return ErrNotHeld
	}
	s.notify()
	return nil
}

// Skip fires a Wait's or a retry's timer now.
func (s *Session) Skip(frame int) error {
	s.mu.Lock()
	var found *key
	for k, t := range s.timers {
		if k.frame == frame {
			found = &k
			if t.t != nil {
				t.t.Stop()
			}
			break
		}
	}
	s.mu.Unlock()
	if found == nil {
		return fmt.Errorf("no Wait or retry delay of that branch is pending")
	}
	s.fire(*found)
	return nil
}

// Answer ends a task waiting for an answer by hand: with output when failure is
// nil, or with that error and cause.
func (s *Session) Answer(frame int, output value.Value, errName, cause *string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var found *Task
	for _, t := range s.tasks {
		if t.Frame == frame {
			found = t
		}
	}
	if found == nil {
		return fmt.Errorf("no task of that branch waits for an answer")
	}
	delete(s.tasks, key{found.Frame, found.Seq})
	s.dropTaskTimers(key{found.Frame, found.Seq})
	in := engine.Input{Kind: engine.InputTaskSucceeded, Frame: found.Frame, Seq: found.Seq, Output: output}
	if errName != nil || cause != nil {
		in = engine.Input{Kind: engine.InputTaskFailed, Frame: found.Frame, Seq: found.Seq, Error: errName, Cause: cause}
	}
	s.apply(s.x.Advance(in, s.cfg.Now()))
	return nil
}

// Stop aborts the execution.
func (s *Session) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apply(s.x.Advance(engine.Input{Kind: engine.InputStop, Error: aws.String("Stopped"), Cause: aws.String("stopped in the debugger")}, s.cfg.Now()))
}

// Restart starts a new session at a state with an input, the variables the current one
// has in scope there, and the same breakpoints. A top-level state restarts the machine
// there; a state inside a Parallel branch or a Map's item processor restarts that
// branch or processor on its own from the state (what follows the Parallel or Map is
// not run: the branch is the whole execution).
func (s *Session) Restart(state string, input value.Value) (*Session, error) {
	s.mu.Lock()
	cfg := s.cfg
	def := s.cfg.Definition
	if _, ok := def.States[state]; !ok {
		sc := scopeOf(&def.Scope, state)
		if sc == nil {
			s.mu.Unlock()
			return nil, fmt.Errorf("the state machine has no state %q", state)
		}
		cfg.Definition = &asl.Definition{Scope: *sc, Comment: def.Comment, QueryLanguage: def.QueryLanguage, Source: def.Source, Count: len(sc.States)}
	}
	cfg.StartAt, cfg.Input = state, input
	cfg.Variables = s.varsAt(state)
	cfg.Breakpoints = nil
	for k := range s.breakpoints {
		cfg.Breakpoints = append(cfg.Breakpoints, k)
	}
	cfg.Conditions = make(map[string]Condition, len(s.conditions))
	for k, c := range s.conditions {
		cfg.Conditions[k] = c
	}
	onError, onRetry := s.breakOnError, s.breakOnRetry
	s.mu.Unlock()
	n, err := New(cfg)
	if err != nil {
		return nil, err
	}
	n.BreakOn(onError, onRetry)
	s.Close()
	return n, nil
}

// scopeOf finds the scope (a branch, an item processor, at any depth) whose own
// states include state.
func scopeOf(sc *asl.Scope, state string) *asl.Scope {
	if sc == nil {
		return nil
	}
	if _, ok := sc.States[state]; ok {
		return sc
	}
	for _, st := range sc.States {
		for _, b := range st.Branches {
			if found := scopeOf(b, state); found != nil {
				return found
			}
		}
		if found := scopeOf(st.ItemProcessor, state); found != nil {
			return found
		}
	}
	return nil
}

// varsAt are the variables a restart at state starts with: those of a frame stopped
// at it or last in it, else the top level's. Called under s.mu.
func (s *Session) varsAt(state string) *value.Object {
	for _, f := range s.x.Frames() {
		if f.State == state && f.Vars != nil {
			return varsObject(f.Vars.All())
		}
	}
	return s.rootVars()
}

// rootVars are the variables of the machine's top level now.
func (s *Session) rootVars() *value.Object {
	for _, f := range s.x.Frames() {
		if f.Parent < 0 && f.Vars != nil {
			return varsObject(f.Vars.All())
		}
	}
	return s.cfg.Variables
}

func varsObject(m map[string]value.Value) *value.Object {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	o := value.NewObject(len(names))
	for _, k := range names {
		o.Set(k, m[k])
	}
	return o
}

// View is the session's state at one moment, for display.
type View struct {
	Status engine.Status
	Output value.Value
	Error  string
	Cause  string
	Held   []Held
	Tasks  []Task
	Timers []Timer
	// Stepping is false while the session runs to the next breakpoint.
	Stepping      bool
	BreakOnError  bool
	BreakOnRetry  bool
	Breakpoints   map[string]bool
	EventCount    int
	StartedAtName string // the state the session started at (Restart), or ""
}

// View returns what the session is doing now.
func (s *Session) View() View {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := View{Status: s.x.Status, Stepping: s.stepping, BreakOnError: s.breakOnError, BreakOnRetry: s.breakOnRetry,
		Breakpoints: map[string]bool{}, EventCount: len(s.x.History), StartedAtName: s.cfg.StartAt}
	if s.x.Status == "SUCCEEDED" {
		v.Output = s.x.Output
	}
	v.Error, v.Cause = s.x.Error, s.x.Cause
	for k := range s.breakpoints {
		v.Breakpoints[k] = true
	}
	for _, id := range s.x.Held() {
		f := s.x.Frame(id)
		if f == nil {
			continue
		}
		path, iters := s.path(f)
		v.Held = append(v.Held, Held{Frame: id, State: f.State, Input: f.Input, Reason: s.reasons[id], Path: path,
			Iterations: iters, Vars: f.Vars.All()})
	}
	for _, t := range s.tasks {
		v.Tasks = append(v.Tasks, *t)
	}
	sort.Slice(v.Tasks, func(i, j int) bool { return v.Tasks[i].Frame < v.Tasks[j].Frame })
	for _, t := range s.timers {
		c := *t
		c.t = nil
		v.Timers = append(v.Timers, c)
	}
	sort.Slice(v.Timers, func(i, j int) bool { return v.Timers[i].Frame < v.Timers[j].Frame })
	return v
}

// path names the branches and iterations around f, and gives the iteration index of
// each Map around it.
func (s *Session) path(f *engine.Frame) (string, map[string]int) {
	var parts []string
	iters := map[string]int{}
	for c := f; c != nil && c.Parent >= 0; {
		p := s.x.Frame(c.Parent)
		if p == nil {
			break
		}
		switch c.Kind {
		case engine.BranchFrame:
			parts = append(parts, fmt.Sprintf("%s branch %d", p.State, c.Index+1))
		case engine.IterationFrame:
			parts = append(parts, fmt.Sprintf("%s item %d", p.State, c.Index))
			iters[p.State] = c.Index
		}
		c = p
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, " › "), iters
}

// PendingToken stands for the task token of a task not started yet in a data-flow
// preview: the real one is made when the task starts.
const PendingToken = "<the task token, made when the task starts>"

// Context is $$ as the state saw it when entered at that time, with the last task token
// the session gave it (or PendingToken).
func (s *Session) Context(st *asl.State, entered time.Time) value.Value {
	s.mu.Lock()
	defer s.mu.Unlock()
	token := ""
	if st.Type == asl.Task && strings.Contains(st.Resource, ".waitForTaskToken") || strings.HasPrefix(st.Resource, "arn:aws:states:") && strings.Contains(st.Resource, ":activity:") {
		token = s.tokens[st.Name]
		if token == "" {
			token = PendingToken
		}
	}
	return s.x.ContextFor(st, entered, 0, token)
}
