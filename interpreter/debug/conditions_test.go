package debug

import (
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// A loop that passes Count four times, with the count in its input and in a variable.
const countDef = `{"StartAt":"Init","QueryLanguage":"JSONata","States":{
 "Init":{"Type":"Pass","Output":{"n":0},"Assign":{"seen":0},"Next":"Count"},
 "Count":{"Type":"Pass","Output":{"n":"{% $states.input.n + 1 %}"},"Assign":{"seen":"{% $seen + 1 %}"},"Next":"More?"},
 "More?":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n < 4 %}","Next":"Count"}],"Default":"Done"},
 "Done":{"Type":"Succeed"}}}`

// A conditional breakpoint stops only where its condition holds, on the state's input,
// its variables or its context; the prompt and the watches evaluate there.
func TestConditionalBreakpoint(t *testing.T) {
	s := start(t, countDef, `{}`, nil)
	if err := s.SetCondition("Count", Condition{Lang: "jsonata", Text: "$states.input.n = 2"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCondition("Count", Condition{Text: "$states.input.n ="}); err == nil {
		t.Fatal("a condition that does not parse was taken")
	}
	s.Continue()
	v := until(t, s, "the stop where n is 2", heldAt("Count"))
	h := v.Held[0]
	if n, _ := h.Input.(*value.Object).Get("n"); n != int64(2) || !strings.HasPrefix(h.Reason, "condition ") {
		t.Fatalf("stopped at %+v", h)
	}
	// What the state sees, evaluated at the stop: its variables, its context.
	for text, want := range map[string]string{
		"$seen":                                "2",
		"$states.input.n * 10":                 "20",
		"$states.context.State.Name":           `"Count"`,
		"$states.context.Execution.Name != ''": "true",
	} {
		got, err := s.Eval(h.Frame, "jsonata", text)
		if err != nil || value.String(got) != want {
			t.Errorf("%s = %v (%v), want %s", text, got, err, want)
		}
	}
	if got, err := s.Eval(h.Frame, "jsonpath", "$.n"); err != nil || got != int64(2) {
		t.Errorf("JSONPath $.n = %v (%v)", got, err)
	}
	// On past the other visits to the end: it held no more.
	s.Continue()
	until(t, s, "the end", func(v View) bool { return v.Status == "SUCCEEDED" })
}

// A condition that fails to evaluate stops, saying why, rather than being skipped.
func TestConditionThatFailsStops(t *testing.T) {
	s := start(t, countDef, `{}`, nil)
	if err := s.SetCondition("Count", Condition{Text: `$states.input.n + "a"`}); err != nil {
		t.Fatal(err)
	}
	s.Continue()
	v := until(t, s, "a stop at Count", heldAt("Count"))
	if !strings.HasPrefix(v.Held[0].Reason, "condition failed: ") {
		t.Errorf("reason %q", v.Held[0].Reason)
	}
	// Removing the breakpoint removes its condition.
	if s.ToggleBreakpoint("Count") {
		t.Fatal("the breakpoint is still set")
	}
	if len(s.Conditions()) != 0 {
		t.Errorf("conditions left: %v", s.Conditions())
	}
}

// Run to a state stops there once; a variable set at a stop is what the state then
// reads.
func TestRunToAndSetVariable(t *testing.T) {
	s := start(t, countDef, `{}`, nil)
	if err := s.RunTo("More?"); err != nil {
		t.Fatal(err)
	}
	v := until(t, s, "the stop at More?", heldAt("More?"))
	if v.Held[0].Reason != "run to here" {
		t.Fatalf("reason %q", v.Held[0].Reason)
	}
	// More? loops while n < 4; Count counts $seen. Set $seen at the stop, then run to
	// Done: the variable carried on from what was set.
	if err := s.SetVariable(v.Held[0].Frame, "seen", int64(100)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Eval(v.Held[0].Frame, "jsonata", "$seen"); got != int64(100) {
		t.Fatalf("$seen = %v after setting it", got)
	}
	if err := s.RunTo("Done"); err != nil {
		t.Fatal(err)
	}
	v = until(t, s, "the stop at Done", heldAt("Done"))
	if got, _ := s.Eval(v.Held[0].Frame, "jsonata", "$seen"); got != int64(103) {
		t.Errorf("$seen at Done = %v, want 103 (100 and three more Counts)", got)
	}
	if err := s.RunTo("Nowhere"); err == nil {
		t.Error("ran to a state that does not exist")
	}
}

// A task answered by hand takes its heartbeat limit with it: no timer counts down for
// a task that is over.
func TestAnsweredTaskLeavesNoTimer(t *testing.T) {
	s := start(t, `{"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"HeartbeatSeconds":600,"TimeoutSeconds":900,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Then"}],"Next":"Then"},
		"Then":{"Type":"Pass","End":true}}}`, `{}`, nil)
	s.ToggleBreakpoint("Then")
	s.Continue()
	v := until(t, s, "the task waiting", func(v View) bool { return len(v.Tasks) == 1 && len(v.Timers) > 0 })
	cause := "rejected by hand"
	errName := "Rejected"
	if err := s.Answer(v.Tasks[0].Frame, nil, &errName, &cause); err != nil {
		t.Fatal(err)
	}
	v = until(t, s, "the stop after the catch", heldAt("Then"))
	if len(v.Timers) != 0 {
		t.Errorf("timers left after the task was answered: %+v", v.Timers)
	}
}

// Break on an error by name: the retry of a matching failure is held at the failure,
// before the retry acts; another error goes by.
func TestBreakOnAnErrorByName(t *testing.T) {
	def := `{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":1,"MaxAttempts":2}],"End":true}}}`
	for _, c := range []struct {
		names  []string
		paused bool
	}{{[]string{"Boom"}, true}, {[]string{"Other"}, false}} {
		s := start(t, def, `{}`, nil)
		s.BreakOnErrorNames(c.names)
		s.Continue()
		v := until(t, s, "the task waiting", func(v View) bool { return len(v.Tasks) == 1 })
		boom, cause := "Boom", "the card was declined"
		if err := s.Answer(v.Tasks[0].Frame, nil, &boom, &cause); err != nil {
			t.Fatal(err)
		}
		v = until(t, s, "the retry", func(v View) bool { return len(v.Timers) == 1 || len(v.Tasks) == 1 })
		paused := len(v.Timers) == 1 && v.Timers[0].Paused
		if paused != c.paused {
			t.Errorf("names %v: retry paused %v, want %v (%+v)", c.names, paused, c.paused, v.Timers)
		}
	}
}

// A restart at a state inside a Parallel branch runs that branch on its own from there.
func TestRestartInsideABranch(t *testing.T) {
	s := start(t, `{"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"A1","States":{"A1":{"Type":"Pass","Result":"a1","Next":"A2"},"A2":{"Type":"Pass","Parameters":{"got.$":"$"},"End":true}}},
		{"StartAt":"B1","States":{"B1":{"Type":"Pass","End":true}}}]}}}`, `{}`, nil)
	n, err := s.Restart("A2", value.MustParse(`"edited"`))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Close)
	if v := n.View(); len(v.Held) != 1 || v.Held[0].State != "A2" || value.String(v.Held[0].Input) != `"edited"` {
		t.Fatalf("restarted: %+v", v.Held)
	}
	n.Continue()
	v := until(t, n, "the branch's end", func(v View) bool { return v.Status != "RUNNING" })
	if v.Status != "SUCCEEDED" || value.String(v.Output) != `{"got":"edited"}` {
		t.Errorf("%s %s", v.Status, value.String(v.Output))
	}
	if _, err := s.Restart("Nowhere", nil); err == nil {
		t.Error("restarted at a state that does not exist")
	}
}
