package ui

import (
	"reflect"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// y copies what is selected (through the terminal's clipboard, OSC 52), and says so.
func TestCopyTheSelection(t *testing.T) {
	api := localAPI(t)
	createApproval(t, api)
	arn := start(t, api, "approval", "wait-1", `{}`)
	waitCallback(t, api, arn)
	a := New(fixedCommon(api, 120, 30), "local")
	drain(a, a.Init())
	copied := func(keys ...string) string {
		press(a, keys[:len(keys)-1]...)
		_, cmd := a.Update(tea.KeyPressMsg{Code: 'y', Text: "y"})
		if cmd == nil {
			t.Fatalf("y after %v did nothing", keys)
		}
		var text string
		for _, m := range collectMsgs(cmd) {
			// Bubble Tea's own message that writes the clipboard (OSC 52).
			if v := reflect.ValueOf(m); v.Type().Name() == "setClipboardMsg" {
				text = v.String()
			}
			a.Update(m)
		}
		return text
	}
	if got := copied("y"); got != machineArn(t, api, "approval") {
		t.Errorf("copied %q", got)
	}
	mustContain(t, statusLine(a), "Copied the ARN of approval")
	if got := copied("c", "y"); len(got) != 43 {
		t.Errorf("copied %q, want the task token", got)
	}
	mustContain(t, statusLine(a), "Copied the task token of Ask")
}

// collectMsgs runs a command and the batches it makes, and returns their messages.
func collectMsgs(cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch m := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, m...)
		case nil:
		default:
			out = append(out, m)
		}
	}
	return out
}
