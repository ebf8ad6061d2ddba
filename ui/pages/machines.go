package pages

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/common"
)

// Machine is one row of the state machines screen.
type Machine struct {
	Arn, Name, Type string
	LastStatus      string
	LastStart       string
}

// Machines lists the state machines with their last execution.
type Machines struct {
	c      *common.Common
	ctx    context.Context
	cancel context.CancelFunc
	table  table.Model
	w, h   int // the size the table was laid out for
	rows   []Machine
	loaded bool
	failed bool // the last load failed: the note says so rather than "Loading…"
	gen    int
	editor *StartForm
	filter listFilter
}

type machinesMsg struct {
	owner *Machines // a list loaded for a page since replaced is dropped
	rows  []Machine
	err   error
}

// NewMachines returns the state machines screen.
func NewMachines(c *common.Common) *Machines {
	m := &Machines{c: c, filter: newListFilter(c)}
	m.table = newTable(c, m.columns(), c.Width, c.BodyHeight())
	return m
}

func (m *Machines) Title() string { return m.filter.Title("State machines") }

func (m *Machines) columns() []table.Column {
	// The name takes what the fixed columns leave.
	fixed := []table.Column{{Title: "Type", Width: 10}, {Title: "Last status", Width: 12}, {Title: "Last start", Width: 19}}
	used := 2
	for _, c := range fixed {
		used += c.Width + 2
	}
	name := max(m.c.Width-used-2, 8)
	if showSources(m.c) {
		// Machines loaded from files show where (machines_source.go); the name and the
		// source share the room.
		src := name * 3 / 5
		return append(append([]table.Column{{Title: "Name", Width: name - src - 2}}, fixed...), table.Column{Title: "Source", Width: src})
	}
	return append([]table.Column{{Title: "Name", Width: name}}, fixed...)
}

func (m *Machines) Init() tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	m.gen++
	// No periodic refresh here: on AWS it costs a ListExecutions per machine. The list
	// reloads when the screen is shown again and on r.
	return m.load()
}

func (m *Machines) Close() {
	if m.cancel != nil {
		m.cancel()
	}
}

func (m *Machines) load() tea.Cmd {
	// The API is taken now: switching backends replaces it while a load may run.
	ctx, c, api := m.ctx, m.c, m.c.API
	return func() tea.Msg {
		rows, err := loadMachines(ctx, c, api)
		return machinesMsg{m, rows, err}
	}
}

func loadMachines(parent context.Context, c *common.Common, api client.API) ([]Machine, error) {
	ctx, cancel := callCtx(parent)
	defer cancel()
	var rows []Machine
	in := &sfn.ListStateMachinesInput{}
	for {
		out, err := api.ListStateMachines(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("listing state machines: %w", err)
		}
		for _, sm := range out.StateMachines {
			rows = append(rows, Machine{Arn: aws.ToString(sm.StateMachineArn),
				Name: aws.ToString(sm.Name), Type: string(sm.Type)})
		}
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	for i := range rows {
		out, err := api.ListExecutions(ctx, &sfn.ListExecutionsInput{
			StateMachineArn: aws.String(rows[i].Arn), MaxResults: 1})
		if err != nil || len(out.Executions) == 0 {
			rows[i].LastStatus, rows[i].LastStart = "-", "-"
			continue
		}
		e := out.Executions[0]
		rows[i].LastStatus = string(e.Status)
		rows[i].LastStart = c.Time(aws.ToTime(e.StartDate))
	}
	return rows, nil
}

func (m *Machines) Capturing() bool { return m.editor != nil || m.filter.open }

func (m *Machines) Prompt() (string, bool) { return m.filter.Prompt() }

func (m *Machines) ClearFilter() bool { return m.filter.ClearAndShow(m.showRows) }

func (m *Machines) Keys() []key.Binding {
	if m.editor != nil {
		return m.editor.Keys()
	}
	if m.filter.open {
		return m.filter.Keys()
	}
	ks := []key.Binding{keyUpDown, keyEnter, keyRefresh, keySlash}
	if !m.c.ReadOnly {
		ks = append(ks, keyStart)
	}
	if canDebug(m.c) {
		ks = append(ks, keyDebug)
	}
	return ks
}

func (m *Machines) selected() (Machine, bool) {
	i := m.filter.Index(m.table.Cursor())
	if i < 0 || i >= len(m.rows) {
		return Machine{}, false
	}
	return m.rows[i], true
}

func (m *Machines) Update(msg tea.Msg) (Page, tea.Cmd) {
	m.resize()
	switch msg := msg.(type) {
	case machinesMsg:
		if msg.owner != m {
			return m, nil
		}
		if msg.err != nil {
			m.failed = !m.loaded
			return m, fail(msg.err)
		}
		m.rows, m.loaded, m.failed = msg.rows, true, false
		m.showRows()
		return m, nil
	}
	if m.editor != nil {
		var cmd tea.Cmd
		m.editor, cmd = m.editor.Update(msg)
		if m.editor.done {
			m.editor = nil
		}
		return m, cmd
	}
	if used, cmd := listInput(m.c, &m.table, &m.filter, m.showRows, msg); used {
		return m, cmd
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, keyEnter):
			if sm, ok := m.selected(); ok {
				return m, open(NewExecutions(m.c, sm.Arn, sm.Name))
			}
			return m, nil
		case key.Matches(k, keyRefresh):
			return m, m.load()
		case key.Matches(k, keyDebug) && canDebug(m.c):
			if sm, ok := m.selected(); ok {
				return m, open(NewDebugStart(m.c, sm.Arn, sm.Name))
			}
			return m, nil
		case key.Matches(k, keyStart) && !m.c.ReadOnly:
			if sm, ok := m.selected(); ok {
				m.editor = NewStartForm(m.c, sm.Arn, sm.Name)
				return m, m.editor.Focus()
			}
			return m, nil
		}
	}
	var cmd tea.Cmd
	m.table, cmd = m.table.Update(msg)
	return m, cmd
}

func (m *Machines) tableRows() []table.Row {
	rows := make([]table.Row, len(m.rows))
	for i, r := range m.rows {
		rows[i] = table.Row{common.Line(r.Name, 0), r.Type, r.LastStatus, r.LastStart}
		if showSources(m.c) {
			rows[i] = append(rows[i], sourceCell(m.c.Sources, r.Name))
		}
	}
	return rows
}

// showRows puts the rows the filter keeps in the table.
func (m *Machines) showRows() {
	m.fitSourceColumn()
	m.table.SetRows(m.filter.Apply(m.tableRows()))
}

func (m *Machines) resize() { fitTable(m.c, &m.table, &m.w, &m.h, m.columns) }

func (m *Machines) View() string {
	m.resize()
	if m.editor != nil {
		return common.Fit(m.editor.View(), m.c.Width, m.c.BodyHeight())
	}
	if m.failed {
		return listBody(m.c, m.table, true, true, "Could not list the state machines (the reason is below; r retries).")
	}
	return listBody(m.c, m.table, m.loaded, len(m.table.Rows()) == 0, m.filter.EmptyNote("No state machines yet."))
}
