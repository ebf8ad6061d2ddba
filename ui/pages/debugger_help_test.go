package pages

import (
	"strings"
	"testing"
)

// TestDebuggerHelpListsEveryKey: w, a and x are in the debugger's help even when no
// wait or task makes them act (the footer leaves them out then).
func TestDebuggerHelpListsEveryKey(t *testing.T) {
	var all []string
	for _, k := range (&Debugger{}).HelpKeys() {
		all = append(all, k.Help().Key+" "+k.Help().Desc)
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{"w skip wait", "a answer task", "x fail task", "tab next stopped", "e edit input"} {
		if !strings.Contains(text, want) {
			t.Errorf("the help lacks %q:\n%s", want, text)
		}
	}
}
