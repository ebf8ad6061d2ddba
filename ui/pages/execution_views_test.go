package pages

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/stepdeck/stepdeck/examples"
	"github.com/stepdeck/stepdeck/interpreter/conformance"
	hist "github.com/stepdeck/stepdeck/interpreter/history"
)

var viewSizes = [][2]int{{80, 24}, {120, 40}, {200, 60}}

// recorded is an AWS recording of the conformance data, found by a part of its id,
// with made-up times: one second between events (the normalization replaced the
// recorded ones).
func recorded(t *testing.T, idPart string) (def string, evs []types.HistoryEvent) {
	t.Helper()
	root := conformance.DataDir(t, "asl")
	for _, area := range []string{"self_contained", "external"} {
		cases, err := conformance.Load(filepath.Join(root, area))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range conformance.Executions(cases) {
			if !strings.Contains(c.ID, idPart) || len(c.Expected.Events) == 0 {
				continue
			}
			events, err := conformance.HistoryEvents(c.Expected.Events)
			if err != nil {
				t.Fatalf("%s: %v", c.ID, err)
			}
			t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			for i := range events {
				events[i].Timestamp = t0.Add(time.Duration(i) * time.Second)
			}
			return string(c.Definition), hist.ToSDKAll(events)
		}
	}
	t.Fatalf("no recording has %q in its id", idPart)
	return "", nil
}

// viewKeys are the keys that reach each view from the graph.
var viewKeySeqs = []struct {
	name string
	keys []string
}{
	{"graph-full", []string{"z"}},
	{"table", []string{"v"}},
	{"events", []string{"v", "v"}},
	{"timeline", []string{"v", "v", "v"}},
}

// TestGoldenViewsOfAWSRecordings draws each view of executions recorded on AWS, a
// Parallel whose branch waited for a callback, a Parallel retried, an inline Map, a
// Map retried, a distributed Map and a Map of timed-out Lambda tasks, at three sizes
// (go test ./ui/pages -update rewrites the files).
func TestGoldenViewsOfAWSRecordings(t *testing.T) {
	cases := map[string]string{
		"callback-parallel": "SQS_PARALLEL_WAIT_FOR_TASK_TOKEN",
		"parallel-retry":    "test_parallel_state_retry",
		"inline-map":        "test_map_state_break_condition]",
		"map-retry":         "test_map_state_retry_multiple_retriers",
		"distributed-map":   "MAP_STATE_REFERENCE_IN_MAX_ITEMS_PATH",
		"map-timeout":       "test_service_lambda_map_timeout",
		"map-catch-retry":   "MAP_CATCH_ERROR_OUTPUT_WITH_RETRY",
	}
	for name, id := range cases {
		def, evs := recorded(t, strings.TrimSuffix(id, "]"))
		for _, v := range viewKeySeqs {
			for _, sz := range viewSizes {
				t.Run(fmt.Sprintf("%s-%s_%dx%d", name, v.name, sz[0], sz[1]), func(t *testing.T) {
					x := newPage(t, def, sz[0], sz[1])
					x.c.ExecView = viewGraph
					feed(x, evs)
					send(x, v.keys...)
					out := x.View()
					checkFits(t, out, sz[0], x.c.BodyHeight())
					golden.RequireEqual(t, []byte(out))
				})
			}
		}
	}
}

func checkFits(t *testing.T, out string, w, h int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if len(lines) > h {
		t.Errorf("%d lines, the body has %d", len(lines), h)
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Errorf("line %d is %d wide (of %d): %q", i, ansi.StringWidth(l), w, l)
		}
	}
}

// TestViewIsRemembered: the view chosen on one execution is the one the next opens in.
func TestViewIsRemembered(t *testing.T) {
	x := newPage(t, mapDef, 120, 40)
	send(x, "v", "v")
	y := NewExecution(x.c, "arn:aws:states:us-east-1:123456789012:execution:m:run-2")
	y.def = x.def
	if !strings.Contains(screen(y), "[Events]") {
		t.Fatalf("the next execution does not open in the events view:\n%s", screen(y))
	}
}

// TestEventsFilters: failures only, one state, one type, and text, each narrowing the
// list, and esc clearing them.
func TestEventsFilters(t *testing.T) {
	def, evs := recorded(t, "test_map_state_retry_multiple_retriers")
	x := newPage(t, def, 120, 40)
	x.c.ExecView = viewGraph
	feed(x, evs)
	send(x, "v", "v")
	all := len(x.views().evRows)
	send(x, "F")
	failed := x.views().evRows
	if len(failed) == 0 || len(failed) >= all {
		t.Fatalf("failures only: %d of %d", len(failed), all)
	}
	for _, i := range failed {
		if !isFailure(x.events[i].Type) {
			t.Errorf("event %d (%s) is not a failure", x.events[i].ID, x.events[i].Type)
		}
	}
	send(x, "F", "home", "down", "S") // the state of the second event
	st := x.views().onlyState
	for _, i := range x.views().evRows {
		if x.states[i] != st {
			t.Errorf("event %d is in %q, not %q", x.events[i].ID, x.states[i], st)
		}
	}
	send(x, "S", "T")
	if n := len(x.views().evRows); n == 0 || n >= all {
		t.Errorf("one type: %d of %d", n, all)
	}
	send(x, "T", "/")
	if !x.Capturing() {
		t.Fatal("the text filter does not have the keyboard")
	}
	for _, r := range "handleitem" {
		x.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	x.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if n := len(x.views().evRows); n == 0 || n >= all {
		t.Errorf("text: %d of %d", n, all)
	}
	if !x.ClearFilter() || len(x.views().evRows) != all {
		t.Errorf("esc leaves %d of %d", len(x.views().evRows), all)
	}
}

// TestTableSortsAndFindsTheFirstFailure.
func TestTableSortsAndFindsTheFirstFailure(t *testing.T) {
	def, evs := recorded(t, "test_map_state_break_condition")
	x := newPage(t, def, 120, 40)
	x.c.ExecView = viewGraph
	feed(x, evs)
	send(x, "v", "E")
	v := x.views()
	r := v.tableRows[v.table.cursor]
	if r.Visit < 0 || v.tl.Visits[r.Visit].Status != 2 {
		t.Fatalf("E put the cursor on row %d, not a failed visit", v.table.cursor)
	}
	send(x, "s", "s") // by duration
	prev := time.Duration(1 << 62)
	for _, r := range v.tableRows {
		d := visitDur(&v.tl.Visits[r.Visit], x.c.Clock())
		if d > prev {
			t.Fatalf("by duration: %s after %s", d, prev)
		}
		prev = d
	}
	mustShow(t, screen(x), "by duration")
}

// TestTimelineZoomAndCursor: + halves the window around the cursor, the status line
// shows the cursor's time, 0 shows everything again.
func TestTimelineZoomAndCursor(t *testing.T) {
	def, evs := recorded(t, "test_map_state_break_condition")
	x := newPage(t, def, 120, 40)
	x.c.ExecView = viewGraph
	feed(x, evs)
	send(x, "v", "v", "v")
	_ = x.View()
	x.Update(tea.KeyPressMsg{Code: tea.KeyRight})
	_ = x.View()
	mustShow(t, screen(x), "cursor +")
	send(x, "+")
	v := x.views()
	all0, all1 := v.tl.Window(x.c.Clock())
	if got, want := v.to.Sub(v.from), all1.Sub(all0)/2; got != want {
		t.Errorf("zoomed window %s, want %s", got, want)
	}
	mustShow(t, screen(x), "zoomed")
	send(x, "0")
	if !v.from.IsZero() {
		t.Error("0 does not show everything")
	}
}

// TestPagerShowsTheCauseInFull: p opens the selected event's cause wrapped, and /
// finds a word in it.
func TestPagerShowsTheCauseInFull(t *testing.T) {
	def, evs := recorded(t, "MAP_CATCH_ERROR_OUTPUT_WITH_RETRY")
	x := newPage(t, def, 80, 24)
	x.c.ExecView = viewGraph
	feed(x, evs)
	send(x, "v", "v", "F")
	v := x.views()
	cause := ""
	for k, i := range v.evRows {
		if c, ok := x.events[i].Cause(); ok && len(c) > 80 {
			v.events.cursor, cause = k, c
			break
		}
	}
	if cause == "" {
		t.Fatal("no failure with a long cause")
	}
	var cmd tea.Cmd
	_, cmd = x.Update(tea.KeyPressMsg{Code: 'p', Text: "p"})
	if cmd == nil {
		t.Fatal("p did nothing")
	}
	msg, ok := cmd().(OpenMsg)
	if !ok {
		t.Fatal("p did not open a page")
	}
	p := msg.Page.(*Pager)
	text := ansi.Strip(p.View())
	for _, l := range strings.Split(text, "\n") {
		if ansi.StringWidth(l) > 80 {
			t.Errorf("a line %d wide: %q", ansi.StringWidth(l), l)
		}
	}
	joined := strings.Join(p.lines, "")
	if !strings.Contains(joined, "Cause:") || !strings.Contains(strings.ReplaceAll(joined, " ", ""), strings.ReplaceAll(cause, " ", "")[:60]) {
		t.Fatalf("the cause is not in the pager in full:\n%s", text)
	}
	p.Update(tea.KeyPressMsg{Code: '/', Text: "/"})
	for _, r := range "raised" {
		p.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	p.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if len(p.matches) == 0 || !strings.Contains(ansi.Strip(p.View()), "lines match") {
		t.Errorf("search found nothing:\n%s", ansi.Strip(p.View()))
	}
}

// TestResizeKeepsTheFollowedEventInView: the newest event stays on screen when the
// terminal shrinks or grows under a followed execution.
func TestResizeKeepsTheFollowedEventInView(t *testing.T) {
	x := newPage(t, loopDef, 200, 60)
	x.c.ExecView = viewGraph
	evs := loopEvents(301)
	feed(x, evs)
	// the table's row (the detail's "Event 301  Type" has two spaces, a row three or more)
	row := regexp.MustCompile(`(^|\s)` + strconv.Itoa(int(evs[len(evs)-1].Id)) + `\s{3,}` + string(evs[len(evs)-1].Type)[:4])
	for _, sz := range [][2]int{{200, 60}, {80, 24}, {120, 40}, {60, 16}, {200, 60}} {
		x.c.Width, x.c.Height = sz[0], sz[1]
		s := screen(x)
		if !row.MatchString(s) {
			t.Fatalf("at %dx%d the followed event's row is out of view:\n%s", sz[0], sz[1], s)
		}
	}
}

// TestTwoBranchParallelIsBoxesAt120: the document sign-off (a Parallel of two branches)
// is drawn as boxes, not an outline, at 120 columns: the graph pane widens for it.
func TestTwoBranchParallelIsBoxesAt120(t *testing.T) {
	var def string
	list, _ := examples.All()
	for _, ex := range list {
		if ex.Name == "document-sign-off" {
			def = ex.Definition
		}
	}
	x := newPage(t, def, 120, 40)
	x.c.ExecView = viewGraph
	s := screen(x)
	mustShow(t, s, "┌ Parallel", "Collect S", "Check Bud")
	if strings.Contains(s, "│ branch 1") {
		t.Errorf("an outline at 120 columns:\n%s", s)
	}
	if x.rightWidth() < 57 {
		t.Errorf("the history kept %d columns", x.rightWidth())
	}
}

// TestReloadStartsTheViewsAgain: coming back to the page (which reads the history
// again from the start) draws every view from the new events, not stale rows.
func TestReloadStartsTheViewsAgain(t *testing.T) {
	def, evs := recorded(t, "test_map_state_break_condition")
	for _, keys := range [][]string{{"v"}, {"v", "v"}, {"v", "v", "v"}} {
		x := newPage(t, def, 120, 40)
		x.c.ExecView = viewGraph
		feed(x, evs)
		send(x, keys...)
		_ = x.View()
		x.events, x.states, x.rows = nil, nil, nil // what Init does
		_ = x.View()
		feed(x, evs[:5])
		_ = x.View()
		if n := len(x.views().tl.Visits); n > 3 {
			t.Errorf("%v: %d visits after a reload with 5 events", keys, n)
		}
	}
}

// TestViewsFollowARunningExecution: while following, the newest row of each view is
// selected as events arrive; a move up stops following, and f starts it again.
func TestViewsFollowARunningExecution(t *testing.T) {
	def, evs := recorded(t, "test_map_state_break_condition")
	for _, keys := range [][]string{{"v"}, {"v", "v"}, {"v", "v", "v"}} {
		x := newPage(t, def, 120, 40)
		x.c.ExecView = viewGraph
		feed(x, evs[:10])
		send(x, keys...)
		_ = x.View()
		feed(x, evs[10:20])
		_ = x.View()
		cursor := func() (int, int) {
			v := x.views()
			switch x.c.ExecView {
			case viewTable:
				return v.table.cursor, len(v.tableRows)
			case viewEvents:
				return v.events.cursor, len(v.evRows)
			}
			return v.line.cursor, len(v.tlRows)
		}
		if c, n := cursor(); c != n-1 {
			t.Fatalf("%v: following, the cursor is on row %d of %d", keys, c, n)
		}
		send(x, "up")
		feed(x, evs[20:])
		_ = x.View()
		if c, n := cursor(); c == n-1 || x.follow {
			t.Errorf("%v: after up, still following (row %d of %d)", keys, c, n)
		}
		send(x, "f")
		_ = x.View()
		if c, n := cursor(); c != n-1 {
			t.Errorf("%v: f does not follow again (row %d of %d)", keys, c, n)
		}
	}
}

// TestResizeKeepsTheSelectedEventInView: an event picked in the middle of the history
// stays on screen across resizes too.
func TestResizeKeepsTheSelectedEventInView(t *testing.T) {
	x := newPage(t, loopDef, 200, 60)
	x.c.ExecView = viewGraph
	evs := loopEvents(301)
	feed(x, evs)
	for range 120 {
		send(x, "up")
	}
	i := x.table.Cursor()
	row := regexp.MustCompile(`(^|\s)` + strconv.Itoa(int(evs[i].Id)) + `\s{3,}` + string(evs[i].Type)[:4])
	for _, sz := range [][2]int{{80, 24}, {200, 60}, {120, 40}, {60, 16}, {160, 48}} {
		x.c.Width, x.c.Height = sz[0], sz[1]
		if s := screen(x); !row.MatchString(s) || x.table.Cursor() != i {
			t.Fatalf("at %dx%d the selected event %d is out of view (cursor %d):\n%s", sz[0], sz[1], evs[i].Id, x.table.Cursor(), s)
		}
	}
}

// TestCopyInTheViews: y copies the event selected in the events view, and the visit
// selected in the table.
func TestCopyInTheViews(t *testing.T) {
	def, evs := recorded(t, "test_map_state_break_condition")
	x := newPage(t, def, 120, 40)
	x.c.ExecView = viewGraph
	feed(x, evs)
	send(x, "v", "v", "home", "down")
	what, text, ok := x.Copy()
	if !ok || what != "event "+string(evs[1].Type) || !strings.Contains(text, `"id": 2`) {
		t.Errorf("events view copies %q: %s", what, text)
	}
	send(x, "V", "home")
	what, text, ok = x.Copy()
	if !ok || !strings.Contains(text, "StartState") || !strings.Contains(text, "Input:") {
		t.Errorf("table view copies %q: %s", what, text)
	}
}
