package replay

import (
	"fmt"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

// Kind says what differs.
type Kind string

const (
	KindInput       Kind = "input"        // the state's input (reported where a branch or iteration starts)
	KindResource    Kind = "resource"     // the resource a Task calls
	KindParameters  Kind = "parameters"   // what a Task sends (its effective Parameters or Arguments)
	KindAttempts    Kind = "attempts"     // how often the Task is tried
	KindAssigned    Kind = "assigned"     // the variables the state assigns
	KindOutput      Kind = "output"       // the state's output, less what its input already carried
	KindExit        Kind = "exit"         // one run left the state, the other did not
	KindChoice      Kind = "choice"       // the branch a Choice takes
	KindNext        Kind = "next"         // the state another state goes to next (a Catch, an End)
	KindRenamed     Kind = "renamed"      // the state runs under another name
	KindRemoved     Kind = "removed"      // the definition no longer has the state
	KindNotReached  Kind = "not reached"  // the replay never enters a state the recording entered
	KindNotRecorded Kind = "not recorded" // the replay enters a state the recording never entered
	KindEnd         Kind = "end"          // the execution ends differently
)

// Difference is one way the replay departs from the recording, reported at the innermost
// place it happens.
type Difference struct {
	Kind Kind `json:"kind"`
	// Place is the Parallel branch and Map iteration the visit ran in, outermost first,
	// e.g. `"Fan Out" branch 1 › "Each" iteration 2` (indexes from 0); "" at the top level.
	Place string `json:"place,omitempty"`
	State string `json:"state,omitempty"`
	Visit int    `json:"visit,omitempty"` // which visit of State in its place, from 1
	// Attempt is the Task attempt a parameters or resource difference is at, from 1.
	Attempt int `json:"attempt,omitempty"`
	// Recorded and Replayed are single values: a resource, the state gone to next, a new
	// name, a count of attempts, how the execution ended.
	Recorded string `json:"recorded,omitempty"`
	Replayed string `json:"replayed,omitempty"`
	// Rule is, for a Choice, the rule that now matches: "Choices[1]" or "Default".
	Rule string `json:"rule,omitempty"`
	// Fields are the fields that differ, for documents.
	Fields []Field `json:"fields,omitempty"`

	at *visit // the recorded visit (or the replayed one, for not recorded)
}

// String is the difference as one headline and a line per field.
func (d Difference) String() string {
	var b strings.Builder
	if d.State != "" {
		fmt.Fprintf(&b, "%q (visit %d", d.State, d.Visit)
		if d.Place != "" {
			fmt.Fprintf(&b, ", in %s", d.Place)
		}
		b.WriteString("): ")
	}
	switch d.Kind {
	case KindInput:
		b.WriteString("the input differs")
	case KindResource:
		fmt.Fprintf(&b, "the resource differs%s: %s → %s", attempt(d.Attempt), d.Recorded, d.Replayed)
	case KindParameters:
		fmt.Fprintf(&b, "what it sends differs%s", attempt(d.Attempt))
	case KindAttempts:
		fmt.Fprintf(&b, "tried %s; the recording tried it %s", times(d.Replayed), times(d.Recorded))
	case KindAssigned:
		b.WriteString("the variables it assigns differ")
	case KindOutput:
		b.WriteString("the output differs")
	case KindExit:
		fmt.Fprintf(&b, "%s; the recording %s", d.Replayed, d.Recorded)
	case KindChoice:
		if d.Replayed == "" {
			fmt.Fprintf(&b, "the Choice now fails (%s); the recording went to %q", d.Rule, d.Recorded)
		} else {
			fmt.Fprintf(&b, "the Choice now takes %s → %q; the recording went to %q", d.Rule, d.Replayed, d.Recorded)
		}
	case KindNext:
		fmt.Fprintf(&b, "goes next to %s; the recording went to %s", nextText(d.Replayed), nextText(d.Recorded))
	case KindRenamed:
		fmt.Fprintf(&b, "renamed %q", d.Replayed)
	case KindRemoved:
		b.WriteString("removed from the definition; the recording ran it")
	case KindNotReached:
		b.WriteString("the replay never enters it; the recording did")
	case KindNotRecorded:
		b.WriteString("the replay enters it; the recording never did")
	case KindEnd:
		if d.Recorded == d.Replayed {
			fmt.Fprintf(&b, "the execution ends %s with another output", d.Replayed)
		} else {
			fmt.Fprintf(&b, "the execution ends %s; the recording ended %s", d.Replayed, d.Recorded)
		}
	}
	for _, f := range d.Fields {
		fmt.Fprintf(&b, "\n    %s: %s → %s", f.Path, fieldText(f.Recorded), fieldText(f.Replayed))
	}
	return b.String()
}

func times(n string) string {
	if n == "1" {
		return "once"
	}
	return n + " times"
}

func attempt(n int) string {
	if n > 1 {
		return fmt.Sprintf(" at attempt %d", n)
	}
	return ""
}

func nextText(s string) string {
	if s == "" {
		return "nothing (the path ends there)"
	}
	return fmt.Sprintf("%q", s)
}

// fieldText shows one side of a field, clipped: the JSON output has it whole.
func fieldText(s string) string {
	const limit = 160
	switch {
	case s == "":
		return "(absent)"
	case len(s) > limit:
		return s[:limit] + "…"
	}
	return s
}

// comparison pairs the visits of two runs and lists how they differ.
type comparison struct {
	def      *asl.Definition
	rec, rep *analysis
	diffs    []Difference
	// recorded holds the place and state of every recorded visit; byPlace the replayed
	// visits by place and visit number: where a renamed state is looked for.
	recorded map[string]bool
	byPlace  map[string][]*visit
}

func compare(def *asl.Definition, rec, rep *analysis) []Difference {
	c := &comparison{def: def, rec: rec, rep: rep, recorded: map[string]bool{}, byPlace: map[string][]*visit{}}
	repByKey := map[string]*visit{}
	for _, v := range rep.visits {
		repByKey[v.key()] = v
		k := v.thread.placeText() + "\x00" + fmt.Sprint(v.n)
		c.byPlace[k] = append(c.byPlace[k], v)
	}
	for _, v := range rec.visits {
		c.recorded[v.thread.placeText()+"\x00"+v.state] = true
	}
	for _, v := range rec.visits {
		if p := repByKey[v.key()]; p != nil && p.pair == nil {
			v.pair, p.pair = p, v
		}
	}
	for _, v := range rec.visits {
		if v.pair == nil {
			c.unmatched(v)
		}
		if v.pair != nil {
			c.visit(v, v.pair)
		}
	}
	for _, p := range rep.visits {
		if p.pair == nil && !c.explained(p) {
			c.add(Difference{Kind: KindNotRecorded}, p)
		}
	}
	c.dropContainerOutputs()
	if d, ok := endDifference(rec.end, rep.end); ok {
		// The execution's output is its last state's: fields a state's output already
		// showed are not repeated.
		for _, o := range c.diffs {
			if o.Kind == KindOutput {
				d.Fields = subtract(d.Fields, o.Fields)
			}
		}
		if len(d.Fields) > 0 || rec.end.status != rep.end.status || rec.end.err != rep.end.err {
			c.diffs = append(c.diffs, d)
		}
	}
	return c.diffs
}

// add records a difference at visit v.
func (c *comparison) add(d Difference, v *visit) {
	d.Place, d.State, d.Visit, d.at = v.thread.placeText(), v.state, v.n, v
	c.diffs = append(c.diffs, d)
}

// explained reports whether an unpaired visit only follows from a difference already
// reported upstream: the visit before it in its thread went elsewhere, or was itself
// unpaired, or the whole branch or iteration is.
func (c *comparison) explained(v *visit) bool {
	if v.prev != nil {
		return v.prev.pair == nil || v.prev.next != v.prev.pair.next
	}
	// A Parallel or Map that failed in one run stops starting branches and iterations.
	box := v.thread.parent
	return box != nil && (box.pair == nil || box.exited != box.pair.exited)
}

// unmatched reports a recorded visit the replay has no visit for: renamed, removed, or
// not reached. A renamed state is paired with its new name and compared.
func (c *comparison) unmatched(v *visit) {
	if c.def.Find(v.state) != nil {
		if !c.explained(v) {
			c.add(Difference{Kind: KindNotReached}, v)
		}
		return
	}
	if p := c.renamedAs(v); p != nil {
		v.pair, p.pair = p, v
		c.add(Difference{Kind: KindRenamed, Recorded: v.state, Replayed: p.state}, v)
		return
	}
	if v.prev == nil || v.prev.pair != nil {
		c.add(Difference{Kind: KindRemoved}, v)
	}
}

// renamedAs finds the replayed visit that took the place of a recorded state the
// definition no longer has: same place, same visit number, after the same state, and
// under a name the recording never ran there.
func (c *comparison) renamedAs(v *visit) *visit {
	for _, p := range c.byPlace[v.thread.placeText()+"\x00"+fmt.Sprint(v.n)] {
		if p.pair != nil || c.recorded[p.thread.placeText()+"\x00"+p.state] {
			continue
		}
		switch {
		case v.prev == nil && p.prev == nil,
			v.prev != nil && p.prev != nil && v.prev.pair == p.prev:
			return p
		}
	}
	return nil
}

// visit compares a recorded visit with its replayed pair.
func (c *comparison) visit(v, p *visit) {
	in := diffJSON(v.input, p.input)
	if len(in) > 0 && v.prev == nil && v.thread.parent != nil && v.thread.parent.pair != nil &&
		sameJSON(v.thread.parent.input, v.thread.parent.pair.input) {
		// Elsewhere the input is the output of the state before, reported there.
		c.add(Difference{Kind: KindInput, Fields: in}, v)
	}
	for i := 0; i < min(len(v.calls), len(p.calls)); i++ {
		if v.calls[i].resource != p.calls[i].resource {
			c.add(Difference{Kind: KindResource, Attempt: i + 1, Recorded: v.calls[i].resource, Replayed: p.calls[i].resource}, v)
		}
		if f := diffJSON(v.calls[i].params, p.calls[i].params); len(f) > 0 {
			c.add(Difference{Kind: KindParameters, Attempt: i + 1, Fields: f}, v)
			break // later attempts send the same, as a rule: one report is enough
		}
	}
	if len(v.calls) != len(p.calls) {
		c.add(Difference{Kind: KindAttempts, Recorded: fmt.Sprint(len(v.calls)), Replayed: fmt.Sprint(len(p.calls))}, v)
	}
	if f := diffVariables(v.assigned, p.assigned); len(f) > 0 {
		c.add(Difference{Kind: KindAssigned, Fields: f}, v)
	}
	switch {
	case v.exited && p.exited:
		if f := subtract(diffJSON(v.output, p.output), in); len(f) > 0 {
			c.add(Difference{Kind: KindOutput, Fields: f}, v)
		}
	case v.exited:
		c.add(Difference{Kind: KindExit, Recorded: "left it", Replayed: "the replay does not leave the state"}, v)
		return // so it goes nowhere next
	case p.exited:
		c.add(Difference{Kind: KindExit, Recorded: "did not leave it", Replayed: "the replay leaves the state"}, v)
		return
	}
	if v.next == p.next || (v.next != "" && c.def.Find(v.next) == nil) {
		// A next state the definition no longer has is reported as renamed or removed.
		return
	}
	if st := c.def.Find(p.state); st != nil && st.Type == asl.Choice {
		c.add(Difference{Kind: KindChoice, Recorded: v.next, Replayed: p.next, Rule: ruleText(p.rule)}, v)
		return
	}
	c.add(Difference{Kind: KindNext, Recorded: v.next, Replayed: p.next}, v)
}

func ruleText(rule int) string {
	switch {
	case rule >= 0:
		return fmt.Sprintf("Choices[%d]", rule)
	case rule == -1:
		return "Default"
	}
	return "no rule"
}

// dropContainerOutputs leaves out a Parallel's or Map's output or exit difference when
// a visit inside it differs: the difference is reported where it happens, not again
// around it.
func (c *comparison) dropContainerOutputs() {
	inner := map[*visit]bool{}
	for _, d := range c.diffs {
		for t := d.at.thread; t.parent != nil; t = t.parent.thread {
			inner[t.parent] = true
			if t.parent.pair != nil {
				inner[t.parent.pair] = true
			}
		}
	}
	kept := c.diffs[:0]
	for _, d := range c.diffs {
		if (d.Kind == KindOutput || d.Kind == KindExit) && inner[d.at] {
			continue
		}
		kept = append(kept, d)
	}
	c.diffs = kept
}

// endDifference compares how the two executions closed.
func endDifference(rec, rep ending) (Difference, bool) {
	d := Difference{Kind: KindEnd, Recorded: rec.text(), Replayed: rep.text()}
	if rec.status != rep.status || rec.err != rep.err {
		return d, true
	}
	if f := diffJSON(rec.output, rep.output); len(f) > 0 {
		d.Fields = f
		return d, true
	}
	return d, false
}

func (e ending) text() string {
	switch e.status {
	case "":
		return "still running"
	case "SUCCEEDED":
		return e.status
	}
	if e.err == "" {
		return e.status
	}
	return e.status + " (" + e.err + ")"
}

func sameJSON(a, b string) bool { return len(diffJSON(a, b)) == 0 }
