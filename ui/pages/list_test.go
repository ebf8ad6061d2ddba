package pages

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/ansi"

	"github.com/stepdeck/stepdeck/ui/common"
)

// testItem is a row of a test list: a name that tells it apart, and a state.
type testItem struct{ name, state string }

// newTestList is a list of testItems whose third column (a note) shows only on a screen
// 100 columns wide or more, as the machines' and callbacks' extra columns do.
func newTestList(c *common.Common) *itemList[testItem] {
	wide := func() bool { return c.Width >= 100 }
	l := newItemList(c, listSpec[testItem]{
		columns: func() []table.Column {
			cols := []table.Column{{Title: "Name", Width: 20}, {Title: "State", Width: 10}}
			if wide() {
				cols = append(cols, table.Column{Title: "Note", Width: 10})
			}
			return cols
		},
		rows: func(items []testItem) []table.Row {
			rows := make([]table.Row, len(items))
			for i, it := range items {
				rows[i] = table.Row{it.name, it.state}
				if wide() {
					rows[i] = append(rows[i], "note")
				}
			}
			return rows
		},
		id:     func(it testItem) string { return it.name },
		failed: "Could not list the items.",
	})
	return &l
}

func testItems(names ...string) []testItem {
	out := make([]testItem, len(names))
	for i, n := range names {
		out[i] = testItem{name: n, state: "RUNNING"}
	}
	return out
}

func pressList(l *itemList[testItem], keys ...string) {
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		case "up":
			msg = tea.KeyPressMsg{Code: tea.KeyUp}
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		default:
			for _, r := range k {
				l.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			continue
		}
		l.Update(msg)
	}
}

func selectedName(t *testing.T, l *itemList[testItem]) string {
	t.Helper()
	it, ok := l.selected()
	if !ok {
		t.Fatal("nothing selected")
	}
	return it.name
}

func testCommon(w, h int) *common.Common {
	c := common.New(nil, false)
	c.Width, c.Height = w, h
	return c
}

// Items read again with newer ones above: the selection stays on its item; an item gone
// leaves the selection in its place.
func TestListKeepsTheSelectedItemAcrossRefreshes(t *testing.T) {
	l := newTestList(testCommon(80, 24))
	l.setItems(testItems("c", "b", "a"))
	pressList(l, "down")
	if got := selectedName(t, l); got != "b" {
		t.Fatalf("selected %q after one down, want b", got)
	}
	l.setItems(testItems("e", "d", "c", "b", "a"))
	if got := selectedName(t, l); got != "b" {
		t.Fatalf("after newer items came, selected %q, want b", got)
	}
	l.setItems(testItems("e", "d", "c", "a"))
	if got := selectedName(t, l); got != "a" || l.table.Cursor() != 3 {
		t.Fatalf("b gone: selected %q at %d, want the row in its place (a at 3)", got, l.table.Cursor())
	}
	l.setItems(testItems("e"))
	if got := selectedName(t, l); got != "e" {
		t.Fatalf("list shrunk: selected %q, want e", got)
	}
	// An empty list leaves no selection; the next items are selected from the top.
	l.setItems(nil)
	if _, ok := l.selected(); ok {
		t.Fatal("an empty list has a selection")
	}
	l.setItems(testItems("x", "y"))
	if got := selectedName(t, l); got != "x" {
		t.Fatalf("after an empty list, selected %q, want x", got)
	}
}

// A selection far down stays in view when the items it is among are read again.
func TestListKeepsAFarSelectionInView(t *testing.T) {
	c := testCommon(80, 24)
	l := newTestList(c)
	var names []string
	for i := 200; i > 0; i-- {
		names = append(names, fmt.Sprintf("item-%03d", i))
	}
	l.setItems(testItems(names[50:]...))
	for range 60 {
		pressList(l, "down")
	}
	want := selectedName(t, l)
	l.setItems(testItems(names...)) // 50 newer above
	if got := selectedName(t, l); got != want {
		t.Fatalf("selected %q, want %q", got, want)
	}
	if view := ansi.Strip(l.View("", nil, nil)); !strings.Contains(view, want) {
		t.Fatalf("the selected %s is out of view:\n%s", want, view)
	}
}

// The filter narrows the rows as it is typed; the selection maps back to the item shown;
// clearing the filter keeps the selected item.
func TestListFilterSelectsWhatItShows(t *testing.T) {
	l := newTestList(testCommon(80, 24))
	l.setItems(testItems("alpha-1", "beta-2", "alpha-3", "beta-4"))
	pressList(l, "/")
	if !l.Capturing() {
		t.Fatal("/ did not open the field")
	}
	if _, ok := l.pageKey(tea.KeyPressMsg{Code: 'a', Text: "a"}); ok {
		t.Fatal("a key went to the page while the field was open")
	}
	pressList(l, "beta", "enter", "down")
	if l.Capturing() || l.shown() != 2 {
		t.Fatalf("after /beta enter: capturing %v, %d rows", l.Capturing(), l.shown())
	}
	if got := selectedName(t, l); got != "beta-4" {
		t.Fatalf("selected %q, want beta-4", got)
	}
	if !strings.HasSuffix(l.title("List"), "[/beta]") {
		t.Fatalf("title %q", l.title("List"))
	}
	// Read again while filtered: the filter still applies, the selection holds.
	l.setItems(testItems("beta-5", "alpha-1", "beta-2", "alpha-3", "beta-4"))
	if got := selectedName(t, l); got != "beta-4" || l.shown() != 3 {
		t.Fatalf("refreshed while filtered: selected %q of %d rows", got, l.shown())
	}
	if !l.ClearFilter() || l.ClearFilter() {
		t.Fatal("ClearFilter misreported")
	}
	if got := selectedName(t, l); got != "beta-4" || l.shown() != 5 {
		t.Fatalf("filter cleared: selected %q of %d rows, want beta-4 of 5", got, l.shown())
	}
}

// The notes: loading, a first load that failed, nothing to list, nothing matching.
func TestListNotes(t *testing.T) {
	l := newTestList(testCommon(80, 24))
	view := func() string { return ansi.Strip(l.View("Nothing here.", nil, []string{"under"})) }
	if v := view(); !strings.Contains(v, "Loading…") {
		t.Fatalf("before a load:\n%s", v)
	}
	l.loadFailed()
	if v := view(); !strings.Contains(v, "Could not list the items.") || strings.Contains(v, "under") {
		t.Fatalf("after a failed first load:\n%s", v)
	}
	l.setItems(nil)
	v := view()
	if !strings.Contains(v, "Nothing here.") {
		t.Fatalf("empty:\n%s", v)
	}
	// The lines under the table are at the foot of the body.
	lines := strings.Split(v, "\n")
	if len(lines) != l.c.BodyHeight() || strings.TrimSpace(lines[len(lines)-1]) != "under" {
		t.Fatalf("%d lines (body %d), last %q", len(lines), l.c.BodyHeight(), lines[len(lines)-1])
	}
	// A later failure keeps what was read.
	l.setItems(testItems("a"))
	l.loadFailed()
	if v := view(); !strings.Contains(v, " a ") || strings.Contains(v, "Could not") {
		t.Fatalf("a failure after a load:\n%s", v)
	}
	pressList(l, "/", "zzz")
	if v := view(); !strings.Contains(v, "Nothing matches /zzz") {
		t.Fatalf("filtered out:\n%s", v)
	}
}

// Columns come and go with the width, the rows with them, in an order the table can
// draw (a row with more cells than columns would not be), and the selection holds.
func TestListFollowsTheWidth(t *testing.T) {
	c := testCommon(120, 24)
	l := newTestList(c)
	l.setItems(testItems("a", "b", "c"))
	pressList(l, "down")
	for _, w := range []int{80, 120, 60, 200} {
		c.Width = w
		view := ansi.Strip(l.View("", nil, nil))
		wantCells := 2
		if w >= 100 {
			wantCells = 3
		}
		if n := len(l.table.Rows()[0]); n != wantCells || len(l.table.Columns()) != wantCells {
			t.Fatalf("at %d columns: %d cells, %d columns, want %d", w, n, len(l.table.Columns()), wantCells)
		}
		if got := selectedName(t, l); got != "b" {
			t.Fatalf("at %d columns selected %q", w, got)
		}
		if first := strings.Split(view, "\n")[0]; ansi.StringWidth(first) != w {
			t.Fatalf("at %d columns the view is %d wide", w, ansi.StringWidth(first))
		}
	}
}

// A click selects the row under it, the table starting below the lines drawn above it.
func TestListClickBelowLinesAbove(t *testing.T) {
	c := testCommon(80, 24)
	l := newTestList(c)
	l.setItems(testItems("a", "b", "c", "d"))
	above := []string{"one", "two", "three"}
	l.View("", above, nil)
	// Body lines: 3 above, the header and its rule, then a, b, c, d.
	l.Update(tea.MouseClickMsg{X: 5, Y: 3 + tableHeader + 2, Button: tea.MouseLeft})
	if got := selectedName(t, l); got != "c" {
		t.Fatalf("clicked the third row, selected %q", got)
	}
	l.Update(tea.MouseClickMsg{X: 5, Y: 1, Button: tea.MouseLeft})
	if got := selectedName(t, l); got != "c" {
		t.Fatalf("a click above the table selected %q", got)
	}
}

// benchExecutions are n executions, newest first.
func benchExecutions(n int) []types.ExecutionListItem {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]types.ExecutionListItem, n)
	for i := range out {
		start, stop := t0.Add(-time.Duration(i)*time.Minute), t0.Add(-time.Duration(i)*time.Minute+time.Second)
		name := fmt.Sprintf("run-%05d", n-i)
		out[i] = types.ExecutionListItem{Name: aws.String(name), ExecutionArn: aws.String("arn:aws:states:us-east-1:1:execution:m:" + name),
			Status: types.ExecutionStatusSucceeded, StartDate: &start, StopDate: &stop}
	}
	return out
}

// A refresh of a long executions list with the selection in its middle: every row is
// made again and the selected item found. "same": nothing changed; "newer": a newer
// execution comes and goes above the selection, which moves with its item.
func BenchmarkExecutionsRefresh10k(b *testing.B) {
	for _, shift := range []int{0, 1} {
		name := map[int]string{0: "same", 1: "newer"}[shift]
		b.Run(name, func(b *testing.B) {
			c := testCommon(160, 48)
			e := NewExecutions(c, "arn:aws:states:us-east-1:1:stateMachine:m", "m")
			list := benchExecutions(10001)
			e.setItems(list[1:])
			e.table.MoveDown(5000)
			want := aws.ToString(list[5001].Name)
			i := 0
			for b.Loop() {
				e.setItems(list[1-i%2*shift:])
				i++
			}
			if x, _ := e.selected(); aws.ToString(x.Name) != want {
				b.Fatalf("selected %s, want %s", aws.ToString(x.Name), want)
			}
		})
	}
}
