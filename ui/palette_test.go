package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/pages"
)

func TestPaletteCompletesAndOpensScreens(t *testing.T) {
	api := localAPI(t)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	press(a, ":")
	// Every command is offered before anything is typed.
	mustContain(t, a.Render(), ":machines", ":callbacks", ":activities", ":region NAME", ":quit")
	typeText(a, "ca")
	press(a, "tab")
	if got := a.palette.input.Value(); got != "callbacks" {
		t.Fatalf("tab completed to %q", got)
	}
	press(a, "enter")
	if _, ok := a.top().(*pages.Callbacks); !ok || a.palette != nil {
		t.Fatalf(":callbacks left %T on top", a.top())
	}
	// A prefix runs the command picked in the list; down picks the next one.
	press(a, ":", "a", "enter")
	if _, ok := a.top().(*pages.Activities); !ok {
		t.Fatalf(":a left %T on top", a.top())
	}
	press(a, ":", "down", "enter")
	if _, ok := a.top().(*pages.Callbacks); !ok {
		t.Fatalf("down then enter left %T on top", a.top())
	}
	press(a, ":")
	typeText(a, "machines")
	press(a, "enter")
	if len(a.stack) != 1 {
		t.Fatalf(":machines left %d pages", len(a.stack))
	}
	press(a, ":")
	typeText(a, "help")
	press(a, "enter")
	mustContain(t, a.Render(), "Keys of this screen", ": ", "command")
}

func TestPaletteExplainsMistakes(t *testing.T) {
	api := localAPI(t)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	press(a, ":")
	typeText(a, "zzz")
	press(a, "enter")
	mustContain(t, a.Render(), `no command "zzz"`)
	press(a, "esc")
	if a.palette != nil || len(a.stack) != 1 {
		t.Fatal("esc did not just close the palette")
	}
	press(a, ":")
	typeText(a, "region")
	press(a, "enter")
	mustContain(t, a.Render(), "usage: :region NAME")
	typeText(a, "eu-west-1")
	press(a, "enter")
	// No factory was given: the switch is refused and the UI stays as it was.
	mustContain(t, statusLine(a), "without a way to switch backends")
	mustContain(t, a.Render(), "stepdeck · local")
	press(a, ":")
	typeText(a, "quit now")
	press(a, "enter")
	mustContain(t, a.Render(), ":quit takes no argument")
	press(a, "esc", ":")
	typeText(a, "quit")
	_, cmd := a.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if cmd == nil {
		t.Fatal(":quit returned no command")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal(":quit does not quit")
	}
}

// fakeBackends records what the palette asked for; a spec with region "nowhere" fails.
type fakeBackends struct {
	api    client.API
	asked  []BackendSpec
	closed []string
}

func (f *fakeBackends) open(_ context.Context, s BackendSpec) (client.API, string, func(), error) {
	f.asked = append(f.asked, s)
	if s.Region == "nowhere" {
		return nil, "", nil, errors.New("no such region")
	}
	name := "fake " + s.String()
	return f.api, name, func() { f.closed = append(f.closed, name) }, nil
}

func TestPaletteSwitchesBackends(t *testing.T) {
	api := localAPI(t)
	other := localAPI(t)
	f := &fakeBackends{api: other}
	a := New(fixedCommon(api, 100, 30), "local").WithBackends(f.open, BackendSpec{Local: true}, func() { f.closed = append(f.closed, "first") })
	drain(a, a.Init())
	press(a, "c")
	press(a, ":")
	typeText(a, "region nowhere")
	press(a, "enter")
	if len(f.asked) != 1 || f.asked[0] != (BackendSpec{Region: "nowhere"}) {
		t.Fatalf("asked %+v", f.asked)
	}
	// The failure is reported and the old backend stays, on the same screen.
	mustContain(t, statusLine(a), "no such region", "still on local")
	if a.c.API != api || len(f.closed) != 0 || len(a.stack) != 2 {
		t.Fatalf("a failed switch changed the UI: closed %v, %d pages", f.closed, len(a.stack))
	}
	press(a, ":")
	typeText(a, "profile dev")
	press(a, "enter")
	if a.c.API != other || len(a.stack) != 1 || a.c.Local {
		t.Fatalf("after :profile: local %v, %d pages", a.c.Local, len(a.stack))
	}
	if len(f.closed) != 1 || f.closed[0] != "first" {
		t.Fatalf("the first backend was not closed: %v", f.closed)
	}
	mustContain(t, a.Render(), "stepdeck · fake aws profile dev", "State machines")
	// :region keeps the profile; :endpoint keeps both; :region drops the endpoint.
	for _, step := range []struct {
		typed string
		want  BackendSpec
	}{
		{"region eu-west-1", BackendSpec{Profile: "dev", Region: "eu-west-1"}},
		{"endpoint http://127.0.0.1:8083", BackendSpec{Profile: "dev", Region: "eu-west-1", Endpoint: "http://127.0.0.1:8083"}},
		{"region us-east-2", BackendSpec{Profile: "dev", Region: "us-east-2"}},
		{"local", BackendSpec{Local: true}},
	} {
		press(a, ":")
		typeText(a, step.typed)
		press(a, "enter")
		if got := f.asked[len(f.asked)-1]; got != step.want {
			t.Fatalf(":%s asked %+v, want %+v", step.typed, got, step.want)
		}
		if a.spec != step.want {
			t.Fatalf(":%s left spec %+v", step.typed, a.spec)
		}
	}
	// Switching to what is in use only goes home: a local store takes one opener.
	n := len(f.asked)
	press(a, "c", ":", "l", "o", "c", "enter")
	if len(f.asked) != n || len(a.stack) != 1 {
		t.Fatalf(":local on local opened a backend (%d asks) or stayed (%d pages)", len(f.asked)-n, len(a.stack))
	}
	a.Close()
	if last := f.closed[len(f.closed)-1]; !strings.HasPrefix(last, "fake local") {
		t.Fatalf("Close closed %v", f.closed)
	}
}

func TestAddCommandAppendsAndReplaces(t *testing.T) {
	api := localAPI(t)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	ran := ""
	a.AddCommand(Command{Name: "debug", Arg: "ARN", Help: "step through", Run: func(_ *App, arg string) tea.Cmd { ran = arg; return nil }})
	a.AddCommand(Command{Name: "help", Help: "replaced", Run: func(*App, string) tea.Cmd { ran = "help"; return nil }})
	press(a, ":")
	mustContain(t, a.Render(), ":debug ARN", "step through")
	typeText(a, "de")
	press(a, "tab")
	typeText(a, "x1")
	press(a, "enter")
	if ran != "x1" {
		t.Fatalf("the added command got %q", ran)
	}
	press(a, ":")
	typeText(a, "help")
	press(a, "enter")
	if ran != "help" || a.help {
		t.Fatal("the replaced command did not run in place of the old one")
	}
}

// FuzzPalette types anything into the palette and presses enter: whatever it says, the
// UI neither panics, nor leaves its screen size, nor passes control sequences on.
func FuzzPalette(f *testing.F) {
	for _, s := range []string{"machines", "region ", " local", "endpoint ::::", "q\x1b[2J", "\x1b]0;t\x07", "ACTIVITIES", "profile a b c", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c := fixedCommon(nil, 60, 12)
		a := &App{c: c, stack: []pages.Page{fakePage{}}, commands: defaultCommands()}
		a.Update(tea.KeyPressMsg{Code: ':', Text: ":"})
		for _, r := range text {
			a.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		a.Update(tea.KeyPressMsg{Code: tea.KeyTab})
		a.Update(tea.KeyPressMsg{Code: tea.KeyDown})
		a.Render()
		a.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
		if n := len(strings.Split(a.Render(), "\n")); n != 12 {
			t.Fatalf("%d lines", n)
		}
		// What was typed is drawn, never obeyed: no title, bell or screen clear.
		if r := a.Render(); strings.Contains(r, "\x1b]") || strings.Contains(r, "\x07") || strings.Contains(r, "\x1b[2J") {
			t.Fatalf("a control sequence reached the screen: %q", r)
		}
	})
}

// fakePage is a page with nothing on it, for tests that need no backend.
type fakePage struct{}

func (fakePage) Init() tea.Cmd                          { return nil }
func (p fakePage) Update(tea.Msg) (pages.Page, tea.Cmd) { return p, nil }
func (fakePage) View() string                           { return "" }
func (fakePage) Title() string                          { return "fake" }
func (fakePage) Keys() []key.Binding                    { return nil }
func (fakePage) Capturing() bool                        { return false }
func (fakePage) Close()                                 {}

// failingAPI refuses to list, as AWS does for a region that does not exist.
type failingAPI struct{ client.API }

func (failingAPI) ListStateMachines(context.Context, *sfn.ListStateMachinesInput, ...func(*sfn.Options)) (*sfn.ListStateMachinesOutput, error) {
	return nil, errors.New("no such host")
}

// A backend that opens but cannot list says so on the screen, not "Loading…" for ever.
func TestSwitchToFailingBackendSaysSo(t *testing.T) {
	api := localAPI(t)
	f := &fakeBackends{api: failingAPI{}}
	a := New(fixedCommon(api, 100, 30), "local").WithBackends(f.open, BackendSpec{Local: true}, nil)
	drain(a, a.Init())
	press(a, ":")
	typeText(a, "region nowhere-1")
	press(a, "enter")
	screen := a.Render()
	mustContain(t, screen, "fake aws region nowhere-1", "Could not list the state machines", "no such host")
	if strings.Contains(screen, "Loading") {
		t.Fatalf("still loading:\n%s", screen)
	}
}

// The configuration file's contexts are one :context away, completed by name.
func TestPaletteSwitchesToAContext(t *testing.T) {
	api := localAPI(t)
	f := &fakeBackends{api: localAPI(t)}
	a := New(fixedCommon(api, 100, 30), "local").WithBackends(f.open, BackendSpec{Local: true}, nil)
	a.AddContext("prod-eu", BackendSpec{Profile: "prod", Region: "eu-west-1"})
	a.AddContext("serve", BackendSpec{Endpoint: "http://127.0.0.1:8083"})
	drain(a, a.Init())
	press(a, ":")
	typeText(a, "context pr")
	press(a, "tab", "enter")
	if len(f.asked) != 1 || f.asked[0] != (BackendSpec{Profile: "prod", Region: "eu-west-1"}) {
		t.Fatalf("asked %+v", f.asked)
	}
	press(a, ":")
	typeText(a, "context nowhere")
	press(a, "enter")
	mustContain(t, statusLine(a), `no context "nowhere" in the configuration file`)
}
