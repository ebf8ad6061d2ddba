package pages

import (
	"testing"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/debug"
	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/common"
)

// The data flow of a Task the debugged execution already ran starts from its recorded
// input and goes on through the result answered by hand; a state stopped before shows
// what it is about to do.
func TestDebuggerFlowOfARunTask(t *testing.T) {
	def, err := asl.Parse([]byte(`{"StartAt":"Ask","States":{
		"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultSelector":{"got.$":"$.answer"},"ResultPath":"$.r","Next":"Then"},
		"Then":{"Type":"Pass","End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := debug.New(debug.Config{Definition: def, Input: value.MustParse(`{"q":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Step(-1)
	deadline := time.Now().Add(10 * time.Second)
	for len(s.View().Tasks) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the task never waited for an answer")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := s.Answer(s.View().Tasks[0].Frame, value.MustParse(`{"answer":42}`), nil, nil); err != nil {
		t.Fatal(err)
	}
	c := common.New(nil, false)
	c.Width, c.Height = 120, 40
	d := NewDebugger(c, s, "t")
	stage := func(name string) string {
		_, stages := d.flowOf(name)
		out := ""
		for _, st := range stages {
			out += st.Name + "=" + value.String(st.Value) + " "
		}
		return out
	}
	if got := stage("Ask"); got != `InputPath={"q":1} Parameters={"q":1} Result={"answer":42} ResultSelector={"got":42} ResultPath={"q":1,"r":{"got":42}} OutputPath={"q":1,"r":{"got":42}} ` {
		t.Errorf("Ask: %s", got)
	}
	if got := stage("Then"); got == "" {
		t.Error("the state stopped before shows no data flow")
	}
}
