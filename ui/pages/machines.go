package pages

import (
	"context"
	"fmt"
	"strings"
	"sync"

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
	// Recent pictures the newest executions: outcomes, then durations.
	Recent, Durations string
	// statusState says whether the last execution was asked for: statuses load
	// lazily, for the rows on screen only (one ListExecutions each).
	statusState statusState
}

type statusState uint8

const (
	statusNotAsked statusState = iota
	statusLoading
	statusLoaded
)

// Machines lists the state machines with their last execution. The list is read a page
// at a time, the next when the selection comes near the end; the last execution of a
// machine is asked for only once its row is on screen, and an error shows on its row.
type Machines struct {
	itemList[Machine]
	c      *common.Common
	editor *StartForm
	next   *string // the token of the next page of machines; nil: all read
	paging bool    // a page is being read
}

type machinesMsg struct {
	owner *Machines // a list loaded for a page since replaced is dropped
	gen   int
	rows  []Machine
	next  *string
	more  bool // a further page, appended to the rows held
	err   error
}

// statusesMsg is the last execution of some machines, by ARN, and the errors met.
type statusesMsg struct {
	owner *Machines
	gen   int
	got   map[string]Machine
	errs  []error
}

// machinesPage is how many machines a page of the list asks for.
const machinesPage = 100

// NewMachines returns the state machines screen.
func NewMachines(c *common.Common) *Machines {
	m := &Machines{c: c}
	m.itemList = newItemList(c, listSpec[Machine]{columns: m.columns, rows: m.tableRows,
		id:     func(r Machine) string { return r.Arn },
		failed: "Could not list the state machines (the reason is below; r retries)."})
	return m
}

func (m *Machines) Title() string {
	t := "State machines"
	if m.next != nil {
		t += fmt.Sprintf(" (first %d)", len(m.items))
	}
	return m.title(t)
}

func (m *Machines) columns() []table.Column {
	// The name takes what the fixed columns leave.
	fixed := []table.Column{{Title: "Type", Width: 10}, {Title: "Last status", Width: 22}, {Title: "Last start", Width: 19}}
	if m.pictures() {
		fixed = append(fixed, table.Column{Title: "Recent runs", Width: recentRuns + 1}, table.Column{Title: "Durations", Width: recentRuns + 1})
	}
	if isMulti(m.c) {
		fixed = append([]table.Column{{Title: "Context", Width: 14}}, fixed...)
	}
	name := fillWidth(m.c.Width, fixed)
	if showSources(m.c) {
		// Machines loaded from files show where (machines_source.go); the name and the
		// source share the room.
		src := name * 3 / 5
		return append(append([]table.Column{{Title: "Name", Width: name - src - 2}}, fixed...), table.Column{Title: "Source", Width: src})
	}
	return append([]table.Column{{Title: "Name", Width: name}}, fixed...)
}

func (m *Machines) Init() tea.Cmd {
	m.begin()
	m.paging = false
	// No periodic refresh here: on AWS it costs a ListExecutions per machine. The list
	// reloads when the screen is shown again and on r.
	return m.load(nil)
}

// load reads a page of machines: the first (token nil) or the one after token.
func (m *Machines) load(token *string) tea.Cmd {
	m.paging = true
	// The API is taken now: switching backends replaces it while a load may run.
	ctx, api, gen := m.ctx, m.c.API, m.gen
	return func() tea.Msg {
		cctx, cancel := callCtx(ctx)
		defer cancel()
		out, err := api.ListStateMachines(cctx, &sfn.ListStateMachinesInput{MaxResults: machinesPage, NextToken: token})
		msg := machinesMsg{owner: m, gen: gen, more: token != nil}
		if err != nil {
			msg.err = fmt.Errorf("listing state machines: %w", err)
			return msg
		}
		for _, sm := range out.StateMachines {
			msg.rows = append(msg.rows, Machine{Arn: aws.ToString(sm.StateMachineArn),
				Name: aws.ToString(sm.Name), Type: string(sm.Type)})
		}
		msg.next = out.NextToken
		return msg
	}
}

// statuses asks for the last execution of the machines on screen that were not asked
// for yet. Rows keep their place: a machine whose call failed shows why on its row.
func (m *Machines) statuses() tea.Cmd {
	var arns []string
	for _, i := range m.onScreen() {
		if m.items[i].statusState != statusNotAsked {
			continue
		}
		m.items[i].statusState = statusLoading
		arns = append(arns, m.items[i].Arn)
	}
	if len(arns) == 0 {
		return nil
	}
	ctx, api, c, gen := m.ctx, m.c.API, m.c, m.gen
	return func() tea.Msg {
		got := make(map[string]Machine, len(arns))
		var errs []error
		var mu sync.Mutex
		var wg sync.WaitGroup
		sem := make(chan struct{}, 4)
		for _, arn := range arns {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				row, err := lastExecution(ctx, c, api, arn)
				mu.Lock()
				got[arn] = row
				if err != nil {
					errs = append(errs, fmt.Errorf("the last execution of %s: %w", client.MachineName(arn), err))
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		return statusesMsg{owner: m, gen: gen, got: got, errs: errs}
	}
}

// lastExecution is the status cells of one machine: its newest execution, "none", or
// the cause of the error that kept it from being read.
func lastExecution(parent context.Context, c *common.Common, api client.API, arn string) (Machine, error) {
	ctx, cancel := callCtx(parent)
	defer cancel()
	out, err := api.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), MaxResults: recentRuns})
	switch {
	case err != nil:
		return Machine{LastStatus: "⚠ " + shortCause(err), LastStart: "-"}, err
	case len(out.Executions) == 0:
		return Machine{LastStatus: "none", LastStart: "-"}, nil
	}
	e := out.Executions[0]
	return Machine{LastStatus: string(e.Status), LastStart: c.Time(aws.ToTime(e.StartDate)),
		Recent: outcomeStrip(out.Executions), Durations: durationSpark(out.Executions, c.Clock())}, nil
}

// shortCause is an error's cause in a few words, for a table cell.
func shortCause(err error) string {
	e := client.Explain(err)
	switch {
	case e.Action != "":
		return "needs " + strings.TrimPrefix(e.Action, "states:")
	case strings.HasPrefix(e.Summary, "throttled"):
		return "throttled"
	case strings.HasPrefix(e.Summary, "cannot reach"), strings.Contains(e.Summary, "did not answer"),
		strings.Contains(e.Summary, "was dropped"):
		return "unreachable"
	}
	return e.Summary
}

func (m *Machines) Capturing() bool { return m.editor != nil || m.itemList.Capturing() }

func (m *Machines) Keys() []key.Binding {
	if m.editor != nil {
		return m.editor.Keys()
	}
	var after []key.Binding
	if !m.c.ReadOnly {
		after = append(after, keyStart)
	}
	if canDebug(m.c) {
		after = append(after, keyDebug)
	}
	return m.keys([]key.Binding{keyEnter, keyDescribe, keyRefresh}, after...)
}

func (m *Machines) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case machinesMsg:
		if msg.owner != m || msg.gen != m.gen {
			return m, nil
		}
		m.paging = false
		if msg.err != nil {
			m.loadFailed()
			return m, fail(msg.err)
		}
		m.next = msg.next
		if msg.more {
			m.appendItems(msg.rows...)
		} else {
			m.keepStatuses(msg.rows)
			m.setItems(msg.rows)
		}
		return m, m.lazyLoads()
	case statusesMsg:
		if msg.owner != m || msg.gen != m.gen {
			return m, nil
		}
		for i := range m.items {
			if got, ok := msg.got[m.items[i].Arn]; ok {
				m.items[i].LastStatus, m.items[i].LastStart = got.LastStatus, got.LastStart
				m.items[i].Recent, m.items[i].Durations = got.Recent, got.Durations
				m.items[i].statusState = statusLoaded
			}
		}
		m.refresh()
		return m, tea.Batch(m.lazyLoads(), logged(msg.errs...))
	}
	if m.editor != nil {
		var cmd tea.Cmd
		m.editor, cmd = m.editor.Update(msg)
		if m.editor.done {
			m.editor = nil
		}
		return m, cmd
	}
	if k, ok := m.pageKey(msg); ok {
		switch {
		case key.Matches(k, keyEnter):
			if sm, ok := m.selected(); ok {
				return m, open(NewExecutions(m.c, sm.Arn, sm.Name))
			}
			return m, nil
		case key.Matches(k, keyDescribe):
			if sm, ok := m.selected(); ok {
				return m, open(NewMachineView(m.c, sm.Arn, sm.Name))
			}
			return m, nil
		case key.Matches(k, keyRefresh):
			m.gen++
			for i := range m.items {
				m.items[i].statusState = statusNotAsked
			}
			return m, m.load(nil)
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
	return m, tea.Batch(m.itemList.Update(msg), m.lazyLoads())
}

// lazyLoads loads what the rows on screen lack: their statuses, and the next page of
// machines once the selection is near the end of those held.
func (m *Machines) lazyLoads() tea.Cmd {
	cmds := []tea.Cmd{m.statuses()}
	if m.next != nil && !m.paging && m.nearEnd() {
		cmds = append(cmds, m.load(m.next))
	}
	return tea.Batch(cmds...)
}

// pictures says whether the screen has room for the recent runs' pictures (beside the
// source column, where machines came from files, only when very wide).
func (m *Machines) pictures() bool {
	return m.c.Width >= 120 && (!showSources(m.c) || m.c.Width >= 200)
}

// keepStatuses carries the statuses already read over to a list read again, so a
// reload does not blank them (r asks for them again).
func (m *Machines) keepStatuses(fresh []Machine) {
	old := make(map[string]Machine, len(m.items))
	for _, r := range m.items {
		old[r.Arn] = r
	}
	for i := range fresh {
		if o, ok := old[fresh[i].Arn]; ok && o.statusState == statusLoaded {
			fresh[i].LastStatus, fresh[i].LastStart, fresh[i].statusState = o.LastStatus, o.LastStart, statusLoaded
			fresh[i].Recent, fresh[i].Durations = o.Recent, o.Durations
		}
	}
}

func (m *Machines) tableRows(machines []Machine) []table.Row {
	rows := make([]table.Row, len(machines))
	for i, r := range machines {
		status, start := r.LastStatus, r.LastStart
		if r.statusState != statusLoaded {
			status, start = "…", ""
		}
		rows[i] = table.Row{common.Line(r.Name, 0)}
		if isMulti(m.c) {
			rows[i] = append(rows[i], common.Line(contextOf(m.c, r.Arn), 0))
		}
		rows[i] = append(rows[i], r.Type, common.Line(status, 0), start)
		if m.pictures() {
			rows[i] = append(rows[i], r.Recent, r.Durations)
		}
		if showSources(m.c) {
			rows[i] = append(rows[i], sourceCell(m.c.Sources, r.Name))
		}
	}
	return rows
}

func (m *Machines) View() string {
	if m.editor != nil {
		return common.Fit(m.editor.View(), m.c.Width, m.c.BodyHeight())
	}
	return m.itemList.View("No state machines yet.", nil, contextErrorLines(m.c))
}
