package pages

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/editor"
)

var keyEditor = key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", "$EDITOR"))

// editedMsg brings back the text edited in $EDITOR, for the form that asked (owner).
type editedMsg struct {
	owner any
	text  string
	err   error
}

// editExternally suspends the UI, opens text in the user's editor through a temporary
// .json file, and reports the result as an editedMsg.
//
// charmbracelet/x/editor builds the command, as other Charm programs do, so stepdeck
// treats $EDITOR as they do: it may carry arguments ("code -w"), and when it is unset
// the platform's fallback editor (nano; notepad on Windows) opens rather than an error.
func editExternally(owner any, text string) tea.Cmd {
	fail := func(err error) tea.Cmd {
		return func() tea.Msg { return editedMsg{owner: owner, err: err} }
	}
	f, err := os.CreateTemp("", "stepdeck-*.json")
	if err != nil {
		return fail(err)
	}
	name := f.Name()
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return fail(err)
	}
	cmd, err := editorCommand(name)
	if err == nil && cmd.Err != nil {
		// The editor is not installed: say so without giving the terminal away.
		err = editorFailed(cmd.Args[0], cmd.Err)
	}
	if err != nil {
		os.Remove(name)
		return fail(err)
	}
	return tea.ExecProcess(cmd, func(err error) tea.Msg {
		defer os.Remove(name)
		if err != nil {
			return editedMsg{owner: owner, err: editorFailed(cmd.Args[0], err)}
		}
		b, err := os.ReadFile(name)
		return editedMsg{owner: owner, text: strings.TrimRight(string(b), "\n"), err: err}
	})
}

// editorCommand opens file in $VISUAL when it is set (git and less look at it first; the
// library reads only $EDITOR), else in what charmbracelet/x/editor picks.
func editorCommand(file string) (*exec.Cmd, error) {
	if argv := strings.Fields(os.Getenv("VISUAL")); len(argv) > 0 {
		return exec.Command(argv[0], append(argv[1:], file)...), nil
	}
	return editor.Command("stepdeck", file)
}

// editorFailed says what to do when the editor could not run: most often no $EDITOR
// is set and the fallback editor is not installed.
func editorFailed(program string, err error) error {
	if !errors.Is(err, exec.ErrNotFound) {
		return err
	}
	if strings.TrimSpace(os.Getenv("EDITOR")) == "" {
		return fmt.Errorf("$EDITOR is not set and the fallback editor, %s, is not installed: set $EDITOR to the editor to use", program)
	}
	return fmt.Errorf("$EDITOR names %s, which is not installed (or not on $PATH)", program)
}
