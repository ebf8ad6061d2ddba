package pages

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/common"
)

// MapRun shows one Map Run of a distributed Map: its status, what it tolerates, its
// items and child executions counted by status, and the child executions themselves,
// any of which opens on the execution page. R redrives the parent execution. It
// refreshes while the run is running.
type MapRun struct {
	itemList[types.ExecutionListItem] // the child executions
	c                                 *common.Common
	arn                               string // the Map Run
	parent                            string // the execution that ran the Map
	state                             string // the Map state
	desc                              *sfn.DescribeMapRunOutput
	more                              bool                  // more children than listed
	childErr                          string                // why the children could not be listed
	parentEnd                         types.ExecutionStatus // the parent's status, for R
	confirm                           bool
}

// maxChildren bounds the child executions one refresh lists.
const maxChildren = 500

var keyMapRun = key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "map run"))

type mapRunMsg struct {
	owner     *MapRun
	gen       int
	desc      *sfn.DescribeMapRunOutput
	children  []types.ExecutionListItem
	more      bool
	childErr  error
	parentEnd types.ExecutionStatus
	err       error
}

type mapRunRedrivenMsg struct {
	owner *MapRun
	err   error
}

// NewMapRun returns the screen of the Map Run arn, started by the Map state of the
// execution parent.
func NewMapRun(c *common.Common, arn, parent, state string) *MapRun {
	m := &MapRun{c: c, arn: arn, parent: parent, state: state}
	m.itemList = newExecutionList(c, "Child execution", "Could not describe the Map Run (the reason is below; r tries again).")
	return m
}

// summaryLines is how many lines the counts take above the children's table.
const summaryLines = 5

func (m *MapRun) Title() string {
	label := m.arn
	if i := strings.LastIndexByte(label, ':'); i >= 0 {
		// arn:…:mapRun:MACHINE/LABEL:ID: the label names the run.
		if j := strings.LastIndexByte(label[:i], '/'); j >= 0 {
			label = label[j+1 : i]
		}
	}
	t := "Map Run " + common.Line(label, 30) + " of " + common.Line(m.state, 30)
	if m.desc != nil {
		t += " · " + string(m.desc.Status)
	}
	return m.title(t)
}

func (m *MapRun) Init() tea.Cmd {
	m.begin()
	return m.load()
}

func (m *MapRun) load() tea.Cmd {
	parent, api, arn, exec, gen := m.ctx, m.c.API, m.arn, m.parent, m.gen
	return func() tea.Msg {
		ctx, cancel := callCtx(parent)
		defer cancel()
		msg := mapRunMsg{owner: m, gen: gen}
		msg.desc, msg.err = api.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: aws.String(arn)})
		if msg.err != nil {
			msg.err = fmt.Errorf("describing the map run: %w", msg.err)
			return msg
		}
		msg.children, msg.more, msg.childErr = client.MapRunChildren(ctx, api, arn, maxChildren)
		if d, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(exec)}); err == nil {
			msg.parentEnd = d.Status
		}
		return msg
	}
}

// canRedrive: the parent closed without succeeding and the backend can redrive.
func (m *MapRun) canRedrive() bool {
	if m.c.ReadOnly {
		return false
	}
	if _, ok := m.c.API.(client.RedriveAPI); !ok {
		return false
	}
	switch m.parentEnd {
	case types.ExecutionStatusFailed, types.ExecutionStatusTimedOut, types.ExecutionStatusAborted:
		return true
	}
	return false
}

func (m *MapRun) Keys() []key.Binding {
	if m.confirm {
		return []key.Binding{keyYes, keyNo}
	}
	if m.canRedrive() {
		return m.keys([]key.Binding{keyEnter, keyRefresh}, keyRedriveParent)
	}
	return m.keys([]key.Binding{keyEnter, keyRefresh})
}

var keyRedriveParent = key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "redrive the parent"))

func (m *MapRun) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case mapRunMsg:
		if msg.owner != m || msg.gen != m.gen {
			return m, nil
		}
		if msg.err != nil {
			m.loadFailed()
			return m, fail(msg.err)
		}
		m.desc, m.more, m.parentEnd = msg.desc, msg.more, msg.parentEnd
		m.childErr = ""
		if msg.childErr != nil {
			m.childErr = msg.childErr.Error()
		}
		m.setItems(msg.children)
		if m.desc.Status == types.MapRunStatusRunning {
			return m, tick(m, m.gen)
		}
		return m, nil
	case tickMsg:
		if msg.owner != m || msg.gen != m.gen {
			return m, nil
		}
		return m, m.load()
	case mapRunRedrivenMsg:
		if msg.owner != m {
			return m, nil
		}
		if msg.err != nil {
			return m, fail(fmt.Errorf("redriving the parent execution: %w", msg.err))
		}
		m.gen++
		return m, tea.Batch(m.load(), func() tea.Msg { return InfoMsg("Parent execution redriven") })
	}
	if k, ok := m.pageKey(msg); ok {
		if m.confirm {
			switch {
			case key.Matches(k, keyYes):
				m.confirm = false
				return m, m.redrive()
			case key.Matches(k, keyNo):
				m.confirm = false
			}
			return m, nil
		}
		switch {
		case key.Matches(k, keyEnter):
			return m, openSelectedExecution(m.c, &m.itemList)
		case key.Matches(k, keyRefresh):
			m.gen++
			return m, m.load()
		case key.Matches(k, keyRedriveParent) && m.canRedrive():
			m.confirm = true
			return m, nil
		}
	}
	return m, m.itemList.Update(msg)
}

func (m *MapRun) redrive() tea.Cmd {
	r, ok := m.c.API.(client.RedriveAPI)
	if !ok {
		return nil
	}
	parent := m.parent
	return func() tea.Msg {
		ctx, cancel := callCtx(context.Background())
		defer cancel()
		_, err := r.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(parent)})
		return mapRunRedrivenMsg{owner: m, err: err}
	}
}

// counts writes one line of counts by status, the ones that are not zero after the
// total.
func counts(label string, total, pending, running, succeeded, failed, timedOut, aborted, written int64) string {
	s := fmt.Sprintf("%-11s %d", label, total)
	for _, c := range []struct {
		name string
		n    int64
	}{{"pending", pending}, {"running", running}, {"succeeded", succeeded}, {"failed", failed},
		{"timed out", timedOut}, {"aborted", aborted}, {"results written", written}} {
		s += fmt.Sprintf(" · %s %d", c.name, c.n)
	}
	return s
}

func (m *MapRun) summary() []string {
	d := m.desc
	if d == nil {
		return nil // the list says it is loading
	}
	start := aws.ToTime(d.StartDate)
	end := m.c.Clock()
	if d.StopDate != nil {
		end = *d.StopDate
	}
	conc := "no limit"
	if d.MaxConcurrency > 0 {
		conc = fmt.Sprint(d.MaxConcurrency)
	}
	lines := []string{
		fmt.Sprintf("%s · started %s · %s · max concurrency %s · tolerated failures %s", d.Status, m.c.Time(start),
			m.c.Dur(end.Sub(start)), conc, client.ToleratedFailures(d)),
	}
	if ic := d.ItemCounts; ic != nil {
		lines = append(lines, counts("Items", ic.Total, ic.Pending, ic.Running, ic.Succeeded, ic.Failed, ic.TimedOut, ic.Aborted, ic.ResultsWritten))
	}
	if ec := d.ExecutionCounts; ec != nil {
		lines = append(lines, counts("Executions", ec.Total, ec.Pending, ec.Running, ec.Succeeded, ec.Failed, ec.TimedOut, ec.Aborted, ec.ResultsWritten))
	}
	switch {
	case m.confirm:
		lines = append(lines, "Redrive the parent execution "+common.Line(m.parent, 60)+"? y/n")
	case m.childErr != "":
		lines = append(lines, "Child executions: "+m.childErr)
	case m.more:
		lines = append(lines, fmt.Sprintf("Child executions: the newest %d", len(m.items)))
	default:
		lines = append(lines, "Child executions:")
	}
	return lines
}

func (m *MapRun) View() string {
	head := m.summary()
	for len(head) < summaryLines {
		head = append(head, "")
	}
	for i := range head {
		head[i] = common.Line(head[i], m.c.Width)
	}
	note := "No child executions listed."
	if m.childErr != "" {
		note = "No child executions to show."
	}
	return m.itemList.View(note, head[:summaryLines], nil)
}

// mapRunOfSelection finds the Map Run the selected Map state started (its last one):
// the MapRunStarted event among the state's events. "" when the selection is not a
// distributed Map that has started a run.
func (x *Execution) mapRunOfSelection() (mapRunArn, state string) {
	state = x.mapOfSelection()
	if state == "" {
		return "", ""
	}
	for i := len(x.events) - 1; i >= 0; i-- {
		if x.events[i].Type != types.HistoryEventTypeMapRunStarted || i >= len(x.states) || x.states[i] != state {
			continue
		}
		if d, ok := x.events[i].Details.(*types.MapRunStartedEventDetails); ok && d.MapRunArn != nil {
			return *d.MapRunArn, state
		}
	}
	return "", ""
}

// openMapRun opens the Map Run of the selected Map state, or says why there is none.
func (x *Execution) openMapRun() tea.Cmd {
	arn, state := x.mapRunOfSelection()
	if arn == "" {
		return func() tea.Msg { return InfoMsg("No map run here: select a distributed Map state that has started one") }
	}
	return open(NewMapRun(x.c, arn, x.arn, state))
}
