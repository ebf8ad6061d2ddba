package jsonview

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/stepdeck/stepdeck/ui/common"
)

// Model is a pane of labelled JSON values whose objects and arrays fold. The content is
// laid out once per key given to SetContent, so a pane redrawn every frame costs only
// the lines it shows, and folds survive redraws of the same content.
type Model struct {
	styles  common.Styles
	key     string
	all     []line
	folded  map[int]bool // opening lines (indexes into all) that are folded
	visible []int        // indexes into all of the lines shown, in order
	cursor  int          // index into visible
	offset  int          // first visible line on screen
	height  int          // the height of the last View, for paging
	focused bool
	wrapW   int              // the width wraps was made for
	wraps   map[int][]string // rows of the unfolded lines that wrap, by index into all
}

// Keys of the pane, for the footer and the help.
var (
	KeyToggle    = key.NewBinding(key.WithKeys("enter", "space"), key.WithHelp("enter/space", "fold/unfold"))
	KeyFoldAll   = key.NewBinding(key.WithKeys("z"), key.WithHelp("z/Z", "fold all/unfold all"))
	KeyUnfoldAll = key.NewBinding(key.WithKeys("Z"), key.WithHelp("Z", "unfold all"))
	keyUp        = key.NewBinding(key.WithKeys("up", "k"))
	keyDown      = key.NewBinding(key.WithKeys("down", "j"))
	keyPageUp    = key.NewBinding(key.WithKeys("pgup", "ctrl+b"))
	keyPageDown  = key.NewBinding(key.WithKeys("pgdown", "ctrl+f"))
	keyTop       = key.NewBinding(key.WithKeys("home", "g"))
	keyBottom    = key.NewBinding(key.WithKeys("end", "G"))
)

// New returns an empty pane.
func New(styles common.Styles) *Model {
	return &Model{styles: styles, folded: map[int]bool{}, wraps: map[int][]string{}}
}

// SetContent shows header lines (plain text, sanitized here) and sections. A call with
// the key of the content already shown does nothing, keeping folds and scrolling; a new
// key lays the content out again, unfolded, from the top.
func (m *Model) SetContent(key string, header []string, sections []Section) {
	if key == m.key && m.all != nil {
		return
	}
	m.key = key
	m.all = flatten(header, sections)
	m.folded = map[int]bool{}
	m.cursor, m.offset = 0, 0
	m.wraps = map[int][]string{}
	m.relayout(-1)
}

// SetFocused shows the cursor line highlighted; only a focused pane should get keys.
func (m *Model) SetFocused(f bool) { m.focused = f }

// Lines is the number of lines shown with the current folds.
func (m *Model) Lines() int { return len(m.visible) }

// Update handles a key and reports whether it was the pane's.
func (m *Model) Update(k tea.KeyPressMsg) bool {
	page := max(m.height-1, 1)
	switch {
	case key.Matches(k, KeyToggle):
		m.Toggle()
	case key.Matches(k, KeyFoldAll):
		m.FoldAll()
	case key.Matches(k, KeyUnfoldAll):
		m.UnfoldAll()
	case key.Matches(k, keyUp):
		m.move(-1)
	case key.Matches(k, keyDown):
		m.move(1)
	case key.Matches(k, keyPageUp):
		m.move(-page)
	case key.Matches(k, keyPageDown):
		m.move(page)
	case key.Matches(k, keyTop):
		m.move(-len(m.visible))
	case key.Matches(k, keyBottom):
		m.move(len(m.visible))
	default:
		return false
	}
	return true
}

func (m *Model) move(d int) {
	m.cursor = min(max(m.cursor+d, 0), max(len(m.visible)-1, 0))
}

// Toggle folds or unfolds the container whose opening or closing line has the cursor.
func (m *Model) Toggle() {
	if m.cursor >= len(m.visible) {
		return
	}
	i := m.visible[m.cursor]
	if o := m.all[i].open; o >= 0 {
		i = o // the closing line folds its container, which then shows as one line
	}
	if m.all[i].close < 0 {
		return
	}
	m.folded[i] = !m.folded[i]
	m.relayout(i)
}

// FoldAll folds every object and array nested in a section's value, leaving the
// values themselves open, so each shows its members one line each.
func (m *Model) FoldAll() {
	at := m.cursorLine()
	for i := range m.all {
		if m.all[i].close >= 0 && m.all[i].level >= 1 {
			m.folded[i] = true
		}
	}
	m.relayout(at)
}

// UnfoldAll opens every container.
func (m *Model) UnfoldAll() {
	at := m.cursorLine()
	m.folded = map[int]bool{}
	m.relayout(at)
}

func (m *Model) cursorLine() int {
	if m.cursor < len(m.visible) {
		return m.visible[m.cursor]
	}
	return -1
}

// relayout recomputes the visible lines and puts the cursor back on line at (an index
// into all), or on the nearest line shown before it when at was folded away. The
// offset is left alone so the text does not jump; View only moves it if the cursor
// would leave the screen.
func (m *Model) relayout(at int) {
	m.visible = m.visible[:0]
	m.cursor = 0
	for i := 0; i < len(m.all); i++ {
		if i <= at {
			m.cursor = len(m.visible)
		}
		m.visible = append(m.visible, i)
		if m.folded[i] {
			i = m.all[i].close
		}
	}
}

// View renders the pane in width x height cells. A line too long for the pane wraps
// onto the rows under it, indented under its start, so a long string (a cause, a
// token) can be read whole; the cursor moves by lines, not rows.
func (m *Model) View(width, height int) string {
	m.height = height
	if height <= 0 {
		return ""
	}
	if m.wrapW != width {
		m.wrapW, m.wraps = width, map[int][]string{}
	}
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	// the cursor's line and the lines from the offset to it must fit
	used := 0
	for j := m.cursor; j >= m.offset && j < len(m.visible); j-- {
		if used += len(m.rows(j)); used > height {
			m.offset = j + 1
			break
		}
	}
	// no empty rows at the bottom while there are lines above the offset
	used = 0
	for j := m.offset; j < len(m.visible) && used < height; j++ {
		used += len(m.rows(j))
	}
	for m.offset > 0 && used+len(m.rows(m.offset-1)) <= height {
		m.offset--
		used += len(m.rows(m.offset))
	}
	var b strings.Builder
	n := 0
	for j := m.offset; j < len(m.visible) && n < height; j++ {
		for _, text := range m.rows(j) {
			if n == height {
				break
			}
			if n > 0 {
				b.WriteByte('\n')
			}
			if m.focused && j == m.cursor {
				text = m.styles.Selected.Render(common.Fit(text, width, 1))
			}
			b.WriteString(text)
			n++
		}
	}
	return b.String()
}

// rows is visible line j as drawn at the last width: one row, or more when it wraps.
func (m *Model) rows(j int) []string {
	i := m.visible[j]
	if r, ok := m.wraps[i]; ok && !m.folded[i] {
		return r
	}
	r := wrapLine(m.all[i].render(m.folded[i]), m.all[i].depth, m.wrapW)
	if !m.folded[i] {
		m.wraps[i] = r
	}
	return r
}

// wrapLine cuts s into rows of width cells, the rows after the first indented two
// cells past depth.
func wrapLine(s string, depth, width int) []string {
	if width <= 0 || ansi.StringWidth(s) <= width {
		return []string{s}
	}
	ind := min(depth*2+2, width/2)
	out := []string{ansi.Truncate(s, width, "")}
	rest := ansi.TruncateLeft(s, width, "")
	pad := strings.Repeat(" ", ind)
	for rest != "" {
		out = append(out, pad+ansi.Truncate(rest, width-ind, ""))
		rest = ansi.TruncateLeft(rest, width-ind, "")
	}
	return out
}
