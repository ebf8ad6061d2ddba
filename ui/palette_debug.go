package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/ui/pages"
)

// debugCommand opens the debugger on a state machine of the local engine, by name.
func debugCommand() Command {
	return Command{Name: "debug", Arg: "MACHINE", Help: "debug a state machine (local engine)", Run: func(a *App, name string) tea.Cmd {
		return pages.DebugByName(a.c, name)
	}}
}
