// Package dataflowview shows a state's data flow, stage by stage (InputPath, Parameters,
// the result, ResultSelector, ResultPath, OutputPath and Assign; or Arguments, the result,
// Output and Assign), each with the definition's text for it and the value after it, as
// foldable JSON. It knows nothing of where the stages come from, so the execution page
// and the debugger share it.
package dataflowview

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/interpreter/dataflow"
	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// Model is the pane.
type Model struct {
	pane   *jsonview.Model
	header []string
	stages []dataflow.Stage
	dirty  bool
}

// New returns an empty pane.
func New(styles common.Styles) *Model {
	return &Model{pane: jsonview.New(styles), dirty: true}
}

// SetHeader sets the lines shown above the stages (what state, as of when, or why there
// is nothing to show). They are sanitized when drawn.
func (m *Model) SetHeader(lines ...string) {
	m.header = lines
	m.dirty = true
}

// SetStages sets the stages to show, in order. Setting the same stages again keeps the
// folds and the scrolling.
func (m *Model) SetStages(stages []dataflow.Stage) {
	m.stages = stages
	m.dirty = true
}

// SetFocused highlights the cursor line; give the pane keys only while focused.
func (m *Model) SetFocused(f bool) { m.pane.SetFocused(f) }

// Update handles the scrolling and folding keys (those of jsonview.Model) and reports
// whether the key was the pane's.
func (m *Model) Update(k tea.KeyPressMsg) bool {
	m.refresh()
	return m.pane.Update(k)
}

// View renders the pane in width x height cells.
func (m *Model) View(width, height int) string {
	m.refresh()
	return m.pane.View(width, height)
}

func (m *Model) refresh() {
	if !m.dirty {
		return
	}
	m.dirty = false
	sections := Sections(m.stages)
	// The content itself is the key: equal stages keep the reader's folds.
	var key strings.Builder
	for _, h := range m.header {
		key.WriteString(h + "\x00")
	}
	for _, s := range sections {
		key.WriteString(s.Label + "\x00" + s.Text + "\x00")
	}
	m.pane.SetContent(key.String(), m.header, sections)
}

// Sections turns stages into labelled values: the label names the stage and quotes the
// definition's field, the value is the stage's result or what went wrong.
func Sections(stages []dataflow.Stage) []jsonview.Section {
	out := make([]jsonview.Section, 0, len(stages))
	for i, s := range stages {
		label := strconv.Itoa(i+1) + ". " + s.Name
		switch {
		case s.Field != "":
			label += "  " + oneLine(s.Field)
		case s.Default:
			label += "  (not set: passed on unchanged)"
		}
		text := value.String(s.Value)
		if s.Err != nil {
			label += "  ✗ failed"
			text = s.Err.Error()
		}
		out = append(out, jsonview.Section{Label: label, Text: text})
	}
	return out
}

// oneLine keeps a long field (a Parameters template) on the label's line; the value
// below shows the full result.
func oneLine(s string) string {
	return common.Truncate(strings.Join(strings.Fields(s), " "), 60)
}
