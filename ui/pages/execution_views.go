package pages

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/ansi"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/graph"
	"github.com/stepdeck/stepdeck/ui/components/history"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
	"github.com/stepdeck/stepdeck/ui/components/timeline"
)

// The views of one execution, switched with v and remembered for the next execution:
// the graph (with the history beside it, or alone with z), a table of state visits,
// the events with filters, and a timeline. The last three are drawn here, full width,
// over a detail pane; they read the same events as the graph.
const (
	viewGraph = iota
	viewTable
	viewEvents
	viewTimeline
	viewCount
)

var viewNames = [viewCount]string{"Graph", "Table", "Events", "Timeline"}

var (
	keyView       = key.NewBinding(key.WithKeys("v", "V"), key.WithHelp("v/V", "next/previous view"))
	keyGraphFull  = key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "graph full screen"))
	keyPager      = key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "read in full (pager)"))
	keySort       = key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort: tree/start/duration"))
	keyFirstFail  = key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "first failure"))
	keyListMove   = key.NewBinding(key.WithKeys("up", "down", "pgup", "pgdown", "home", "end"), key.WithHelp("↑↓ pgup/pgdn home/end", "move"))
	keyOnlyFailed = key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "failures only"))
	keyOnlyState  = key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "this state only"))
	keyOnlyType   = key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "this event type only"))
	keyTextFilter = key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter text"))
	keyZoom       = key.NewBinding(key.WithKeys("+", "=", "-", "0"), key.WithHelp("+/-/0", "zoom in/out/all"))
	keyTimeCursor = key.NewBinding(key.WithKeys("left", "right", "shift+left", "shift+right"), key.WithHelp("←/→", "cursor time (pans)"))
)

// sort orders of the table view
const (
	sortTree = iota
	sortStart
	sortDuration
)

// execViews is what the views other than the graph keep: the timeline model (which the
// table reads too), each view's rows and cursor, the filters and the zoom.
type execViews struct {
	tl     *timeline.Timeline
	taken  int // events taken into tl
	tlRows []timeline.Row
	labelW int // LabelWidth of tlRows
	// the table
	tableRows []timeline.Row
	tableSort int
	table     listNav
	// the events
	evRows      []int // indexes of the events shown
	evTaken     int   // events filtered so far under evKey
	evKey       string
	onlyFailed  bool
	onlyState   string
	onlyType    types.HistoryEventType
	text        listFilter
	textStarted bool
	events      listNav
	// the timeline
	line     listNav
	from, to time.Time // the zoomed window; zero: the whole execution
	cursor   int       // the time cursor's column in the bars
	layout   timeline.Layout

	graphFull bool
	// graphMinWidth's memo
	minGraphDef *asl.Definition
	minGraphN   int
	minGraphW   int
}

// listNav is a cursor in a list drawn a window at a time.
type listNav struct{ cursor, top int }

func (n *listNav) key(k string, count, height int) bool {
	page := max(height-1, 1)
	switch k {
	case "up", "k":
		n.cursor--
	case "down", "j":
		n.cursor++
	case "pgup":
		n.cursor -= page
	case "pgdown":
		n.cursor += page
	case "home":
		n.cursor = 0
	case "end":
		n.cursor = count - 1
	default:
		return false
	}
	n.clamp(count, height)
	return true
}

func (n *listNav) clamp(count, height int) {
	n.cursor = max(min(n.cursor, count-1), 0)
	if n.cursor < n.top {
		n.top = n.cursor
	}
	if height > 0 && n.cursor >= n.top+height {
		n.top = n.cursor - height + 1
	}
	n.top = max(min(n.top, count-height), 0)
}

// viewMemo is the views' state as it is, made on first use.
func (x *Execution) viewMemo() *execViews {
	if x.viewState == nil {
		x.viewState = &execViews{cursor: -1, text: newListFilter(x.c)}
	}
	return x.viewState
}

// views brings the views' model up to date with the events held, and returns it.
func (x *Execution) views() *execViews {
	v := x.viewMemo()
	if len(x.events) < v.taken || v.tl == nil { // reloaded from the start
		v.tl, v.taken, v.evTaken, v.evRows = timeline.New(), 0, 0, nil
		v.tlRows, v.tableRows = nil, nil
	}
	if len(x.events) > v.taken && len(x.states) == len(x.events) {
		v.tl.Add(x.events, x.states)
		v.taken = len(x.events)
		v.tlRows, v.tableRows = nil, nil
	}
	if v.tlRows == nil {
		v.tlRows = v.tl.Rows()
		v.labelW = v.tl.LabelWidth(v.tlRows)
	}
	if v.tableRows == nil {
		v.tableRows = x.sortedTable(v)
	}
	x.filterEvents(v)
	if x.follow { // f: the newest row stays selected as events arrive
		h := x.viewListHeight()
		v.table.cursor, v.events.cursor, v.line.cursor = len(v.tableRows)-1, len(v.evRows)-1, len(v.tlRows)-1
		v.table.clamp(len(v.tableRows), h)
		v.events.clamp(len(v.evRows), h)
		v.line.clamp(len(v.tlRows), h-1)
	}
	return v
}

// viewListHeight is the rows of the table, events or timeline under their heading.
func (x *Execution) viewListHeight() int {
	return max(x.c.BodyHeight()-max(x.c.BodyHeight()/3, 3)-1, 2) - 1
}

func (x *Execution) sortedTable(v *execViews) []timeline.Row {
	rows := v.tl.AllRows()
	if v.tableSort == sortTree {
		return rows
	}
	visits := rows[:0]
	for _, r := range rows {
		if r.Visit >= 0 {
			visits = append(visits, r)
		}
	}
	now := x.c.Clock()
	sort.SliceStable(visits, func(a, b int) bool {
		va, vb := &v.tl.Visits[visits[a].Visit], &v.tl.Visits[visits[b].Visit]
		if v.tableSort == sortDuration {
			return visitDur(va, now) > visitDur(vb, now)
		}
		return va.Start.Before(vb.Start)
	})
	return visits
}

func visitDur(v *timeline.Visit, now time.Time) time.Duration {
	if v.End.IsZero() {
		return now.Sub(v.Start)
	}
	return v.End.Sub(v.Start)
}

// filterEvents keeps evRows the events that pass the filters, filtering only new
// events unless a filter changed.
func (x *Execution) filterEvents(v *execViews) {
	fkey := fmt.Sprint(v.onlyFailed, "\x00", v.onlyState, "\x00", v.onlyType, "\x00", v.text.query)
	if fkey != v.evKey {
		v.evKey, v.evTaken, v.evRows = fkey, 0, v.evRows[:0]
	}
	for i := v.evTaken; i < len(x.events) && i < len(x.states); i++ {
		if x.eventShown(v, i) {
			v.evRows = append(v.evRows, i)
		}
	}
	v.evTaken = min(len(x.events), len(x.states))
}

func (x *Execution) eventShown(v *execViews, i int) bool {
	e := &x.events[i]
	if v.onlyFailed && !isFailure(e.Type) {
		return false
	}
	if v.onlyState != "" && x.states[i] != v.onlyState {
		return false
	}
	if v.onlyType != "" && e.Type != v.onlyType {
		return false
	}
	if q := v.text.query; q != "" {
		hay := strings.ToLower(string(e.Type) + " " + x.states[i] + " " + history.Summary(e))
		return strings.Contains(hay, q)
	}
	return true
}

// isFailure: events that report something going wrong.
func isFailure(t types.HistoryEventType) bool {
	s := string(t)
	return strings.HasSuffix(s, "Failed") || strings.HasSuffix(s, "TimedOut") || strings.HasSuffix(s, "Aborted")
}

// altView draws the views other than the graph: the view, a status line, the detail.
func (x *Execution) altView() string {
	v := x.views()
	w, h := x.c.Width, x.c.BodyHeight()
	detailH := max(h/3, 3)
	mainH := max(h-detailH-1, 2)
	var main string
	switch x.c.ExecView {
	case viewTable:
		main = x.tableView(v, w, mainH)
	case viewEvents:
		main = x.eventsView(v, w, mainH)
	case viewTimeline:
		main = x.timelineView(v, w, mainH)
	}
	x.syncViewDetail(v)
	status := x.viewTabs() + " · " + x.viewStatus(v)
	return common.Fit(main, w, mainH) + "\n" + common.Fit(common.Line(status, 0), w, 1) + "\n" + common.Fit(x.detail.View(w, detailH), w, detailH)
}

// viewTabs names the views, the current one in brackets.
func (x *Execution) viewTabs() string {
	var parts []string
	for i, n := range viewNames {
		if i == x.c.ExecView {
			n = "[" + n + "]"
		}
		parts = append(parts, n)
	}
	return strings.Join(parts, " ")
}

func (x *Execution) viewStatus(v *execViews) string {
	s := x.statusLine()
	switch x.c.ExecView {
	case viewTable:
		s = []string{"tree order", "by start", "by duration"}[v.tableSort] + " · " + s
	case viewEvents:
		var f []string
		if v.onlyFailed {
			f = append(f, "failures")
		}
		if v.onlyState != "" {
			f = append(f, "state "+common.Line(v.onlyState, 20))
		}
		if v.onlyType != "" {
			f = append(f, string(v.onlyType))
		}
		if v.text.query != "" {
			f = append(f, "/"+common.Line(v.text.query, 20))
		}
		if len(f) > 0 {
			s = fmt.Sprintf("%d shown (%s) · %s", len(v.evRows), strings.Join(f, ", "), s)
		}
	case viewTimeline:
		if v.cursor >= 0 {
			s = "cursor +" + x.c.Dur(v.layout.TimeAt(v.cursor).Sub(v.tl.Start)) + " · " + s
		}
		if !v.from.IsZero() {
			s = "zoomed " + x.c.Dur(v.from.Sub(v.tl.Start)) + "–" + x.c.Dur(v.to.Sub(v.tl.Start)) + " · " + s
		}
	}
	return s
}

// tableView: one row per state visit, branches and iterations indented under their
// Parallel or Map (in tree order), with status, attempts, start, duration and error.
func (x *Execution) tableView(v *execViews, w, h int) string {
	rows := v.tableRows
	v.table.clamp(len(rows), h-1)
	stateW := max(min(w/3, 40), 12)
	errW := max(w-stateW-10-6-9-9-5, 0)
	var b strings.Builder
	b.WriteString(common.Line(fmt.Sprintf("%-*s %-10s %5s %8s %8s  %s", stateW, "State", "Status", "Tries", "Started", "Duration", "Error"), w))
	now := x.c.Clock()
	for i := v.table.top; i < len(rows) && i < v.table.top+h-1; i++ {
		r := rows[i]
		var line string
		if r.Visit < 0 {
			line = padCells(v.tl.Label(r), stateW)
		} else {
			vis := &v.tl.Visits[r.Visit]
			name := padCells(common.Truncate(strings.Repeat(" ", r.Depth)+common.Line(vis.State, 0), stateW), stateW)
			dur := "running"
			if !vis.End.IsZero() {
				dur = x.c.Dur(vis.End.Sub(vis.Start))
			} else if x.closed() {
				dur = "-"
			}
			tries := ""
			if vis.Attempts > 0 {
				tries = strconv.Itoa(vis.Attempts)
			}
			_ = now
			errText := strings.TrimSpace(vis.Error + " " + vis.Cause)
			line = fmt.Sprintf("%s %-10s %5s %8s %8s  %s", name, statusWord(vis.Status), tries,
				x.c.Dur(vis.Start.Sub(v.tl.Start)), dur, common.Line(errText, errW))
		}
		line = common.Fit(line, w, 1)
		if i == v.table.cursor {
			line = x.c.Styles.Selected.Render(line)
		}
		b.WriteString("\n" + line)
	}
	if len(rows) == 0 {
		b.WriteString("\nNo state entered yet.")
	}
	return b.String()
}

func statusWord(s timeline.Status) string {
	return [...]string{"running", "succeeded", "failed", "aborted"}[s]
}

func padCells(s string, w int) string { return common.Fit(s, w, 1) }

// eventsView: the history, filtered, one event a line; the detail pane has it in full.
func (x *Execution) eventsView(v *execViews, w, h int) string {
	v.events.clamp(len(v.evRows), h-1)
	stateW := max(min(w/5, 30), 10)
	typeW := 26
	sumW := max(w-6-typeW-stateW-9-4, 0)
	var b strings.Builder
	b.WriteString(common.Line(fmt.Sprintf("%-6s %-*s %-*s %8s  %s", "#", typeW, "Type", stateW, "State", "Elapsed", "Summary"), w))
	var start time.Time
	if len(x.events) > 0 {
		start = x.events[0].Timestamp
	}
	for k := v.events.top; k < len(v.evRows) && k < v.events.top+h-1; k++ {
		i := v.evRows[k]
		e := &x.events[i]
		line := fmt.Sprintf("%-6d %-*s %s %8s  %s", e.ID, typeW, common.Truncate(string(e.Type), typeW),
			padCells(common.Line(x.states[i], stateW), stateW), x.c.Dur(e.Timestamp.Sub(start)), common.Line(history.Summary(e), sumW))
		line = common.Fit(line, w, 1)
		if k == v.events.cursor {
			line = x.c.Styles.Selected.Render(line)
		}
		b.WriteString("\n" + line)
	}
	if len(v.evRows) == 0 {
		if len(x.events) == 0 {
			b.WriteString("\nLoading…")
		} else {
			b.WriteString("\nNo event passes the filters (F, S, T and / toggle them; esc clears).")
		}
	}
	return b.String()
}

// timelineView: the Gantt chart of the execution, a window of its rows.
func (x *Execution) timelineView(v *execViews, w, h int) string {
	v.line.clamp(len(v.tlRows), h-1)
	o := x.timelineOptions(v, w, h)
	v.layout = v.tl.Layout(v.tlRows, o)
	if v.cursor >= v.layout.BarW {
		v.cursor = v.layout.BarW - 1
	}
	o.Cursor = v.cursor
	if len(v.tlRows) == 0 {
		return "No state entered yet."
	}
	return v.tl.Render(v.tlRows, o)
}

func (x *Execution) timelineOptions(v *execViews, w, h int) timeline.Options {
	return timeline.Options{Width: w, Height: h - 1, Top: v.line.top, From: v.from, To: v.to,
		Now: x.c.Clock(), Selected: v.line.cursor, Cursor: v.cursor, Color: x.c.Styles.Color, LabelW: v.labelW}
}

// syncViewDetail gives the detail pane the selected visit (table, timeline) or event.
func (x *Execution) syncViewDetail(v *execViews) {
	key, header, sections := x.viewDetail(v)
	x.detail.SetContent(key, header, sections)
}

func (x *Execution) viewDetail(v *execViews) (string, []string, []jsonview.Section) {
	switch x.c.ExecView {
	case viewEvents:
		if v.events.cursor < 0 || v.events.cursor >= len(v.evRows) {
			return "", nil, nil
		}
		i := v.evRows[v.events.cursor]
		header, sections := history.DetailSections(&x.events[i], x.states[i])
		return "event " + strconv.Itoa(i) + "\x00" + x.states[i], []string{header}, sections
	case viewTable:
		return x.rowDetail(v, v.tableRows, v.table.cursor)
	case viewTimeline:
		return x.rowDetail(v, v.tlRows, v.line.cursor)
	}
	return "", nil, nil
}

// rowDetail is a visit in full: where and how it ran, its input, output, error and
// cause; or what a lane or group stands for.
func (x *Execution) rowDetail(v *execViews, rows []timeline.Row, i int) (string, []string, []jsonview.Section) {
	if i < 0 || i >= len(rows) {
		return "", nil, nil
	}
	r := rows[i]
	if r.Visit < 0 {
		return fmt.Sprint("row ", i, r.Lane, len(x.events)), []string{strings.TrimSpace(v.tl.Label(r))}, nil
	}
	vis := &v.tl.Visits[r.Visit]
	head := fmt.Sprintf("%s %s · %s · started +%s", vis.Type, common.Line(vis.State, 0), statusWord(vis.Status), x.c.Dur(vis.Start.Sub(v.tl.Start)))
	if !vis.End.IsZero() {
		head += " · took " + x.c.Dur(vis.End.Sub(vis.Start))
	}
	if vis.Attempts > 1 {
		head += fmt.Sprintf(" · %d attempts", vis.Attempts)
	}
	if vis.Critical {
		head += " · on the critical path"
	}
	var sections []jsonview.Section
	if in, ok := x.events[vis.Entered].Input(); ok {
		sections = append(sections, jsonview.Section{Label: "Input", Text: in})
	}
	if vis.Exited >= 0 {
		if out, ok := x.events[vis.Exited].Output(); ok {
			sections = append(sections, jsonview.Section{Label: "Output", Text: out})
		}
	}
	if vis.Error != "" {
		sections = append(sections, jsonview.Section{Label: "Error", Text: vis.Error})
	}
	if vis.Cause != "" {
		sections = append(sections, jsonview.Section{Label: "Cause", Text: vis.Cause})
	}
	return fmt.Sprint("visit ", r.Visit, " ", vis.Last, " ", vis.Status), []string{head}, sections
}

// viewKey handles the keys of the views; it reports whether k was one.
func (x *Execution) viewKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	s := k.String()
	v := x.viewMemo() // the graph view needs none of the views' layout
	if x.c.ExecView != viewGraph {
		v = x.views()
	}
	if v.text.open {
		_, cmd := v.text.Update(k)
		v.events.cursor, v.events.top = 0, 0
		return cmd, true
	}
	switch {
	case key.Matches(k, keyView):
		d := 1
		if s == "V" {
			d = viewCount - 1
		}
		x.c.ExecView = (x.c.ExecView + d) % viewCount
		x.views()
		if x.c.ExecView != viewGraph && x.focus == graphPane {
			x.setFocus(historyPane)
		}
		return nil, true
	case key.Matches(k, keyPager):
		key, header, sections := x.currentDetail(v)
		if key == "" {
			return nil, true
		}
		return open(NewPager(x.c, strings.TrimSpace(strings.Join(header, " ")), SectionsText(header, sections))), true
	}
	if x.c.ExecView == viewGraph {
		if key.Matches(k, keyGraphFull) && x.focus != detailPane {
			v.graphFull = !v.graphFull
			if v.graphFull {
				x.setFocus(graphPane)
			}
			return nil, true
		}
		return nil, false
	}
	// tab and shift+tab: the list or the detail
	if key.Matches(k, keyTab) || key.Matches(k, keyBackTab) {
		if x.focus == detailPane {
			x.setFocus(historyPane)
		} else {
			x.setFocus(detailPane)
		}
		return nil, true
	}
	if x.focus == detailPane {
		x.syncViewDetail(v)
		x.detail.Update(k)
		return nil, true
	}
	h := x.viewListHeight()
	switch x.c.ExecView {
	case viewTable:
		switch {
		case v.table.key(s, len(v.tableRows), h):
			x.follow = v.table.cursor == len(v.tableRows)-1 && v.tableSort == sortTree
		case key.Matches(k, keySort):
			v.tableSort = (v.tableSort + 1) % 3
			v.tableRows = x.sortedTable(v)
			v.table, x.follow = listNav{}, false
		case key.Matches(k, keyFirstFail):
			for i, r := range v.tableRows {
				if r.Visit >= 0 && v.tl.Visits[r.Visit].Status == timeline.Failed {
					v.table.cursor, x.follow = i, false
					v.table.clamp(len(v.tableRows), h)
					return nil, true
				}
			}
			return func() tea.Msg { return InfoMsg("No state failed") }, true
		default:
			return nil, false
		}
		return nil, true
	case viewEvents:
		sel := -1
		if v.events.cursor < len(v.evRows) {
			sel = v.evRows[v.events.cursor]
		}
		switch {
		case v.events.key(s, len(v.evRows), h):
			x.follow = v.events.cursor == len(v.evRows)-1
			return nil, true
		case key.Matches(k, keyOnlyFailed):
			v.onlyFailed = !v.onlyFailed
		case key.Matches(k, keyOnlyState):
			switch {
			case v.onlyState != "":
				v.onlyState = ""
			case sel >= 0 && x.states[sel] != "":
				v.onlyState = x.states[sel]
			}
		case key.Matches(k, keyOnlyType):
			switch {
			case v.onlyType != "":
				v.onlyType = ""
			case sel >= 0:
				v.onlyType = x.events[sel].Type
			}
		case key.Matches(k, keyTextFilter):
			return v.text.Open(), true
		default:
			return nil, false
		}
		x.filterEvents(v)
		v.events, x.follow = listNav{}, false
		for k, i := range v.evRows { // keep the event that was selected, when still shown
			if i == sel {
				v.events.cursor = k
			}
		}
		v.events.clamp(len(v.evRows), h)
		return nil, true
	case viewTimeline:
		return x.timelineKey(v, s, h)
	}
	return nil, false
}

func (x *Execution) timelineKey(v *execViews, s string, h int) (tea.Cmd, bool) {
	if v.line.key(s, len(v.tlRows), h-1) {
		x.follow = v.line.cursor == len(v.tlRows)-1
		return nil, true
	}
	barW := max(v.layout.BarW, 1)
	from, to := v.from, v.to
	if from.IsZero() {
		from, to = v.tl.Window(x.c.Clock())
	}
	span := to.Sub(from)
	if v.cursor < 0 {
		v.cursor = barW / 2
	}
	at := v.layout.TimeAt(v.cursor)
	switch s {
	case "left", "right", "shift+left", "shift+right":
		d := 1
		if strings.HasPrefix(s, "shift+") {
			d = 10
		}
		if strings.HasSuffix(s, "left") {
			d = -d
		}
		v.cursor += d
		if v.cursor < 0 || v.cursor >= barW { // past the edge: pan a quarter of the window
			shift := span / 4
			if v.cursor < 0 {
				shift = -shift
			}
			from, to = from.Add(shift), to.Add(shift)
			v.from, v.to = from, to
			v.cursor = max(min(v.cursor, barW-1), 0)
		}
	case "+", "=":
		span /= 2
		v.from = at.Add(-time.Duration(float64(span) * float64(v.cursor) / float64(barW)))
		v.to = v.from.Add(span)
	case "-":
		span *= 2
		v.from = at.Add(-time.Duration(float64(span) * float64(v.cursor) / float64(barW)))
		v.to = v.from.Add(span)
		if all0, all1 := v.tl.Window(x.c.Clock()); !v.from.After(all0) && !v.to.Before(all1) {
			v.from, v.to = time.Time{}, time.Time{}
		}
	case "0":
		v.from, v.to = time.Time{}, time.Time{}
	default:
		return nil, false
	}
	return nil, true
}

// currentDetail is what the detail pane shows now, in any view, for the pager.
func (x *Execution) currentDetail(v *execViews) (string, []string, []jsonview.Section) {
	if x.c.ExecView != viewGraph {
		return x.viewDetail(v)
	}
	if x.travel {
		return x.stateAsOf()
	}
	i := x.table.Cursor()
	if i < 0 || i >= len(x.events) {
		return "", nil, nil
	}
	header, sections := history.DetailSections(&x.events[i], x.states[i])
	return "event", []string{header}, sections
}

// viewKeys are the views' bindings for the footer and the help.
func (x *Execution) viewKeys() []key.Binding {
	v := x.viewMemo()
	if v.text.open {
		return v.text.Keys()
	}
	ks := []key.Binding{keyView, keyPager}
	switch x.c.ExecView {
	case viewGraph:
		return append(ks, keyGraphFull)
	case viewTable:
		ks = append(ks, keyListMove, keySort, keyFirstFail)
	case viewEvents:
		ks = append(ks, keyListMove, keyOnlyFailed, keyOnlyState, keyOnlyType, keyTextFilter)
	case viewTimeline:
		ks = append(ks, keyListMove, keyTimeCursor, keyZoom)
	}
	if x.focus == detailPane {
		ks = append(ks, jsonview.KeyToggle, jsonview.KeyFoldAll)
	}
	return append(ks, keyTab)
}

// Prompt is the events view's text filter in the status line while it is open.
func (x *Execution) Prompt() (string, bool) {
	if x.viewState == nil {
		return "", false
	}
	return x.viewState.text.Prompt()
}

// ClearFilter drops the events view's filters on esc, before esc leaves the page.
func (x *Execution) ClearFilter() bool {
	v := x.viewState
	if v == nil || x.c.ExecView != viewEvents {
		return false
	}
	had := v.text.Clear() || v.onlyFailed || v.onlyState != "" || v.onlyType != ""
	v.onlyFailed, v.onlyState, v.onlyType = false, "", ""
	return had
}

// graphFull: the graph view has the whole screen (z).
func (x *Execution) graphFull() bool {
	return x.c.ExecView == viewGraph && x.viewState != nil && x.viewState.graphFull
}

// textFilterOpen: the events view's field has the keyboard.
func (x *Execution) textFilterOpen() bool { return x.viewState != nil && x.viewState.text.open }

// HelpKeys are every key of the execution screen, for the help.
func (x *Execution) HelpKeys() []key.Binding {
	all := []key.Binding{
		keyView, keyPager,
		key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab / shift+tab", "next / previous pane")),
		key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓ k/j", "move")),
		key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup/pgdn", "page up / down")),
		key.NewBinding(key.WithKeys("home"), key.WithHelp("home/end", "first / last (time travel: first / last event)")),
		keyGraphFull, keyGraphArrows, keyIteration,
		keySort, keyFirstFail,
		keyOnlyFailed, keyOnlyState, keyOnlyType, keyTextFilter,
		keyTimeCursor, keyZoom,
		jsonview.KeyToggle, jsonview.KeyFoldAll,
		keyTravel, keyScrub, keyFlow, keyFollow, keyExport, keyRefresh, keyStop, keyRedrive,
	}
	return append(all, x.Keys()...)
}

// names are the machine's and the execution's names, from the ARN
// (arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME).
func (x *Execution) names() (machine, name string) {
	parts := strings.Split(x.arn, ":")
	if len(parts) >= 8 {
		return parts[6], x.name()
	}
	return "", x.name()
}

// statusAndDuration is " · STATUS · DURATION" once the execution is described.
func (x *Execution) statusAndDuration() string {
	if x.desc == nil {
		return ""
	}
	s := " · " + string(x.desc.Status)
	if x.desc.StartDate != nil {
		end := x.c.Clock()
		if x.desc.StopDate != nil {
			end = *x.desc.StopDate
		}
		s += " · " + x.c.Dur(end.Sub(*x.desc.StartDate))
	}
	return s
}

// FitTitle is the title for a header that has room for nothing else: machine,
// execution, status and duration, in that order of importance, in width cells. The
// names are cut in their middle (to 12 cells at least) before the duration goes, then
// the status.
func (x *Execution) FitTitle(width int) string {
	machine, name := x.names()
	machine, name = common.Line(machine, 0), common.Line(name, 0)
	status, dur := "", ""
	if x.desc != nil {
		sd := strings.SplitN(x.statusAndDuration(), " · ", 3)
		status = sd[1]
		if len(sd) > 2 {
			dur = sd[2]
		}
	}
	build := func() string {
		s := machine + " › " + name
		if status != "" {
			s += " · " + status
		}
		if dur != "" {
			s += " · " + dur
		}
		return s
	}
	over := func() int { return ansi.StringWidth(build()) - width }
	if width <= 0 || over() <= 0 {
		return build()
	}
	shrink := func(s string) string {
		w := ansi.StringWidth(s)
		return middle(s, max(w-over(), min(w, 12)))
	}
	name = shrink(name)
	machine = shrink(machine)
	if over() > 0 {
		dur = ""
	}
	if over() > 0 {
		status = ""
	}
	return ansi.Truncate(build(), width, "…")
}

// middle cuts s to width cells by taking out its middle.
func middle(s string, width int) string {
	w := ansi.StringWidth(s)
	if w <= width || width < 3 {
		return ansi.Truncate(s, max(width, 0), "")
	}
	left := (width - 1) / 2
	return ansi.Truncate(s, left, "") + "…" + ansi.TruncateLeft(s, w-(width-1-left), "")
}

// graphMinWidth is the width of the graph with its names cut the most (graph.MinWidth),
// kept until the definition or the painting changes.
func (x *Execution) graphMinWidth() int {
	if x.def == nil {
		return 0
	}
	v := x.viewMemo()
	if v.minGraphDef != x.def || v.minGraphN != x.paintedN {
		v.minGraphDef, v.minGraphN = x.def, x.paintedN
		v.minGraphW = graph.MinWidth(x.def, graph.Options{Painting: x.painting, MapIteration: x.iterations})
	}
	return v.minGraphW
}

// viewCopy is what y copies in the views other than the graph: the selected event as
// JSON (events), or the selected visit as the pager shows it (table, timeline).
func (x *Execution) viewCopy() (string, string, bool) {
	v := x.views()
	if x.export != nil || x.confirmRedrive || v.text.open {
		return "", "", false
	}
	if x.c.ExecView == viewEvents {
		if v.events.cursor < 0 || v.events.cursor >= len(v.evRows) {
			return "", "", false
		}
		i := v.evRows[v.events.cursor]
		b, err := hist.AppendEvents(nil, x.events[i:i+1])
		if err != nil || len(b) < 2 {
			return "", "", false
		}
		return "event " + string(x.events[i].Type), jsonview.Pretty(string(b[1 : len(b)-1])), true
	}
	key, header, sections := x.viewDetail(v)
	if key == "" {
		return "", "", false
	}
	return "the visit shown", SectionsText(header, sections), true
}
