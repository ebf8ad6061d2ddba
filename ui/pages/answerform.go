package pages

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// AnswerForm answers one callback: an output to approve with (checked to be JSON), or
// an error and a cause to reject with. Nothing is sent before a confirmation that shows
// exactly what will go.
type AnswerForm struct {
	c          *common.Common
	subject    string // what is answered, for the title: "Ask of wait-1"
	name       string // the state or activity, for the status line
	answer     answerFunc
	machine    string // the execution's machine, so the callbacks scan looks at it again
	params     string // what the task sent (its parameters), shown above the fields
	approve    bool
	output     textarea.Model
	errName    textinput.Model
	cause      textinput.Model
	onCause    bool
	confirming bool
	problem    string
}

type formCancelled struct{}

// answerFunc sends the answer: a callback's token and an activity's task are answered
// the same way but through different holders.
type answerFunc func(ctx context.Context, approve bool, output, errName, cause string) error

var keyField = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field"))

// NewAnswerForm returns the form; approve picks success over failure.
func NewAnswerForm(c *common.Common, cb client.PendingCallback, approve bool) *AnswerForm {
	api, token := c.API, cb.Token
	subject := common.Line(cb.StateName, 0) + " of " + common.Line(execName(cb.ExecutionArn), 0)
	f := newAnswerForm(c, subject, cb.StateName, approve, func(ctx context.Context, approve bool, output, errName, cause string) error {
		if approve {
			return client.SendSuccess(ctx, api, token, output)
		}
		return client.SendFailure(ctx, api, token, errName, cause)
	})
	f.machine, f.params = cb.StateMachineArn, cb.Parameters
	f.output.SetHeight(max(f.output.Height()-paramLines, 3))
	return f
}

// paramLines is how many lines of the task's parameters the form shows.
const paramLines = 6

func newAnswerForm(c *common.Common, subject, name string, approve bool, answer answerFunc) *AnswerForm {
	f := &AnswerForm{c: c, subject: subject, name: name, answer: answer, approve: approve}
	f.output = newArea(c, `{"approved": true}`, c.Width-2, c.BodyHeight()-6)
	f.errName = newInput(c, "Error: ", "Rejected")
	f.cause = newInput(c, "Cause: ", "")
	return f
}

// Focus gives the first field the keyboard.
func (f *AnswerForm) Focus() tea.Cmd {
	if f.approve {
		return f.output.Focus()
	}
	return f.errName.Focus()
}

func (f *AnswerForm) Keys() []key.Binding {
	if f.confirming {
		return []key.Binding{keyYes, keyNo}
	}
	if f.approve {
		return []key.Binding{keySend, keyEditor, keyCancel}
	}
	return []key.Binding{keyField, keySend, keyCancel}
}

func (f *AnswerForm) Update(msg tea.Msg) (*AnswerForm, tea.Cmd) {
	if m, ok := msg.(editedMsg); ok {
		if m.owner != f {
			return f, nil
		}
		if m.err != nil {
			f.problem = "Editor: " + m.err.Error()
			return f, nil
		}
		f.output.SetValue(m.text)
		f.problem = ""
		return f, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if f.confirming {
			switch {
			case key.Matches(k, keyYes):
				return f, f.send()
			case key.Matches(k, keyNo):
				f.confirming = false
			}
			return f, nil
		}
		switch {
		case key.Matches(k, keyCancel):
			return f, func() tea.Msg { return formCancelled{} }
		case key.Matches(k, keyEditor) && f.approve:
			return f, editExternally(f, f.output.Value())
		case key.Matches(k, keySend):
			if f.approve {
				if err := jsonview.Valid(f.output.Value()); err != nil {
					f.problem = "The output is not JSON: " + err.Error()
					return f, nil
				}
			}
			f.problem, f.confirming = "", true
			return f, nil
		case key.Matches(k, keyField) && !f.approve:
			f.onCause = !f.onCause
			if f.onCause {
				f.errName.Blur()
				return f, f.cause.Focus()
			}
			f.cause.Blur()
			return f, f.errName.Focus()
		}
	}
	var cmd tea.Cmd
	switch {
	case f.approve:
		f.output, cmd = f.output.Update(msg)
	case f.onCause:
		f.cause, cmd = f.cause.Update(msg)
	default:
		f.errName, cmd = f.errName.Update(msg)
	}
	return f, cmd
}

func (f *AnswerForm) send() tea.Cmd {
	answer, approve := f.answer, f.approve
	output, errName, cause, machine := f.output.Value(), f.errName.Value(), f.cause.Value(), f.machine
	what := "reject " + f.name
	if approve {
		what = "approve " + f.name
	}
	return func() tea.Msg {
		ctx, cancel := callCtx(context.Background())
		defer cancel()
		return answeredMsg{what: what, machine: machine, err: answer(ctx, approve, output, errName, cause)}
	}
}

func (f *AnswerForm) View() string {
	var b strings.Builder
	verb := "Reject"
	if f.approve {
		verb = "Approve"
	}
	fmt.Fprintf(&b, "%s %s\n", verb, f.subject)
	if f.params != "" {
		// What is being approved: the payload the task sent.
		lines := strings.Split(jsonview.Pretty(f.params), "\n")
		if len(lines) > paramLines {
			lines = append(lines[:paramLines-1], fmt.Sprintf("… (%d more lines)", len(lines)-paramLines+1))
		}
		b.WriteString("The task sent:\n")
		for _, l := range lines {
			b.WriteString("  " + common.Line(l, f.c.Width-2) + "\n")
		}
	}
	if f.confirming {
		if f.approve {
			b.WriteString("SendTaskSuccess with output:\n")
			b.WriteString(jsonview.Pretty(f.output.Value()))
		} else {
			fmt.Fprintf(&b, "SendTaskFailure with\n  error: %s\n  cause: %s", common.Line(f.errName.Value(), 0), common.Line(f.cause.Value(), 0))
		}
		b.WriteString("\n\nSend it? y/n")
		return b.String()
	}
	if f.approve {
		b.WriteString("Output (JSON):\n" + f.output.View())
	} else {
		b.WriteString(f.errName.View() + "\n" + f.cause.View())
	}
	if f.problem != "" {
		b.WriteString("\n" + f.c.Styles.Error.Render(common.Line(f.problem, f.c.Width)))
	}
	return b.String()
}
