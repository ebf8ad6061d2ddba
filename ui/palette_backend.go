package ui

import (
	"context"
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/pages"
)

// BackendSpec says which Step Functions the UI talks to: the local engine, or AWS (a
// profile, a region, an endpoint; empty fields fall back to the SDK's own chain).
type BackendSpec struct {
	Local                     bool
	Profile, Region, Endpoint string
	// AllContexts: every context of the configuration file at once.
	AllContexts bool
}

// aws is the spec that :region, :profile and :endpoint start from: the current AWS
// settings, or nothing from the local engine. A custom endpoint is kept only by
// :endpoint itself, so that :region after stepdeck serve reaches real AWS.
func (s BackendSpec) aws() BackendSpec {
	if s.Local {
		return BackendSpec{}
	}
	return BackendSpec{Profile: s.Profile, Region: s.Region}
}

func (s BackendSpec) String() string {
	if s.Local {
		return "local"
	}
	if s.AllContexts {
		return "every context"
	}
	var parts []string
	for _, p := range [][2]string{{"profile", s.Profile}, {"region", s.Region}, {"endpoint", s.Endpoint}} {
		if p[1] != "" {
			parts = append(parts, p[0]+" "+p[1])
		}
	}
	if len(parts) == 0 {
		return "aws"
	}
	return "aws " + strings.Join(parts, " ")
}

// BackendFactory opens a backend: its API, the name the header shows, and what closes
// it (nil when nothing needs closing).
type BackendFactory func(ctx context.Context, spec BackendSpec) (api client.API, name string, close func(), err error)

// WithBackends lets the palette switch backends: f opens one, current is the spec of
// the API the UI was given, closeCurrent closes that API when the UI moves away from it
// (or in Close).
func (a *App) WithBackends(f BackendFactory, current BackendSpec, closeCurrent func()) *App {
	a.factory, a.spec, a.closeBackend = f, current, closeCurrent
	return a
}

// Close closes the backend in use; call it once the program has ended.
func (a *App) Close() {
	if a.closeBackend != nil {
		a.closeBackend()
		a.closeBackend = nil
	}
}

// backendMsg is an opened backend (or why it did not open).
type backendMsg struct {
	spec  BackendSpec
	api   client.API
	name  string
	close func()
	err   error
}

// switchBackend opens spec in the background; the screen keeps the old backend until
// the new one is up, and keeps it for good when it fails.
func (a *App) switchBackend(spec BackendSpec) tea.Cmd {
	if a.factory == nil {
		return func() tea.Msg { return pages.ErrMsg{Err: errNoSwitch} }
	}
	if spec == a.spec {
		// The local engine's store takes one opener: reopening it would wait forever.
		return a.home()
	}
	f := a.factory
	a.status, a.statusErr = "Connecting to "+spec.String()+"…", false
	return func() tea.Msg {
		api, name, closeFn, err := f(context.Background(), spec)
		return backendMsg{spec: spec, api: api, name: name, close: closeFn, err: err}
	}
}

// useBackend puts an opened backend in place: every page is closed, the old backend
// too, and the UI starts again on the state machines.
func (a *App) useBackend(m backendMsg) tea.Cmd {
	if m.err != nil {
		a.status, a.statusErr = fmt.Sprintf("switching to %s: %v (still on %s)", m.spec, m.err, a.backend), true
		return nil
	}
	a.closeAll()
	a.Close()
	a.c.API, a.c.Local = m.api, m.spec.Local
	a.spec, a.backend, a.closeBackend = m.spec, m.name, m.close
	a.stack = []pages.Page{pages.NewMachines(a.c)}
	a.help = false
	a.status, a.statusErr = "Now on "+m.name, false
	a.holding = ""
	return tea.Batch(a.top().Init(), a.watchBackend())
}

// AddContext makes a named backend of the configuration file one :context away.
func (a *App) AddContext(name string, spec BackendSpec) {
	if a.contexts == nil {
		a.contexts = map[string]BackendSpec{}
		a.AddCommand(Command{Name: "contexts", Help: "every context of the configuration file at once", Run: func(a *App, _ string) tea.Cmd {
			return a.switchBackend(BackendSpec{AllContexts: true})
		}})
		a.AddCommand(Command{Name: "context", Arg: "NAME", Args: a.contextNames,
			Help: "switch to a context of the configuration file", Run: func(a *App, arg string) tea.Cmd {
				s, ok := a.contexts[arg]
				if !ok {
					return func() tea.Msg { return pages.ErrMsg{Err: fmt.Errorf("no context %q in the configuration file", arg)} }
				}
				return a.switchBackend(s)
			}})
	}
	a.contexts[name] = spec
}

func (a *App) contextNames() []string {
	names := make([]string, 0, len(a.contexts))
	for n := range a.contexts {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
