package pages

import (
	"charm.land/bubbles/v2/key"
	"github.com/aws/aws-sdk-go-v2/aws"

	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// Copier is a page with something selected that y copies to the clipboard (OSC 52,
// through the terminal, so it works over SSH too): what names it for the status line,
// ok is false when nothing is selected or a question is being asked (y answers it).
type Copier interface {
	Copy() (what, text string, ok bool)
}

// KeyCopy is the copy key, shown in the footer of the pages that have one.
var KeyCopy = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy"))

func (m *Machines) Copy() (string, string, bool) {
	sm, ok := m.selected()
	if !ok || m.Capturing() {
		return "", "", false
	}
	return "the ARN of " + sm.Name, sm.Arn, true
}

func (e *Executions) Copy() (string, string, bool) {
	x, ok := e.selected()
	if !ok || e.Capturing() {
		return "", "", false
	}
	return "the ARN of " + aws.ToString(x.Name), aws.ToString(x.ExecutionArn), true
}

func (p *Callbacks) Copy() (string, string, bool) {
	cb, ok := p.selected()
	if !ok || p.Capturing() || cb.Token == "" {
		return "", "", false
	}
	return "the task token of " + cb.StateName, cb.Token, true
}

// Copy on the execution page is the selected event, as JSON in GetExecutionHistory's
// form.
func (x *Execution) Copy() (string, string, bool) {
	if x.c.ExecView != viewGraph {
		return x.viewCopy() // execution_views.go
	}
	i := x.table.Cursor()
	if x.export != nil || x.confirmRedrive || i < 0 || i >= len(x.events) {
		return "", "", false
	}
	b, err := hist.AppendEvents(nil, x.events[i:i+1])
	if err != nil || len(b) < 2 {
		return "", "", false
	}
	return "event " + string(x.events[i].Type), jsonview.Pretty(string(b[1 : len(b)-1])), true
}
