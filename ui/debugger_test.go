package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/debug"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/pages"
)

// debugDef doubles a number, asks a task nothing serves (so it is answered by hand) and
// checks the answer.
const debugDef = `{"StartAt":"Double","States":{
	"Double":{"Type":"Pass","Parameters":{"doubled.$":"States.MathAdd($.n, $.n)"},"Next":"Ask"},
	"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Check"},
	"Check":{"Type":"Choice","Choices":[{"Variable":"$.doubled","NumericEquals":42,"Next":"Done"}],"Default":"Wrong"},
	"Done":{"Type":"Succeed"},
	"Wrong":{"Type":"Fail","Error":"Wrong"}}}`

func debugSession(t *testing.T, def, input string) *debug.Session {
	t.Helper()
	d, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	s, err := debug.New(debug.Config{Definition: d, Name: "flow", Input: value.MustParse(input), TimeScale: 0})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// TestFlowDebugEditStepAnswer stops before the first state, edits its input, steps,
// continues to the task, answers it by hand and sees the execution succeed with the
// edited data.
func TestFlowDebugEditStepAnswer(t *testing.T) {
	s := debugSession(t, debugDef, `{}`)
	c := fixedCommon(localAPI(t), 120, 40)
	tm := teatest.NewTestModel(t, NewOn(c, "local debugger", pages.NewDebugger(c, s, "flow.asl.json")), teatest.WithInitialTermSize(120, 40))
	waitScreen(t, tm, "Stopped before", "Double (start)")

	typeKey(tm, 'e', "e")
	waitScreen(t, tm, "Input of Double (it runs with this)")
	tm.Send(tea.KeyPressMsg{Code: 'l', Mod: tea.ModCtrl}) // clear, then type the new input
	for _, r := range `{"n":21}` {
		typeKey(tm, r, string(r))
	}
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitScreen(t, tm, "input of Double replaced")

	typeKey(tm, 'n', "n")
	waitScreen(t, tm, "Ask (step)", `"doubled": 42`)
	typeKey(tm, 'g', "g")
	waitScreen(t, tm, "Waiting for you: task Ask")
	typeKey(tm, 'a', "a")
	// The answer starts as the task's input; send it back as its output.
	waitScreen(t, tm, "Approve Ask")
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitScreen(t, tm, "Send it? y/n")
	typeKey(tm, 'y', "y")
	waitScreen(t, tm, "SUCCEEDED")
	typeKey(tm, 'q', "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(flowWait))

	v := s.View()
	if v.Status != types.ExecutionStatusSucceeded || value.String(v.Output) != `{"doubled":42}` {
		t.Fatalf("the execution: %s %s", v.Status, value.String(v.Output))
	}
	var kinds []string
	for _, ev := range s.History() {
		kinds = append(kinds, string(ev.Type))
	}
	got := strings.Join(kinds, " ")
	for _, want := range []string{"PassStateExited", "TaskScheduled", "TaskSucceeded", "ChoiceStateExited", "ExecutionSucceeded"} {
		if !strings.Contains(got, want) {
			t.Errorf("the history lacks %s: %s", want, got)
		}
	}
}

// TestFlowDebugBreakpointAndRestart sets a breakpoint from the graph, continues to it,
// and restarts the machine at a state with a new input.
func TestFlowDebugBreakpointAndRestart(t *testing.T) {
	s := debugSession(t, debugDef, `{"n":1}`)
	c := fixedCommon(localAPI(t), 120, 40)
	tm := teatest.NewTestModel(t, NewOn(c, "local debugger", pages.NewDebugger(c, s, "flow.asl.json")), teatest.WithInitialTermSize(120, 40))
	waitScreen(t, tm, "Double (start)")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyDown}) // the selection walks to Ask
	typeKey(tm, 'b', "b")
	waitScreen(t, tm, "breakpoint on Ask set")
	typeKey(tm, 'g', "g")
	waitScreen(t, tm, "Ask (breakpoint)")
	typeKey(tm, 'R', "R")
	waitScreen(t, tm, "Restart at Ask with input")
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitScreen(t, tm, "restarted at Ask")
	typeKey(tm, 'q', "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(flowWait))
	screen := tm.FinalModel(t).(*App).Render()
	mustContain(t, screen, "Ask (breakpoint)")
}

// TestFlowDebugFromTheMachines opens the debugger on a machine of the local engine with
// D: its definition is read, the input edited, and the execution stops before its first
// state.
func TestFlowDebugFromTheMachines(t *testing.T) {
	c := fixedCommon(localAPI(t), 120, 40)
	c.Local = true
	c.Debug = func(def *asl.Definition, machine string, input value.Value) (*debug.Session, error) {
		s, err := debug.New(debug.Config{Definition: def, Name: machine, Input: input, Tasks: &engine.Registry{Default: debug.ByHand}})
		if err == nil {
			t.Cleanup(s.Close)
		}
		return s, err
	}
	tm := teatest.NewTestModel(t, New(c, "local"), teatest.WithInitialTermSize(120, 40))
	waitScreen(t, tm, "hello", "document-sign-off")
	typeKey(tm, '/', "/")
	for _, r := range "hello" {
		typeKey(tm, r, string(r))
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	typeKey(tm, 'D', "D")
	waitScreen(t, tm, "Debug hello: the execution's input", `"name": "you"`)
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitScreen(t, tm, "Stopped before", "Named? (start)")
	typeKey(tm, 'g', "g")
	waitScreen(t, tm, "SUCCEEDED", "Hello, you!")
	typeKey(tm, 'q', "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(flowWait))
}

// TestFlowDebugFromThePalette opens the debugger with :debug NAME.
func TestFlowDebugFromThePalette(t *testing.T) {
	c := fixedCommon(localAPI(t), 120, 40)
	c.Local = true
	c.Debug = func(def *asl.Definition, machine string, input value.Value) (*debug.Session, error) {
		s, err := debug.New(debug.Config{Definition: def, Name: machine, Input: input})
		if err == nil {
			t.Cleanup(s.Close)
		}
		return s, err
	}
	tm := teatest.NewTestModel(t, New(c, "local"), teatest.WithInitialTermSize(120, 40))
	waitScreen(t, tm, "hello")
	for _, r := range ":debug nope" {
		typeKey(tm, r, string(r))
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitScreen(t, tm, `no state machine is named "nope"`)
	for _, r := range ":debug hello" {
		typeKey(tm, r, string(r))
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitScreen(t, tm, "Debug hello: the execution's input")
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitScreen(t, tm, "Named? (start)")
	typeKey(tm, 'q', "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(flowWait))
}

// loopDef passes Count three times, with the count in its input.
const loopDebugDef = `{"StartAt":"Count","States":{
	"Count":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"More?"},
	"More?":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":3,"Next":"Count"}],"Default":"Done"},
	"Done":{"Type":"Succeed"}}}`

// TestFlowDebugConditionWatchEvaluate sets a conditional breakpoint on the selected
// state, adds a watch, continues to the stop where the condition holds, and evaluates
// an expression there.
func TestFlowDebugConditionWatchEvaluate(t *testing.T) {
	s := debugSession(t, loopDebugDef, `{"n":0}`)
	c := fixedCommon(localAPI(t), 140, 40)
	tm := teatest.NewTestModel(t, NewOn(c, "local debugger", pages.NewDebugger(c, s, "loop.asl.json")), teatest.WithInitialTermSize(140, 40))
	waitScreen(t, tm, "Count (start)")
	typeKey(tm, 'B', "B")
	waitScreen(t, tm, "Stop at Count when:")
	for _, r := range `$states.input.n = 2` {
		typeKey(tm, r, string(r))
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitScreen(t, tm, "Breakpoint on Count when $states.input.n = 2")
	typeKey(tm, 'W', "W")
	for _, r := range `$.n * 100` {
		typeKey(tm, r, string(r))
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitScreen(t, tm, "$.n * 100 = 0")
	typeKey(tm, 'g', "g")
	waitScreen(t, tm, "condition $states.input.n = 2)", "200")
	typeKey(tm, '=', "=")
	for _, r := range `$states.input.n + 40` {
		typeKey(tm, r, string(r))
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitScreen(t, tm, "$states.input.n + 40 at Count = 42")
	// A variable set at the stop is what the state sees.
	typeKey(tm, '$', "$")
	for _, r := range `limit = 7` {
		typeKey(tm, r, string(r))
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitScreen(t, tm, "limit = 7 for Count on")
	typeKey(tm, '=', "=")
	for _, r := range `$limit * 6` {
		typeKey(tm, r, string(r))
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitScreen(t, tm, "6 at Count = 42")
	typeKey(tm, 'q', "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(flowWait))
}
