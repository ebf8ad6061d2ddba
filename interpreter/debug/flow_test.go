package debug

import (
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/dataflow"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// flowText prints stages as name=value (or name!error) for comparison.
func flowText(stages []dataflow.Stage) string {
	var parts []string
	for _, s := range stages {
		if s.Err != nil {
			parts = append(parts, s.Name+"!"+s.Err.Error())
			continue
		}
		parts = append(parts, s.Name+"="+value.String(s.Value))
	}
	return strings.Join(parts, " ")
}

// enteredID is the id of the last Entered event of a state.
func enteredID(s *Session, state string) int64 {
	var id int64
	for _, ev := range s.History() {
		if n, _ := ev.StateName(); n == state && history.IsEntered(ev.Type) {
			id = ev.ID
		}
	}
	return id
}

// The session keeps what the engine computed for each run of a state: the stages up to
// a task that has not answered, the result and what follows once it has, and a stage
// that failed with the error the state raised.
func TestFlowIsWhatTheEngineComputed(t *testing.T) {
	def := `{"StartAt":"Ask","States":{
		"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","InputPath":"$.q",
			"ResultSelector":{"a.$":"$.answer"},"ResultPath":"$.got","Assign":{"last.$":"$.a"},"Next":"Pick"},
		"Pick":{"Type":"Pass","OutputPath":"$.missing","End":true}}}`
	s := start(t, def, `{"q":{"text":"why"}}`, nil)
	s.Continue()
	v := until(t, s, "the task", func(v View) bool { return len(v.Tasks) == 1 })
	ask := enteredID(s, "Ask")
	stages, ok := s.Flow(ask, 0)
	if got, want := flowText(stages), `InputPath={"text":"why"} Parameters={"text":"why"}`; !ok || got != want {
		t.Fatalf("before the answer: %s (%v), want %s", got, ok, want)
	}
	asked := s.History()[len(s.History())-1].ID
	if err := s.Answer(v.Tasks[0].Frame, value.MustParse(`{"answer":42}`), nil, nil); err != nil {
		t.Fatal(err)
	}
	until(t, s, "the end", done)
	stages, _ = s.Flow(ask, 0)
	want := `InputPath={"text":"why"} Parameters={"text":"why"} Result={"answer":42} ResultSelector={"a":42} ` +
		`ResultPath={"q":{"text":"why"},"got":{"a":42}} Assign={"last":42} OutputPath={"q":{"text":"why"},"got":{"a":42}}`
	if got := flowText(stages); got != want {
		t.Errorf("after the answer:\n got %s\nwant %s", got, want)
	}
	// As of the history before the answer, the flow is what it was then.
	if earlier, _ := s.Flow(ask, asked); len(earlier) != 2 {
		t.Errorf("as of event %d: %s", asked, flowText(earlier))
	}
	if stages[0].Field != "$.q" || stages[3].Field != `{"a.$":"$.answer"}` {
		t.Errorf("fields: %q %q", stages[0].Field, stages[3].Field)
	}
	stages, _ = s.Flow(enteredID(s, "Pick"), 0)
	last := stages[len(stages)-1]
	if last.Name != "OutputPath" || last.Err == nil || !strings.Contains(last.Err.Error(), "Invalid path '$.missing'") {
		t.Errorf("Pick's flow should end with its failed OutputPath: %s", flowText(stages))
	}
	if _, ok := s.Flow(9999, 0); ok {
		t.Error("a run that never happened has a flow")
	}
}
