package pages

import (
	"errors"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/dataflow"
	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// unreproducible marks definitions whose outputs a recomputation cannot match: random
// values, and the context object, which holds ids and times the normalization changed.
var unreproducible = regexp.MustCompile(`States\.(MathRandom|UUID)|\$random|\$uuid|\$now|\$millis|\$\$|\$states\.context`)

// TestDataFlowAgreesWithAWSRecordings feeds histories recorded on AWS to the execution
// page and, for every state that left, recomputes its data flow from what the page
// finds in the history (the input of its Entered event, its task's result, the
// variables assigned before it) and checks the output is the one AWS recorded. It is
// the test of the field names and links the page reads (assignedVariables,
// previousEventId chains through interleaved branches, result events).
func TestDataFlowAgreesWithAWSRecordings(t *testing.T) {
	root := conformance.DataDir(t, "asl")
	checked, withResult, withVars, assigned := 0, 0, 0, 0
	for _, area := range []string{"self_contained", "external"} {
		cases, err := conformance.Load(filepath.Join(root, area))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range conformance.Executions(cases) {
			if len(c.Expected.Events) == 0 || unreproducible.Match(c.Definition) {
				continue
			}
			if _, err := asl.Parse(c.Definition); err != nil {
				continue
			}
			evs, err := recordedEvents(c.Expected.Events)
			if errors.Is(err, errMaskedIDs) {
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", c.ID, err)
				continue
			}
			x := newPage(t, string(c.Definition), 100, 30)
			def := x.def
			x.add(evs)
			for i := range x.events {
				e := &x.events[i]
				name, ok := e.StateName()
				if !ok || !hist.IsExited(e.Type) {
					continue
				}
				st := def.Scope.Find(name)
				if st == nil || !flowComparable(def, st) {
					continue
				}
				r := x.runOf(name, i+1)
				if r.exited != i || r.entered < 0 {
					continue
				}
				res := -1
				if producesResult(st) {
					if res = x.resultEvent(st, r, i+1); res < 0 {
						continue // the history does not hold the result
					}
					withResult++
				}
				if sortInts(x.index.assigned, r.entered) > 0 {
					withVars++
				}
				_, stages := x.flowOf(st, name, r, res)
				got, err := dataflow.StateOutput(stages)
				outText, _ := e.Output()
				want, perr := value.ParseString(outText)
				if perr != nil {
					continue
				}
				if err != nil || !value.Equal(got, want) {
					t.Errorf("%s: state %s: the data flow gives %s (%v), AWS recorded %s", c.ID, name, value.String(got), err, outText)
				}
				checked++
				if d, ok := e.Details.(*types.StateExitedEventDetails); ok && len(d.AssignedVariables) > 0 {
					assigned++
					if got, want := datesAsRecorded(assignStage(stages)), recordedVars(d.AssignedVariables); !value.Equal(got, want) {
						t.Errorf("%s: state %s: the data flow assigns %s, AWS recorded %s", c.ID, name, value.String(got), value.String(want))
					}
				}
			}
		}
	}
	if checked < 100 || withResult < 10 || withVars < 10 || assigned < 10 {
		t.Fatalf("too little compared: %d states, %d with a result, %d with variables, %d assigning", checked, withResult, withVars, assigned)
	}
	t.Logf("%d state outputs recomputed from AWS histories and matched (%d from a task's or branch's result, %d reading variables, %d assignments matched)", checked, withResult, withVars, assigned)
}

// flowComparable leaves out states whose output the history alone cannot rebuild:
// those in Parallel branches and Map iterations, where variables are scoped in ways a
// history does not show, and Map and Parallel states that reshape a result the
// history does not record.
func flowComparable(def *asl.Definition, st *asl.State) bool {
	if def.States[st.Name] != st {
		return false
	}
	if (st.Type == asl.Parallel || st.Type == asl.Map) && !outputIsResult(st) {
		return false
	}
	return true
}

// isoDate is what the recordings' normalization replaced by "date".
var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}`)

// datesAsRecorded applies that replacement to a value computed here.
func datesAsRecorded(v value.Value) value.Value {
	switch x := v.(type) {
	case string:
		if isoDate.MatchString(x) {
			return "date"
		}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = datesAsRecorded(e)
		}
		return out
	case *value.Object:
		out := value.NewObject(x.Len())
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			out.Set(k, datesAsRecorded(e))
		}
		return out
	}
	return v
}

// assignStage is the value of the trace's Assign stage (nil when there is none).
func assignStage(stages []dataflow.Stage) value.Value {
	for _, s := range stages {
		if s.Name == "Assign" {
			return s.Value
		}
	}
	return nil
}

// recordedVars is assignedVariables as one object: each value is JSON text.
func recordedVars(vars map[string]string) value.Value {
	obj := value.NewObject(len(vars))
	for k, v := range vars {
		pv, err := value.ParseString(v)
		if err != nil {
			pv = v
		}
		obj.Set(k, pv)
	}
	return obj
}

func sortInts(idx []int, n int) int {
	k := 0
	for k < len(idx) && idx[k] < n {
		k++
	}
	return k
}

// errMaskedIDs: the recording replaced the ids of an unordered block (Parallel branches,
// Map iterations) by a placeholder, so the links between its events are gone.
var errMaskedIDs = errors.New("event ids masked by the normalization")

// recordedEvents turns a normalized recording back into wire events: text members
// that normalization parsed into JSON become text again, timestamps go.
func recordedEvents(raw []byte) ([]types.HistoryEvent, error) {
	doc, err := value.Parse(raw)
	if err != nil {
		return nil, err
	}
	list, _ := doc.([]any)
	out := make([]types.HistoryEvent, 0, len(list))
	for _, item := range list {
		obj, ok := item.(*value.Object)
		if !ok {
			continue
		}
		if id, _ := obj.Get("id"); !value.IsInteger(id) {
			return nil, errMaskedIDs
		}
		obj = obj.Clone()
		obj.Delete("timestamp")
		for i := 0; i < obj.Len(); i++ {
			k, v := obj.At(i)
			if d, isObj := v.(*value.Object); isObj {
				obj.Set(k, textMembers(d))
			}
		}
		var e hist.Event
		if err := e.UnmarshalJSON(value.Marshal(obj)); err != nil {
			return nil, err
		}
		out = append(out, e.ToSDK())
	}
	return out, nil
}

func textMembers(d *value.Object) *value.Object {
	d = d.Clone()
	for i := 0; i < d.Len(); i++ {
		k, v := d.At(i)
		switch k {
		case "input", "output", "cause", "parameters", "result":
			if _, isText := v.(string); !isText {
				d.Set(k, value.String(v))
			}
		case "assignedVariables":
			if vars, isObj := v.(*value.Object); isObj {
				vars = vars.Clone()
				for j := 0; j < vars.Len(); j++ {
					vk, vv := vars.At(j)
					if _, isText := vv.(string); !isText {
						vars.Set(vk, value.String(vv))
					}
				}
				d.Set(k, vars)
			}
		}
	}
	return d
}
