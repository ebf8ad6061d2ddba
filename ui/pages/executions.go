package pages

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/ui/common"
)

// maxListed bounds how many executions one refresh reads: the newest come first and a
// screen shows far fewer.
const maxListed = 200

// Executions lists the executions of one state machine, newest first, refreshed while
// shown.
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
}

// statusFilters are the statuses f cycles through; "" lists every execution.
var statusFilters = []types.ExecutionStatus{"", types.ExecutionStatusRunning, types.ExecutionStatusSucceeded,
	types.ExecutionStatusFailed, types.ExecutionStatusTimedOut, types.ExecutionStatusAborted}

var keyFilter = key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "filter by status"))

type executionsMsg struct {
	owner *Executions
	gen   int // a list loaded before the filter changed is dropped
	list  []types.ExecutionListItem
	err   error
}

// NewExecutions returns the executions screen of the machine arn.
func NewExecutions(c *common.Common, arn, name string) *Executions {
	e := &Executions{c: c, arn: arn, name: name, search: newListFilter(c)}
	e.table = newTable(c, e.columns(), c.Width, c.BodyHeight())
	return e
}

func (e *Executions) Title() string {
	t := "Executions of " + common.Line(e.name, 40)
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
	return tea.Batch(e.load(), tick(e, e.gen))
}

func (e *Executions) Close() {
	if e.cancel != nil {
		e.cancel()
	}
}

func (e *Executions) load() tea.Cmd {
	parent, api, arn, filter := e.ctx, e.c.API, e.arn, statusFilters[e.filter]
	gen := e.gen
	return func() tea.Msg {
		ctx, cancel := callCtx(parent)
		defer cancel()
		var list []types.ExecutionListItem
		in := &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), MaxResults: 100, StatusFilter: filter}
		for len(list) < maxListed {
			out, err := api.ListExecutions(ctx, in)
			if err != nil {
				return executionsMsg{owner: e, gen: gen, err: fmt.Errorf("listing executions: %w", err)}
			}
			list = append(list, out.Executions...)
			if out.NextToken == nil {
				break
			}
			in.NextToken = out.NextToken
		}
		return executionsMsg{owner: e, gen: gen, list: list}
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
		if msg.err != nil {
			return e, fail(msg.err)
		}
		e.execs, e.loaded = msg.list, true
		e.showRows()
		return e, nil
	case tickMsg:
		if msg.owner != e || msg.gen != e.gen {
			return e, nil
		}
		return e, tea.Batch(e.load(), tick(e, e.gen))
	}
	if e.editor != nil {
		var cmd tea.Cmd
		e.editor, cmd = e.editor.Update(msg)
		if e.editor.done {
			e.editor = nil
		}
		return e, cmd
	}
	if used, cmd := listInput(e.c, &e.table, &e.search, e.showRows, msg); used {
		return e, cmd
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, keyEnter):
			if i := e.search.Index(e.table.Cursor()); i >= 0 && i < len(e.execs) {
				return e, open(NewExecution(e.c, aws.ToString(e.execs[i].ExecutionArn)))
			}
			return e, nil
		case key.Matches(k, keyRefresh):
			return e, e.load()
		case key.Matches(k, keyFilter):
			e.filter = (e.filter + 1) % len(statusFilters)
			e.gen++ // also retires the running tick; a new one starts below
			e.table.SetCursor(0)
			return e, tea.Batch(e.load(), tick(e, e.gen))
		case key.Matches(k, keyVersions):
			return e, open(NewVersions(e.c, e.arn, e.name))
		case key.Matches(k, keyStart) && !e.c.ReadOnly:
			e.editor = NewStartForm(e.c, e.arn, e.name)
			return e, e.editor.Focus()
		}
	}
	var cmd tea.Cmd
	e.table, cmd = e.table.Update(msg)
	return e, cmd
}

func (e *Executions) rows() []table.Row {
	now := e.c.Clock()
	rows := make([]table.Row, len(e.execs))
	for i, x := range e.execs {
		start := aws.ToTime(x.StartDate)
		end := now
		if x.StopDate != nil {
			end = *x.StopDate
		}
		rows[i] = table.Row{common.Line(aws.ToString(x.Name), 0), string(x.Status), e.c.Time(start), e.c.Dur(end.Sub(start))}
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
