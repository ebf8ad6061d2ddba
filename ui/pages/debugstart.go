package pages

import (
	"context"
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/examples"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/common"
)

// keyDebug opens the debugger on the selected state machine (local engine only).
var keyDebug = key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "debug"))

// DebugStart asks for the input of an execution to debug, then opens the debugger on
// it, stopped before its first state. The definition is the machine's as the API
// describes it; the tasks run as the local engine runs them.
type DebugStart struct {
	c    *common.Common
	arn  string
	name string
	def  *asl.Definition
	form *jsonForm
	err  error
}

type debugDefMsg struct {
	owner *DebugStart
	def   *asl.Definition
	err   error
}

// NewDebugStart returns the page for the machine with that ARN and name.
func NewDebugStart(c *common.Common, arn, name string) *DebugStart {
	return &DebugStart{c: c, arn: arn, name: name}
}

func (p *DebugStart) Title() string { return "Debug " + common.Line(p.name, 0) }

// canDebug says whether the debugger can start here: on the local engine, and not in
// read-only mode (a debugged execution runs tasks).
func canDebug(c *common.Common) bool { return c.Local && c.Debug != nil && !c.ReadOnly }

func (p *DebugStart) Init() tea.Cmd {
	if !canDebug(p.c) {
		p.err = errors.New("the debugger runs on the local engine: switch to it first (:local)")
		return nil
	}
	api, arn := p.c.API, p.arn
	return func() tea.Msg {
		ctx, cancel := callCtx(context.Background())
		defer cancel()
		out, err := api.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
		if err != nil {
			return debugDefMsg{owner: p, err: err}
		}
		def, err := asl.Parse([]byte(aws.ToString(out.Definition)))
		return debugDefMsg{owner: p, def: def, err: err}
	}
}

func (p *DebugStart) Close() {}

func (p *DebugStart) Capturing() bool { return p.form != nil }

func (p *DebugStart) Keys() []key.Binding {
	if p.form != nil {
		return p.form.Keys()
	}
	return nil
}

func (p *DebugStart) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case debugDefMsg:
		if msg.owner != p {
			return p, nil
		}
		if msg.err != nil {
			p.err = fmt.Errorf("reading the definition of %s: %w", p.name, msg.err)
			return p, nil
		}
		p.def = msg.def
		input := "{}"
		if sample, ok := examples.SampleInput(p.name); ok {
			input = sample
		}
		p.form = newJSONForm(p.c, "Debug "+common.Line(p.name, 0)+": the execution's input (it stops before the first state)", input, p.start)
		p.form.onClose = func() { p.form = nil }
		return p, p.form.focus()
	case editedMsg:
		if p.form != nil {
			p.form.edited(msg)
		}
	case tea.KeyPressMsg:
		if p.form != nil {
			cmd := p.form.update(msg)
			if p.form == nil && p.err == nil && cmd == nil {
				return p, func() tea.Msg { return BackMsg{} } // cancelled
			}
			return p, cmd
		}
	}
	return p, nil
}

// start opens the debugger in place of this page.
func (p *DebugStart) start(input value.Value) tea.Cmd {
	s, err := p.c.Debug(p.def, p.name, input)
	if err != nil {
		p.err = err
		return nil
	}
	d := NewDebugger(p.c, s, p.name)
	return tea.Sequence(func() tea.Msg { return BackMsg{} }, open(d))
}

func (p *DebugStart) View() string {
	if p.err != nil {
		return p.c.Styles.Error.Render(common.Line(p.err.Error(), p.c.Width)) + "\n\nesc goes back."
	}
	if p.form == nil {
		return "Reading the definition…"
	}
	return p.form.View()
}

// DebugByName opens the debugger on the local engine's state machine of that name (the
// palette's :debug).
func DebugByName(c *common.Common, name string) tea.Cmd {
	switch {
	case !canDebug(c):
		return fail(errors.New(":debug runs on the local engine, not in --read-only (:local first)"))
	case name == "":
		return fail(errors.New(":debug needs a state machine's name"))
	}
	api := c.API
	return func() tea.Msg {
		ctx, cancel := callCtx(context.Background())
		defer cancel()
		in := &sfn.ListStateMachinesInput{}
		for {
			out, err := api.ListStateMachines(ctx, in)
			if err != nil {
				return ErrMsg{fmt.Errorf("listing state machines: %w", err)}
			}
			for _, sm := range out.StateMachines {
				if aws.ToString(sm.Name) == name {
					return OpenMsg{NewDebugStart(c, aws.ToString(sm.StateMachineArn), name)}
				}
			}
			if out.NextToken == nil {
				return ErrMsg{fmt.Errorf("no state machine is named %q", name)}
			}
			in.NextToken = out.NextToken
		}
	}
}
