package dataflow_test

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/dataflow"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func TestStagesOfATask(t *testing.T) {
	d, err := asl.Parse([]byte(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"InputPath":"$.order","Parameters":{"id.$":"$.id"},"ResultSelector":{"total.$":"$.Payload.total"},
		"ResultPath":"$.priced","OutputPath":"$.priced","Assign":{"last.$":"$.total"},"End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	stages := dataflow.Trace(d.States["T"], dataflow.Inputs{Input: value.MustParse(`{"order":{"id":7}}`),
		Result: value.MustParse(`{"Payload":{"total":12}}`), HasResult: true})
	want := []struct{ name, val string }{
		{"InputPath", `{"id":7}`},
		{"Parameters", `{"id":7}`},
		{"Result", `{"Payload":{"total":12}}`},
		{"ResultSelector", `{"total":12}`},
		{"ResultPath", `{"order":{"id":7},"priced":{"total":12}}`},
		{"Assign", `{"last":12}`},
		{"OutputPath", `{"total":12}`},
	}
	if len(stages) != len(want) {
		t.Fatalf("%d stages: %+v", len(stages), stages)
	}
	for i, w := range want {
		if stages[i].Name != w.name || value.String(stages[i].Value) != w.val || stages[i].Err != nil {
			t.Errorf("stage %d = %s %s (%v), want %s %s", i, stages[i].Name, value.String(stages[i].Value), stages[i].Err, w.name, w.val)
		}
	}
}

func TestJSONataStages(t *testing.T) {
	d, err := asl.Parse([]byte(`{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"Arguments":{"n":"{% $states.input.n * 2 %}"},"Output":"{% $states.result.Payload + $k %}","Assign":{"seen":"{% $states.result.Payload %}"},"End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	stages := dataflow.Trace(d.States["T"], dataflow.Inputs{Input: value.MustParse(`{"n":3}`), Result: value.MustParse(`{"Payload":6}`), HasResult: true,
		Vars: map[string]value.Value{"k": int64(1)}})
	got := ""
	for _, s := range stages {
		got += s.Name + "=" + value.String(s.Value) + " "
	}
	if want := `Arguments={"n":6} Result={"Payload":6} Assign={"seen":6} Output=7 `; got != want {
		t.Errorf("stages: %s\nwant    %s", got, want)
	}
}

// TestTraceAgreesWithTheEngine runs the recorded definitions on the engine and checks,
// for every run of a top-level state, that the trace computed from the state's recorded
// input (and the result the engine handed it) has the very stages the engine computed
// and handed to Options.Flow, and that it gives the output the engine recorded: the
// composition of the stages is the same in both.
var unreproducible = regexp.MustCompile(`States\.(MathRandom|UUID)|\$random|\$uuid|\$now|\$millis`)

func TestTraceAgreesWithTheEngine(t *testing.T) {
	dir := conformance.DataDir(t, "asl", "self_contained")
	cases, err := conformance.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	runs, outputs, failed, outside := 0, 0, 0, 0
	for _, c := range conformance.Executions(cases) {
		def, err := asl.Parse(c.Definition)
		if err != nil || unreproducible.MatchString(string(c.Definition)) {
			continue // a recomputed random value or time cannot match the engine's
		}
		input := c.InputString
		if input == "" {
			input = "{}"
		}
		in, err := value.ParseString(input)
		if err != nil {
			continue
		}
		// The stages the engine computed, by the Entered event of their run (the last
		// attempt's where the state was retried).
		recorded := map[int64][]dataflow.Stage{}
		attempt := map[int64]int64{}
		flow := func(s engine.FlowStage) {
			if s.Attempt != attempt[s.Entered] {
				recorded[s.Entered], attempt[s.Entered] = nil, s.Attempt
			}
			recorded[s.Entered] = append(recorded[s.Entered], s.Stage)
		}
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		x := engine.New(def, engine.Meta{Name: "e", StateMachineName: "m", Type: types.StateMachineTypeStandard, StartTime: start, Input: input},
			in, engine.Options{RecordHistory: true, HistoryLimit: 2000, TimeScale: 1, Flow: flow})
		if err := (&engine.Runner{Clock: engine.NewVirtualClock(start)}).Run(context.Background(), x); err != nil {
			continue
		}
		byID := map[int64]*history.Event{}
		for i := range x.History {
			byID[x.History[i].ID] = &x.History[i]
		}
		vars := map[string]value.Value{}
		varsAt := map[int64]map[string]value.Value{}
		for i := range x.History {
			ev := &x.History[i]
			name, _ := ev.StateName()
			st, top := def.States[name]
			if !top {
				continue
			}
			if history.IsEntered(ev.Type) {
				varsAt[ev.ID] = maps.Clone(vars)
			}
			if d, ok := ev.Details.(*types.StateExitedEventDetails); ok {
				for k, v := range d.AssignedVariables {
					vars[k] = value.MustParse(v)
				}
			}
			if !history.IsEntered(ev.Type) || st.UsesContext {
				continue
			}
			engineStages := recorded[ev.ID]
			inText, _ := ev.Input()
			tin := dataflow.Inputs{Input: value.MustParse(inText), Vars: varsAt[ev.ID]}
			for _, s := range engineStages {
				if s.Name == "Result" && st.Type != asl.Pass {
					tin.Result, tin.HasResult = s.Value, true
				}
			}
			traced := dataflow.Trace(st, tin)
			runs++
			var exit *history.Event
			for j := i + 1; j < len(x.History) && exit == nil; j++ {
				if e := &x.History[j]; history.IsExited(e.Type) && enteredOf(byID, e) == ev.ID {
					exit = e
				}
			}
			want := stagesText(engineStages)
			if exit == nil && len(engineStages) < len(traced) && (len(engineStages) == 0 || engineStages[len(engineStages)-1].Err == nil) {
				// The state failed outside its data flow (a Wait's duration, a Map's
				// items): the trace, which does not run the work, goes on.
				traced = traced[:len(engineStages)]
				outside++
			}
			if got := stagesText(traced); got != want {
				t.Errorf("%s: state %s entered at %d:\ntrace  %s\nengine %s", c.ID, name, ev.ID, got, want)
			}
			if len(traced) > 0 && traced[len(traced)-1].Err != nil {
				failed++
			}
			if exit != nil {
				outText, _ := exit.Output()
				got, err := dataflow.StateOutput(traced)
				if err != nil || !value.Equal(got, value.MustParse(outText)) {
					t.Errorf("%s: state %s: trace gives %s (%v), the engine recorded %s", c.ID, name, value.String(got), err, outText)
				}
				outputs++
			}
		}
	}
	if runs < 1000 || outputs < 900 || failed < 5 {
		t.Fatalf("only %d runs (%d outputs, %d failed) checked", runs, outputs, failed)
	}
	t.Logf("%d state runs traced with the engine's stages: %d outputs matched, %d ended in a failed stage, %d failed outside the data flow",
		runs, outputs, failed, outside)
}

// enteredOf follows an Exited event back to the Entered event of its run: directly, or
// through the task events between them.
func enteredOf(byID map[int64]*history.Event, exit *history.Event) int64 {
	for e := byID[exit.PreviousEventID]; e != nil; e = byID[e.PreviousEventID] {
		if history.IsEntered(e.Type) {
			return e.ID
		}
		if history.IsExited(e.Type) {
			return 0
		}
	}
	return 0
}

// stagesText prints stages for comparison: names, fields, values and errors.
func stagesText(stages []dataflow.Stage) string {
	var b strings.Builder
	for _, s := range stages {
		fmt.Fprintf(&b, "%s[%s] default=%v rule=%d ", s.Name, s.Field, s.Default, s.Rule)
		if s.Err != nil {
			b.WriteString("error " + s.Err.Error() + "; ")
		} else {
			b.WriteString(value.String(s.Value) + "; ")
		}
	}
	return b.String()
}

// TestJSONPathChoiceRuleAssign: the rule that matches brings its own Assign, the state's
// applies otherwise (as the engine runs them).
func TestJSONPathChoiceRuleAssign(t *testing.T) {
	d, err := asl.Parse([]byte(`{"StartAt":"C","States":{"C":{"Type":"Choice","Assign":{"path":"default"},
		"Choices":[{"Variable":"$.n","NumericGreaterThan":5,"Next":"Big","Assign":{"path":"big","n.$":"$.n"}},
		           {"Variable":"$.n","NumericLessThan":0,"Next":"Big"}],
		"Default":"Big"},"Big":{"Type":"Succeed"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ input, cond, assign string }{
		{`{"n":9}`, "Choices[0]", `{"path":"big","n":9}`},
		{`{"n":-1}`, "Choices[1]", `{"path":"default"}`},
		{`{"n":1}`, "Default", `{"path":"default"}`},
	} {
		stages := dataflow.Trace(d.States["C"], dataflow.Inputs{Input: value.MustParse(tc.input)})
		var cond, as string
		for _, s := range stages {
			switch s.Name {
			case "Condition":
				cond = s.Field
			case "Assign":
				as = value.String(s.Value)
			}
		}
		if !strings.HasPrefix(cond, tc.cond) || as != tc.assign {
			t.Errorf("input %s: condition %q assign %s, want %s… and %s", tc.input, cond, as, tc.cond, tc.assign)
		}
		if out, err := dataflow.StateOutput(stages); err != nil || value.String(out) != tc.input {
			t.Errorf("input %s: output %s (%v)", tc.input, value.String(out), err)
		}
	}
	// A rule that cannot be evaluated stops the trace with its error.
	bad, err := asl.Parse([]byte(`{"StartAt":"C","States":{"C":{"Type":"Choice",
		"Choices":[{"Variable":"$.missing","NumericGreaterThan":5,"Next":"Big"}],"Default":"Big"},"Big":{"Type":"Succeed"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	stages := dataflow.Trace(bad.States["C"], dataflow.Inputs{Input: value.MustParse(`{}`)})
	if last := stages[len(stages)-1]; last.Name != "Condition" || last.Err == nil {
		t.Errorf("a failing rule ends the trace with its error: %+v", last)
	}
}
