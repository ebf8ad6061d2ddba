package pages

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// StartPage holds a StartForm on a page of its own, for starts that do not come from a
// list: "start again with this input" from an execution. Once the form is over it
// leaves, and a started execution opens in its place.
type StartPage struct {
	c    *common.Common
	form *StartForm
}

// NewStartPage returns the page of form.
func NewStartPage(c *common.Common, form *StartForm) *StartPage { return &StartPage{c: c, form: form} }

func (p *StartPage) Title() string       { return "Start " + common.Line(p.form.target, 40) }
func (p *StartPage) Init() tea.Cmd       { return p.form.Focus() }
func (p *StartPage) Close()              {}
func (p *StartPage) Capturing() bool     { return true }
func (p *StartPage) Keys() []key.Binding { return p.form.Keys() }

func (p *StartPage) Update(msg tea.Msg) (Page, tea.Cmd) {
	var cmd tea.Cmd
	p.form, cmd = p.form.Update(msg)
	if !p.form.done {
		return p, cmd
	}
	back := func() tea.Msg { return BackMsg{} }
	if cmd == nil { // cancelled
		return p, back
	}
	return p, tea.Sequence(back, cmd) // the new execution opens where this page was
}

func (p *StartPage) View() string {
	return common.Fit(p.form.View(), p.c.Width, p.c.BodyHeight())
}

// name is the execution's name: its description's, or the end of its ARN until then
// (an Express execution's ARN ends in an id, not its name).
func (x *Execution) name() string {
	if x.desc != nil && x.desc.Name != nil {
		return *x.desc.Name
	}
	name := x.arn
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// canStartAgain: the execution's input is known and starting is allowed.
func (x *Execution) canStartAgain() bool {
	return !x.c.ReadOnly && x.desc != nil && x.desc.Input != nil && x.desc.StateMachineArn != nil
}

// startAgain opens the start form on what this execution was started on (its alias,
// its version, or its machine) with its input.
func (x *Execution) startAgain() tea.Cmd {
	d := x.desc
	target, machine := aws.ToString(d.StateMachineArn), aws.ToString(d.StateMachineArn)
	label := machine[strings.LastIndexByte(machine, ':')+1:]
	switch {
	case d.StateMachineAliasArn != nil:
		target = *d.StateMachineAliasArn
	case d.StateMachineVersionArn != nil:
		target = *d.StateMachineVersionArn
	}
	if q := qualifierOf(d.StateMachineVersionArn, d.StateMachineAliasArn); q != "" {
		label += " " + q
	}
	return open(NewStartPage(x.c, NewStartAgainForm(x.c, target, label, jsonview.Pretty(*d.Input))))
}
