package pages

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// A click focuses the pane under it; the wheel over the history moves its selection,
// whatever pane has the focus.
func TestExecutionMouse(t *testing.T) {
	x := newPage(t, taskDef, 120, 40)
	feed(x, taskHistory())
	x.table.SetCursor(0)
	x.cursorMoved()
	right := x.leftWidth() + 5
	x.Update(tea.MouseClickMsg{X: 2, Y: 3, Button: tea.MouseLeft})
	if x.focus != graphPane {
		t.Errorf("a click on the graph: focus %d", x.focus)
	}
	x.Update(tea.MouseClickMsg{X: right, Y: x.tableHeight() + 3, Button: tea.MouseLeft})
	if x.focus != detailPane {
		t.Errorf("a click under the history: focus %d", x.focus)
	}
	x.Update(tea.MouseWheelMsg{X: right, Y: 3, Button: tea.MouseWheelDown})
	x.Update(tea.MouseWheelMsg{X: right, Y: 3, Button: tea.MouseWheelDown})
	if got := x.table.Cursor(); got != 2 {
		t.Errorf("two wheel steps down over the history: row %d, want 2", got)
	}
	if x.focus != detailPane {
		t.Errorf("the wheel moved the focus to %d", x.focus)
	}
	x.Update(tea.MouseWheelMsg{X: 2, Y: 3, Button: tea.MouseWheelUp})
	if got := x.table.Cursor(); got != 2 {
		t.Errorf("the wheel over the graph moved the history to %d", got)
	}
}
