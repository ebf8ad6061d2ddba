package debug

import (
	"fmt"
	"maps"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/expr"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Condition makes a breakpoint conditional: the state is stopped at only when Text,
// in Lang ("jsonata" or "jsonpath"), is true for the state's input ($states.input, $),
// its variables and its context ($states.context, $$).
type Condition struct {
	Lang, Text string
}

// SetCondition sets a breakpoint on state that stops only when the condition holds
// (an empty Text makes it a plain breakpoint). A condition that does not parse is
// refused and changes nothing.
func (s *Session) SetCondition(state string, c Condition) error {
	if c.Text != "" {
		if err := expr.Check(c.Lang, c.Text); err != nil {
			return fmt.Errorf("the condition does not parse: %w", err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.breakpoints[state] = true
	if c.Text == "" {
		delete(s.conditions, state)
	} else {
		s.conditions[state] = c
	}
	s.notify()
	return nil
}

// Conditions returns the conditional breakpoints, by state.
func (s *Session) Conditions() map[string]Condition {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.conditions)
}

// holds says whether f's state should stop for its breakpoint: always without a
// condition; with one, when it is true. A condition that fails to evaluate stops too,
// with the failure as the reason: a debugger that skips silently is worse.
func (s *Session) holds(f *engine.Frame) (bool, string) {
	c, ok := s.conditions[f.State]
	if !ok {
		return true, "breakpoint"
	}
	v, err := s.evalAt(f, c.Lang, c.Text)
	switch {
	case err != nil:
		return true, "condition failed: " + err.Error()
	case v == true:
		return true, "condition " + c.Text
	}
	return false, ""
}

// evalAt evaluates an expression as the state of frame f sees its data: its input,
// its variables and its context. Called under s.mu.
func (s *Session) evalAt(f *engine.Frame, lang, text string) (value.Value, error) {
	vars := f.Vars.All()
	bound := make(map[string]value.Value, len(vars)+1)
	for k, v := range vars {
		bound[k] = v
	}
	if st := s.x.Def.Find(f.State); st != nil {
		bound["context"] = s.x.ContextFor(st, s.cfg.Now(), 0, s.tokens[f.State])
	}
	return expr.Eval(lang, text, f.Input, true, bound)
}

// Eval evaluates an expression at a stopped frame (the debugger's prompt and its
// watches): what a state there would see.
func (s *Session) Eval(frame int, lang, text string) (value.Value, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.x.Frame(frame)
	if f == nil {
		return nil, fmt.Errorf("no frame %d: the execution has moved on", frame)
	}
	return s.evalAt(f, lang, text)
}

// SetVariable sets a workflow variable as the state stopped at frame sees it (where it
// is defined, or in the frame's own scope), before the state runs.
func (s *Session) SetVariable(frame int, name string, v value.Value) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.x.Frame(frame)
	if f == nil || !s.isHeld(frame) {
		return fmt.Errorf("frame %d is not stopped: variables are set at a stop", frame)
	}
	if f.Vars == nil {
		f.Vars = &engine.Vars{}
	}
	f.Vars.SetVisible(name, v)
	s.notify()
	return nil
}

func (s *Session) isHeld(frame int) bool {
	for _, id := range s.x.Held() {
		if id == frame {
			return true
		}
	}
	return false
}

// RunTo goes on until a frame is about to enter state (a breakpoint that is removed
// once hit), or stops somewhere sooner for another reason.
func (s *Session) RunTo(state string) error {
	s.mu.Lock()
	if s.x.Def.Find(state) == nil {
		s.mu.Unlock()
		return fmt.Errorf("the state machine has no state %q", state)
	}
	s.runTo = state
	s.mu.Unlock()
	s.Continue()
	return nil
}
