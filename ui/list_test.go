package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/stepdeck/stepdeck/ui/pages"
)

// selectedRow is the body line drawn in the selection style, without its styles.
func selectedRow(a *App) string {
	mark, _, _ := strings.Cut(a.c.Styles.Selected.Render("x"), "x")
	for _, l := range strings.Split(a.Render(), "\n") {
		if mark != "" && strings.HasPrefix(l, mark) {
			return ansi.Strip(l)
		}
	}
	return ""
}

// A newer execution read in above the selection leaves the selection on its execution,
// not on the row that took its place; so does clearing a filter.
func TestExecutionsSelectionStaysOnItsExecution(t *testing.T) {
	api := localAPI(t)
	for _, name := range []string{"first", "second", "third"} {
		start(t, api, "hello", name, `{}`)
	}
	a := New(fixedCommon(api, 120, 30), "local")
	drain(a, a.Init())
	send(a, pages.OpenMsg{Page: pages.NewExecutions(a.c, machineArn(t, api, "hello"), "hello")})
	for range 3 {
		if strings.Contains(selectedRow(a), "second") {
			break
		}
		press(a, "down")
	}
	if !strings.Contains(selectedRow(a), "second") {
		t.Fatalf("could not select second:\n%s", a.Render())
	}
	start(t, api, "hello", "fourth", `{}`)
	press(a, "r")
	mustContain(t, a.Render(), "fourth")
	if got := selectedRow(a); !strings.Contains(got, "second") {
		t.Fatalf("after a refresh with a newer execution, the selection is on %q", got)
	}
	// Filtered to it and back: still on it.
	press(a, "/")
	typeText(a, "sec")
	press(a, "enter", "esc")
	if got := selectedRow(a); !strings.Contains(got, "second") || len(bodyNames(a)) != 4 {
		t.Fatalf("after the filter was cleared, the selection is on %q of %v", got, bodyNames(a))
	}
	press(a, "enter")
	mustContain(t, a.Render(), "Execution second")
}
