package pages

import (
	"context"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/ui/common"
)

// itemList is the list every list page is built on (state machines, executions, pending
// callbacks, activities, versions and aliases, a Map Run's children). A page embeds it
// and gives it what differs (listSpec): its columns, how an item makes a row, what tells
// items apart; it keeps its own keys and how it loads.
//
// The list owns the rest: the table and its layout, the / filter (so the page is a
// Prompter and a Clearer, and Capturing while the field is open), the keys every list
// takes (arrows, mouse, /), the note drawn in place of rows while loading, when there
// are none and when the first load failed, the selection, which stays on its item when
// the items are read again, and the lifetime of the page's loads (a context cancelled on
// Close, a generation that retires the answers of loads made before).
type itemList[T any] struct {
	c      *common.Common
	spec   listSpec[T]
	table  table.Model
	filter listFilter
	items  []T
	loaded bool // items were read at least once
	failed bool // the first load failed: the note says so rather than "Loading…"

	// width and height are the table's size as last laid out; reserved is how many body
	// lines the page drew around the table at the last view, top how many above it.
	width, height, reserved, top int

	ctx    context.Context
	cancel context.CancelFunc
	gen    int
}

// listSpec is what a page tells its list.
type listSpec[T any] struct {
	// columns are the table's columns for the width now (c.Width).
	columns func() []table.Column
	// rows are the rows of items, a row each, with as many cells as columns has.
	rows func(items []T) []table.Row
	// id tells items apart, so that the selection stays on its item when the list is
	// read again; the selection keeps its place when the item is gone.
	id func(T) string
	// failed is the note of a list whose first load failed (the error itself is in the
	// status line).
	failed string
}

func newItemList[T any](c *common.Common, spec listSpec[T]) itemList[T] {
	return itemList[T]{c: c, spec: spec, filter: newListFilter(c),
		table: newTable(c, spec.columns(), c.Width, c.BodyHeight())}
}

// begin starts the page's loads afresh (its Init): loads still running are cancelled,
// and gen moves on, so that the page drops answers that carry an older one.
func (l *itemList[T]) begin() {
	l.Close()
	l.ctx, l.cancel = context.WithCancel(context.Background())
	l.gen++
}

// Close stops the page's loads.
func (l *itemList[T]) Close() {
	if l.cancel != nil {
		l.cancel()
	}
}

// setItems replaces the items with a list just read; the selection stays on its item.
func (l *itemList[T]) setItems(items []T) {
	s := l.selection()
	l.items, l.loaded, l.failed = items, true, false
	l.show(s)
}

// appendItems adds items after those held (an older page, an item looked up).
func (l *itemList[T]) appendItems(items ...T) {
	s := l.selection()
	l.items = append(l.items, items...)
	l.show(s)
}

// clearItems forgets the items, to be read again from nothing (what they are has
// changed: a status filter): the list says it is loading.
func (l *itemList[T]) clearItems() {
	l.items, l.loaded, l.failed = nil, false, false
	l.show(selection{})
}

// loadFailed notes that a load failed: a list that never loaded says so in place of
// "Loading…"; one that did keeps what it has.
func (l *itemList[T]) loadFailed() { l.failed = !l.loaded }

// refresh draws the rows again, after items changed in place or what the rows show
// did.
func (l *itemList[T]) refresh() { l.show(l.selection()) }

// selected is the item of the selected row.
func (l *itemList[T]) selected() (T, bool) {
	i := l.filter.Index(l.table.Cursor())
	if i < 0 || i >= len(l.items) {
		var none T
		return none, false
	}
	return l.items[i], true
}

// shown is how many rows the filter keeps.
func (l *itemList[T]) shown() int { return len(l.table.Rows()) }

// nearEnd reports a selection within a screen of the last row shown: time to read the
// next page.
func (l *itemList[T]) nearEnd() bool {
	return l.table.Cursor() >= l.shown()-l.c.BodyHeight()
}

// onScreen are the indexes of the items whose rows are within a screen of the
// selection: what a page loads lazily for.
func (l *itemList[T]) onScreen() []int {
	h, cur := l.c.BodyHeight(), l.table.Cursor()
	var out []int
	for r := max(cur-h, 0); r < min(cur+h, l.shown()); r++ {
		if i := l.filter.Index(r); i >= 0 && i < len(l.items) {
			out = append(out, i)
		}
	}
	return out
}

// Capturing reports the filter field open: it has the keyboard.
func (l *itemList[T]) Capturing() bool { return l.filter.open }

// Prompt is the filter field, for the status line.
func (l *itemList[T]) Prompt() (string, bool) { return l.filter.Prompt() }

// ClearFilter drops the filter in force; the selection stays on its item.
func (l *itemList[T]) ClearFilter() bool {
	s := l.selection()
	if !l.filter.Clear() {
		return false
	}
	l.show(s)
	return true
}

// title decorates the page's title with the filter in force.
func (l *itemList[T]) title(t string) string { return l.filter.Title(t) }

// keys are the footer's keys: the field's while it is open, else ↑/↓, the page's keys
// that come before /, /, and those after it.
func (l *itemList[T]) keys(before []key.Binding, after ...key.Binding) []key.Binding {
	if l.filter.open {
		return l.filter.Keys()
	}
	ks := append([]key.Binding{keyUpDown}, before...)
	ks = append(ks, keySlash)
	return append(ks, after...)
}

// pageKey is msg as a key for the page's own bindings; none while the filter field has
// the keyboard. A page looks at its keys first, then gives what it did not use to
// Update.
func (l *itemList[T]) pageKey(msg tea.Msg) (tea.KeyPressMsg, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	return k, ok && !l.filter.open
}

// Update does with msg what every list does: the open filter field takes it (the rows
// are filtered again as it changes, the selection back at the top), the mouse and the
// arrows move the selection, / opens the field.
func (l *itemList[T]) Update(msg tea.Msg) tea.Cmd {
	l.layout()
	if l.filter.open {
		changed, cmd := l.filter.Update(msg)
		if changed {
			l.show(selection{})
			l.table.SetCursor(0)
		}
		return cmd
	}
	if listMouse(l.c, &l.table, l.top, msg) {
		return nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, keySlash) {
		return l.filter.Open()
	}
	var cmd tea.Cmd
	l.table, cmd = l.table.Update(msg)
	return cmd
}

// View draws the list as the page body: lines above the table (a summary) and under it
// (what could not be read), and in place of rows a note while the list loads, when its
// first load failed, or when it has no rows to show (empty says why; the filter says
// when it hid them all).
func (l *itemList[T]) View(empty string, above, under []string) string {
	if l.failed {
		under = nil // the failure's note says where the reason is
	}
	l.reserved, l.top = len(above)+len(under), len(above)
	l.layout()
	body := l.table.View()
	switch {
	case l.failed:
		body = withNote(body, l.spec.failed)
	case !l.loaded:
		body = withNote(body, "Loading…")
	case l.shown() == 0:
		body = withNote(body, l.filter.EmptyNote(empty))
	}
	if len(under) > 0 {
		// The lines under the table go at the foot of the body, below the note too.
		body = common.Fit(body, l.c.Width, max(l.c.BodyHeight()-l.reserved, 0))
	}
	lines := append(append(append([]string(nil), above...), body), under...)
	return common.Fit(strings.Join(lines, "\n"), l.c.Width, l.c.BodyHeight())
}

// layout fits the table to the body, less the lines the page draws around it, when
// that size changed: columns and rows are made again for the width.
func (l *itemList[T]) layout() {
	w, h := l.c.Width, max(l.c.BodyHeight()-l.reserved, 3)
	if w == l.width && h == l.height {
		return
	}
	l.width, l.height = w, h
	s := l.selection()
	l.table.SetWidth(w)
	l.table.SetHeight(h)
	l.show(s)
}

// selection is the selected row: its item, told by the spec's id, and its place.
type selection struct {
	id string
	at int
}

func (l *itemList[T]) selection() selection {
	s := selection{at: l.table.Cursor()}
	if i := l.filter.Index(s.at); l.spec.id != nil && i >= 0 && i < len(l.items) {
		s.id = l.spec.id(l.items[i])
	}
	return s
}

// show puts the rows of the items the filter keeps in the table, with the columns for
// the width now, and selects s again: its item where it is still shown, else its place.
func (l *itemList[T]) show(s selection) {
	cols := l.spec.columns()
	rows := l.filter.Apply(l.spec.rows(l.items))
	// The table draws each row cell by cell against its columns: a row may have fewer
	// cells than there are columns, never more. So when columns go (a narrower screen)
	// the rows change first, else the columns. Each change draws the rows on screen
	// again: columns that did not change are left alone.
	switch old := l.table.Columns(); {
	case slices.Equal(cols, old):
		l.table.SetRows(rows)
	case len(cols) < len(old):
		l.table.SetRows(rows)
		l.table.SetColumns(cols)
	default:
		l.table.SetColumns(cols)
		l.table.SetRows(rows)
	}
	target := min(max(s.at, 0), len(rows)-1)
	if s.id != "" {
		for r := range rows {
			if l.spec.id(l.items[l.filter.Index(r)]) == s.id {
				target = r
				break
			}
		}
	}
	moveCursor(&l.table, target)
}

// moveCursor selects row target by moving to it rather than setting the cursor: moving
// keeps the table's own scrolling, so the row is in view.
func moveCursor(t *table.Model, target int) {
	if target < 0 {
		return
	}
	if d := target - t.Cursor(); d > 0 {
		t.MoveDown(d)
	} else if d < 0 {
		t.MoveUp(-d)
	}
}

// fillWidth is the width left to a list's one column that takes the room the fixed
// ones leave (a name): the table pads each cell by one on both sides.
func fillWidth(width int, fixed []table.Column) int {
	used := 2
	for _, c := range fixed {
		used += c.Width + 2
	}
	return max(width-used-2, 8)
}
