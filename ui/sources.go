package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/ui/common"
)

// Machines loaded from files (stepdeck PATH, :load PATH) are kept in step with their
// files by c.Sources; this file shows what each save did and adds :load.

// sourcesMsg is one save's outcome.
type sourcesMsg common.SourceChange

// waitSources waits for the next save; nil when no files were loaded.
func (a *App) waitSources() tea.Cmd {
	if a.c.Sources == nil {
		return nil
	}
	ch := a.c.Sources.Changes()
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return nil
		}
		return sourcesMsg(ev)
	}
}

// onSources shows what a save did and reloads the screen on top, whose machine may
// have a new revision or a new problem; then it waits for the next save.
func (a *App) onSources(msg sourcesMsg) tea.Cmd {
	a.status, a.statusErr = msg.Text, msg.Err
	return tea.Batch(a.top().Init(), a.waitSources())
}

// loadCommand is :load PATH: read more machines from a file or folder, and watch it.
func loadCommand() Command {
	return Command{Name: "load", Arg: "PATH", Help: "load state machines from a file, folder, template or cdk.out", Run: func(a *App, arg string) tea.Cmd {
		if a.c.Sources == nil || !a.c.Local {
			a.status, a.statusErr = ":load works on the local engine started with files (stepdeck PATH...)", true
			return nil
		}
		if arg == "" {
			a.status, a.statusErr = ":load needs a path", true
			return nil
		}
		src := a.c.Sources
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			summary, err := src.Load(ctx, arg)
			if err != nil {
				return sourcesLoadedMsg{text: err.Error(), err: true}
			}
			return sourcesLoadedMsg{text: summary}
		}
	}}
}

// sourcesLoadedMsg is what :load did.
type sourcesLoadedMsg struct {
	text string
	err  bool
}
