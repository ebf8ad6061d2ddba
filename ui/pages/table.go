package pages

import (
	"strings"

	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/stepdeck/stepdeck/ui/common"
)

// newTable builds a focused table. bubbles' table draws only its header until it has a
// width, so the width is always set.
func newTable(c *common.Common, cols []table.Column, width, height int) table.Model {
	st := table.DefaultStyles()
	st.Header = st.Header.Bold(true).BorderStyle(lipgloss.NormalBorder()).BorderBottom(true)
	st.Selected = c.Styles.Selected
	if !c.Styles.Color {
		st.Cell = lipgloss.NewStyle().Padding(0, 1)
	}
	return table.New(table.WithColumns(cols), table.WithFocused(true), table.WithStyles(st),
		table.WithWidth(max(width, 1)), table.WithHeight(max(height, 2)))
}

// withNote shows a note under the table's header when it has no rows to show: the
// table fills the page, so a note after it would be cut off.
func withNote(view, note string) string {
	lines := strings.SplitN(view, "\n", 3)
	if len(lines) > 2 {
		lines = lines[:2]
	}
	return strings.Join(lines, "\n") + "\n" + note
}

// tableHeader is how many lines bubbles' table draws above its rows (titles, rule).
const tableHeader = 2

// listMouse lets the wheel scroll a list and a click select a row. y is counted from
// the top of the page body, where the table starts top lines down. It reports whether
// msg was a mouse message it used.
func listMouse(c *common.Common, t *table.Model, top int, msg tea.Msg) bool {
	switch m := msg.(type) {
	case tea.MouseWheelMsg:
		switch m.Button {
		case tea.MouseWheelUp:
			t.MoveUp(1)
		case tea.MouseWheelDown:
			t.MoveDown(1)
		default:
			return false
		}
		return true
	case tea.MouseClickMsg:
		y := m.Y - top
		if m.Button != tea.MouseLeft || y < tableHeader {
			return false
		}
		at := selectedLine(c, t.View())
		if at < 0 {
			return false
		}
		target := t.Cursor() + y - at
		if target < 0 || target >= len(t.Rows()) {
			return false
		}
		moveCursor(t, target)
		return true
	}
	return false
}

// selectedLine finds the line of a rendered table that holds the selected row: the
// table does not say which row it scrolled to the top, but the selection is the only
// line drawn in the selection style (cells are sanitized, so data cannot fake it).
func selectedLine(c *common.Common, view string) int {
	mark, _, _ := strings.Cut(c.Styles.Selected.Render("x"), "x")
	if mark == "" {
		return -1
	}
	for i, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(l, mark) {
			return i
		}
	}
	return -1
}
