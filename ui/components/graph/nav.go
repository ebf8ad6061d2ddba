package graph

import (
	"github.com/stepdeck/stepdeck/interpreter/asl"
)

// HasState reports whether def has a state of that name at any depth.
func HasState(def *asl.Definition, name string) bool {
	return def != nil && def.Scope.Find(name) != nil
}

// Direction is an arrow key.
type Direction uint8

const (
	Up Direction = iota
	Down
	Left
	Right
)

// Move returns the state the selection goes to from selected when an arrow key is
// pressed, or selected itself when nothing lies that way. Down follows the first
// transition (into the first branch of a Parallel or the item processor of a Map, and
// out of a branch that ends to what follows its Parallel or Map); Up goes back to a
// state that leads here (out of a branch to its Parallel or Map); Left and Right go to
// the nearest box on that side as drawn with opts. An empty or unknown selection goes
// to the start state.
func Move(def *asl.Definition, selected string, d Direction, opts Options) string {
	if def == nil || len(def.States) == 0 {
		return selected
	}
	if !HasState(def, selected) {
		return def.StartAt
	}
	boxes := placedBoxes(def, opts)
	var me placed
	found := false
	for _, b := range boxes {
		if b.name == selected {
			me, found = b, true
			break
		}
	}
	if !found {
		return selected
	}
	switch d {
	case Down:
		return moveDown(def, boxes, me, selected, true)
	case Up:
		return moveUp(boxes, me, selected)
	}
	best, bestD := selected, -1
	cx := me.x + me.w/2
	for _, b := range boxes {
		bx := b.x + b.w/2
		if b.name == selected || (d == Left && bx >= cx) || (d == Right && bx <= cx) || contains(b, me) {
			continue
		}
		dist := abs(bx-cx) + 3*abs(b.y-me.y)
		if b.y >= me.y+me.h || me.y >= b.y+b.h {
			dist += 1 << 20 // not side by side: only when no box is
		}
		if bestD < 0 || dist < bestD {
			best, bestD = b.name, dist
		}
	}
	return best
}

func moveDown(def *asl.Definition, boxes []placed, me placed, selected string, enter bool) string {
	st := def.Scope.Find(selected)
	switch {
	case !enter:
	case st.Type == asl.Parallel && len(st.Branches) > 0 && st.Branches[0].Start() != nil:
		return st.Branches[0].StartAt
	case st.Type == asl.Map && st.ItemProcessor != nil && st.ItemProcessor.Start() != nil:
		return st.ItemProcessor.StartAt
	}
	ts := st.Transitions()
	for _, t := range ts {
		if b, ok := find(boxes, t); ok && b.y > me.y {
			return t
		}
	}
	if len(ts) > 0 {
		return ts[0]
	}
	if me.outer != "" {
		if b, ok := find(boxes, me.outer); ok {
			return moveDown(def, boxes, b, me.outer, false)
		}
	}
	return selected
}

func moveUp(boxes []placed, me placed, selected string) string {
	best, bestD := "", -1
	for _, b := range boxes {
		if b.scope != me.scope || b.name == selected {
			continue
		}
		st := b.scope.States[b.name]
		leads := false
		for _, t := range st.Transitions() {
			if t == selected {
				leads = true
			}
		}
		if !leads {
			continue
		}
		dist := abs(b.x+b.w/2-me.x-me.w/2) + 3*abs(b.y-me.y)
		if b.y > me.y {
			dist += 1 << 20 // a loop back from below: only when nothing is above
		}
		if bestD < 0 || dist < bestD {
			best, bestD = b.name, dist
		}
	}
	if best != "" {
		return best
	}
	if me.outer != "" {
		return me.outer
	}
	return selected
}

func find(boxes []placed, name string) (placed, bool) {
	for _, b := range boxes {
		if b.name == name {
			return b, true
		}
	}
	return placed{}, false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// placedBoxes lays def out as Render would with opts, and returns where each box went
// (for an outline, where the boxes would be in Pan mode).
func placedBoxes(def *asl.Definition, opts Options) []placed {
	opts.Mode = Pan
	return fit(def, painting(nil, opts.Painting), opts).boxes
}

// contains reports whether box a holds box b (a is its Parallel or Map, at any depth).
func contains(a, b placed) bool {
	return a.x < b.x && a.y < b.y && a.x+a.w > b.x+b.w && a.y+a.h > b.y+b.h
}
