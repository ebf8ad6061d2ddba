package engine

import "github.com/stepdeck/stepdeck/interpreter/value"

// A debugger is a scheduler, not a second engine: Options.Gate is asked before a frame
// enters a state, and a frame it turns away is held, its state not yet entered and its
// input still open to change, until Release lets it go on. Nothing else changes: timers
// and tasks of other frames go on as usual.

// Gate decides whether a ready frame may enter its state now.
type Gate func(f *Frame) bool

// Held returns the ids of the frames the gate holds, in the order they arrived.
func (e *Execution) Held() []int { return append([]int(nil), e.held...) }

// Release lets a held frame enter its state on the next Resume, without asking the
// gate again. It reports false when the frame is not held.
func (e *Execution) Release(id int) bool {
	for i, h := range e.held {
		if h == id {
			e.held = append(e.held[:i], e.held[i+1:]...)
			if f := e.frames[id]; f != nil {
				f.passGate = true
				e.runq = append(e.runq, id)
				return true
			}
			return false
		}
	}
	return false
}

// SetInput replaces the input of a held frame's state before it runs.
func (e *Execution) SetInput(id int, v value.Value) bool {
	f := e.frames[id]
	if f == nil || !e.isHeld(id) {
		return false
	}
	f.Input = v
	return true
}

func (e *Execution) isHeld(id int) bool {
	for _, h := range e.held {
		if h == id {
			return true
		}
	}
	return false
}

// gated reports whether the gate holds f, and holds it if so.
func (e *Execution) gated(f *Frame) bool {
	if f.passGate {
		f.passGate = false
		return false
	}
	if e.Opts.Gate == nil || e.Opts.Gate(f) {
		return false
	}
	e.held = append(e.held, f.ID)
	return true
}
