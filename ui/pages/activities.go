package pages

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/ui/common"
)

// Activities lists the activities, so that a person can take a task of one and answer
// it by hand.
type Activities struct {
	c      *common.Common
	ctx    context.Context
	cancel context.CancelFunc
	table  table.Model
	w, h   int // the size the table was laid out for
	list   []activity
	loaded bool
	filter listFilter
}

type activity struct{ arn, name, created string }

type activitiesMsg struct {
	owner *Activities
	list  []activity
	err   error
}

var (
	keyActivities = key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "activities"))
	keyGetTask    = key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "get task"))
)

// NewActivities returns the activities screen.
func NewActivities(c *common.Common) *Activities {
	p := &Activities{c: c, filter: newListFilter(c)}
	p.table = newTable(c, p.columns(), c.Width, c.BodyHeight())
	return p
}

func (p *Activities) Title() string { return p.filter.Title("Activities") }

func (p *Activities) columns() []table.Column {
	fixed := []table.Column{{Title: "Created", Width: 19}}
	used := 2
	for _, c := range fixed {
		used += c.Width + 2
	}
	return append([]table.Column{{Title: "Activity", Width: max(p.c.Width-used-2, 8)}}, fixed...)
}

func (p *Activities) Init() tea.Cmd {
	p.Close()
	p.ctx, p.cancel = context.WithCancel(context.Background())
	return p.load()
}

func (p *Activities) Close() {
	if p.cancel != nil {
		p.cancel()
	}
}

func (p *Activities) load() tea.Cmd {
	parent, c, api := p.ctx, p.c, p.c.API
	return func() tea.Msg {
		ctx, cancel := callCtx(parent)
		defer cancel()
		var list []activity
		in := &sfn.ListActivitiesInput{}
		for {
			out, err := api.ListActivities(ctx, in)
			if err != nil {
				return activitiesMsg{owner: p, err: fmt.Errorf("listing activities: %w", err)}
			}
			for _, a := range out.Activities {
				list = append(list, activity{arn: aws.ToString(a.ActivityArn), name: aws.ToString(a.Name),
					created: c.Time(aws.ToTime(a.CreationDate))})
			}
			if out.NextToken == nil {
				return activitiesMsg{owner: p, list: list}
			}
			in.NextToken = out.NextToken
		}
	}
}

func (p *Activities) Capturing() bool { return p.filter.open }

func (p *Activities) Prompt() (string, bool) { return p.filter.Prompt() }

func (p *Activities) ClearFilter() bool { return p.filter.ClearAndShow(p.showRows) }

func (p *Activities) Keys() []key.Binding {
	if p.filter.open {
		return p.filter.Keys()
	}
	ks := []key.Binding{keyUpDown, keyRefresh, keySlash}
	// Taking a task is a change: the task is no longer offered to other workers.
	if !p.c.ReadOnly {
		ks = append(ks, keyGetTask)
	}
	return ks
}

func (p *Activities) Update(msg tea.Msg) (Page, tea.Cmd) {
	p.resize()
	if m, ok := msg.(activitiesMsg); ok {
		if m.owner != p {
			return p, nil
		}
		if m.err != nil {
			return p, fail(m.err)
		}
		p.list, p.loaded = m.list, true
		p.showRows()
		return p, nil
	}
	if used, cmd := listInput(p.c, &p.table, &p.filter, p.showRows, msg); used {
		return p, cmd
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, keyRefresh):
			return p, p.load()
		case key.Matches(k, keyGetTask) && !p.c.ReadOnly:
			if i := p.filter.Index(p.table.Cursor()); i >= 0 && i < len(p.list) {
				return p, open(NewActivityTask(p.c, p.list[i].arn, p.list[i].name))
			}
			return p, nil
		}
	}
	var cmd tea.Cmd
	p.table, cmd = p.table.Update(msg)
	return p, cmd
}

func (p *Activities) rows() []table.Row {
	rows := make([]table.Row, len(p.list))
	for i, a := range p.list {
		rows[i] = table.Row{common.Line(a.name, 0), a.created}
	}
	return rows
}

// showRows puts the rows the filter keeps in the table.
func (p *Activities) showRows() { p.table.SetRows(p.filter.Apply(p.rows())) }

func (p *Activities) resize() { fitTable(p.c, &p.table, &p.w, &p.h, p.columns) }

func (p *Activities) View() string {
	p.resize()
	return listBody(p.c, p.table, p.loaded, len(p.table.Rows()) == 0,
		p.filter.EmptyNote("No activities. A Task state whose Resource is an activity ARN waits for a worker here."))
}
