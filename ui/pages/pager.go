package pages

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// Pager shows a long text in full, wrapped to the screen, with search: an error's
// cause, a state's input or output, a task token. esc goes back.
type Pager struct {
	c     *common.Common
	title string
	text  string // sanitized, newlines kept

	lines []string // text wrapped for width
	width int
	top   int

	search    textinput.Model
	searching bool
	query     string
	matches   []int // lines holding the query
	match     int
}

var (
	keyPagerSearch = key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search"))
	keyPagerNext   = key.NewBinding(key.WithKeys("n"), key.WithHelp("n/N", "next/previous match"))
	keyPagerScroll = key.NewBinding(key.WithKeys("up", "down", "pgup", "pgdown", "home", "end"), key.WithHelp("↑↓ pgup/pgdn home/end", "scroll"))
)

// NewPager returns a pager over text titled title.
func NewPager(c *common.Common, title, text string) *Pager {
	in := newInput(c, "/", "")
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	return &Pager{c: c, title: title, text: common.Sanitize(text, true), search: in}
}

// SectionsText is labelled values as the pager shows them: each label, then its value,
// pretty when it is JSON.
func SectionsText(header []string, sections []jsonview.Section) string {
	var b strings.Builder
	for _, h := range header {
		b.WriteString(h + "\n")
	}
	for _, s := range sections {
		b.WriteString("\n" + s.Label + ":\n")
		b.WriteString(jsonview.Pretty(s.Text) + "\n")
	}
	return b.String()
}

func (p *Pager) Init() tea.Cmd   { return nil }
func (p *Pager) Close()          {}
func (p *Pager) Title() string   { return "Text of " + common.Line(p.title, 40) }
func (p *Pager) Capturing() bool { return p.searching }

func (p *Pager) Keys() []key.Binding {
	if p.searching {
		return []key.Binding{keyKeepFilter, keyDropFilter}
	}
	ks := []key.Binding{keyPagerScroll, keyPagerSearch}
	if len(p.matches) > 0 {
		ks = append(ks, keyPagerNext)
	}
	return ks
}

// Prompt is the search field in the status line while it is open.
func (p *Pager) Prompt() (string, bool) {
	if !p.searching {
		return "", false
	}
	return p.search.View(), true
}

func (p *Pager) layout() {
	if p.width == p.c.Width && p.lines != nil {
		return
	}
	p.width = p.c.Width
	p.lines = strings.Split(ansi.Wrap(p.text, max(p.width, 1), " ,;"), "\n")
	p.find()
}

func (p *Pager) find() {
	p.matches = p.matches[:0]
	if p.query == "" {
		return
	}
	for i, l := range p.lines {
		if strings.Contains(strings.ToLower(l), p.query) {
			p.matches = append(p.matches, i)
		}
	}
}

func (p *Pager) Update(msg tea.Msg) (Page, tea.Cmd) {
	p.layout()
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if p.searching {
			var cmd tea.Cmd
			p.search, cmd = p.search.Update(msg)
			return p, cmd
		}
		return p, nil
	}
	if p.searching {
		switch {
		case key.Matches(k, keyKeepFilter):
			p.searching = false
			p.search.Blur()
			p.jump(0)
		case key.Matches(k, keyDropFilter):
			p.searching = false
			p.search.Blur()
		default:
			var cmd tea.Cmd
			p.search, cmd = p.search.Update(k)
			p.query = strings.ToLower(p.search.Value())
			p.find()
			p.jump(0)
			return p, cmd
		}
		return p, nil
	}
	page := max(p.c.BodyHeight()-1, 1)
	switch k.String() {
	case "up", "k":
		p.top--
	case "down", "j":
		p.top++
	case "pgup", "b":
		p.top -= page
	case "pgdown", "space", " ":
		p.top += page
	case "home", "g":
		p.top = 0
	case "end", "G":
		p.top = len(p.lines)
	case "/":
		p.searching = true
		p.search.SetValue(p.query)
		p.search.CursorEnd()
		return p, p.search.Focus()
	case "n":
		p.jump(1)
	case "N":
		p.jump(-1)
	}
	p.clamp()
	return p, nil
}

// jump moves to the next (d=1), previous (-1) or first match at or after the top (0).
func (p *Pager) jump(d int) {
	if len(p.matches) == 0 {
		return
	}
	switch d {
	case 0:
		p.match = 0
		for i, m := range p.matches {
			if m >= p.top {
				p.match = i
				break
			}
		}
	default:
		p.match = (p.match + d + len(p.matches)) % len(p.matches)
	}
	p.top = p.matches[p.match]
	p.clamp()
}

func (p *Pager) clamp() {
	p.top = max(min(p.top, len(p.lines)-p.c.BodyHeight()+1), 0)
}

func (p *Pager) View() string {
	p.layout()
	h := p.c.BodyHeight()
	end := min(p.top+h-1, len(p.lines))
	var b strings.Builder
	for i := p.top; i < end; i++ {
		l := p.lines[i]
		if p.query != "" && p.c.Styles.Color {
			l = highlight(l, p.query, p.c)
		}
		b.WriteString(l + "\n")
	}
	where := fmt.Sprintf("lines %d–%d of %d", p.top+1, end, len(p.lines))
	if p.query != "" {
		where += fmt.Sprintf(" · /%s: %d lines match", common.Line(p.query, 30), len(p.matches))
	}
	return common.Fit(b.String(), p.c.Width, h-1) + "\n" + common.Line(where, p.c.Width)
}

// highlight shows the first occurrence of q (lower case) in l reversed.
func highlight(l, q string, c *common.Common) string {
	i := strings.Index(strings.ToLower(l), q)
	if i < 0 || len(strings.ToLower(l)) != len(l) {
		return l
	}
	return l[:i] + c.Styles.Selected.Render(l[i:i+len(q)]) + l[i+len(q):]
}
