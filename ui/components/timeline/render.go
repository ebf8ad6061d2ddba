package timeline

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/ui/common"
)

// MaxLanes is how many branches or iterations of one Parallel or Map get lanes of their
// own; past it they are grouped, one row per state with a count.
const MaxLanes = 24

// Row is one line of the chart: a visit, a lane's heading, or a group of visits.
type Row struct {
	Visit int // the visit drawn, or -1
	Lane  int // the lane a heading heads, or -1
	Group *Group
	Depth int
}

// Group stands for the visits of one state across more lanes than MaxLanes.
type Group struct {
	State          string
	Visits         []int
	Failed, Open   int
	Start, End     time.Time // End is zero while one is open
	Critical       bool
	Lanes, LanesOK int
}

// Rows lists the chart's rows: the top level's visits in order of start, each Parallel
// or Map followed by its lanes (a heading, then the lane's visits), indented.
func (t *Timeline) Rows() []Row {
	var rows []Row
	t.laneRows(&rows, 0, 0, true)
	return rows
}

// AllRows is Rows without grouping: every visit a row of its own, for a table.
func (t *Timeline) AllRows() []Row {
	var rows []Row
	t.laneRows(&rows, 0, 0, false)
	return rows
}

func (t *Timeline) laneRows(rows *[]Row, lane, depth int, group bool) {
	for _, v := range t.Lanes[lane].Visits {
		*rows = append(*rows, Row{Visit: v, Lane: -1, Depth: depth})
		lanes := t.Visits[v].Lanes
		if len(lanes) == 0 {
			continue
		}
		if group && len(lanes) > MaxLanes {
			*rows = append(*rows, t.groupRows(lanes, depth+1)...)
			continue
		}
		sorted := append([]int(nil), lanes...)
		sort.SliceStable(sorted, func(a, b int) bool { return t.Lanes[sorted[a]].Index < t.Lanes[sorted[b]].Index })
		for _, l := range sorted {
			*rows = append(*rows, Row{Visit: -1, Lane: l, Depth: depth + 1})
			t.laneRows(rows, l, depth+2, group)
		}
	}
}

// groupRows sums up many lanes: one row per state met in them (nested ones too), in
// order of first start.
func (t *Timeline) groupRows(lanes []int, depth int) []Row {
	byState := map[string]*Group{}
	var order []*Group
	var walk func(l int)
	walk = func(l int) {
		for _, v := range t.Lanes[l].Visits {
			vis := &t.Visits[v]
			g := byState[vis.State]
			if g == nil {
				g = &Group{State: vis.State, Start: vis.Start, End: vis.End}
				byState[vis.State] = g
				order = append(order, g)
			}
			g.Visits = append(g.Visits, v)
			if vis.Start.Before(g.Start) {
				g.Start = vis.Start
			}
			switch {
			case vis.End.IsZero():
				g.Open++
			case vis.End.After(g.End):
				g.End = vis.End
			}
			if vis.Status == Failed || vis.Status == Aborted {
				g.Failed++
			}
			g.Critical = g.Critical || vis.Critical
			for _, sub := range vis.Lanes {
				walk(sub)
			}
		}
	}
	ok := 0
	for _, l := range lanes {
		walk(l)
		if t.Lanes[l].Status == Succeeded {
			ok++
		}
	}
	head := &Group{Lanes: len(lanes), LanesOK: ok, Start: order[0].Start}
	for _, g := range order {
		head.Visits = append(head.Visits, g.Visits...)
		head.Open += g.Open
		head.Failed += g.Failed
		if g.End.After(head.End) {
			head.End = g.End
		}
	}
	rows := []Row{{Visit: -1, Lane: lanes[0], Depth: depth, Group: head}}
	for _, g := range order {
		rows = append(rows, Row{Visit: -1, Lane: -1, Group: g, Depth: depth + 1})
	}
	return rows
}

// Options say what part of the chart to draw and how.
type Options struct {
	Width    int       // total width in cells (at least 20 is useful)
	Height   int       // rows of the chart to draw under the axis; 0: all
	Top      int       // the first row drawn
	From, To time.Time // the time window; zero: the whole execution
	Now      time.Time // where open visits end; zero: the latest event
	Selected int       // the row drawn selected, or -1
	Cursor   int       // a column of the bars to mark (the cursor's time), or -1
	Color    bool
	LabelW   int // the labels' width when known (LabelWidth of the rows); 0: measured
}

// Layout is where Render put things: the label column's width, the bars' width and
// the window, so that a column can be turned back into a time.
type Layout struct {
	LabelW, BarW int
	From, To     time.Time
}

// TimeAt is the time at the start of bar column c.
func (l Layout) TimeAt(c int) time.Time {
	if l.BarW <= 0 {
		return l.From
	}
	return l.From.Add(time.Duration(float64(l.To.Sub(l.From)) * float64(c) / float64(l.BarW)))
}

// Window is the default window: from the first event to the latest (or now, when
// the execution still runs).
func (t *Timeline) Window(now time.Time) (time.Time, time.Time) {
	to := t.Last
	if !t.Closed && now.After(to) {
		to = now
	}
	if !to.After(t.Start) {
		to = t.Start.Add(time.Second)
	}
	return t.Start, to
}

// LabelWidth is the width of the widest label of rows (at least 8): what the label
// column would take with room to spare.
func (t *Timeline) LabelWidth(rows []Row) int {
	w := 8
	for _, r := range rows {
		w = max(w, lipgloss.Width(t.label(r)))
	}
	return w
}

// Layout computes the layout Render uses for rows and o.
func (t *Timeline) Layout(rows []Row, o Options) Layout {
	from, to := o.From, o.To
	if from.IsZero() || !to.After(from) {
		from, to = t.Window(o.Now)
	}
	labelW := o.LabelW
	if labelW <= 0 {
		labelW = t.LabelWidth(rows)
	}
	labelW = min(labelW, max(o.Width/3, 10))
	if o.Width-labelW-1 < 10 {
		labelW = max(o.Width-11, 1)
	}
	return Layout{LabelW: labelW, BarW: max(o.Width-labelW-1, 1), From: from, To: to}
}

// Render draws rows (from Rows) under a time axis, each line at most o.Width cells.
func (t *Timeline) Render(rows []Row, o Options) string {
	l := t.Layout(rows, o)
	now := o.Now
	if now.IsZero() || t.Closed {
		now = t.Last
	}
	var b strings.Builder
	b.WriteString(common.Truncate(strings.Repeat(" ", l.LabelW+1)+t.axis(l, o.Cursor), o.Width))
	end := len(rows)
	if o.Height > 0 {
		end = min(end, o.Top+o.Height)
	}
	cells := make([]rune, l.BarW)
	for i := max(o.Top, 0); i < end; i++ {
		r := rows[i]
		b.WriteByte('\n')
		label := common.Truncate(t.label(r), l.LabelW)
		label += strings.Repeat(" ", max(l.LabelW-lipgloss.Width(label), 0))
		for c := range cells {
			cells[c] = ' '
		}
		st := t.drawRow(cells, r, l, now)
		if o.Cursor >= 0 && o.Cursor < len(cells) && cells[o.Cursor] == ' ' {
			cells[o.Cursor] = '┆'
		}
		bar := string(cells)
		if o.Color {
			bar = colorBar(bar, st)
		}
		line := label + " " + bar
		if i == o.Selected {
			if o.Color {
				line = lipgloss.NewStyle().Reverse(true).Render(label) + " " + bar
			} else {
				line = ">" + line[1:]
			}
		}
		b.WriteString(common.Truncate(line, o.Width)) // a width too small for label and bars
	}
	return b.String()
}

// Legend explains the glyphs.
func Legend() string {
	return "█ ran  x failed attempt  · retry wait  ░ Wait state  ▒ callback/worker wait  ─ lane  * critical path  ✓ ✗ ■ ● succeeded failed aborted running"
}

// axis is the line of times over the bars: a tick label every dozen cells or so,
// counting from the execution's start.
func (t *Timeline) axis(l Layout, cursor int) string {
	line := []rune(strings.Repeat(" ", l.BarW))
	step := 12
	unit := tickUnit(l.To.Sub(l.From) * time.Duration(step) / time.Duration(max(l.BarW, 1)))
	for c := 0; c < l.BarW; c += step {
		lbl := "|" + l.TimeAt(c).Sub(t.Start).Round(unit).String()
		if c+len([]rune(lbl)) > l.BarW {
			break
		}
		copy(line[c:], []rune(lbl))
	}
	if cursor >= 0 && cursor < l.BarW {
		line[cursor] = '▼'
	}
	return string(line)
}

// tickUnit is a round unit under a tenth of a tick's span, so tick labels stay short
// and still differ.
func tickUnit(tick time.Duration) time.Duration {
	u := time.Nanosecond
	for _, c := range []time.Duration{time.Microsecond, 10 * time.Microsecond, 100 * time.Microsecond, time.Millisecond,
		10 * time.Millisecond, 100 * time.Millisecond, time.Second, 10 * time.Second, time.Minute, 10 * time.Minute, time.Hour} {
		if c*10 <= tick {
			u = c
		}
	}
	return u
}

// Label is a row's text in the label column: a status mark, the state and its
// attempts, a lane's name, or a group's count; * marks the critical path.
func (t *Timeline) Label(r Row) string { return t.label(r) }

func (t *Timeline) label(r Row) string {
	ind := strings.Repeat(" ", r.Depth)
	switch {
	case r.Visit >= 0:
		v := &t.Visits[r.Visit]
		crit := " "
		if v.Critical {
			crit = "*"
		}
		s := crit + ind + statusMark(v.Status) + " " + common.Line(v.State, 0)
		if v.Attempts > 1 {
			s += fmt.Sprintf(" ×%d", v.Attempts)
		}
		return s
	case r.Group != nil && r.Group.State == "":
		kind := "branches"
		if t.Lanes[r.Lane].Iteration {
			kind = "iterations"
		}
		return " " + ind + fmt.Sprintf("%d %s ✓%d", r.Group.Lanes, kind, r.Group.LanesOK)
	case r.Group != nil:
		g := r.Group
		crit := " "
		if g.Critical {
			crit = "*"
		}
		s := crit + ind + common.Line(g.State, 0) + fmt.Sprintf(" ×%d", len(g.Visits))
		if g.Failed > 0 {
			s += fmt.Sprintf(" ✗%d", g.Failed)
		}
		if g.Open > 0 {
			s += fmt.Sprintf(" ●%d", g.Open)
		}
		return s
	default:
		ln := t.Lanes[r.Lane]
		name := fmt.Sprintf("branch %d", ln.Index+1)
		if ln.Iteration {
			name = fmt.Sprintf("#%d", ln.Index)
		}
		return " " + ind + name
	}
}

func statusMark(s Status) string {
	switch s {
	case Succeeded:
		return "✓"
	case Failed:
		return "✗"
	case Aborted:
		return "■"
	}
	return "●"
}

// col is the column of time at in l, clamped to the bars.
func col(l Layout, at time.Time) int {
	span := l.To.Sub(l.From)
	if span <= 0 {
		return 0
	}
	return int(float64(at.Sub(l.From)) * float64(l.BarW) / float64(span))
}

// fill draws glyph over [s, e) of l into cells, one cell at least when it is in view.
func fill(cells []rune, l Layout, s, e time.Time, glyph rune) { fillFrom(cells, l, s, e, glyph, 0) }

// fillFrom is fill starting no sooner than cell from (unless that is past the end); it
// returns the cell after the last drawn.
func fillFrom(cells []rune, l Layout, s, e time.Time, glyph rune, from int) int {
	if e.Before(l.From) || s.After(l.To) {
		return from
	}
	a, z := max(col(l, s), 0), col(l, e)
	if a < from && from < len(cells) {
		a = from
	}
	a = min(a, len(cells)-1) // what ends at the window's end still shows
	if z <= a {
		z = a + 1
	}
	z = min(z, len(cells))
	for c := a; c < z; c++ {
		cells[c] = glyph
	}
	return z
}

// drawRow paints a row's bar into cells and returns the status that colours it.
func (t *Timeline) drawRow(cells []rune, r Row, l Layout, now time.Time) Status {
	switch {
	case r.Visit >= 0:
		v := &t.Visits[r.Visit]
		next := 0 // a stretch too short for a cell of its own still gets one, pushing the next along
		for _, s := range v.Segments {
			e := s.End
			if e.IsZero() {
				e = orNow(v.End, now)
			}
			next = fillFrom(cells, l, s.Start, e, glyph(s.Kind), next)
		}
		return v.Status
	case r.Group != nil:
		g := r.Group
		end := g.End
		if g.Open > 0 {
			end = now
		}
		glyph := '█'
		if g.State == "" {
			glyph = '─' // the heading of grouped lanes
		}
		fill(cells, l, g.Start, end, glyph)
		if g.Failed > 0 {
			return Failed
		}
		if g.Open > 0 {
			return Running
		}
		return Succeeded
	default:
		ln := t.Lanes[r.Lane]
		if len(ln.Visits) == 0 {
			return ln.Status
		}
		first, last := &t.Visits[ln.Visits[0]], &t.Visits[ln.Visits[len(ln.Visits)-1]]
		fill(cells, l, first.Start, orNow(last.End, now), '─')
		return ln.Status
	}
}

func orNow(end, now time.Time) time.Time {
	if end.IsZero() {
		return now
	}
	return end
}

func glyph(k Kind) rune {
	switch k {
	case Retrying:
		return '·'
	case Waiting:
		return '░'
	case Callback:
		return '▒'
	case FailedTry:
		return 'x'
	}
	return '█'
}

var barColors = map[Status]lipgloss.Style{
	Running:   lipgloss.NewStyle().Foreground(lipgloss.Color("3")),
	Succeeded: lipgloss.NewStyle().Foreground(lipgloss.Color("2")),
	Failed:    lipgloss.NewStyle().Foreground(lipgloss.Color("1")),
	Aborted:   lipgloss.NewStyle().Foreground(lipgloss.Color("8")),
}

func colorBar(bar string, s Status) string { return barColors[s].Render(bar) }

// Print is the whole chart of a history for a terminal o.Width wide, with a legend:
// what `stepdeck timeline` prints.
func Print(events []hist.Event, states []string, o Options) string {
	t := Build(events, states)
	rows := t.Rows()
	o.Height, o.Top, o.Selected, o.Cursor = 0, 0, -1, -1
	var b strings.Builder
	b.WriteString(common.Truncate(fmt.Sprintf("%d events, %d state visits, %s", len(events), len(t.Visits), t.Last.Sub(t.Start)), o.Width))
	b.WriteString("\n")
	b.WriteString(t.Render(rows, o))
	b.WriteString("\n")
	b.WriteString(common.Truncate(Legend(), o.Width))
	return b.String()
}
