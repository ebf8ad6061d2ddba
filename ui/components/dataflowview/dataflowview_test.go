package dataflowview

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/dataflow"
	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/common"
)

const taskDef = `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
	"InputPath":"$.order","Parameters":{"id.$":"$.id"},"ResultSelector":{"total.$":"$.Payload.total"},
	"ResultPath":"$.priced","OutputPath":"$.priced","Assign":{"last.$":"$.total"},"End":true}}}`

func trace(t *testing.T, def string, input, result string) []dataflow.Stage {
	t.Helper()
	d, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	in := dataflow.Inputs{Input: value.MustParse(input)}
	if result != "" {
		in.Result, in.HasResult = value.MustParse(result), true
	}
	return dataflow.Trace(d.States["T"], in)
}

// TestGolden draws a task's whole flow at a few widths (go test -update rewrites).
func TestGolden(t *testing.T) {
	stages := trace(t, taskDef, `{"order":{"id":7,"note":"\u001b[2J"}}`, `{"Payload":{"total":12}}`)
	for _, w := range []int{30, 60} {
		t.Run(fmt.Sprintf("task_%d", w), func(t *testing.T) {
			m := New(common.DefaultStyles(true))
			m.SetHeader("Data flow of T as of event 5/6")
			m.SetStages(stages)
			golden.RequireEqual(t, []byte(m.View(w, 40)))
		})
	}
}

func TestEveryStageShown(t *testing.T) {
	stages := trace(t, taskDef, `{"order":{"id":7}}`, `{"Payload":{"total":12}}`)
	m := New(common.DefaultStyles(true))
	m.SetStages(stages)
	v := m.View(80, 100)
	for i, name := range []string{"InputPath  $.order", "Parameters", "Result", "ResultSelector", "ResultPath  $.priced", "Assign", "OutputPath  $.priced"} {
		if !strings.Contains(v, fmt.Sprintf("%d. %s", i+1, name)) {
			t.Fatalf("stage %q missing:\n%s", name, v)
		}
	}
	if !strings.Contains(v, `"last": 12`) {
		t.Fatalf("Assign value missing:\n%s", v)
	}
}

func TestDefaultsAndErrors(t *testing.T) {
	def := `{"StartAt":"T","States":{"T":{"Type":"Pass","OutputPath":"$.missing","End":true}}}`
	m := New(common.DefaultStyles(true))
	m.SetStages(trace(t, def, `{"a":1}`, ""))
	v := m.View(100, 100)
	if !strings.Contains(v, "1. InputPath  (not set: passed on unchanged)") {
		t.Fatalf("default InputPath not marked:\n%s", v)
	}
	if !strings.Contains(v, "OutputPath  $.missing  ✗ failed") {
		t.Fatalf("failed OutputPath not marked:\n%s", v)
	}
}

func TestFoldsSurviveTheSameStages(t *testing.T) {
	stages := trace(t, taskDef, `{"order":{"id":7}}`, `{"Payload":{"total":12}}`)
	m := New(common.DefaultStyles(true))
	m.SetStages(stages)
	m.View(80, 100)
	m.Update(tea.KeyPressMsg{Code: 'z', Text: "z"})
	folded := m.View(80, 100)
	if !strings.Contains(folded, `"Payload": {…} 1 key`) {
		t.Fatalf("z did not fold:\n%s", folded)
	}
	m.SetStages(trace(t, taskDef, `{"order":{"id":7}}`, `{"Payload":{"total":12}}`))
	if got := m.View(80, 100); got != folded {
		t.Fatalf("equal stages lost the folds:\n%s", got)
	}
	m.SetStages(trace(t, taskDef, `{"order":{"id":8}}`, `{"Payload":{"total":12}}`))
	if got := m.View(80, 100); strings.Contains(got, "…") {
		t.Fatalf("new stages kept old folds:\n%s", got)
	}
}

func TestScrolls(t *testing.T) {
	m := New(common.DefaultStyles(true))
	m.SetStages(trace(t, taskDef, `{"order":{"id":7}}`, `{"Payload":{"total":12}}`))
	first := m.View(80, 3)
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
	if last := m.View(80, 3); last == first || !strings.Contains(last, "}") {
		t.Fatalf("end did not scroll: %q", last)
	}
	if m.Update(tea.KeyPressMsg{Code: 'q', Text: "q"}) {
		t.Fatal("q is not the pane's key")
	}
}
