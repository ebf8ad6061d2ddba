// Package pages holds the screens of the terminal UI. A page owns its data and the
// commands that load it; it renders only its body (the root adds header, status line
// and footer) and asks the root to navigate or report through messages.
package pages

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Page is one screen.
type Page interface {
	Init() tea.Cmd
	Update(tea.Msg) (Page, tea.Cmd)
	// View renders the body in Width x BodyHeight cells.
	View() string
	Title() string
	// Keys are this screen's bindings as they are now (read-only and focus aware), for
	// the footer and the help.
	Keys() []key.Binding
	// Capturing reports that a text field has the keyboard, so the root must not take
	// q, ?, esc or c for itself.
	Capturing() bool
	// Close stops the page's background work (followers, refresh ticks).
	Close()
}

// HelpKeyer is a page whose help lists more keys than its footer: every key it takes,
// the ones too common or too many for the footer too.
type HelpKeyer interface {
	HelpKeys() []key.Binding
}

// TitleFitter is a page whose title can be fitted to a header with room for nothing
// else, keeping what matters most of it.
type TitleFitter interface {
	FitTitle(width int) string
}

// OpenMsg asks the root to push a page.
type OpenMsg struct{ Page Page }

// ErrMsg reports an error in the status line.
type ErrMsg struct{ Err error }

// LogMsg keeps an error for ! without putting it in the status line: an error already
// shown where it belongs (on its row, under a list).
type LogMsg struct{ Err error }

func logged(errs ...error) tea.Cmd {
	var cmds []tea.Cmd
	for _, err := range errs {
		cmds = append(cmds, func() tea.Msg { return LogMsg{err} })
	}
	return tea.Batch(cmds...)
}

// InfoMsg reports a success in the status line.
type InfoMsg string

// BackMsg asks the root to pop the current page (a form that was sent).
type BackMsg struct{}

// refreshEvery is the quickest a list refreshes while shown (the executions list slows
// down from there while nothing changes; the Map Run view keeps to it); callbacksEvery
// is how long the callbacks screen waits after a step that failed.
const (
	refreshEvery   = 3 * time.Second
	callbacksEvery = 10 * time.Second
)

// callTimeout bounds one API call so a hung endpoint shows an error rather than a
// frozen screen.
const callTimeout = 30 * time.Second

func open(p Page) tea.Cmd { return func() tea.Msg { return OpenMsg{p} } }

func fail(err error) tea.Cmd { return func() tea.Msg { return ErrMsg{err} } }

func callCtx(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, callTimeout)
}

// tick re-arms a refresh for the page generation gen; a stale tick (from before the page
// was left and reopened) is ignored by comparing gen.
type tickMsg struct {
	owner any
	gen   int
}

func tick(owner any, gen int) tea.Cmd {
	return tea.Tick(refreshEvery, func(time.Time) tea.Msg { return tickMsg{owner, gen} })
}

var (
	keyEnter   = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open"))
	keyUpDown  = key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "move"))
	keyRefresh = key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh"))
	keyStart   = key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "start execution"))
	keySend    = key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "send"))
	keyCancel  = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
)
