package debug

import (
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// A definition changed while stopped: the session starts again on it, stopped before
// the same state with the same input, and says what changed; a breakpoint on a state
// that is gone goes with it.
func TestReloadKeepsThePosition(t *testing.T) {
	s := start(t, countDef, `{}`, nil)
	if err := s.SetCondition("Count", Condition{Text: "$states.input.n = 2"}); err != nil {
		t.Fatal(err)
	}
	s.Continue()
	v := until(t, s, "the stop where n is 2", heldAt("Count"))
	if n, _ := v.Held[0].Input.(*value.Object).Get("n"); n != int64(2) {
		t.Fatalf("stopped with %v", value.String(v.Held[0].Input))
	}
	s.ToggleBreakpoint("More?")
	// Count now adds 10, More? is renamed Again?, and a state is added.
	edited := strings.NewReplacer(`$states.input.n + 1`, `$states.input.n + 10`, `"More?"`, `"Again?"`,
		`"Done":{"Type":"Succeed"}`, `"Done":{"Type":"Pass","Next":"End"},"End":{"Type":"Succeed"}`).Replace(countDef)
	def, err := asl.Parse([]byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	n, what, err := s.Reload(def, edited)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Close)
	for _, want := range []string{"changed Count, Done", "added Again?, End", "removed More?", "stopped again before Count"} {
		if !strings.Contains(what, want) {
			t.Errorf("%q lacks %q", what, want)
		}
	}
	v = n.View()
	if len(v.Held) != 1 || v.Held[0].State != "Count" || value.String(v.Held[0].Input) != `{"n":2}` {
		t.Fatalf("after the reload: %+v", v.Held)
	}
	if got, _ := n.Eval(v.Held[0].Frame, "jsonata", "$seen"); got != int64(2) {
		t.Errorf("$seen = %v: the variables were not kept", got)
	}
	if bp := n.Breakpoints(); bp["More?"] || !bp["Count"] || n.Conditions()["Count"].Text == "" {
		t.Errorf("breakpoints %v, conditions %v", bp, n.Conditions())
	}
	// It runs the new definition: one Count of +10 takes n past 4.
	n.ToggleBreakpoint("Count")
	n.Continue()
	until(t, n, "the end", func(v View) bool { return v.Status == "SUCCEEDED" })
	if out := value.String(n.View().Output); out != `{"n":12}` {
		t.Errorf("output %s", out)
	}
}
