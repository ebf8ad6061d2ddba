package pages

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/ui/common"
)

// executionsPage is how many executions one call reads: the newest come first, the
// next page is read when the selection nears the end.
const executionsPage = 100

// searchPages bounds how many older pages a / search reads looking for a match.
const searchPages = 20

// Executions lists the executions of one state machine, newest first. While shown, the
// first page is read again on a cadence that slows down while nothing changes (and
// stays quicker while something runs); older pages are read when the selection comes
// near the end, or when a / search finds nothing in what is held.
type Executions struct {
	itemList[types.ExecutionListItem]
	c         *common.Common
	arn, name string
	editor    *StartForm
	status    int     // the status filter: an index in statusFilters
	next      *string // the token of the next page; nil: all read
	paging    bool    // an older page is being read
	searched  int     // older pages read for the search in force
	older     int     // older pages read since the list was read from the start
	cadence   cadence
}

// statusFilters are the statuses f cycles through; "" lists every execution.
var statusFilters = []types.ExecutionStatus{"", types.ExecutionStatusRunning, types.ExecutionStatusSucceeded,
	types.ExecutionStatusFailed, types.ExecutionStatusTimedOut, types.ExecutionStatusAborted}

var keyFilter = key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "filter by status"))

type executionsMsg struct {
	owner *Executions
	gen   int // a list loaded before the filter changed is dropped
	list  []types.ExecutionListItem
	next  *string
	older bool // a page after the first, appended
	err   error
}

// foundMsg is an execution looked up by its exact name.
type foundMsg struct {
	owner *Executions
	gen   int
	item  *types.ExecutionListItem
}

// NewExecutions returns the executions screen of the machine arn.
func NewExecutions(c *common.Common, arn, name string) *Executions {
	e := &Executions{c: c, arn: arn, name: name,
		cadence: newCadence(orDefault(c.Refresh.ExecutionsMin, refreshEvery), orDefault(c.Refresh.ExecutionsMax, time.Minute), 10*time.Second)}
	e.itemList = newExecutionList(c, "Name",
		"Could not list the executions (the reason is below; they are read again by themselves, r now).")
	return e
}

func (e *Executions) Title() string {
	t := "Executions of " + common.Line(e.name, 40)
	if e.next != nil {
		t += fmt.Sprintf(" (newest %d)", len(e.items))
	}
	if f := statusFilters[e.status]; f != "" {
		t += " (" + string(f) + ")"
	}
	return e.title(t)
}

// newExecutionList is a list of executions (a machine's, a Map Run's children): name,
// status, start and duration, the first column titled name; failed is its note when the
// first load failed.
func newExecutionList(c *common.Common, name, failed string) itemList[types.ExecutionListItem] {
	return newItemList(c, listSpec[types.ExecutionListItem]{
		columns: func() []table.Column {
			// The name takes what the fixed columns leave.
			fixed := []table.Column{{Title: "Status", Width: 15}, {Title: "Started", Width: 19}, {Title: "Duration", Width: 10}}
			return append([]table.Column{{Title: name, Width: fillWidth(c.Width, fixed)}}, fixed...)
		},
		rows:   func(execs []types.ExecutionListItem) []table.Row { return executionRows(c, execs) },
		id:     func(x types.ExecutionListItem) string { return aws.ToString(x.ExecutionArn) },
		failed: failed})
}

// openSelectedExecution opens the execution selected in a list of executions.
func openSelectedExecution(c *common.Common, l *itemList[types.ExecutionListItem]) tea.Cmd {
	if x, ok := l.selected(); ok {
		return open(NewExecution(c, aws.ToString(x.ExecutionArn)))
	}
	return nil
}

func (e *Executions) Init() tea.Cmd {
	e.begin()
	e.paging = false
	e.cadence.reset()
	return e.load(nil)
}

// load reads the first page (token nil: the refresh) or the one after token.
func (e *Executions) load(token *string) tea.Cmd {
	if token != nil {
		e.paging = true
	}
	parent, api, arn, filter := e.ctx, e.c.API, e.arn, statusFilters[e.status]
	gen := e.gen
	return func() tea.Msg {
		ctx, cancel := callCtx(parent)
		defer cancel()
		out, err := api.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn),
			MaxResults: executionsPage, StatusFilter: filter, NextToken: token})
		if err != nil {
			return executionsMsg{owner: e, gen: gen, older: token != nil, err: fmt.Errorf("listing executions: %w", err)}
		}
		return executionsMsg{owner: e, gen: gen, list: out.Executions, next: out.NextToken, older: token != nil}
	}
}

// takePage takes a page in: an older one is appended; the first replaces the first page
// held and keeps the older ones. It arms the next refresh after a first page.
func (e *Executions) takePage(msg executionsMsg) tea.Cmd {
	if msg.older {
		e.paging = false
		if msg.err != nil {
			return fail(msg.err)
		}
		e.next = msg.next
		e.older++
		e.appendItems(msg.list...)
		return e.more()
	}
	changed, busy := false, false
	if msg.err == nil {
		changed = e.merge(msg.list, msg.next)
		for _, x := range e.items {
			busy = busy || x.Status == types.ExecutionStatusRunning
		}
	}
	wait := e.cadence.next(changed, msg.err != nil, busy)
	gen := e.gen
	cmds := []tea.Cmd{tea.Tick(wait, func(time.Time) tea.Msg { return tickMsg{e, gen} })}
	if msg.err != nil {
		e.loadFailed()
		cmds = append(cmds, fail(msg.err))
	} else {
		cmds = append(cmds, e.more())
	}
	return tea.Batch(cmds...)
}

// merge puts a first page read again in place of the first page held, keeping the
// older pages read since (the executions older than the first page's oldest); it
// reports whether anything changed.
func (e *Executions) merge(first []types.ExecutionListItem, next *string) bool {
	if !e.loaded || e.older == 0 {
		changed := !e.loaded || !sameExecutions(e.items, first)
		e.next = next
		e.setItems(first)
		return changed
	}
	changed := !sameExecutions(e.items[:min(len(first), len(e.items))], first)
	oldest := time.Time{}
	if len(first) > 0 {
		oldest = aws.ToTime(first[len(first)-1].StartDate)
	}
	merged := append([]types.ExecutionListItem(nil), first...)
	for _, x := range e.items {
		if aws.ToTime(x.StartDate).Before(oldest) {
			merged = append(merged, x)
		}
	}
	e.setItems(merged)
	return changed
}

// sameExecutions reports whether two lists hold the same executions in the same states.
func sameExecutions(a, b []types.ExecutionListItem) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if aws.ToString(a[i].ExecutionArn) != aws.ToString(b[i].ExecutionArn) || a[i].Status != b[i].Status ||
			!aws.ToTime(a[i].StopDate).Equal(aws.ToTime(b[i].StopDate)) {
			return false
		}
	}
	return true
}

// more reads an older page when the selection is near the end of what is held, or
// while a / search matches nothing held (up to searchPages pages).
func (e *Executions) more() tea.Cmd {
	if e.next == nil || e.paging {
		return nil
	}
	nearEnd := e.nearEnd()
	searching := e.filter.Active() && e.shown() == 0 && e.searched < searchPages
	if !nearEnd && !searching {
		return nil
	}
	if searching {
		e.searched++
	}
	return e.load(e.next)
}

// lookUp asks for the execution named exactly as the search, in case it is older than
// anything held: an execution's ARN is its machine's with its name.
func (e *Executions) lookUp(name string) tea.Cmd {
	if name == "" || strings.ContainsAny(name, " :") || !strings.Contains(e.arn, ":stateMachine:") {
		return nil
	}
	execArn := strings.Replace(e.arn, ":stateMachine:", ":execution:", 1) + ":" + name
	parent, api, gen := e.ctx, e.c.API, e.gen
	return func() tea.Msg {
		ctx, cancel := callCtx(parent)
		defer cancel()
		d, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(execArn)})
		if err != nil {
			return foundMsg{owner: e, gen: gen}
		}
		return foundMsg{owner: e, gen: gen, item: &types.ExecutionListItem{ExecutionArn: d.ExecutionArn, Name: d.Name,
			StateMachineArn: d.StateMachineArn, Status: d.Status, StartDate: d.StartDate, StopDate: d.StopDate}}
	}
}

func (e *Executions) Capturing() bool { return e.editor != nil || e.itemList.Capturing() }

func (e *Executions) Keys() []key.Binding {
	if e.editor != nil {
		return e.editor.Keys()
	}
	after := []key.Binding{keyFilter, keyVersions}
	if !e.c.ReadOnly {
		after = append(after, keyStart)
	}
	return e.keys([]key.Binding{keyEnter, keyRefresh}, after...)
}

func (e *Executions) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case executionsMsg:
		if msg.owner != e || msg.gen != e.gen {
			return e, nil
		}
		return e, e.takePage(msg)
	case tickMsg:
		if msg.owner != e || msg.gen != e.gen {
			return e, nil
		}
		return e, e.load(nil)
	case foundMsg:
		if msg.owner != e || msg.gen != e.gen || msg.item == nil {
			return e, nil
		}
		for _, x := range e.items {
			if aws.ToString(x.ExecutionArn) == aws.ToString(msg.item.ExecutionArn) {
				return e, nil
			}
		}
		e.appendItems(*msg.item)
		return e, nil
	}
	if e.editor != nil {
		var cmd tea.Cmd
		e.editor, cmd = e.editor.Update(msg)
		if e.editor.done {
			e.editor = nil
		}
		return e, cmd
	}
	if k, ok := e.pageKey(msg); ok {
		switch {
		case key.Matches(k, keyEnter):
			return e, openSelectedExecution(e.c, &e.itemList)
		case key.Matches(k, keyRefresh):
			e.gen++ // retires the tick in wait (and any page in flight); the load arms the next
			e.paging = false
			e.cadence.reset()
			return e, e.load(nil)
		case key.Matches(k, keyFilter):
			// The status filter is the server's: the list is read again.
			e.status = (e.status + 1) % len(statusFilters)
			e.gen++ // also retires the running tick; the load arms the next
			e.next, e.paging, e.older = nil, false, 0
			e.clearItems()
			e.cadence.reset()
			return e, e.load(nil)
		case key.Matches(k, keyVersions):
			return e, open(NewVersions(e.c, e.arn, e.name))
		case key.Matches(k, keyStart) && !e.c.ReadOnly:
			e.editor = NewStartForm(e.c, e.arn, e.name)
			return e, e.editor.Focus()
		}
	}
	wasOpen := e.filter.open
	cmd := e.itemList.Update(msg)
	if wasOpen && !e.filter.open && e.filter.Active() {
		// A search kept: look for it beyond what is held.
		e.searched = 0
		return e, tea.Batch(cmd, e.more(), e.lookUp(e.filter.input.Value()))
	}
	return e, tea.Batch(cmd, e.more())
}

// executionRows are the rows of a list of executions (a machine's, a Map Run's
// children): name, status, start, and how long it ran or has run so far.
func executionRows(c *common.Common, execs []types.ExecutionListItem) []table.Row {
	now := c.Clock()
	rows := make([]table.Row, len(execs))
	for i, x := range execs {
		start := aws.ToTime(x.StartDate)
		end := now
		if x.StopDate != nil {
			end = *x.StopDate
		}
		rows[i] = table.Row{common.Line(aws.ToString(x.Name), 0), string(x.Status), c.Time(start), c.Dur(end.Sub(start))}
	}
	return rows
}

func (e *Executions) View() string {
	if e.editor != nil {
		return common.Fit(e.editor.View(), e.c.Width, e.c.BodyHeight())
	}
	return e.itemList.View("No executions here. Press s to start one, f to change the status filter.", nil, nil)
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
