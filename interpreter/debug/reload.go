package debug

import (
	"fmt"
	"sort"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Reload starts the session again on a new definition (its file changed while the
// debugger was stopped), keeping the position where it can: at the top-level state the
// stopped frame is in, with the input that state had, when the new definition still
// has that state; else from the start with the first input. Breakpoints on states that
// are gone are dropped. It returns the new session and what changed, in a line.
func (s *Session) Reload(def *asl.Definition, source string) (*Session, string, error) {
	if def == nil {
		return nil, "", fmt.Errorf("no definition to reload")
	}
	s.mu.Lock()
	old := s.cfg.Definition
	cfg := s.cfg
	cfg.Definition, cfg.Source, cfg.StartAt, cfg.Variables = def, source, "", nil
	at, input, vars := s.position(def)
	if at != "" {
		cfg.StartAt, cfg.Input, cfg.Variables = at, input, vars
	}
	cfg.Breakpoints, cfg.Conditions = nil, map[string]Condition{}
	for b := range s.breakpoints {
		if def.Find(b) != nil {
			cfg.Breakpoints = append(cfg.Breakpoints, b)
			if c, ok := s.conditions[b]; ok {
				cfg.Conditions[b] = c
			}
		}
	}
	onError, onRetry := s.breakOnError, s.breakOnRetry
	s.mu.Unlock()
	n, err := New(cfg)
	if err != nil {
		return nil, "", err
	}
	n.BreakOn(onError, onRetry)
	s.Close()
	what := changes(old, def)
	if at != "" {
		what += "; stopped again before " + at
	} else {
		what += "; started again from the beginning"
	}
	return n, what, nil
}

// position is where a reload can stop again: the top-level state around the first
// stopped frame, if def still has it, with the input it was entered with and the
// variables of the top level. Called under s.mu.
func (s *Session) position(def *asl.Definition) (string, value.Value, *value.Object) {
	held := s.x.Held()
	if len(held) == 0 {
		return "", nil, nil
	}
	f := s.x.Frame(held[0])
	if f == nil {
		return "", nil, nil
	}
	top := topLevelOf(s.cfg.Definition, f.State)
	if top == "" {
		return "", nil, nil
	}
	if _, ok := def.States[top]; !ok {
		return "", nil, nil
	}
	if top == f.State {
		return top, f.Input, s.rootVars()
	}
	// Inside a Parallel or Map: the input the enclosing state was entered with.
	evs := s.x.History
	for i := len(evs) - 1; i >= 0; i-- {
		e := &evs[i]
		if !history.IsEntered(e.Type) {
			continue
		}
		if name, ok := e.StateName(); ok && name == top {
			if text, ok := e.Input(); ok {
				if v, err := value.ParseString(text); err == nil {
					return top, v, s.rootVars()
				}
			}
		}
	}
	return "", nil, nil
}

// topLevelOf names the top-level state that holds state (itself when it is one).
func topLevelOf(def *asl.Definition, state string) string {
	if _, ok := def.States[state]; ok {
		return state
	}
	for name, st := range def.States {
		for _, b := range st.Branches {
			if b.Find(state) != nil {
				return name
			}
		}
		if st.ItemProcessor != nil && st.ItemProcessor.Find(state) != nil {
			return name
		}
	}
	return ""
}

// changes says which states a new definition added, removed or changed, at any depth.
func changes(old, def *asl.Definition) string {
	before, after := statesOf(old), statesOf(def)
	var added, removed, changed []string
	for name, text := range after {
		prev, ok := before[name]
		switch {
		case !ok:
			added = append(added, name)
		case prev != text:
			changed = append(changed, name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			removed = append(removed, name)
		}
	}
	if len(added)+len(removed)+len(changed) == 0 {
		return "reloaded: no state changed"
	}
	var parts []string
	for _, g := range []struct {
		label string
		names []string
	}{{"changed", changed}, {"added", added}, {"removed", removed}} {
		if len(g.names) > 0 {
			sort.Strings(g.names)
			parts = append(parts, g.label+" "+strings.Join(g.names, ", "))
		}
	}
	return "reloaded: " + strings.Join(parts, "; ")
}

// statesOf is every state of a definition, at any depth, as its JSON text.
func statesOf(def *asl.Definition) map[string]string {
	out := map[string]string{}
	var walk func(sc *asl.Scope)
	walk = func(sc *asl.Scope) {
		if sc == nil {
			return
		}
		for name, st := range sc.States {
			text := ""
			if st.Source != nil {
				text = value.String(st.Source)
			}
			out[name] = text
			for _, b := range st.Branches {
				walk(b)
			}
			walk(st.ItemProcessor)
		}
	}
	walk(&def.Scope)
	return out
}
