package pages

import (
	"strings"

	"charm.land/bubbles/v2/key"
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

// fitTable sizes a list page's table to the body, recomputing its columns only when the
// body's size changed since the last call (w and h remember it).
func fitTable(c *common.Common, t *table.Model, w, h *int, columns func() []table.Column) {
	if *w == c.Width && *h == c.BodyHeight() {
		return
	}
	*w, *h = c.Width, c.BodyHeight()
	t.SetColumns(columns())
	t.SetWidth(c.Width)
	t.SetHeight(c.BodyHeight())
}

// listBody is a list page's view: its table, with a note while it loads or when it has
// nothing to list.
func listBody(c *common.Common, t table.Model, loaded, empty bool, emptyNote string) string {
	body := t.View()
	switch {
	case !loaded:
		body = withNote(body, "Loading…")
	case empty:
		body = withNote(body, emptyNote)
	}
	return common.Fit(body, c.Width, c.BodyHeight())
}

// listBodyWith is listBody with lines under the table (errors of machines or contexts
// that could not be read): the table gives up their height.
func listBodyWith(c *common.Common, t *table.Model, loaded, empty bool, emptyNote string, under []string) string {
	h := c.BodyHeight()
	t.SetHeight(max(h-len(under), 3))
	body := listBody(c, *t, loaded, empty, emptyNote)
	if len(under) == 0 {
		return body
	}
	lines := strings.Split(body, "\n")
	lines = append(lines[:max(min(h-len(under), len(lines)), 0)], under...)
	return common.Fit(strings.Join(lines, "\n"), c.Width, h)
}

// tableHeader is how many lines bubbles' table draws above its rows (titles, rule).
const tableHeader = 2

// listMouse lets the wheel scroll a list and a click select a row. y is counted from
// the top of the page body. It reports whether msg was a mouse message it used.
func listMouse(c *common.Common, t *table.Model, msg tea.Msg) bool {
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
		if m.Button != tea.MouseLeft || m.Y < tableHeader {
			return false
		}
		at := selectedLine(c, t.View())
		if at < 0 {
			return false
		}
		target := t.Cursor() + m.Y - at
		if target < 0 || target >= len(t.Rows()) {
			return false
		}
		// Moving, rather than setting the cursor, keeps the table's own scrolling.
		if d := target - t.Cursor(); d > 0 {
			t.MoveDown(d)
		} else if d < 0 {
			t.MoveUp(-d)
		}
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

// listInput is what every list page does first with a message: an open filter field
// takes it, the mouse moves the selection, and / opens the field. It reports whether
// the message was used; showRows puts the rows the filter keeps back in the table.
func listInput(c *common.Common, t *table.Model, f *listFilter, showRows func(), msg tea.Msg) (bool, tea.Cmd) {
	if f.open {
		changed, cmd := f.Update(msg)
		if changed {
			showRows()
			t.SetCursor(0)
		}
		return true, cmd
	}
	if listMouse(c, t, msg) {
		return true, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, keySlash) {
		return true, f.Open()
	}
	return false, nil
}
