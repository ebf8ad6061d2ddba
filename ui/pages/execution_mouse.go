package pages

import tea "charm.land/bubbletea/v2"

// mouse lets the execution screen's panes take the mouse: a click focuses the pane
// under it, the wheel moves the history's selection or scrolls the detail. Coordinates
// are the page body's.
func (x *Execution) mouse(msg tea.Msg) tea.Cmd {
	if x.c.ExecView != viewGraph || x.graphFull() {
		return nil // the panes below are the graph view's
	}
	var ev tea.Mouse
	switch m := msg.(type) {
	case tea.MouseClickMsg:
		ev = tea.Mouse(m)
	case tea.MouseWheelMsg:
		ev = tea.Mouse(m)
	default:
		return nil
	}
	pane := x.paneAt(ev.X, ev.Y)
	if _, click := msg.(tea.MouseClickMsg); click {
		if ev.Button == tea.MouseLeft {
			x.setFocus(pane)
		}
		return nil
	}
	var dir tea.Key
	switch ev.Button {
	case tea.MouseWheelUp:
		dir = tea.Key{Code: tea.KeyUp}
	case tea.MouseWheelDown:
		dir = tea.Key{Code: tea.KeyDown}
	default:
		return nil
	}
	if pane == graphPane {
		return nil // the arrows walk the graph's states; the wheel would jump about
	}
	// The wheel acts on the pane under the pointer as its keys would there.
	was := x.focus
	x.setFocus(pane)
	cmd := x.key(tea.KeyPressMsg(dir))
	x.setFocus(was)
	return cmd
}

// paneAt is the pane drawn at (col, row) of the body: the graph on the left (when the
// screen is wide enough for one), the history above the detail on the right.
func (x *Execution) paneAt(col, row int) pane {
	switch {
	case col < x.leftWidth():
		return graphPane
	case row < x.tableHeight():
		return historyPane
	}
	return detailPane
}
