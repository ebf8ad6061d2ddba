package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/stepdeck/stepdeck/ui/pages"
)

// bodyNames are the first words of the body's rows under the table header: the names
// the list shows.
func bodyNames(a *App) []string {
	lines := strings.Split(ansi.Strip(a.Render()), "\n")
	var names []string
	for _, l := range lines[3 : len(lines)-2] {
		if f := strings.Fields(l); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	return names
}

func TestFilterNarrowsKeepsAndClears(t *testing.T) {
	api := localAPI(t)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	all := bodyNames(a)
	press(a, "/")
	if !a.top().Capturing() {
		t.Fatal("the open filter does not capture the keyboard")
	}
	// Upper case and q: the field takes them, the app neither quits nor opens help.
	typeText(a, "HEL")
	if got := bodyNames(a); len(got) != 1 || got[0] != "hello" {
		t.Fatalf("/HEL shows %v of %v", got, all)
	}
	if s := statusLine(a); !strings.Contains(s, "/HEL") {
		t.Fatalf("the status line does not show the field: %q", s)
	}
	press(a, "enter")
	if a.top().Capturing() {
		t.Fatal("enter did not close the field")
	}
	mustContain(t, a.Render(), "State machines [/hel]")
	// The filtered row opens; back on the list, the filter is still there.
	press(a, "enter")
	mustContain(t, a.Render(), "Executions of hello")
	press(a, "esc")
	if got := bodyNames(a); len(got) != 1 || got[0] != "hello" {
		t.Fatalf("the filter was lost on the way back: %v", got)
	}
	// esc clears the filter before it goes back.
	press(a, "esc")
	if got := bodyNames(a); len(got) != len(all) {
		t.Fatalf("esc left %v of %v", got, all)
	}
	if len(a.stack) != 1 || strings.Contains(a.Render(), "[/") {
		t.Fatalf("esc did more than clear the filter:\n%s", a.Render())
	}
}

func TestFilterTypingQDoesNotQuitAndNothingMatches(t *testing.T) {
	api := localAPI(t)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	press(a, "/", "q", "?", "c")
	screen := a.Render()
	mustContain(t, screen, "Nothing matches /q?c", "State machines [/q?c]")
	if len(a.stack) != 1 || a.help {
		t.Fatal("a key typed in the filter reached the app")
	}
	// Backspace widens again, esc in the field drops the filter at once.
	press(a, "backspace", "backspace")
	if _, ok := a.top().(pages.Prompter).Prompt(); !ok {
		t.Fatal("the field closed on backspace")
	}
	press(a, "esc")
	if len(bodyNames(a)) < 5 || a.top().Capturing() {
		t.Fatalf("esc in the field did not clear it:\n%s", a.Render())
	}
}

func TestFilterOnExecutionsAndCallbacks(t *testing.T) {
	api := localAPI(t)
	for _, name := range []string{"alpha-1", "beta-2", "alpha-3"} {
		waitCallback(t, api, start(t, api, "approval", name, `{}`))
	}
	a := New(fixedCommon(api, 120, 30), "local")
	drain(a, a.Init())
	send(a, pages.OpenMsg{Page: pages.NewExecutions(a.c, machineArn(t, api, "approval"), "approval")})
	press(a, "/")
	typeText(a, "alpha")
	press(a, "enter")
	got := bodyNames(a)
	if len(got) != 2 || !strings.HasPrefix(got[0], "alpha") || !strings.HasPrefix(got[1], "alpha") {
		t.Fatalf("executions /alpha: %v", got)
	}
	// The status column is searched too.
	press(a, "/", "backspace", "backspace", "backspace", "backspace", "backspace")
	typeText(a, "running")
	if got := bodyNames(a); len(got) != 3 {
		t.Fatalf("executions /running: %v", got)
	}
	press(a, "esc", "c", "/")
	typeText(a, "beta")
	press(a, "enter")
	if got := bodyNames(a); len(got) != 1 || got[0] != "beta-2" {
		t.Fatalf("callbacks /beta: %v", got)
	}
	// The action applies to the row shown, not to the row at that place before.
	press(a, "a")
	mustContain(t, a.Render(), "Approve Ask of beta-2")
}
