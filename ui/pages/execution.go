package pages

import (
	"context"
	"errors"
	"fmt"
	"time"

	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/dataflowview"
	"github.com/stepdeck/stepdeck/ui/components/graph"
	"github.com/stepdeck/stepdeck/ui/components/history"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// Execution shows one execution: its graph painted with what each state did, the event
// history, and the selected event in full. New events arrive through a follower whose
// Next is re-armed as a command after each batch, so following costs one goroutine at a
// time and stops when the page is left.
type Execution struct {
	c      *common.Common
	arn    string
	ctx    context.Context
	cancel context.CancelFunc

	desc     *sfn.DescribeExecutionOutput
	def      *asl.Definition
	defErr   string
	events   []hist.Event
	states   []string
	rows     []table.Row // the table's rows, grown as events arrive
	painting *graph.Painting
	paintedN int // painting is of events[:paintedN]
	index    stateIndex

	table       table.Model
	detail      *jsonview.Model
	flow        *dataflowview.Model
	showFlow    bool // the detail area shows the selected state's data flow
	w, h        int  // the screen size the panes were laid out for
	follow      bool // keep the cursor on the newest event
	focus       pane
	selected    string         // the state selected in the graph
	iterations  map[string]int // the Map iterations picked for painting, by Map name
	scrollX     int
	scrollY     int
	following   bool
	followerGen int
	follower    *client.Follower
	// retrying is the transient failure the follower is waiting out (with retryAt, when
	// it tries again); followErr the failure that stopped it (r starts it again).
	retrying  error
	retryAt   time.Time
	followErr error

	travel bool // time travel: everything shown is as of event asOf
	asOf   int  // the number of events time travel looks at, 1..len(events)

	export         *exportPrompt
	confirmRedrive bool
	flowKey        string // what the data-flow pane was computed for
	asOfShown      string // what the time-travel detail was computed for
	redriveRetries int    // follower restarts left while a redrive's first event is awaited

	viewState *execViews // the table, events and timeline views (execution_views.go)
}

// pane is what has the keyboard; tab cycles graph → history → detail.
type pane uint8

const (
	historyPane pane = iota
	detailPane
	graphPane
)

type describedMsg struct {
	owner *Execution
	desc  *sfn.DescribeExecutionOutput
	def   *asl.Definition
	err   error
	defEr string
}

// polledMsg is one round of the follower (client.Follower.Poll).
type polledMsg struct {
	owner  *Execution
	gen    int
	polled client.Polled
	err    error
}

// pollDueMsg says the follower's wait is over.
type pollDueMsg struct {
	owner *Execution
	gen   int
}

// NewExecution returns the screen of the execution arn.
func NewExecution(c *common.Common, arn string) *Execution {
	x := &Execution{c: c, arn: arn, follow: true, detail: jsonview.New(c.Styles), flow: dataflowview.New(c.Styles)}
	x.table = newTable(c, history.Columns(x.rightWidth()), x.rightWidth(), x.tableHeight())
	return x
}

func (x *Execution) Title() string {
	s := "Execution " + common.Line(x.name(), 40) + x.statusAndDuration()
	if x.desc != nil {
		if q := qualifierOf(x.desc.StateMachineVersionArn, x.desc.StateMachineAliasArn); q != "" {
			s += " · " + common.Line(q, 40)
		}
	}
	return s
}

// Init (re)starts loading: a fresh follower reads the history from the first event.
func (x *Execution) Init() tea.Cmd {
	x.Close()
	x.ctx, x.cancel = context.WithCancel(context.Background())
	x.events, x.states, x.rows, x.painting, x.paintedN = nil, nil, nil, nil, 0
	x.index = stateIndex{}
	x.asOf = 0
	return tea.Batch(x.describe(), x.resume())
}

// resume starts a fresh follower. It reads from the first event again (the API has no
// "after event N"), and add drops the events already held, so the screen does not
// restart; this is how a redriven execution, whose follower stopped at the close, is
// picked up again.
func (x *Execution) resume() tea.Cmd {
	x.follower = client.NewFollower(x.c.API, x.arn, client.FollowOptions{})
	return x.pollNow()
}

// pollNow polls at once, retiring any wait in progress (r while a retry is pending).
func (x *Execution) pollNow() tea.Cmd {
	x.followerGen++
	x.following, x.followErr = true, nil
	return x.next(x.follower, x.followerGen)
}

func (x *Execution) Close() {
	if x.cancel != nil {
		x.cancel()
	}
}

func (x *Execution) describe() tea.Cmd {
	parent, api, arn := x.ctx, x.c.API, x.arn
	return func() tea.Msg {
		ctx, cancel := callCtx(parent)
		defer cancel()
		d, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			return describedMsg{owner: x, err: fmt.Errorf("describing the execution: %w", err)}
		}
		m := describedMsg{owner: x, desc: d}
		sm, err := api.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			m.defEr = "definition unavailable: " + err.Error()
			return m
		}
		if m.def, err = asl.Parse([]byte(aws.ToString(sm.Definition))); err != nil {
			m.defEr = "definition does not parse: " + err.Error()
		}
		return m
	}
}

// next makes one round of the follower. The page re-arms it from Update after the wait
// the follower asks for, so at most one read is in flight, each retry is shown, and
// nothing runs after the page is closed.
func (x *Execution) next(f *client.Follower, gen int) tea.Cmd {
	ctx := x.ctx
	return func() tea.Msg {
		p, err := f.Poll(ctx)
		return polledMsg{owner: x, gen: gen, polled: p, err: err}
	}
}

// polled takes one round of the follower in, and arms the next.
func (x *Execution) polled(m polledMsg) tea.Cmd {
	if m.err != nil {
		x.following, x.retrying = false, nil
		if errors.Is(m.err, context.Canceled) {
			return nil
		}
		x.followErr = m.err
		return fail(fmt.Errorf("following the execution stopped (r tries again): %w", m.err))
	}
	p := m.polled
	x.add(p.Events)
	x.retrying = p.Retry
	if p.Retry != nil {
		x.retryAt = x.c.Clock().Add(p.Wait)
	}
	var cmds []tea.Cmd
	if x.closed() && len(p.Events) > 0 || p.Done {
		cmds = append(cmds, x.describe()) // the status and stop date changed
	}
	if p.Done {
		x.following = false
		return tea.Batch(append(cmds, x.awaitRedrive())...)
	}
	if p.Wait <= 0 {
		return tea.Batch(append(cmds, x.next(x.follower, m.gen))...)
	}
	gen := m.gen
	return tea.Batch(append(cmds, tea.Tick(p.Wait, func(time.Time) tea.Msg { return pollDueMsg{owner: x, gen: gen} }))...)
}

func (x *Execution) Capturing() bool {
	return x.export != nil && x.export.editing() || x.textFilterOpen()
}

func (x *Execution) running() bool {
	return x.desc != nil && x.desc.Status == types.ExecutionStatusRunning
}

func (x *Execution) Update(msg tea.Msg) (Page, tea.Cmd) {
	x.resize()
	switch msg := msg.(type) {
	case describedMsg:
		if msg.owner != x {
			return x, nil
		}
		if msg.err != nil {
			return x, fail(msg.err)
		}
		x.desc, x.def, x.defErr = msg.desc, msg.def, msg.defEr
		x.painting = nil // the definition may be new
		x.repaint()
		return x, nil
	case polledMsg:
		if msg.owner != x || msg.gen != x.followerGen {
			return x, nil
		}
		return x, x.polled(msg)
	case pollDueMsg:
		if msg.owner != x || msg.gen != x.followerGen {
			return x, nil
		}
		return x, x.next(x.follower, msg.gen)
	case redrivenMsg:
		return x, x.redriven(msg)
	case resumeMsg:
		if msg.owner != x || msg.gen != x.followerGen || x.following {
			return x, nil
		}
		return x, x.resume()
	case exportedMsg:
		return x, x.exported(msg)
	case tea.KeyPressMsg:
		return x, x.key(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		return x, x.mouse(msg)
	}
	if x.export != nil {
		return x, x.export.update(msg)
	}
	return x, nil
}

func (x *Execution) closed() bool {
	if len(x.events) == 0 {
		return false
	}
	switch x.events[len(x.events)-1].Type {
	case types.HistoryEventTypeExecutionSucceeded, types.HistoryEventTypeExecutionFailed,
		types.HistoryEventTypeExecutionAborted, types.HistoryEventTypeExecutionTimedOut:
		return true
	}
	return false
}

func (x *Execution) add(evs []types.HistoryEvent) {
	from := len(x.events)
	var last int64
	if from > 0 {
		last = x.events[from-1].ID
	}
	for _, e := range evs {
		if e.Id > last { // a resumed follower reads the history from the start again
			x.events = append(x.events, hist.FromSDK(e))
		}
	}
	if len(x.events) == from {
		return
	}
	x.index.add(x.events, from)
	if x.redriveRetries > 0 && x.redriveSeen(from) {
		x.redriveRetries = 0
	}
	atEnd := x.asOf == from
	if !x.travel || atEnd {
		x.asOf = len(x.events)
	}
	x.states = history.AppendStates(x.states, x.events, from)
	x.rows = history.AppendRows(x.rows, x.events, x.states, from, x.table.Columns(), x.c.Dur)
	x.table.SetRows(x.rows)
	if x.follow && (!x.travel || atEnd) {
		x.table.GotoBottom()
		x.selectStateOfCursor()
	}
	x.repaint()
}

// repaint paints the graph as of the events time travel looks at (all of them when it
// is off), only when that number changed: a scrubber step costs one Paint.
func (x *Execution) repaint() {
	if x.def == nil {
		return
	}
	n := x.viewN()
	if x.painting != nil && n == x.paintedN {
		return
	}
	x.painting = graph.Paint(x.def, x.events[:n])
	x.paintedN = n
}

// selectStateOfCursor selects the state of the event under the cursor, or for an
// execution event (which belongs to no state) the state of the nearest event before it.
func (x *Execution) selectStateOfCursor() {
	for i := min(x.table.Cursor(), len(x.states)-1); i >= 0; i-- {
		if x.states[i] != "" {
			x.selected = x.states[i]
			return
		}
	}
}

// selectEventOf puts the table cursor on the last event of state, so the detail pane
// follows the graph's selection.
// Under time travel it looks only up to "as of", which it leaves where it is.
func (x *Execution) selectEventOf(state string) {
	for i := min(len(x.states), x.viewN()) - 1; i >= 0; i-- {
		if x.states[i] == state {
			x.table.SetCursor(i)
			x.follow = i == len(x.events)-1
			return
		}
	}
}
