package pages

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/examples"
	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// StartForm edits the input of a new execution, and optionally its name (tab moves
// between the two). The JSON and the name are checked before anything is sent, and a
// problem stays on screen next to the text it is about.
type StartForm struct {
	c         *common.Common
	arn, name string
	// target is what the title says is started: the machine's name, or "NAME v3" for
	// a version or an alias.
	target   string
	area     textarea.Model
	execName textinput.Model
	onName   bool
	problem  string
	sending  bool
	// done is set once the form is over (sent or cancelled); the page holding it drops
	// it right after the Update that set it, so no message has to find its way back.
	done bool
}

type startedMsg struct {
	arn string
	err error
}

// NewStartForm returns the input editor for a machine, prefilled with the sample input
// of a bundled example of that name, or {}.
func NewStartForm(c *common.Common, arn, name string) *StartForm {
	input := "{}"
	if sample, ok := examples.SampleInput(name); ok {
		input = strings.TrimSpace(sample)
	}
	return newStartForm(c, arn, name, input)
}

// NewStartAgainForm returns the editor for a new execution of machineArn (a machine, a
// version or an alias) with the input of an earlier one.
func NewStartAgainForm(c *common.Common, machineArn, target, input string) *StartForm {
	f := newStartForm(c, machineArn, target, input)
	f.target = target
	return f
}

func newStartForm(c *common.Common, arn, name, input string) *StartForm {
	a := newArea(c, input, c.Width-2, c.BodyHeight()-5)
	n := newInput(c, "Name (empty: a new UUID): ", "")
	n.CharLimit = 80
	return &StartForm{c: c, arn: arn, name: name, target: name, area: a, execName: n}
}

// Focus gives the editor the keyboard.
func (f *StartForm) Focus() tea.Cmd { return f.area.Focus() }

func (f *StartForm) Keys() []key.Binding {
	return []key.Binding{keySend, keyNameField, keyEditor, keyCancel}
}

var keyNameField = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "input / name"))

func (f *StartForm) Update(msg tea.Msg) (*StartForm, tea.Cmd) {
	switch msg := msg.(type) {
	case editedMsg:
		if msg.owner != f {
			return f, nil
		}
		if msg.err != nil {
			f.problem = "Editor: " + msg.err.Error()
			return f, nil
		}
		f.area.SetValue(msg.text)
		f.problem = ""
		return f, nil
	case startedMsg:
		f.sending = false
		if msg.err != nil {
			f.problem = "StartExecution failed: " + msg.err.Error()
			return f, nil
		}
		f.done = true
		return f, open(NewExecution(f.c, msg.arn))
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, keyEditor):
			return f, editExternally(f, f.area.Value())
		case key.Matches(msg, keyCancel):
			f.done = true
			return f, nil
		case key.Matches(msg, keyNameField):
			f.onName = !f.onName
			if f.onName {
				f.area.Blur()
				return f, f.execName.Focus()
			}
			f.execName.Blur()
			return f, f.area.Focus()
		case key.Matches(msg, keySend):
			if f.sending {
				return f, nil
			}
			input := f.area.Value()
			if err := jsonview.Valid(input); err != nil {
				f.problem = "The input is not JSON: " + err.Error()
				return f, nil
			}
			name := strings.TrimSpace(f.execName.Value())
			if name != "" && !arn.ValidName(name) {
				f.problem = "The name is not valid: 1 to 80 characters, no spaces, brackets, wildcards, control characters or any of \" #%^|~`$&,;:/"
				return f, nil
			}
			f.problem, f.sending = "", true
			return f, f.start(name, input)
		}
	}
	var cmd tea.Cmd
	if f.onName {
		f.execName, cmd = f.execName.Update(msg)
		return f, cmd
	}
	f.area, cmd = f.area.Update(msg)
	return f, cmd
}

func (f *StartForm) start(name, input string) tea.Cmd {
	api, machine := f.c.API, f.arn
	in := &sfn.StartExecutionInput{StateMachineArn: aws.String(machine), Input: aws.String(input)}
	if name != "" {
		in.Name = aws.String(name)
	}
	return func() tea.Msg {
		ctx, cancel := callCtx(context.Background())
		defer cancel()
		out, err := api.StartExecution(ctx, in)
		if err != nil {
			return startedMsg{err: err}
		}
		return startedMsg{arn: aws.ToString(out.ExecutionArn)}
	}
}

func (f *StartForm) View() string {
	s := fmt.Sprintf("Start an execution of %s\n%s\nInput (JSON):\n%s", common.Line(f.target, 0), f.execName.View(), f.area.View())
	if f.problem != "" {
		s += "\n" + f.c.Styles.Error.Render(common.Line(f.problem, f.c.Width))
	} else if f.sending {
		s += "\nStarting…"
	}
	return s
}
