package ui

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/ui/pages"
)

// defaultCommands are the palette's commands; the order is the order of completion.
func defaultCommands() []Command {
	return []Command{
		{Name: "machines", Help: "the state machines", Run: func(a *App, _ string) tea.Cmd { return a.home() }},
		{Name: "callbacks", Help: "tasks waiting for a callback", Run: func(a *App, _ string) tea.Cmd {
			return a.show(func(p pages.Page) bool { _, ok := p.(*pages.Callbacks); return ok },
				func() pages.Page { return pages.NewCallbacks(a.c) })
		}},
		{Name: "activities", Help: "activities, to work a task by hand", Run: func(a *App, _ string) tea.Cmd {
			return a.show(func(p pages.Page) bool { _, ok := p.(*pages.Activities); return ok },
				func() pages.Page { return pages.NewActivities(a.c) })
		}},
		{Name: "local", Help: "switch to the local engine", Run: func(a *App, _ string) tea.Cmd {
			return a.switchBackend(BackendSpec{Local: true})
		}},
		{Name: "region", Arg: "NAME", Args: regionNames, Help: "switch to AWS in this region", Run: func(a *App, arg string) tea.Cmd {
			s := a.spec.aws()
			s.Region = arg
			return a.switchBackend(s)
		}},
		{Name: "profile", Arg: "NAME", Args: profileNames, Help: "switch to AWS with this profile", Run: func(a *App, arg string) tea.Cmd {
			s := a.spec.aws()
			s.Profile = arg
			return a.switchBackend(s)
		}},
		{Name: "endpoint", Arg: "URL", Help: "switch to a Step Functions endpoint", Run: func(a *App, arg string) tea.Cmd {
			s := a.spec.aws()
			s.Endpoint = arg
			return a.switchBackend(s)
		}},
		debugCommand(),
		loadCommand(),
		{Name: "help", Help: "the keys of this screen", Run: func(a *App, _ string) tea.Cmd {
			a.help = true
			return nil
		}},
		{Name: "quit", Help: "leave stepdeck", Run: func(a *App, _ string) tea.Cmd {
			a.closeAll()
			return tea.Quit
		}},
	}
}

// AddCommand appends a command to the palette (a later screen registers itself this
// way); a command of the same name is replaced.
func (a *App) AddCommand(c Command) {
	for i := range a.commands {
		if a.commands[i].Name == c.Name {
			a.commands[i] = c
			return
		}
	}
	a.commands = append(a.commands, c)
}

// home goes back to the state machines, closing every page above them.
func (a *App) home() tea.Cmd {
	for len(a.stack) > 1 {
		a.top().Close()
		a.stack = a.stack[:len(a.stack)-1]
	}
	a.status, a.help = "", false
	return a.top().Init()
}

// show pushes a screen unless it is already on top.
func (a *App) show(is func(pages.Page) bool, make func() pages.Page) tea.Cmd {
	a.help = false
	if is(a.top()) {
		return nil
	}
	p := make()
	a.stack = append(a.stack, p)
	a.status = ""
	return p.Init()
}

var errNoSwitch = errors.New("this UI was started without a way to switch backends")
