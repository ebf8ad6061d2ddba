package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/charmbracelet/x/ansi"
)

// selectedName is the first word of the line drawn in the selection style, and that
// line's screen row.
func selectedName(t *testing.T, a *App) (string, int) {
	t.Helper()
	mark, _, _ := strings.Cut(a.c.Styles.Selected.Render("x"), "x")
	for i, l := range strings.Split(a.Render(), "\n") {
		if strings.HasPrefix(l, mark) {
			return strings.Fields(ansi.Strip(l))[0], i
		}
	}
	t.Fatalf("no selected line:\n%s", a.Render())
	return "", 0
}

func TestMouseSelectsAndScrolls(t *testing.T) {
	api := localAPI(t)
	// More machines than the screen has rows, so the list scrolls.
	for i := range 30 {
		if _, err := api.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{Name: aws.String(fmt.Sprintf("z-%02d", i)),
			Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`), RoleArn: aws.String(exampleRole)}); err != nil {
			t.Fatal(err)
		}
	}
	a := New(fixedCommon(api, 80, 20), "local")
	drain(a, a.Init())
	if v := a.View(); v.MouseMode != tea.MouseModeCellMotion {
		t.Fatalf("mouse mode %v", v.MouseMode)
	}
	// Screen row 4 is the header, the table's two header lines, then row 1 of the list.
	send(a, tea.MouseClickMsg{X: 5, Y: 4, Button: tea.MouseLeft})
	if name, y := selectedName(t, a); name != "batch-job-poller" || y != 4 {
		t.Fatalf("click on row 4 selected %q on row %d", name, y)
	}
	for range 25 {
		send(a, tea.MouseWheelMsg{X: 5, Y: 10, Button: tea.MouseWheelDown})
	}
	name, _ := selectedName(t, a)
	if name == "batch-job-poller" {
		t.Fatal("the wheel did not move the selection")
	}
	// After scrolling, a click selects the row drawn where it lands (the table may then
	// scroll to keep its selection in view, as it does for the arrows).
	lines := strings.Split(ansi.Strip(a.Render()), "\n")
	for _, y := range []int{3, 8, 15} {
		want := strings.Fields(lines[y])[0]
		send(a, tea.MouseClickMsg{X: 1, Y: y, Button: tea.MouseLeft})
		if got, _ := selectedName(t, a); got != want {
			t.Fatalf("click on row %d (%q) selected %q", y, want, got)
		}
		lines = strings.Split(ansi.Strip(a.Render()), "\n")
	}
	send(a, tea.MouseWheelMsg{X: 5, Y: 10, Button: tea.MouseWheelUp})
	// The selection is what enter opens.
	name, _ = selectedName(t, a)
	press(a, "enter")
	mustContain(t, a.Render(), "Executions of "+name)
}

// Clicks off the list (header, table header, status, footer, past the edges, the right
// button) change nothing and break nothing.
func TestMouseOutsideIsHarmless(t *testing.T) {
	api := localAPI(t)
	a := New(fixedCommon(api, 80, 24), "local")
	drain(a, a.Init())
	before := a.Render()
	for _, m := range []tea.Msg{
		tea.MouseClickMsg{X: 0, Y: 0, Button: tea.MouseLeft},
		tea.MouseClickMsg{X: 3, Y: 1, Button: tea.MouseLeft},
		tea.MouseClickMsg{X: 3, Y: 2, Button: tea.MouseLeft},
		tea.MouseClickMsg{X: 3, Y: 20, Button: tea.MouseLeft}, // below the last row
		tea.MouseClickMsg{X: 3, Y: 22, Button: tea.MouseLeft},
		tea.MouseClickMsg{X: 3, Y: 23, Button: tea.MouseLeft},
		tea.MouseClickMsg{X: 500, Y: 5, Button: tea.MouseLeft},
		tea.MouseClickMsg{X: -1, Y: -1, Button: tea.MouseLeft},
		tea.MouseClickMsg{X: 3, Y: 5, Button: tea.MouseRight},
		tea.MouseReleaseMsg{X: 3, Y: 5, Button: tea.MouseLeft},
		tea.MouseMotionMsg{X: 3, Y: 5},
		tea.MouseWheelMsg{X: 3, Y: 0, Button: tea.MouseWheelDown},
		tea.MouseWheelMsg{X: 3, Y: 5, Button: tea.MouseWheelLeft},
	} {
		send(a, m)
	}
	if after := a.Render(); after != before {
		t.Fatalf("a click off the list changed the screen:\n%s", after)
	}
	// Over help and the palette the mouse does nothing either.
	press(a, "?")
	send(a, tea.MouseClickMsg{X: 3, Y: 6, Button: tea.MouseLeft})
	press(a, "esc", ":")
	send(a, tea.MouseWheelMsg{X: 3, Y: 6, Button: tea.MouseWheelDown})
	press(a, "esc")
	if after := a.Render(); after != before {
		t.Fatalf("the mouse reached the list under an overlay:\n%s", after)
	}
	// Every other screen takes clicks without failing.
	for _, keys := range [][]string{{"c"}, {"esc", "enter"}, {"esc", "s"}} {
		press(a, keys...)
		for y := range 24 {
			send(a, tea.MouseClickMsg{X: 10, Y: y, Button: tea.MouseLeft})
			send(a, tea.MouseWheelMsg{X: 10, Y: y, Button: tea.MouseWheelDown})
		}
	}
}
