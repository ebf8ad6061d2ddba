package pages

import (
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
	itemList[activity]
	c *common.Common
}

type activity struct{ arn, name, created string }

type activitiesMsg struct {
	owner *Activities
	gen   int
	list  []activity
	err   error
}

var (
	keyActivities = key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "activities"))
	keyGetTask    = key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "get task"))
)

// NewActivities returns the activities screen.
func NewActivities(c *common.Common) *Activities {
	p := &Activities{c: c}
	p.itemList = newItemList(c, listSpec[activity]{columns: p.columns, rows: p.rows,
		id:     func(a activity) string { return a.arn },
		failed: "Could not list the activities (the reason is below; r tries again)."})
	return p
}

func (p *Activities) Title() string { return p.title("Activities") }

func (p *Activities) columns() []table.Column {
	fixed := []table.Column{{Title: "Created", Width: 19}}
	return append([]table.Column{{Title: "Activity", Width: fillWidth(p.c.Width, fixed)}}, fixed...)
}

func (p *Activities) Init() tea.Cmd {
	p.begin()
	return p.load()
}

func (p *Activities) load() tea.Cmd {
	parent, c, api, gen := p.ctx, p.c, p.c.API, p.gen
	return func() tea.Msg {
		ctx, cancel := callCtx(parent)
		defer cancel()
		var list []activity
		in := &sfn.ListActivitiesInput{}
		for {
			out, err := api.ListActivities(ctx, in)
			if err != nil {
				return activitiesMsg{owner: p, gen: gen, err: fmt.Errorf("listing activities: %w", err)}
			}
			for _, a := range out.Activities {
				list = append(list, activity{arn: aws.ToString(a.ActivityArn), name: aws.ToString(a.Name),
					created: c.Time(aws.ToTime(a.CreationDate))})
			}
			if out.NextToken == nil {
				return activitiesMsg{owner: p, gen: gen, list: list}
			}
			in.NextToken = out.NextToken
		}
	}
}

func (p *Activities) Keys() []key.Binding {
	// Taking a task is a change: the task is no longer offered to other workers.
	if !p.c.ReadOnly {
		return p.keys([]key.Binding{keyRefresh}, keyGetTask)
	}
	return p.keys([]key.Binding{keyRefresh})
}

func (p *Activities) Update(msg tea.Msg) (Page, tea.Cmd) {
	if m, ok := msg.(activitiesMsg); ok {
		if m.owner != p || m.gen != p.gen {
			return p, nil
		}
		if m.err != nil {
			p.loadFailed()
			return p, fail(m.err)
		}
		p.setItems(m.list)
		return p, nil
	}
	if k, ok := p.pageKey(msg); ok {
		switch {
		case key.Matches(k, keyRefresh):
			return p, p.load()
		case key.Matches(k, keyGetTask) && !p.c.ReadOnly:
			if a, ok := p.selected(); ok {
				return p, open(NewActivityTask(p.c, a.arn, a.name))
			}
			return p, nil
		}
	}
	return p, p.itemList.Update(msg)
}

func (p *Activities) rows(list []activity) []table.Row {
	rows := make([]table.Row, len(list))
	for i, a := range list {
		rows[i] = table.Row{common.Line(a.name, 0), a.created}
	}
	return rows
}

func (p *Activities) View() string {
	return p.itemList.View("No activities. A Task state whose Resource is an activity ARN waits for a worker here.", nil, nil)
}
