package pages

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/examples"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// StartForm edits the input of a new execution. The JSON is checked before anything is
// sent, and a parse error stays on screen next to the text it is about.
type StartForm struct {
	c         *common.Common
	arn, name string
	area      textarea.Model
	problem   string
	sending   bool
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
	a := newArea(c, input, c.Width-2, c.BodyHeight()-4)
	return &StartForm{c: c, arn: arn, name: name, area: a}
}

// Focus gives the editor the keyboard.
func (f *StartForm) Focus() tea.Cmd { return f.area.Focus() }

func (f *StartForm) Keys() []key.Binding { return []key.Binding{keySend, keyEditor, keyCancel} }

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
		case key.Matches(msg, keySend):
			if f.sending {
				return f, nil
			}
			input := f.area.Value()
			if err := jsonview.Valid(input); err != nil {
				f.problem = "The input is not JSON: " + err.Error()
				return f, nil
			}
			f.problem, f.sending = "", true
			return f, f.start(input)
		}
	}
	var cmd tea.Cmd
	f.area, cmd = f.area.Update(msg)
	return f, cmd
}

func (f *StartForm) start(input string) tea.Cmd {
	api, arn := f.c.API, f.arn
	return func() tea.Msg {
		ctx, cancel := callCtx(context.Background())
		defer cancel()
		out, err := api.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String(input)})
		if err != nil {
			return startedMsg{err: err}
		}
		return startedMsg{arn: aws.ToString(out.ExecutionArn)}
	}
}

func (f *StartForm) View() string {
	s := fmt.Sprintf("Start an execution of %s — input (JSON):\n%s", common.Line(f.name, 0), f.area.View())
	if f.problem != "" {
		s += "\n" + f.c.Styles.Error.Render(common.Line(f.problem, f.c.Width))
	} else if f.sending {
		s += "\nStarting…"
	}
	return s
}
