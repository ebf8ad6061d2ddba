package pages

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/ui/components/graph"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

var (
	keyTab         = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "focus"))
	keyBackTab     = key.NewBinding(key.WithKeys("shift+tab"))
	keyFollow      = key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "follow"))
	keyStop        = key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "stop execution"))
	keyStartAgain  = key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "start again"))
	keyRedrive     = key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "redrive"))
	keyExport      = key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export history"))
	keyTravel      = key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "time travel"))
	keyFlow        = key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "data flow"))
	keyScrub       = key.NewBinding(key.WithKeys("[", "]", "{", "}", "shift+[", "shift+]"), key.WithHelp("[ ] { }", "event ±1 ±10"))
	keyScrubEnd    = key.NewBinding(key.WithKeys("home", "end"), key.WithHelp("home/end", "first/last"))
	keyGraphArrows = key.NewBinding(key.WithKeys("up", "down", "left", "right"), key.WithHelp("←↑↓→", "move in graph"))
	keyYes         = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "confirm"))
	keyNo          = key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "cancel"))
	keyExportSave  = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "export"))
)

func (x *Execution) Keys() []key.Binding {
	switch {
	case x.export != nil && x.export.editing():
		return []key.Binding{keyExportSave, keyCancel}
	case x.export != nil && x.export.confirm != "", x.confirmRedrive:
		return []key.Binding{keyYes, keyNo}
	}
	if x.c.ExecView != viewGraph {
		return append(x.viewKeys(), x.sharedKeys()...)
	}
	ks := []key.Binding{keyTab}
	switch x.focus {
	case graphPane:
		ks = append(ks, keyGraphArrows)
		if x.mapOfSelection() != "" {
			ks = append(ks, keyIteration)
		}
	case detailPane:
		ks = append(ks, keyUpDown, jsonview.KeyToggle, jsonview.KeyFoldAll)
	default:
		ks = append(ks, keyUpDown)
	}
	ks = append(ks, keyTravel)
	if x.travel {
		ks = append(ks, keyScrub, keyScrubEnd)
	}
	ks = append(ks, keyFlow)
	if arn, _ := x.mapRunOfSelection(); arn != "" {
		ks = append(ks, keyMapRun)
	}
	ks = append(ks, x.sharedKeys()...)
	return append(ks, x.viewKeys()...)
}

// sharedKeys are the keys of every view: follow, export, retry, stop, start again,
// redrive.
func (x *Execution) sharedKeys() []key.Binding {
	ks := []key.Binding{keyFollow, keyExport}
	if x.retrying != nil || x.followErr != nil {
		ks = append(ks, keyRefresh)
	}
	if !x.c.ReadOnly && x.running() {
		ks = append(ks, keyStop)
	}
	if x.canStartAgain() {
		ks = append(ks, keyStartAgain)
	}
	if x.canRedrive() {
		ks = append(ks, keyRedrive)
	}
	return ks
}

func (x *Execution) key(k tea.KeyPressMsg) tea.Cmd {
	if x.export != nil {
		return x.exportKey(k)
	}
	if x.confirmRedrive {
		switch {
		case key.Matches(k, keyYes):
			x.confirmRedrive = false
			return x.redrive()
		case key.Matches(k, keyNo):
			x.confirmRedrive = false
		}
		return nil
	}
	if cmd, ok := x.viewKey(k); ok {
		return cmd
	}
	switch {
	case key.Matches(k, keyRefresh) && x.followErr != nil:
		return tea.Batch(x.describe(), x.resume())
	case key.Matches(k, keyRefresh) && x.retrying != nil:
		return x.pollNow()
	case key.Matches(k, keyTab):
		x.setFocus((x.focus + 1) % 3)
		return nil
	case key.Matches(k, keyBackTab):
		x.setFocus((x.focus + 2) % 3)
		return nil
	case key.Matches(k, keyFollow):
		x.follow = !x.follow
		if x.follow {
			x.table.GotoBottom()
			x.cursorMoved()
		}
		return nil
	case key.Matches(k, keyStop) && !x.c.ReadOnly && x.running():
		return open(NewStopPage(x.c, x.arn, x.name()))
	case key.Matches(k, keyStartAgain) && x.canStartAgain():
		return x.startAgain()
	case key.Matches(k, keyRedrive) && x.canRedrive():
		x.confirmRedrive = true
		return nil
	case key.Matches(k, keyExport):
		return x.openExport()
	case key.Matches(k, keyMapRun):
		return x.openMapRun()
	case key.Matches(k, keyTravel):
		x.setTravel(!x.travel)
		return nil
	case key.Matches(k, keyFlow):
		x.showFlow = !x.showFlow
		x.setFocus(x.focus) // the focused detail pane changes
		return nil
	}
	if x.c.ExecView != viewGraph {
		return nil // the views took theirs in viewKey
	}
	if x.travel && x.scrubKey(k) {
		return nil
	}
	switch x.focus {
	case graphPane:
		if key.Matches(k, keyIteration) {
			d := 1
			if k.String() == "<" {
				d = -1
			}
			info := x.pickIteration(d)
			return func() tea.Msg { return InfoMsg(info) }
		}
		dirs := map[string]graph.Direction{"up": graph.Up, "down": graph.Down, "left": graph.Left, "right": graph.Right}
		if d, ok := dirs[k.String()]; ok && x.def != nil {
			x.selected = graph.Move(x.def, x.selected, d, x.graphOptions())
			x.selectEventOf(x.selected)
		}
		return nil
	case detailPane:
		x.syncDetail()
		if x.showFlow {
			x.flow.Update(k)
		} else {
			x.detail.Update(k)
		}
		return nil
	}
	before := x.table.Cursor()
	var cmd tea.Cmd
	x.table, cmd = x.table.Update(k)
	if x.table.Cursor() != before {
		x.cursorMoved()
	}
	return cmd
}

// cursorMoved follows a move of the history's cursor made by the user: the selected
// state follows the event, and under time travel so does "as of".
func (x *Execution) cursorMoved() {
	x.follow = x.table.Cursor() == len(x.events)-1
	x.selectStateOfCursor()
	if x.travel {
		x.asOf = x.table.Cursor() + 1
		x.repaint()
	}
}

func (x *Execution) scrubKey(k tea.KeyPressMsg) bool {
	switch k.String() {
	case "[":
		x.scrub(-1)
	case "]":
		x.scrub(1)
	case "{", "shift+[":
		x.scrub(-10)
	case "}", "shift+]":
		x.scrub(10)
	case "home", "end":
		if x.focus == detailPane {
			return false // the detail pane scrolls with them
		}
		if k.String() == "home" {
			x.scrub(-len(x.events))
		} else {
			x.scrub(len(x.events))
		}
	default:
		return false
	}
	return true
}

func (x *Execution) setFocus(p pane) {
	x.focus = p
	x.detail.SetFocused(p == detailPane && !x.showFlow)
	x.flow.SetFocused(p == detailPane && x.showFlow)
}
