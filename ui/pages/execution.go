package pages

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/graph"
	"github.com/stepdeck/stepdeck/ui/components/history"
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
	current  string      // the state last entered, for AppendStates
	rows     []table.Row // the table's rows, grown as events arrive
	painting *graph.Painting

	table       table.Model
	w, h        int  // the screen size the panes were laid out for
	follow      bool // keep the cursor on the newest event
	graphFocus  bool
	selected    string // the state selected in the graph
	scrollX     int
	scrollY     int
	following   bool
	followerGen int
	confirmStop bool
}

type describedMsg struct {
	owner *Execution
	desc  *sfn.DescribeExecutionOutput
	def   *asl.Definition
	err   error
	defEr string
}

type eventsMsg struct {
	owner  *Execution
	gen    int
	events []types.HistoryEvent
	err    error
}

type stoppedMsg struct {
	owner *Execution
	err   error
}

var (
	keyTab    = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "graph/history"))
	keyFollow = key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "follow"))
	keyStop   = key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "stop execution"))
	keyArrows = key.NewBinding(key.WithKeys("up", "down", "left", "right"), key.WithHelp("←↑↓→", "move in graph"))
	keyYes    = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "confirm"))
	keyNo     = key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "cancel"))
)

// NewExecution returns the screen of the execution arn.
func NewExecution(c *common.Common, arn string) *Execution {
	x := &Execution{c: c, arn: arn, follow: true}
	x.table = newTable(c, history.Columns(x.rightWidth()), x.rightWidth(), x.tableHeight())
	return x
}

func (x *Execution) Title() string {
	name := x.arn
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	s := "Execution " + common.Line(name, 40)
	if x.desc != nil {
		s += " · " + string(x.desc.Status)
	}
	return s
}

// Init (re)starts loading: a fresh follower reads the history from the first event.
func (x *Execution) Init() tea.Cmd {
	x.Close()
	x.ctx, x.cancel = context.WithCancel(context.Background())
	x.events, x.states, x.current, x.rows, x.painting = nil, nil, "", nil, nil
	x.followerGen++
	x.following = true
	f := client.NewFollower(x.c.API, x.arn, client.FollowOptions{})
	return tea.Batch(x.describe(), x.next(f, x.followerGen))
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

// next reads one batch from the follower. The command re-arms itself from Update, so
// at most one read is in flight and nothing runs after the page is closed.
func (x *Execution) next(f *client.Follower, gen int) tea.Cmd {
	ctx := x.ctx
	return func() tea.Msg {
		evs, err := f.Next(ctx)
		m := eventsMsg{owner: x, gen: gen, events: evs, err: err}
		if err == nil {
			return followMsg{m, f}
		}
		return m
	}
}

type followMsg struct {
	eventsMsg
	f *client.Follower
}

func (x *Execution) Capturing() bool { return false }

func (x *Execution) Keys() []key.Binding {
	if x.confirmStop {
		return []key.Binding{keyYes, keyNo}
	}
	ks := []key.Binding{keyTab}
	if x.graphFocus {
		ks = append(ks, keyArrows)
	} else {
		ks = append(ks, keyUpDown)
	}
	ks = append(ks, keyFollow)
	if !x.c.ReadOnly && x.running() {
		ks = append(ks, keyStop)
	}
	return ks
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
		x.repaint()
		return x, nil
	case followMsg:
		if msg.owner != x || msg.gen != x.followerGen {
			return x, nil
		}
		x.add(msg.events)
		cmds := []tea.Cmd{x.next(msg.f, msg.gen)}
		if x.closed() {
			cmds = append(cmds, x.describe()) // the status and stop date changed
		}
		return x, tea.Batch(cmds...)
	case eventsMsg:
		if msg.owner != x || msg.gen != x.followerGen {
			return x, nil
		}
		x.following = false
		if errors.Is(msg.err, client.ErrFollowDone) || errors.Is(msg.err, context.Canceled) {
			return x, nil
		}
		return x, fail(fmt.Errorf("following the execution: %w", msg.err))
	case stoppedMsg:
		if msg.owner != x {
			return x, nil
		}
		if msg.err != nil {
			return x, fail(fmt.Errorf("stopping the execution: %w", msg.err))
		}
		return x, tea.Batch(x.describe(), func() tea.Msg { return InfoMsg("Stop requested") })
	case tea.KeyPressMsg:
		return x, x.key(msg)
	}
	return x, nil
}

func (x *Execution) key(k tea.KeyPressMsg) tea.Cmd {
	if x.confirmStop {
		switch {
		case key.Matches(k, keyYes):
			x.confirmStop = false
			return x.stop()
		case key.Matches(k, keyNo):
			x.confirmStop = false
		}
		return nil
	}
	switch {
	case key.Matches(k, keyTab):
		x.graphFocus = !x.graphFocus
		return nil
	case key.Matches(k, keyFollow):
		x.follow = !x.follow
		if x.follow {
			x.table.GotoBottom()
		}
		return nil
	case key.Matches(k, keyStop) && !x.c.ReadOnly && x.running():
		x.confirmStop = true
		return nil
	}
	if x.graphFocus {
		dirs := map[string]graph.Direction{"up": graph.Up, "down": graph.Down, "left": graph.Left, "right": graph.Right}
		if d, ok := dirs[k.String()]; ok && x.def != nil {
			x.selected = graph.Move(x.def, x.selected, d, x.graphOptions())
			x.selectEventOf(x.selected)
		}
		return nil
	}
	before := x.table.Cursor()
	var cmd tea.Cmd
	x.table, cmd = x.table.Update(k)
	if x.table.Cursor() != before {
		x.follow = x.table.Cursor() == len(x.events)-1
		x.selectStateOfCursor()
	}
	return cmd
}

func (x *Execution) stop() tea.Cmd {
	api, arn := x.c.API, x.arn
	return func() tea.Msg {
		ctx, cancel := callCtx(context.Background())
		defer cancel()
		_, err := api.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(arn),
			Error: aws.String("Stopped"), Cause: aws.String("stopped from stepdeck")})
		return stoppedMsg{owner: x, err: err}
	}
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
	for _, e := range evs {
		x.events = append(x.events, hist.FromSDK(e))
	}
	x.states, x.current = history.AppendStates(x.states, x.current, x.events[from:])
	x.rows = history.AppendRows(x.rows, x.events, x.states, from, x.table.Columns(), x.c.Dur)
	x.table.SetRows(x.rows)
	if x.follow {
		x.table.GotoBottom()
		x.selectStateOfCursor()
	}
	x.repaint()
}

func (x *Execution) repaint() {
	if x.def != nil {
		x.painting = graph.Paint(x.def, x.events)
	}
}

func (x *Execution) selectStateOfCursor() {
	if i := x.table.Cursor(); i >= 0 && i < len(x.states) && x.states[i] != "" {
		x.selected = x.states[i]
	}
}

// selectEventOf puts the table cursor on the last event of state, so the detail pane
// follows the graph's selection.
func (x *Execution) selectEventOf(state string) {
	for i := len(x.states) - 1; i >= 0; i-- {
		if x.states[i] == state {
			x.table.SetCursor(i)
			x.follow = i == len(x.events)-1
			return
		}
	}
}

// Layout: the graph takes the left 40% (at least 24 cells), the history table the top
// of the right side, the detail of the selected event the rest.
func (x *Execution) leftWidth() int {
	if x.c.Width < 60 {
		return 0
	}
	return max(x.c.Width*2/5, 24)
}

func (x *Execution) rightWidth() int {
	if l := x.leftWidth(); l > 0 {
		return x.c.Width - l - 1
	}
	return x.c.Width
}

func (x *Execution) tableHeight() int { return max(x.c.BodyHeight()/2, 4) }

func (x *Execution) resize() {
	if x.w != x.c.Width || x.h != x.c.Height {
		x.w, x.h = x.c.Width, x.c.Height
		cols := history.Columns(x.rightWidth())
		cursor := x.table.Cursor()
		// Rows are cut to the columns, so they go before the columns change.
		x.table.SetRows(nil)
		x.table.SetColumns(cols)
		x.table.SetWidth(x.rightWidth())
		x.table.SetHeight(x.tableHeight())
		x.rows = history.Rows(x.events, x.states, cols, x.c.Dur)
		x.table.SetRows(x.rows)
		x.table.SetCursor(cursor)
	}
}

func (x *Execution) graphOptions() graph.Options {
	return graph.Options{Width: x.leftWidth() - 2, Height: x.c.BodyHeight() - 2, Selected: x.selected,
		Color: x.c.Styles.Color, Painting: x.painting, Mode: graph.Auto, ScrollX: x.scrollX, ScrollY: x.scrollY}
}

func (x *Execution) View() string {
	x.resize()
	h := x.c.BodyHeight()
	right := x.rightView(h)
	lw := x.leftWidth()
	if lw == 0 {
		return right
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, x.graphView(lw, h), " ", right)
}

func (x *Execution) graphView(w, h int) string {
	var body string
	switch {
	case x.def != nil:
		opts := x.graphOptions()
		body = graph.Render(x.def, nil, opts)
		x.scrollX, x.scrollY = graph.Viewport(x.def, nil, opts)
	case x.defErr != "":
		body = common.Sanitize(x.defErr, false)
	default:
		body = "Loading…"
	}
	title := " Graph "
	if x.graphFocus {
		title = "[Graph]"
	}
	return box(title, body, w, h, x.graphFocus)
}

func (x *Execution) rightView(h int) string {
	w := x.rightWidth()
	th := x.tableHeight()
	var status string
	switch {
	case x.confirmStop:
		status = "Stop this execution? y/n"
	case x.following && x.follow:
		status = fmt.Sprintf("%d events · following", len(x.events))
	default:
		status = fmt.Sprintf("%d events", len(x.events))
	}
	top := common.Fit(x.table.View(), w, th) + "\n" + common.Fit(status, w, 1)
	detail := ""
	if i := x.table.Cursor(); i >= 0 && i < len(x.events) {
		detail = history.Detail(&x.events[i], x.states[i], w)
	}
	return top + "\n" + common.Fit(detail, w, h-th-1-1)
}

// box draws a titled border around body cut to w x h.
func box(title, body string, w, h int, focused bool) string {
	inner := common.Fit(body, w-2, h-2)
	b := lipgloss.NormalBorder()
	if focused {
		b = lipgloss.ThickBorder()
	}
	top := b.TopLeft + title + strings.Repeat(b.Top, max(w-2-lipgloss.Width(title), 0)) + b.TopRight
	var s strings.Builder
	s.WriteString(top)
	for _, l := range strings.Split(inner, "\n") {
		s.WriteString("\n" + b.Left + l + b.Right)
	}
	s.WriteString("\n" + b.BottomLeft + strings.Repeat(b.Bottom, max(w-2, 0)) + b.BottomRight)
	return s.String()
}
