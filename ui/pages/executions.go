package pages

import (
	"context"
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
	c         *common.Common
	arn, name string
	ctx       context.Context
	cancel    context.CancelFunc
	table     table.Model
	w, h      int // the size the table was laid out for
	execs     []types.ExecutionListItem
	loaded    bool
	gen       int
	editor    *StartForm
	filter    int // index in statusFilters
	search    listFilter
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
	e := &Executions{c: c, arn: arn, name: name, search: newListFilter(c),
		cadence: newCadence(orDefault(c.Refresh.ExecutionsMin, refreshEvery), orDefault(c.Refresh.ExecutionsMax, time.Minute), 10*time.Second)}
	e.table = newTable(c, e.columns(), c.Width, c.BodyHeight())
	return e
}

func (e *Executions) Title() string {
	t := "Executions of " + common.Line(e.name, 40)
	if e.next != nil {
		t += fmt.Sprintf(" (newest %d)", len(e.execs))
	}
	if f := statusFilters[e.filter]; f != "" {
		t += " (" + string(f) + ")"
	}
	return e.search.Title(t)
}

func (e *Executions) columns() []table.Column {
	// The name takes what the fixed columns leave.
	fixed := []table.Column{{Title: "Status", Width: 15}, {Title: "Started", Width: 19}, {Title: "Duration", Width: 10}}
	used := 2
	for _, c := range fixed {
		used += c.Width + 2
	}
	return append([]table.Column{{Title: "Name", Width: max(e.c.Width-used-2, 8)}}, fixed...)
}

func (e *Executions) Init() tea.Cmd {
	if e.cancel != nil {
		e.cancel()
	}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	e.gen++
	e.paging = false
	e.cadence.reset()
	return e.load(nil)
}

func (e *Executions) Close() {
	if e.cancel != nil {
		e.cancel()
	}
}

// load reads the first page (token nil: the refresh) or the one after token.
func (e *Executions) load(token *string) tea.Cmd {
	if token != nil {
		e.paging = true
	}
	parent, api, arn, filter := e.ctx, e.c.API, e.arn, statusFilters[e.filter]
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
		e.execs = append(e.execs, msg.list...)
		e.next = msg.next
		e.older++
		e.showRows()
		return e.more()
	}
	changed, busy := false, false
	if msg.err == nil {
		changed = e.merge(msg.list, msg.next)
		e.loaded = true
		e.showRows()
		for _, x := range e.execs {
			busy = busy || x.Status == types.ExecutionStatusRunning
		}
	}
	wait := e.cadence.next(changed, msg.err != nil, busy)
	gen := e.gen
	cmds := []tea.Cmd{tea.Tick(wait, func(time.Time) tea.Msg { return tickMsg{e, gen} })}
	if msg.err != nil {
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
		changed := !e.loaded || !sameExecutions(e.execs, first)
		e.execs, e.next = first, next
		return changed
	}
	changed := !sameExecutions(e.execs[:min(len(first), len(e.execs))], first)
	oldest := time.Time{}
	if len(first) > 0 {
		oldest = aws.ToTime(first[len(first)-1].StartDate)
	}
	merged := append([]types.ExecutionListItem(nil), first...)
	for _, x := range e.execs {
		if aws.ToTime(x.StartDate).Before(oldest) {
			merged = append(merged, x)
		}
	}
	e.execs = merged
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
	nearEnd := e.table.Cursor() >= len(e.table.Rows())-e.c.BodyHeight()
	searching := e.search.Active() && len(e.table.Rows()) == 0 && e.searched < searchPages
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

func (e *Executions) Capturing() bool { return e.editor != nil || e.search.open }

func (e *Executions) Prompt() (string, bool) { return e.search.Prompt() }

func (e *Executions) ClearFilter() bool { return e.search.ClearAndShow(e.showRows) }

func (e *Executions) Keys() []key.Binding {
	if e.editor != nil {
		return e.editor.Keys()
	}
	if e.search.open {
		return e.search.Keys()
	}
	ks := []key.Binding{keyUpDown, keyEnter, keyRefresh, keySlash, keyFilter, keyVersions}
	if !e.c.ReadOnly {
		ks = append(ks, keyStart)
	}
	return ks
}

func (e *Executions) Update(msg tea.Msg) (Page, tea.Cmd) {
	e.resize()
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
		for _, x := range e.execs {
			if aws.ToString(x.ExecutionArn) == aws.ToString(msg.item.ExecutionArn) {
				return e, nil
			}
		}
		e.execs = append(e.execs, *msg.item)
		e.showRows()
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
	wasOpen := e.search.open
	if used, cmd := listInput(e.c, &e.table, &e.search, e.showRows, msg); used {
		if wasOpen && !e.search.open && e.search.Active() {
			// A search kept: look for it beyond what is held.
			e.searched = 0
			return e, tea.Batch(cmd, e.more(), e.lookUp(e.search.input.Value()))
		}
		return e, tea.Batch(cmd, e.more())
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, keyEnter):
			if i := e.search.Index(e.table.Cursor()); i >= 0 && i < len(e.execs) {
				return e, open(NewExecution(e.c, aws.ToString(e.execs[i].ExecutionArn)))
			}
			return e, nil
		case key.Matches(k, keyRefresh):
			e.gen++ // retires the tick in wait (and any page in flight); the load arms the next
			e.paging = false
			e.cadence.reset()
			return e, e.load(nil)
		case key.Matches(k, keyFilter):
			// The status filter is the server's: the list is read again.
			e.filter = (e.filter + 1) % len(statusFilters)
			e.gen++ // also retires the running tick; the load arms the next
			e.execs, e.next, e.loaded, e.paging, e.older = nil, nil, false, false, 0
			e.cadence.reset()
			e.table.SetCursor(0)
			e.showRows()
			return e, e.load(nil)
		case key.Matches(k, keyVersions):
			return e, open(NewVersions(e.c, e.arn, e.name))
		case key.Matches(k, keyStart) && !e.c.ReadOnly:
			e.editor = NewStartForm(e.c, e.arn, e.name)
			return e, e.editor.Focus()
		}
	}
	var cmd tea.Cmd
	e.table, cmd = e.table.Update(msg)
	return e, tea.Batch(cmd, e.more())
}

func (e *Executions) rows() []table.Row { return executionRows(e.c, e.execs) }

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

// showRows puts the rows the / filter keeps in the table.
func (e *Executions) showRows() { e.table.SetRows(e.search.Apply(e.rows())) }

func (e *Executions) resize() { fitTable(e.c, &e.table, &e.w, &e.h, e.columns) }

func (e *Executions) View() string {
	e.resize()
	if e.editor != nil {
		return common.Fit(e.editor.View(), e.c.Width, e.c.BodyHeight())
	}
	return listBody(e.c, e.table, e.loaded, len(e.table.Rows()) == 0,
		e.search.EmptyNote("No executions here. Press s to start one, f to change the status filter."))
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
