package pages

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/ui/common"
)

// Prompter is a page with a one-line field that the root shows in the status line (the
// / filter); ok is false while no field is open.
type Prompter interface {
	Prompt() (line string, ok bool)
}

// Clearer is a page that can drop a narrowing of its own (an active filter) when esc is
// pressed, instead of the root going back; it reports whether there was one.
type Clearer interface {
	ClearFilter() bool
}

var (
	keySlash      = key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter"))
	keyKeepFilter = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter"))
	keyDropFilter = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter"))
)

// listFilter narrows a list page's rows to those whose visible cells contain the typed
// text, ignoring case. The page keeps all its rows and shows the kept ones; shown maps
// a table row back to the page's own row.
type listFilter struct {
	input textinput.Model
	open  bool
	query string // lower-cased, what rows are matched against
	shown []int
}

func newListFilter(c *common.Common) listFilter {
	in := newInput(c, "/", "")
	in.CharLimit = 200
	// A steady cursor: a blinking one redraws the screen twice a second for nothing.
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	return listFilter{input: in}
}

// Open gives the field the keyboard, starting from the filter in force.
func (f *listFilter) Open() tea.Cmd {
	f.open = true
	f.input.SetValue(f.query)
	f.input.CursorEnd()
	return f.input.Focus()
}

// Active reports a filter in force, open or not.
func (f *listFilter) Active() bool { return f.query != "" }

// Clear drops the filter and closes the field; it reports whether anything changed.
func (f *listFilter) Clear() bool {
	had := f.open || f.query != ""
	f.open, f.query = false, ""
	f.input.SetValue("")
	f.input.Blur()
	return had
}

// Update handles a key while the field is open. changed says the rows must be
// filtered again.
func (f *listFilter) Update(msg tea.Msg) (changed bool, cmd tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, keyKeepFilter):
			f.open = false
			f.input.Blur()
			return false, nil
		case key.Matches(k, keyDropFilter):
			return f.Clear(), nil
		}
	}
	f.input, cmd = f.input.Update(msg)
	q := strings.ToLower(f.input.Value())
	changed, f.query = q != f.query, q
	return changed, cmd
}

// Apply keeps the rows that match and remembers where each came from.
func (f *listFilter) Apply(rows []table.Row) []table.Row {
	f.shown = f.shown[:0]
	kept := rows[:0:0]
	for i, r := range rows {
		if matchRow(r, f.query) {
			kept = append(kept, r)
			f.shown = append(f.shown, i)
		}
	}
	return kept
}

// Index maps the table's row i back to the page's row, or -1.
func (f *listFilter) Index(i int) int {
	if i < 0 || i >= len(f.shown) {
		return -1
	}
	return f.shown[i]
}

// Keys are the field's bindings while it is open.
func (f *listFilter) Keys() []key.Binding { return []key.Binding{keyKeepFilter, keyDropFilter} }

// Prompt is the field as the status line shows it.
func (f *listFilter) Prompt() (string, bool) {
	if !f.open {
		return "", false
	}
	return f.input.View(), true
}

// Title decorates a page title with the filter in force.
func (f *listFilter) Title(t string) string {
	if f.query == "" {
		return t
	}
	return t + " [/" + common.Line(f.query, 30) + "]"
}

// matchRow reports whether any cell contains q (already lower-cased).
func matchRow(r table.Row, q string) bool {
	if q == "" {
		return true
	}
	for _, cell := range r {
		if strings.Contains(strings.ToLower(cell), q) {
			return true
		}
	}
	return false
}

// EmptyNote is what an empty list says: its own note, or that the filter hid every row.
func (f *listFilter) EmptyNote(note string) string {
	if f.query == "" {
		return note
	}
	return "Nothing matches /" + common.Line(f.query, 30) + " (esc clears the filter)."
}
