package choice

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// outcome is what a recorded execution ended with, reduced to what a Choice decides.
type outcome struct {
	status string // SUCCEEDED or FAILED
	output value.Value
	error  string
}

func (o outcome) equal(p outcome) bool {
	if o.status != p.status {
		return false
	}
	if o.status == "FAILED" {
		return o.error == p.error
	}
	return value.Equal(o.output, p.output)
}

func (o outcome) String() string {
	if o.status == "FAILED" {
		return "FAILED " + o.error
	}
	return o.status + " " + value.String(o.output)
}

// TestConformance replays every recorded execution whose machine is made of
// Choice, Pass, Succeed and Fail states only, with no data-flow fields that this
// package does not own: the branch the rules pick must lead to the recorded result.
// A Pass state's Result is its output, so the recording tells which branch AWS took.
func TestConformance(t *testing.T) {
	conformanceDir := conformance.DataDir(t, "asl", "self_contained")
	files, err := filepath.Glob(filepath.Join(conformanceDir, "*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases under %s: %v", conformanceDir, err)
	}
	known := conformance.ReadKnownCases(t, filepath.Join("testdata", "known_failures.txt"))
	var passed, failed, uninformative int
	perArea := map[string]int{}
	unexpected := 0
	for _, file := range files {
		c, ok := loadCase(t, file)
		if !ok {
			continue
		}
		id := filepath.Base(file)
		got, reachable, err := c.run()
		if err != nil {
			t.Errorf("%s: %v", id, err)
			failed++
			continue
		}
		// When every branch ends the same way the recording cannot tell them apart.
		if allSame(reachable) {
			uninformative++
		}
		if got.equal(c.want) {
			passed++
			perArea[filepath.Base(filepath.Dir(file))]++
			known.Check(t, id, "")
			continue
		}
		failed++
		if _, listed := known.Listed(id); !listed {
			unexpected++
		}
		known.Check(t, id, fmt.Sprintf("\n  rules %s\n  input %s\n  got  %v\n  want %v", c.describe(), value.String(c.input), got, c.want))
	}
	known.Done(t)
	areas := make([]string, 0, len(perArea))
	for a, n := range perArea {
		areas = append(areas, a+"="+itoa(n))
	}
	sort.Strings(areas)
	t.Logf("conformance: %d passed, %d failed (%d known), %d where every branch ends alike; by area: %s",
		passed, failed, failed-unexpected, uninformative, strings.Join(areas, " "))
	if passed == 0 {
		t.Fatal("no case passed: the filter or the loader is broken")
	}
}

func itoa(n int) string { return value.String(int64(n)) }

type recordedCase struct {
	states *value.Object
	start  string
	input  value.Value
	want   outcome
}

// loadCase reads a case and keeps it only when this package can decide it alone.
func loadCase(t *testing.T, file string) (*recordedCase, bool) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := value.Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	root := doc.(*value.Object)
	def, _ := root.Get("definition")
	defObj, ok := def.(*value.Object)
	if !ok || defObj.Has("QueryLanguage") {
		return nil, false
	}
	statesV, _ := defObj.Get("States")
	states, ok := statesV.(*value.Object)
	if !ok {
		return nil, false
	}
	hasChoice := false
	for i := 0; i < states.Len(); i++ {
		_, sv := states.At(i)
		st, ok := sv.(*value.Object)
		if !ok {
			return nil, false
		}
		typ, _ := st.Get("Type")
		for _, f := range []string{"InputPath", "OutputPath", "Parameters", "ResultPath", "Assign", "QueryLanguage", "Output"} {
			if st.Has(f) {
				return nil, false
			}
		}
		switch typ {
		case "Choice":
			hasChoice = true
		case "Pass", "Succeed", "Fail":
		default:
			return nil, false
		}
	}
	if !hasChoice {
		return nil, false
	}
	start, _ := defObj.Get("StartAt")
	inputText, _ := root.Get("input_string")
	s, _ := inputText.(string)
	input, err := value.ParseString(s)
	if err != nil {
		return nil, false
	}
	exp, _ := root.Get("expected")
	e, _ := exp.(*value.Object)
	if e == nil {
		return nil, false
	}
	status, _ := e.Get("status")
	c := &recordedCase{states: states, input: input}
	c.start, _ = start.(string)
	c.want.status, _ = status.(string)
	c.want.output, _ = e.Get("output")
	if ev, ok := e.Get("error"); ok {
		c.want.error, _ = ev.(string)
	}
	if c.want.status != "SUCCEEDED" && c.want.status != "FAILED" {
		return nil, false
	}
	return c, true
}

// run follows the machine from StartAt to its end. It also returns the outcome of
// every state a Choice could have led to, to tell informative cases apart.
func (c *recordedCase) run() (outcome, []outcome, error) {
	env := &jsonpath.Env{Input: c.input, Context: value.ObjectOf()}
	name := c.start
	var reachable []outcome
	for steps := 0; steps < 100; steps++ {
		sv, ok := c.states.Get(name)
		if !ok {
			return outcome{}, nil, &failure.Error{Name: "test", Cause: "no state " + name}
		}
		st := sv.(*value.Object)
		typ, _ := st.Get("Type")
		if typ != "Choice" {
			return c.end(st), reachable, nil
		}
		choices, _ := st.Get("Choices")
		next := ""
		var targets []string
		for _, cv := range choices.([]any) {
			r, probs := Parse(cv.(*value.Object), true)
			if len(probs) > 0 {
				return outcome{}, nil, &failure.Error{Name: "Parse", Cause: probs[0].String()}
			}
			targets = append(targets, r.Next())
			if next != "" {
				continue
			}
			ok, err := r.Evaluate(env)
			if err != nil {
				fe, _ := err.(*failure.Error)
				if fe == nil {
					return outcome{}, nil, err
				}
				return outcome{status: "FAILED", error: fe.Name}, reachable, nil
			}
			if ok {
				next = r.Next()
			}
		}
		if d, ok := st.Get("Default"); ok {
			targets = append(targets, d.(string))
			if next == "" {
				next = d.(string)
			}
		}
		for _, tgt := range targets {
			if tv, ok := c.states.Get(tgt); ok {
				reachable = append(reachable, c.end(tv.(*value.Object)))
			}
		}
		if next == "" {
			return outcome{status: "FAILED", error: failure.NoChoiceMatched}, reachable, nil
		}
		name = next
	}
	return outcome{}, nil, &failure.Error{Name: "test", Cause: "the machine loops"}
}

// end is the outcome of a state reached from a Choice: Pass gives its Result (or
// its input), Fail its error, Succeed its input. A Pass leading on to a Choice is
// not followed here; its outcome only serves the informativeness count.
func (c *recordedCase) end(st *value.Object) outcome {
	switch typ, _ := st.Get("Type"); typ {
	case "Fail":
		e, _ := st.Get("Error")
		s, _ := e.(string)
		return outcome{status: "FAILED", error: s}
	case "Pass":
		if r, ok := st.Get("Result"); ok {
			return outcome{status: "SUCCEEDED", output: r}
		}
	}
	return outcome{status: "SUCCEEDED", output: c.input}
}

func (c *recordedCase) describe() string {
	sv, _ := c.states.Get(c.start)
	st, _ := sv.(*value.Object)
	if st == nil {
		return "?"
	}
	ch, _ := st.Get("Choices")
	return value.String(ch)
}

func allSame(os []outcome) bool {
	for _, o := range os[min(1, len(os)):] {
		if !o.equal(os[0]) {
			return false
		}
	}
	return true
}
