package jsonpath

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// recordedCase is the part of a recorded AWS execution these tests read.
type recordedCase struct {
	file     string
	startAt  *value.Object // the first state of the definition
	input    value.Value
	status   string
	output   value.Value
	cause    string
	stateArg string // the state named in the cause
}

var causeState = regexp.MustCompile(`^An error occurred while executing the state '([^']*)'`)

func loadRecordedCases(t *testing.T) []recordedCase {
	t.Helper()
	root := conformance.DataDir(t, "asl")
	var out []recordedCase
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		doc, err := value.Parse(data)
		if err != nil {
			return nil // not a case file
		}
		c, ok := recordedFrom(doc)
		if ok {
			c.file = filepath.Base(path)
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func recordedFrom(doc value.Value) (recordedCase, bool) {
	var c recordedCase
	o, ok := doc.(*value.Object)
	if !ok {
		return c, false
	}
	def, _ := o.Get("definition")
	defObj, ok := def.(*value.Object)
	if !ok {
		return c, false
	}
	if ql, _ := defObj.Get("QueryLanguage"); ql == "JSONata" {
		return c, false
	}
	startName, _ := defObj.Get("StartAt")
	states, _ := defObj.Get("States")
	statesObj, _ := states.(*value.Object)
	name, _ := startName.(string)
	st, _ := statesObj.Get(name)
	if c.startAt, ok = st.(*value.Object); !ok {
		return c, false
	}
	in, _ := o.Get("input_string")
	s, ok := in.(string)
	if !ok {
		return c, false
	}
	var err error
	if c.input, err = value.ParseString(s); err != nil {
		return c, false
	}
	exp, _ := o.Get("expected")
	expObj, ok := exp.(*value.Object)
	if !ok {
		return c, false
	}
	status, _ := expObj.Get("status")
	c.status, _ = status.(string)
	c.output, _ = expObj.Get("output")
	cause, _ := expObj.Get("cause")
	c.cause, _ = cause.(string)
	if m := causeState.FindStringSubmatch(c.cause); m != nil {
		if m[1] != name {
			c.cause = "" // the failing state did not see the execution input
		}
	}
	return c, true
}

func onlyFields(st *value.Object, allowed ...string) bool {
	for _, k := range st.Keys() {
		ok := false
		for _, a := range allowed {
			ok = ok || k == a
		}
		if !ok {
			return false
		}
	}
	return true
}

// A first Pass state whose Parameters are all paths over the input, ending the
// execution, outputs exactly what the paths select.
func TestConformanceParameterPaths(t *testing.T) {
	checked := 0
	for _, c := range loadRecordedCases(t) {
		st := c.startAt
		if c.status != "SUCCEEDED" || st.Has("Next") || !onlyFields(st, "Type", "Parameters", "End", "Comment") {
			continue
		}
		if typ, _ := st.Get("Type"); typ != "Pass" {
			continue
		}
		params, _ := st.Get("Parameters")
		po, ok := params.(*value.Object)
		if !ok || po.Len() == 0 {
			continue
		}
		want := value.NewObject(po.Len())
		usable := true
		for i := 0; i < po.Len() && usable; i++ {
			k, v := po.At(i)
			src, isStr := v.(string)
			if !strings.HasSuffix(k, ".$") || !isStr || strings.HasPrefix(src, "States.") {
				usable = false
				break
			}
			p, err := Compile(src)
			if err != nil || p.Root() != RootInput {
				usable = false
				break
			}
			got, err := p.Eval(&Env{Input: c.input})
			if err != nil {
				t.Errorf("%s: %s: %v", c.file, src, err)
				usable = false
				break
			}
			want.Set(strings.TrimSuffix(k, ".$"), got)
		}
		if !usable {
			continue
		}
		checked++
		if !value.Equal(want, c.output) {
			t.Errorf("%s: paths give %s, AWS output %s", c.file, value.String(want), value.String(c.output))
		}
	}
	if checked == 0 {
		t.Fatal("no recorded case exercised Parameters paths: the conformance layout changed")
	}
	t.Logf("checked %d recorded executions", checked)
}

var invalidPathCause = regexp.MustCompile(`Invalid path '(.*)' : (.*)$`)
var notFoundCause = regexp.MustCompile(`The JSONPath '(.*)' specified for the field '.*' could not be found in the input`)

// Causes AWS recorded for paths evaluated over the execution input (the first state,
// with no InputPath or Parameters before the path) match our messages.
func TestConformancePathCauses(t *testing.T) {
	checked := 0
	for _, c := range loadRecordedCases(t) {
		if c.cause == "" || c.startAt.Has("Result") || c.startAt.Has("ResultPath") {
			continue
		}
		if m := invalidPathCause.FindStringSubmatch(c.cause); m != nil && !c.startAt.Has("Parameters") {
			if ip, _ := c.startAt.Get("InputPath"); ip != nil && ip != m[1] {
				continue
			}
			p, err := Compile(m[1])
			if err != nil {
				t.Errorf("%s: %s does not compile: %v", c.file, m[1], err)
				continue
			}
			_, err = p.Eval(&Env{Input: c.input})
			checked++
			t.Logf("%s: %v", c.file, err)
			if err == nil || err.Error() != m[2] {
				t.Errorf("%s: %s gives %v, AWS said %q", c.file, m[1], err, m[2])
			}
			continue
		}
		if m := notFoundCause.FindStringSubmatch(c.cause); m != nil && !c.startAt.Has("InputPath") {
			p, err := Compile(m[1])
			if err != nil {
				t.Errorf("%s: %s does not compile: %v", c.file, m[1], err)
				continue
			}
			env := &Env{Input: c.input, Context: value.ObjectOf("Execution", value.ObjectOf("Input", c.input))}
			_, err = p.Eval(env)
			var nf *NotFoundError
			checked++
			t.Logf("%s: %v", c.file, err)
			if !errors.As(err, &nf) {
				t.Errorf("%s: %s gives %v, AWS found nothing", c.file, m[1], err)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no recorded cause exercised a path: the conformance layout changed")
	}
	t.Logf("checked %d recorded causes", checked)
}
