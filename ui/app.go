// Package ui is the root of the terminal UI: it owns the stack of pages, routes
// messages to the page on top, and is the only place that builds the view (header,
// page body, status line, footer with this screen's keys, help).
package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/pages"
)

// App is the root model.
type App struct {
	c         *common.Common
	stack     []pages.Page
	help      bool
	helpSt    helpState
	status    string
	statusErr bool
	backend   string

	palette  *palette
	commands []Command

	errs       []loggedError // the last errors, whole (!)
	showErrors bool
	holding    string // what the request budget is holding back, for the status line

	// Switching backends (palette_backend.go); factory is nil when the UI was given
	// one API and nothing else.
	factory      BackendFactory
	spec         BackendSpec
	closeBackend func()
	contexts     map[string]BackendSpec // the configuration file's, by name (:context)
}

// New returns the UI on the state machines screen. backend names what it talks to
// ("local", a region or an endpoint) for the header.
func New(c *common.Common, backend string) *App {
	if c.Width == 0 {
		c.Width, c.Height = 80, 24
	}
	return &App{c: c, stack: []pages.Page{pages.NewMachines(c)}, backend: backend,
		commands: defaultCommands(), spec: BackendSpec{Local: c.Local}}
}

func (a *App) top() pages.Page { return a.stack[len(a.stack)-1] }

func (a *App) Init() tea.Cmd { return tea.Batch(a.top().Init(), a.watchBackend(), a.waitSources()) }

func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.c.Width, a.c.Height = msg.Width, msg.Height
		return a, nil
	case pages.OpenMsg:
		a.stack = append(a.stack, msg.Page)
		a.status = ""
		return a, msg.Page.Init()
	case pages.ErrMsg:
		a.logError(msg.Err)
		a.status, a.statusErr = statusOf(msg.Err)+" (! shows it whole)", true
		return a, nil
	case pages.LogMsg:
		a.logError(msg.Err)
		return a, nil
	case identifiedMsg:
		return a, a.identified(msg)
	case budgetTickMsg:
		return a, a.budgetTick(msg)
	case pages.InfoMsg:
		a.status, a.statusErr = string(msg), false
		return a, nil
	case pages.BackMsg:
		return a, a.back()
	case backendMsg:
		return a, a.useBackend(msg)
	case sourcesMsg:
		return a, a.onSources(msg)
	case sourcesLoadedMsg:
		a.status, a.statusErr = msg.text, msg.err
		return a, a.top().Init()
	case tea.MouseMsg:
		return a, a.mouse(msg)
	case tea.KeyPressMsg:
		if a.help {
			return a, a.helpKey(msg)
		}
		if a.palette != nil && msg.String() != "ctrl+c" {
			return a, a.paletteKey(msg)
		}
		if cmd, done := a.globalKey(msg); done {
			return a, cmd
		}
	}
	p, cmd := a.top().Update(msg)
	a.stack[len(a.stack)-1] = p
	return a, cmd
}

// globalKey handles the keys every screen shares, unless a text field has them.
func (a *App) globalKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	if k.String() == "ctrl+c" {
		a.closeAll()
		return tea.Quit, true
	}
	if a.top().Capturing() {
		return nil, false
	}
	keys := a.c.Keys
	switch {
	case a.help && (key.Matches(k, keys.Help) || key.Matches(k, keys.Back)):
		a.help = false
		return nil, true
	case a.showErrors && (key.Matches(k, keyErrors) || key.Matches(k, keys.Back)):
		a.showErrors = false
		return nil, true
	case key.Matches(k, keyErrors):
		a.showErrors, a.help = true, false
		return nil, true
	case key.Matches(k, keys.Quit):
		a.closeAll()
		return tea.Quit, true
	case key.Matches(k, keys.Help):
		a.help = true
		return nil, true
	case key.Matches(k, keys.Palette):
		a.help = false
		a.palette = newPalette(a.c, a.commands)
		return nil, true
	case key.Matches(k, pages.KeyCopy):
		if cp, ok := a.top().(pages.Copier); ok {
			if what, text, ok := cp.Copy(); ok {
				return tea.Batch(tea.SetClipboard(text), func() tea.Msg { return pages.InfoMsg("Copied " + what) }), true
			}
		}
		return nil, false // y means something else here (a confirmation)
	case key.Matches(k, keys.Back):
		if cl, ok := a.top().(pages.Clearer); ok && cl.ClearFilter() {
			return nil, true
		}
		return a.back(), true
	case key.Matches(k, keys.Callbacks):
		if _, already := a.top().(*pages.Callbacks); already {
			return nil, true
		}
		p := pages.NewCallbacks(a.c)
		a.stack = append(a.stack, p)
		a.status = "" // the last screen's message is not this one's
		return p.Init(), true
	}
	return nil, false
}

// back leaves the page on top; the page under it reloads, since its refresh stopped
// while it was hidden.
func (a *App) back() tea.Cmd {
	if len(a.stack) == 1 {
		return nil
	}
	a.top().Close()
	a.stack = a.stack[:len(a.stack)-1]
	a.status = ""
	return a.top().Init()
}

func (a *App) closeAll() {
	for _, p := range a.stack {
		p.Close()
	}
}

// keys are the bindings shown in the footer and the help: the page's, then the shared.
func (a *App) keys() []key.Binding {
	ks := a.top().Keys()
	if a.top().Capturing() {
		return ks
	}
	shared := []key.Binding{a.c.Keys.Callbacks, a.c.Keys.Palette}
	if cp, ok := a.top().(pages.Copier); ok {
		if _, _, ok := cp.Copy(); ok {
			shared = append([]key.Binding{pages.KeyCopy}, shared...)
		}
	}
	if len(a.errs) > 0 {
		shared = append(shared, keyErrors)
	}
	if len(a.stack) > 1 {
		shared = append(shared, a.c.Keys.Back)
	}
	return append(append(ks, shared...), a.c.Keys.Help, a.c.Keys.Quit)
}

func (a *App) View() tea.View {
	v := tea.NewView(a.Render())
	v.AltScreen = true
	// Cell motion reports clicks and the wheel without a flood of motion events.
	v.MouseMode = tea.MouseModeCellMotion
	return v
}

// Render is the whole screen as text, Width x Height.
func (a *App) Render() string {
	st := a.c.Styles
	header := st.Header.Render(a.header())

	var body string
	switch {
	case a.showErrors:
		body = a.errorsView()
	case a.help:
		body = a.helpView()
	default:
		body = a.top().View()
	}
	body = common.Fit(body, a.c.Width, a.c.BodyHeight())

	line := a.status
	if line == "" {
		line = a.holding
	}
	status := common.Line(line, a.c.Width)
	if a.statusErr {
		status = st.Error.Render(status)
	} else {
		status = st.Info.Render(status)
	}
	// A field that has the keyboard (the palette, a page's filter) takes the status line.
	if a.palette != nil {
		body = overlayBottom(body, a.palette.List(st, a.c.Width, a.c.BodyHeight()), a.c.Width, a.c.BodyHeight())
		status = common.Fit(a.palette.Prompt(), a.c.Width, 1)
	} else if pr, ok := a.top().(pages.Prompter); ok {
		if line, open := pr.Prompt(); open {
			status = common.Fit(line, a.c.Width, 1)
		}
	}
	return header + "\n" + body + "\n" + status + "\n" + a.footer()
}

func padRight(s string, n int) string {
	w := lipgloss.Width(s)
	if w >= n {
		return s + " "
	}
	return s + strings.Repeat(" ", n-w)
}
