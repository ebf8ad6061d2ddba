package pages

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/graph"
	"github.com/stepdeck/stepdeck/ui/components/history"
)

// Layout: the graph takes the left 40% (at least 24 cells), the history table the top
// of the right side, the detail of the selected event the rest.
func (x *Execution) leftWidth() int {
	if x.c.Width < 60 {
		return 0
	}
	w := max(x.c.Width*2/5, 24)
	// Wider, up to 55%, when that is what it takes to draw the graph as boxes rather
	// than an outline, and the history keeps 57 columns (enough for its State column).
	// The graph takes all of that room, where its names are cut less.
	if most := min(x.c.Width*11/20, x.c.Width-58); x.graphMinWidth()+2 > w && x.graphMinWidth()+2 <= most {
		w = most
	}
	return w
}

func (x *Execution) rightWidth() int {
	if l := x.leftWidth(); l > 0 {
		return x.c.Width - l - 1
	}
	return x.c.Width
}

func (x *Execution) tableHeight() int { return max(x.c.BodyHeight()/2, 4) }

func (x *Execution) resize() {
	if x.w != x.c.Width || x.h != x.c.Height || x.table.Width() != x.rightWidth() {
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
		// The table keeps its scroll offset across a change of height, which can leave
		// the cursor's row off screen: going down to it again from the top puts it in
		// view (at the bottom when following).
		x.table.SetCursor(0)
		if x.follow {
			x.table.GotoBottom()
		} else {
			x.table.MoveDown(cursor)
		}
	}
}

func (x *Execution) graphOptions() graph.Options {
	w := x.leftWidth()
	if x.graphFull() {
		w = x.c.Width
	}
	return graph.Options{Width: w - 2, Height: x.c.BodyHeight() - 2, Selected: x.selected,
		Color: x.c.Styles.Color, Painting: x.painting, Mode: graph.Auto, ScrollX: x.scrollX, ScrollY: x.scrollY,
		MapIteration: x.iterations}
}

func (x *Execution) View() string {
	x.resize()
	h := x.c.BodyHeight()
	if x.c.ExecView != viewGraph {
		return x.altView()
	}
	if x.graphFull() {
		return x.graphView(x.c.Width, h)
	}
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
	if x.focus == graphPane {
		title = "[Graph]"
	}
	return box(title, body, w, h, x.focus == graphPane)
}

func (x *Execution) rightView(h int) string {
	w := x.rightWidth()
	th := x.tableHeight()
	top := common.Fit(x.table.View(), w, th) + "\n" + common.Fit(x.statusLine(), w, 1)
	return top + "\n" + common.Fit(x.detailView(w, h-th-1-1), w, h-th-1-1)
}

// statusLine is the line under the history: a question being asked, the export
// prompt, the scrubber, or the count of events.
func (x *Execution) statusLine() string {
	switch {
	case x.export != nil:
		return x.exportLine()
	case x.confirmRedrive:
		return "Redrive this execution? y/n"
	case x.travel:
		return x.travelLine()
	case x.retrying != nil:
		wait := max(x.retryAt.Sub(x.c.Clock()).Round(time.Second), 0)
		return fmt.Sprintf("%d events · retrying in %s (r: now): %s", len(x.events), wait, client.Explain(x.retrying).Summary)
	case x.followErr != nil:
		return fmt.Sprintf("%d events · not following: %s (r: try again)", len(x.events), client.Explain(x.followErr).Summary)
	case x.following && x.follow:
		return fmt.Sprintf("%d events · following", len(x.events))
	}
	return fmt.Sprintf("%d events", len(x.events))
}

// detailView is the area under the history: the data flow of the selected state (d),
// the selected state as of event N (time travel), or the selected event.
func (x *Execution) detailView(w, h int) string {
	x.syncDetail()
	if x.showFlow {
		return x.flow.View(w, h)
	}
	return x.detail.View(w, h)
}

// syncDetail gives the detail panes what they should show now. It runs before they
// draw and before they take a key, so a fold applies to the content on screen.
func (x *Execution) syncDetail() {
	switch {
	case x.showFlow:
		x.refreshFlow()
	case x.travel:
		// Events are never rewritten, so the state, N and the events held decide it.
		at := fmt.Sprint(x.selected, "\x00", x.viewN(), "\x00", len(x.events), "\x00", x.def != nil)
		if at != x.asOfShown {
			x.asOfShown = at
			key, header, sections := x.stateAsOf()
			x.detail.SetContent(key, header, sections)
		}
	default:
		x.asOfShown = ""
		i := x.table.Cursor()
		if i < 0 || i >= len(x.events) {
			x.detail.SetContent("", nil, nil)
			return
		}
		header, sections := history.DetailSections(&x.events[i], x.states[i])
		x.detail.SetContent("event "+strconv.Itoa(i)+"\x00"+x.states[i], []string{header}, sections)
	}
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
