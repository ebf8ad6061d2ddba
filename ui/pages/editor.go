package pages

import (
	"errors"
	"os"
	"os/exec"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

var keyEditor = key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", "$EDITOR"))

// editedMsg brings back the text edited in $EDITOR, for the form that asked (owner).
type editedMsg struct {
	owner any
	text  string
	err   error
}

// editorCommand is $VISUAL or $EDITOR split on spaces (people set "code -w"), or nil
// when neither is set.
func editorCommand() []string {
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if f := strings.Fields(os.Getenv(v)); len(f) > 0 {
			return f
		}
	}
	return nil
}

// editExternally suspends the UI, opens text in the user's editor through a temporary
// .json file, and reports the result as an editedMsg.
func editExternally(owner any, text string) tea.Cmd {
	argv := editorCommand()
	if argv == nil {
		return func() tea.Msg {
			return editedMsg{owner: owner, err: errors.New("set $EDITOR (or $VISUAL) to edit in an editor")}
		}
	}
	f, err := os.CreateTemp("", "stepdeck-*.json")
	if err != nil {
		return func() tea.Msg { return editedMsg{owner: owner, err: err} }
	}
	name := f.Name()
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return func() tea.Msg { return editedMsg{owner: owner, err: err} }
	}
	cmd := exec.Command(argv[0], append(argv[1:], name)...)
	return tea.ExecProcess(cmd, func(err error) tea.Msg {
		defer os.Remove(name)
		if err != nil {
			return editedMsg{owner: owner, err: err}
		}
		b, err := os.ReadFile(name)
		return editedMsg{owner: owner, text: strings.TrimRight(string(b), "\n"), err: err}
	})
}
