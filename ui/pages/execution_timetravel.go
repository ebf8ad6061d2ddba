package pages

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// stateIndex lists, as events arrive, where each state was entered and left and which
// events assigned variables, so that "as of event N" questions are binary searches
// rather than scans of a long history.
type stateIndex struct {
	entered  map[string][]int // state name → indexes of its Entered events
	exited   map[string][]int
	assigned []int // indexes of Exited events that assigned variables
	// marks[k] holds the variables after the first (k+1)*varsEvery assignments.
	marks []map[string]string
}

func (ix *stateIndex) add(events []hist.Event, from int) {
	if ix.entered == nil {
		ix.entered, ix.exited = map[string][]int{}, map[string][]int{}
	}
	for i := from; i < len(events); i++ {
		e := &events[i]
		name, ok := e.StateName()
		switch {
		case !ok:
		case hist.IsEntered(e.Type):
			ix.entered[name] = append(ix.entered[name], i)
		case hist.IsExited(e.Type):
			ix.exited[name] = append(ix.exited[name], i)
			if d, isExit := e.Details.(*types.StateExitedEventDetails); isExit && len(d.AssignedVariables) > 0 {
				ix.assigned = append(ix.assigned, i)
			}
		}
	}
}

// lastBefore is the largest index in idx (ascending) below n, or -1.
func lastBefore(idx []int, n int) int {
	k := sort.SearchInts(idx, n)
	if k == 0 {
		return -1
	}
	return idx[k-1]
}

// run is one state's latest run as of event n: the indexes of its Entered and Exited
// events, -1 for what had not happened by then.
type run struct{ entered, exited int }

func (x *Execution) runOf(name string, n int) run {
	r := run{entered: lastBefore(x.index.entered[name], n), exited: lastBefore(x.index.exited[name], n)}
	if r.exited < r.entered {
		r.exited = -1
	}
	return r
}

// viewN is the number of events the screen shows the execution as of.
func (x *Execution) viewN() int {
	if x.travel {
		return min(max(x.asOf, 1), len(x.events))
	}
	return len(x.events)
}

// varsAt folds the variables that the Exited events among the first n assigned, the
// later assignment of a name winning, as JSON text by name (how the history has them).
// Variables of Parallel branches and Map iterations, which are local to them, are
// folded in with the others: the history does not say which scope assigned them.
func (x *Execution) varsAt(n int) map[string]string {
	ix := &x.index
	count := sort.SearchInts(ix.assigned, n) // the assignments before event n
	k := count/varsEvery - 1                 // the last mark at or before count, -1 for none
	for len(ix.marks) <= k {                 // lay down the marks up to it, once
		m := len(ix.marks)
		var base map[string]string
		if m > 0 {
			base = ix.marks[m-1]
		}
		ix.marks = append(ix.marks, x.fold(base, m*varsEvery, (m+1)*varsEvery))
	}
	var base map[string]string
	from := 0
	if k >= 0 {
		base, from = ix.marks[k], (k+1)*varsEvery
	}
	return x.fold(base, from, count)
}

// varsEvery is how many assignments apart varsAt keeps a copy of the variables, so a
// step of the scrubber folds at most that many rather than the whole history.
const varsEvery = 512

// fold copies base and applies the assignments assigned[from:to].
func (x *Execution) fold(base map[string]string, from, to int) map[string]string {
	vars := make(map[string]string, len(base))
	for k, v := range base {
		vars[k] = v
	}
	for _, i := range x.index.assigned[from:to] {
		for k, v := range x.events[i].Details.(*types.StateExitedEventDetails).AssignedVariables {
			vars[k] = v
		}
	}
	return vars
}

// varsObject is vars as one JSON object, names sorted, for showing.
func varsObject(vars map[string]string) string {
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	sort.Strings(names)
	obj := value.NewObject(len(names))
	for _, k := range names {
		v, err := value.ParseString(vars[k])
		if err != nil {
			v = vars[k] // shown as text rather than lost
		}
		obj.Set(k, v)
	}
	return value.String(obj)
}

// setTravel turns time travel on, as of the selected event, or off.
func (x *Execution) setTravel(on bool) {
	x.travel = on
	if on {
		x.asOf = x.table.Cursor() + 1
	}
	x.repaint()
}

// scrub moves "as of" by d events (clamped), with the history's cursor on event N. The
// selected state follows the event unless the graph has the keyboard, so a state picked
// there can be watched through time.
func (x *Execution) scrub(d int) {
	if len(x.events) == 0 {
		return
	}
	x.asOf = min(max(x.asOf+d, 1), len(x.events))
	x.table.SetCursor(x.asOf - 1)
	x.follow = x.asOf == len(x.events)
	if x.focus != graphPane {
		x.selectStateOfCursor()
	}
	x.repaint()
}

// travelLine is the scrubber's status: where it is and how far into the execution.
func (x *Execution) travelLine() string {
	n := x.viewN()
	if n == 0 {
		return "as of event 0/0 · time travel"
	}
	elapsed := x.events[n-1].Timestamp.Sub(x.events[0].Timestamp)
	return fmt.Sprintf("as of event %d/%d · %s · time travel", n, len(x.events), x.c.Dur(elapsed))
}

// stateAsOf fills the detail pane with the selected state as of event N: its status,
// its input and output from its latest run by then, and the variables.
func (x *Execution) stateAsOf() (key string, header []string, sections []jsonview.Section) {
	n := x.viewN()
	name := x.selected
	if name == "" {
		return "none", []string{"Select a state (tab to the graph) to see it as of event " + fmt.Sprint(n)}, nil
	}
	status := "not started"
	if x.painting != nil {
		status = x.painting.States[name].String()
	}
	// "as of" is on the scrubber's line: leaving N out of the content keeps the reader's
	// folds while scrubbing changes nothing about this state.
	head := fmt.Sprintf("State %s · %s", common.Line(name, 0), status)
	r := x.runOf(name, n)
	var b strings.Builder
	b.WriteString(head)
	if r.entered >= 0 {
		in, _ := x.events[r.entered].Input()
		sections = append(sections, jsonview.Section{Label: fmt.Sprintf("Input (event %d)", x.events[r.entered].ID), Text: in})
	}
	if r.exited >= 0 {
		out, _ := x.events[r.exited].Output()
		sections = append(sections, jsonview.Section{Label: fmt.Sprintf("Output (event %d)", x.events[r.exited].ID), Text: out})
	}
	sections = append(sections, jsonview.Section{Label: "Variables", Text: varsObject(x.varsAt(n))})
	for _, s := range sections {
		b.WriteString("\x00" + s.Label + "\x00" + s.Text)
	}
	return b.String(), []string{head}, sections
}
