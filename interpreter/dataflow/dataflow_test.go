package dataflow

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/conformance"
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
	stages := Trace(d.States["T"], Inputs{Input: value.MustParse(`{"order":{"id":7}}`),
		Result: value.MustParse(`{"Payload":{"total":12}}`), HasResult: true})
	want := []struct{ name, val string }{
		{"InputPath", `{"id":7}`},
		{"Parameters", `{"id":7}`},
		{"Result", `{"Payload":{"total":12}}`},
		{"ResultSelector", `{"total":12}`},
		{"ResultPath", `{"order":{"id":7},"priced":{"total":12}}`},
		{"OutputPath", `{"total":12}`},
		{"Assign", `{"last":12}`},
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
	stages := Trace(d.States["T"], Inputs{Input: value.MustParse(`{"n":3}`), Result: value.MustParse(`{"Payload":6}`), HasResult: true,
		Vars: map[string]value.Value{"k": int64(1)}})
	got := ""
	for _, s := range stages {
		got += s.Name + "=" + value.String(s.Value) + " "
	}
	if want := `Arguments={"n":6} Result={"Payload":6} Output=7 Assign={"seen":6} `; got != want {
		t.Errorf("stages: %s\nwant    %s", got, want)
	}
}

// TestTraceAgreesWithTheEngine runs the recorded definitions on the engine and checks,
// for every top-level state whose output needs no task result, that the trace computed
// from the state's recorded input gives the output the engine recorded.
var random = regexp.MustCompile(`States\.(MathRandom|UUID)|\$random|\$uuid`)

func TestTraceAgreesWithTheEngine(t *testing.T) {
	dir := conformance.DataDir(t, "asl", "self_contained")
	cases, err := conformance.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range conformance.Executions(cases) {
		def, err := asl.Parse(c.Definition)
		if err != nil || random.MatchString(string(c.Definition)) {
			continue // a recomputed random value cannot match the recorded one
		}
		input := c.InputString
		if input == "" {
			input = "{}"
		}
		in, err := value.ParseString(input)
		if err != nil {
			continue
		}
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		x := engine.New(def, engine.Meta{Name: "e", StateMachineName: "m", Type: types.StateMachineTypeStandard, StartTime: start, Input: input},
			in, engine.Options{RecordHistory: true, HistoryLimit: 2000, TimeScale: 1})
		if err := (&engine.Runner{Clock: engine.NewVirtualClock(start)}).Run(context.Background(), x); err != nil {
			continue
		}
		byID := map[int64]*history.Event{}
		for i := range x.History {
			byID[x.History[i].ID] = &x.History[i]
		}
		vars := map[string]value.Value{}
		for i := range x.History {
			ev := &x.History[i]
			if !history.IsExited(ev.Type) {
				continue
			}
			name, _ := ev.StateName()
			st, top := def.States[name]
			entered := byID[ev.PreviousEventID]
			if top && entered != nil && history.IsEntered(entered.Type) && !st.UsesContext &&
				st.Type != asl.Task && st.Type != asl.Parallel && st.Type != asl.Map {
				inText, _ := entered.Input()
				outText, _ := ev.Output()
				stages := Trace(st, Inputs{Input: value.MustParse(inText), Vars: vars})
				got, err := StateOutput(stages)
				if err != nil || !value.Equal(got, value.MustParse(outText)) {
					t.Errorf("%s: state %s: trace gives %s (%v), the engine recorded %s", c.ID, name, value.String(got), err, outText)
				}
				checked++
			}
			if d, ok := ev.Details.(*types.StateExitedEventDetails); ok && top {
				for k, v := range d.AssignedVariables {
					vars[k] = value.MustParse(v)
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d states checked", checked)
	}
	t.Logf("%d state outputs recomputed and matched", checked)
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
		stages := Trace(d.States["C"], Inputs{Input: value.MustParse(tc.input)})
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
		if out, err := StateOutput(stages); err != nil || value.String(out) != tc.input {
			t.Errorf("input %s: output %s (%v)", tc.input, value.String(out), err)
		}
	}
	// A rule that cannot be evaluated stops the trace with its error.
	bad, err := asl.Parse([]byte(`{"StartAt":"C","States":{"C":{"Type":"Choice",
		"Choices":[{"Variable":"$.missing","NumericGreaterThan":5,"Next":"Big"}],"Default":"Big"},"Big":{"Type":"Succeed"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	stages := Trace(bad.States["C"], Inputs{Input: value.MustParse(`{}`)})
	if last := stages[len(stages)-1]; last.Name != "Condition" || last.Err == nil {
		t.Errorf("a failing rule ends the trace with its error: %+v", last)
	}
}
