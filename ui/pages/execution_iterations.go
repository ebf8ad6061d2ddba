package pages

import (
	"fmt"

	"charm.land/bubbles/v2/key"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/ui/components/graph"
)

// The Map iteration picker: with the graph focused on a Map state (or a state inside
// one), < and > choose which iteration's statuses the graph paints inside the Map.
var keyIteration = key.NewBinding(key.WithKeys("<", ">"), key.WithHelp("< >", "map iteration"))

// mapOfSelection is the Map the picker acts on: the selected state if it is a Map,
// else the innermost Map around it.
func (x *Execution) mapOfSelection() string {
	if x.def == nil || x.selected == "" {
		return ""
	}
	if st := x.def.Scope.Find(x.selected); st != nil && st.Type == asl.Map {
		return st.Name
	}
	return enclosingMap(&x.def.Scope, x.selected, "")
}

// enclosingMap finds the innermost Map whose iterations run the state name.
func enclosingMap(sc *asl.Scope, name, around string) string {
	for _, st := range sc.States {
		if st.Name == name {
			return around
		}
		for _, b := range st.Branches {
			if m := enclosingMap(b, name, around); m != "" {
				return m
			}
		}
		if st.ItemProcessor != nil {
			if m := enclosingMap(st.ItemProcessor, name, st.Name); m != "" {
				return m
			}
		}
	}
	return ""
}

// pickIteration moves the painted iteration of the selected Map by d and says which one
// is shown.
func (x *Execution) pickIteration(d int) string {
	m := x.mapOfSelection()
	if m == "" {
		return "select a Map state (or a state inside one) to pick its iteration"
	}
	n, _ := x.painting.Iterations(m, x.iterations)
	if n == 0 {
		return fmt.Sprintf("%s has no iterations yet", m)
	}
	cur, ok := x.iterations[m]
	if !ok {
		cur = x.shownIteration(m)
	}
	cur = (cur + d + n) % n
	if x.iterations == nil {
		x.iterations = map[string]int{}
	}
	x.iterations[m] = cur
	x.showIterationEvent(m, cur)
	return fmt.Sprintf("%s: iteration %d of %d (< > pick)", m, cur, n)
}

// showIterationEvent moves the history to iteration i of Map m: to the selected state's
// event in it when the selection is inside the Map, else to the iteration's first
// event. The latest run of the Map counts (a Map retried runs its iterations again).
func (x *Execution) showIterationEvent(m string, i int) {
	tl := x.views().tl
	for l := len(tl.Lanes) - 1; l >= 0; l-- {
		ln := &tl.Lanes[l]
		if !ln.Iteration || ln.Index != i || ln.Parent < 0 || tl.Visits[ln.Parent].State != m || len(ln.Visits) == 0 {
			continue
		}
		at := tl.Visits[ln.Visits[0]].Entered
		for _, v := range ln.Visits {
			if tl.Visits[v].State == x.selected {
				at = tl.Visits[v].Last
				break
			}
		}
		if x.travel {
			return // time travel keeps "as of" where the scrubber put it
		}
		x.table.SetCursor(at)
		x.follow = at == len(x.events)-1
		return
	}
}

// shownIteration is the iteration the graph paints before any is picked: the first
// that failed, else the last started (as graph.Render chooses).
func (x *Execution) shownIteration(m string) int {
	_, statuses := x.painting.Iterations(m, x.iterations)
	failed, last := -1, 0
	for i, s := range statuses {
		if s == graph.Failed && (failed < 0 || i < failed) {
			failed = i
		}
		last = max(last, i)
	}
	if failed >= 0 {
		return failed
	}
	return last
}
