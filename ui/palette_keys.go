package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// paletteKeys are the footer while the palette is open.
var paletteKeys = []key.Binding{
	key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
	key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "pick")),
	key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
	key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
}

// paletteKey gives a key to the open palette and runs the command it ends with.
func (a *App) paletteKey(k tea.KeyPressMsg) tea.Cmd {
	done, cmd := a.palette.Update(k)
	if done == nil {
		return cmd
	}
	a.palette = nil
	if done.run == nil {
		return nil
	}
	return done.run.Run(a, done.arg)
}

// mouse hands the page on top a click or a wheel turn over its body, in the body's
// coordinates; anything over the header, the status line or the footer, or while an
// overlay is up, is dropped.
func (a *App) mouse(m tea.MouseMsg) tea.Cmd {
	if a.palette != nil || a.help {
		return nil
	}
	e := m.Mouse()
	e.Y--
	if e.Y < 0 || e.Y >= a.c.BodyHeight() || e.X < 0 || e.X >= a.c.Width {
		return nil
	}
	var msg tea.Msg
	switch m.(type) {
	case tea.MouseClickMsg:
		msg = tea.MouseClickMsg(e)
	case tea.MouseWheelMsg:
		msg = tea.MouseWheelMsg(e)
	default:
		return nil
	}
	p, cmd := a.top().Update(msg)
	a.stack[len(a.stack)-1] = p
	return cmd
}
