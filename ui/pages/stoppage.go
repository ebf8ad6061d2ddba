package pages

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/ui/common"
)

// StopPage stops a running execution with an error and a cause of the user's choosing
// (what ExecutionAborted and DescribeExecution then show). Nothing is sent before a y.
type StopPage struct {
	c          *common.Common
	arn, name  string
	errName    textinput.Model
	cause      textinput.Model
	onCause    bool
	confirming bool
	sending    bool
	problem    string
}

type stopSentMsg struct {
	owner *StopPage
	err   error
}

// Limits of StopExecution's error and cause.
const (
	maxStopError = 256
	maxStopCause = 32768
)

// NewStopPage returns the form that stops the execution arn (named name).
func NewStopPage(c *common.Common, arn, name string) *StopPage {
	p := &StopPage{c: c, arn: arn, name: name}
	p.errName = newInput(c, "Error: ", "Stopped")
	p.errName.CharLimit = maxStopError
	p.cause = newInput(c, "Cause: ", "stopped from stepdeck")
	p.cause.CharLimit = maxStopCause
	return p
}

func (p *StopPage) Title() string { return "Stop " + common.Line(p.name, 40) }

func (p *StopPage) Init() tea.Cmd { return p.errName.Focus() }

func (p *StopPage) Close() {}

func (p *StopPage) Capturing() bool { return !p.confirming }

func (p *StopPage) Keys() []key.Binding {
	if p.confirming {
		return []key.Binding{keyYes, keyNo}
	}
	return []key.Binding{keyField, keySend, keyCancel}
}

func (p *StopPage) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case stopSentMsg:
		if msg.owner != p {
			return p, nil
		}
		p.sending = false
		if msg.err != nil {
			p.confirming = false
			p.problem = "StopExecution failed: " + msg.err.Error()
			return p, nil
		}
		return p, tea.Sequence(func() tea.Msg { return BackMsg{} }, func() tea.Msg { return InfoMsg("Stop requested") })
	case tea.KeyPressMsg:
		if p.confirming {
			switch {
			case key.Matches(msg, keyYes) && !p.sending:
				p.sending = true
				return p, p.send()
			case key.Matches(msg, keyNo):
				p.confirming = false
			}
			return p, nil
		}
		switch {
		case key.Matches(msg, keyCancel):
			return p, func() tea.Msg { return BackMsg{} }
		case key.Matches(msg, keySend):
			if strings.TrimSpace(p.errName.Value()) == "" && strings.TrimSpace(p.cause.Value()) != "" {
				p.problem = "Give an error name with the cause"
				return p, nil
			}
			p.problem, p.confirming = "", true
			return p, nil
		case key.Matches(msg, keyField):
			p.onCause = !p.onCause
			if p.onCause {
				p.errName.Blur()
				return p, p.cause.Focus()
			}
			p.cause.Blur()
			return p, p.errName.Focus()
		}
	}
	var cmd tea.Cmd
	if p.onCause {
		p.cause, cmd = p.cause.Update(msg)
	} else {
		p.errName, cmd = p.errName.Update(msg)
	}
	return p, cmd
}

func (p *StopPage) send() tea.Cmd {
	api, arn := p.c.API, p.arn
	in := &sfn.StopExecutionInput{ExecutionArn: aws.String(arn)}
	if e := p.errName.Value(); e != "" {
		in.Error = aws.String(e)
	}
	if c := p.cause.Value(); c != "" {
		in.Cause = aws.String(c)
	}
	return func() tea.Msg {
		ctx, cancel := callCtx(context.Background())
		defer cancel()
		_, err := api.StopExecution(ctx, in)
		return stopSentMsg{owner: p, err: err}
	}
}

func (p *StopPage) View() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Stop the execution %s\n", common.Line(p.name, 0))
	if p.confirming {
		fmt.Fprintf(&b, "StopExecution with\n  error: %s\n  cause: %s\n\nStop it? y/n", common.Line(p.errName.Value(), 0), common.Line(p.cause.Value(), 0))
		if p.sending {
			b.WriteString("\nStopping…")
		}
		return common.Fit(b.String(), p.c.Width, p.c.BodyHeight())
	}
	b.WriteString(p.errName.View() + "\n" + p.cause.View())
	if p.problem != "" {
		b.WriteString("\n" + p.c.Styles.Error.Render(common.Line(p.problem, p.c.Width)))
	}
	return common.Fit(b.String(), p.c.Width, p.c.BodyHeight())
}
