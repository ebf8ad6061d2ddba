package pages

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/debug"
	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/common"
)

// Stepping back shows each earlier stop (its input in the pane, its place in the
// title) and forward again to now; the controls that would move the execution wait
// while looking back, and nothing moves.
func TestDebuggerStepsBackThroughItsStops(t *testing.T) {
	s, d := debuggerOn(t, `{"StartAt":"Count","States":{
		"Count":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"More?"},
		"More?":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":3,"Next":"Count"}],"Default":"Done"},
		"Done":{"Type":"Succeed"}}}`, `{"n":0}`, 140, 40, "Count")
	stoppedWith := func(n string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			if v := s.View(); len(v.Held) == 1 && value.String(v.Held[0].Input) == `{"n":`+n+`}` {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("never stopped with n = %s", n)
			}
			time.Sleep(5 * time.Millisecond)
		}
		d.Update(debugChangedMsg{d})
	}
	press := func(k string) tea.Cmd {
		_, cmd := d.Update(tea.KeyPressMsg{Code: []rune(k)[0], Text: k})
		return cmd
	}
	s.Continue()
	stoppedWith("1")
	s.Continue()
	stoppedWith("2")

	press("[")
	if !strings.Contains(d.Title(), "looking back: stop 2 of 3") || !strings.Contains(d.View(), `"n": 1`) {
		t.Fatalf("one back: %s\n%s", d.Title(), d.View())
	}
	press("[")
	press("[") // there is nothing before the first
	if !strings.Contains(d.Title(), "stop 1 of 3") || !strings.Contains(d.View(), `"n": 0`) {
		t.Fatalf("two back: %s\n%s", d.Title(), d.View())
	}
	if msg := press("n")(); msg != InfoMsg("looking back at an earlier stop: ] goes forward to now, where the execution is") {
		t.Errorf("a step while looking back: %v", msg)
	}
	press("]")
	press("]")
	if strings.Contains(d.Title(), "looking back") || !strings.Contains(d.View(), `"n": 2`) {
		t.Fatalf("forward to now: %s\n%s", d.Title(), d.View())
	}
	if v := s.View(); value.String(v.Held[0].Input) != `{"n":2}` {
		t.Errorf("looking back moved the execution: %s", value.String(v.Held[0].Input))
	}
}

// The data flow is taller than its pane: pgdown shows what was below.
func TestDebuggerDataFlowScrolls(t *testing.T) {
	def, err := asl.Parse([]byte(`{"StartAt":"Shape","States":{"Shape":{"Type":"Pass",
		"Parameters":{"a.$":"$.x","b.$":"$.x","c.$":"$.x","d.$":"$.x","e.$":"$.x","f.$":"$.x"},
		"ResultPath":"$.shaped","OutputPath":"$.shaped","End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := debug.New(debug.Config{Definition: def, Input: value.MustParse(`{"x":"a value long enough to be seen"}`)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := common.New(nil, false)
	c.Width, c.Height = 140, 40
	d := NewDebugger(c, s, "shape")
	before := d.View()
	if strings.Contains(before, "OutputPath") {
		t.Skip("the whole data flow fits: nothing to scroll")
	}
	d.Update(tea.KeyPressMsg{Code: tea.KeyPgDown})
	d.Update(tea.KeyPressMsg{Code: tea.KeyPgDown})
	if d.View() == before {
		t.Error("pgdown did not scroll the data flow")
	}
	d.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
	if after := d.View(); !strings.Contains(after, "OutputPath") {
		t.Errorf("after end the last stage is not in view:\n%s", after)
	}
}

// X tests the selected state in isolation through the backend's TestState: the input
// and variables it has at the stop, a mocked result for a Task, the answer in the pane.
func TestDebuggerTestsTheSelectedState(t *testing.T) {
	def, err := asl.Parse([]byte(`{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"Parameters":{"amount.$":"$.amount"},"ResultSelector":{"paid.$":"$.Payload.ok"},"ResultPath":"$.charge","Next":"Done"},
		"Done":{"Type":"Succeed"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := debug.New(debug.Config{Definition: def, Input: value.MustParse(`{"amount":7}`)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	api, closeFn, err := client.NewLocal(context.Background(), client.LocalOptions{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	c := common.New(api, false)
	c.Width, c.Height = 140, 40
	d := NewDebugger(c, s, "charge")
	_, cmd := d.Update(tea.KeyPressMsg{Code: 'X', Text: "X"})
	if d.form == nil {
		t.Fatalf("a Task asks for its mocked result first (cmd %v)", cmd)
	}
	d.form.area.SetValue(`{"Payload":{"ok":true}}`)
	_, cmd = d.Update(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	if cmd == nil {
		t.Fatal("sending the mocked result ran nothing")
	}
	d.Update(cmd())
	view := d.View()
	for _, want := range []string{"TestState of Charge: SUCCEEDED · next Done", `"paid": true`, `"amount": 7`} {
		if !strings.Contains(view, want) {
			t.Errorf("the pane lacks %q:\n%s", want, view)
		}
	}
}

// Golden screens of the debugger at 80x24 and 140x40: the data flow as it opens, and
// scrolled to its end, where its last stages show.
func TestGoldenDebuggerDataFlowScrolled(t *testing.T) {
	def, err := asl.Parse([]byte(`{"StartAt":"Shape","States":{"Shape":{"Type":"Pass",
		"Parameters":{"a.$":"$.x","b.$":"$.x","c.$":"$.x","d.$":"$.x","e.$":"$.x","f.$":"$.x"},
		"ResultPath":"$.shaped","OutputPath":"$.shaped","End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{80, 24}, {140, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			s, err := debug.New(debug.Config{Definition: def, Name: "shape", Input: value.MustParse(`{"x":"a value long enough to be seen"}`)})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			c := common.New(nil, false)
			c.Styles = common.DefaultStyles(true)
			c.Width, c.Height = size[0], size[1]
			d := NewDebugger(c, s, "shape")
			top := d.View()
			d.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
			golden.RequireEqual(t, []byte(top+"\n---- end ----\n"+d.View()))
		})
	}
}

// A state that ran shows its data flow as the engine computed it; one the execution is
// stopped before shows what it is about to do.
func TestDebuggerShowsTheFlowTheEngineComputed(t *testing.T) {
	s, d := debuggerOn(t, `{"StartAt":"Shape","States":{
		"Shape":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"ResultPath":"$.shaped","Next":"Done"},
		"Done":{"Type":"Pass","OutputPath":"$.shaped","End":true}}}`, `{"n":1}`, 140, 60, "Done")
	s.Continue()
	deadline := time.Now().Add(10 * time.Second)
	for v := s.View(); len(v.Held) != 1 || v.Held[0].State != "Done"; v = s.View() {
		if time.Now().After(deadline) {
			t.Fatal("never stopped before Done")
		}
		time.Sleep(5 * time.Millisecond)
	}
	d.Update(debugChangedMsg{d})
	d.selected = "Shape"
	view := d.View()
	for _, want := range []string{"Data flow of Shape, as the engine ran it from event 2", "2. Parameters", `"n": 2`,
		"4. ResultPath  $.shaped", "5. OutputPath  (not set"} {
		if !strings.Contains(view, want) {
			t.Fatalf("the pane lacks %q:\n%s", want, view)
		}
	}
	d.selected = "Done"
	if view := d.View(); !strings.Contains(view, "Data flow of Done, about to run") || !strings.Contains(view, "4. ResultPath  (not set") {
		t.Fatalf("the state stopped before shows its trace:\n%s", view)
	}
}

// debuggerOn opens the debugger page, at a size, on a session of a definition with an
// input and breakpoints; the session closes with the test.
func debuggerOn(t *testing.T, def, input string, width, height int, breakpoints ...string) (*debug.Session, *Debugger) {
	t.Helper()
	d, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	s, err := debug.New(debug.Config{Definition: d, Input: value.MustParse(input), Breakpoints: breakpoints})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	c := common.New(nil, false)
	c.Width, c.Height = width, height
	return s, NewDebugger(c, s, "debugged")
}
