package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/pages"
)

// The help is modal: while it is open every key is its own (scrolling, / to search,
// ? or esc to close, q and ctrl+c to quit), so nothing reaches the screen behind it.
type helpState struct {
	query     string // lower case
	searching bool
	top       int
}

// helpKey handles a key while the help is open.
func (a *App) helpKey(k tea.KeyPressMsg) tea.Cmd {
	h := &a.helpSt
	s := k.String()
	if s == "ctrl+c" {
		a.closeAll()
		return tea.Quit
	}
	if h.searching {
		switch s {
		case "enter":
			h.searching = false
		case "esc":
			h.searching, h.query = false, ""
		case "backspace":
			if r := []rune(h.query); len(r) > 0 {
				h.query = string(r[:len(r)-1])
			}
		default:
			if k.Text != "" {
				h.query += strings.ToLower(k.Text)
			}
		}
		h.top = 0
		return nil
	}
	switch s {
	case "?", "esc":
		if s == "esc" && h.query != "" {
			h.query = ""
			return nil
		}
		a.help, a.helpSt = false, helpState{}
	case "q":
		a.closeAll()
		return tea.Quit
	case "/":
		h.searching = true
	case "up", "k":
		h.top--
	case "down", "j":
		h.top++
	case "pgup":
		h.top -= a.c.BodyHeight() - 3
	case "pgdown", "space":
		h.top += a.c.BodyHeight() - 3
	case "home":
		h.top = 0
	case "end":
		h.top = 1 << 20
	}
	h.top = max(h.top, 0)
	return nil
}

// helpKeys are every key of the screen: the page's full list when it has one (keys
// too common or too many for the footer), else its footer keys, then the shared keys.
func (a *App) helpKeys() []key.Binding {
	ks := a.keys()
	if hk, ok := a.top().(pages.HelpKeyer); ok {
		n := len(a.top().Keys())
		ks = append(hk.HelpKeys(), ks[min(n, len(ks)):]...)
	}
	return ks
}

func (a *App) helpView() string {
	h := &a.helpSt
	var lines []string
	seen := map[string]bool{}
	for _, k := range a.helpKeys() {
		hl := k.Help()
		if hl.Key == "" || seen[hl.Key+hl.Desc] {
			continue
		}
		seen[hl.Key+hl.Desc] = true
		if h.query != "" && !strings.Contains(strings.ToLower(hl.Key+" "+hl.Desc), h.query) {
			continue
		}
		lines = append(lines, "  "+padRight(hl.Key, 24)+hl.Desc)
	}
	title := "Keys of this screen (? or esc closes, / searches)"
	switch {
	case h.searching:
		title = "Search keys: /" + h.query + "▏ (enter keeps, esc clears)"
	case h.query != "":
		title = fmt.Sprintf("Keys matching /%s: %d (esc clears)", h.query, len(lines))
	}
	rows := max(a.c.BodyHeight()-2, 1)
	h.top = min(h.top, max(len(lines)-rows, 0))
	end := min(h.top+rows, len(lines))
	body := title + "\n\n" + strings.Join(lines[h.top:end], "\n")
	if len(lines) == 0 {
		body += "  No key matches."
	}
	return body
}

// header is the top line: where stepdeck works (the backend), then the titles of the
// pages open, the one on top last. When it is too narrow, the titles under the top one
// go first, oldest first; then the top page fits its own title to what is left (an
// execution keeps its machine, name, status and duration, names cut in the middle);
// then the backend shortens to "stepdeck"; what is still too long is cut in its middle.
func (a *App) header() string {
	head := "stepdeck · " + a.backend
	short := "stepdeck"
	if a.c.ReadOnly {
		head += " · read-only"
		short += " · read-only"
	}
	titles := make([]string, len(a.stack))
	for i, p := range a.stack {
		titles[i] = p.Title()
	}
	w, top := a.c.Width, len(titles)-1
	fits := func(s string) bool { return lipgloss.Width(s) <= w }
	line := ""
	for from := 0; from <= top; from++ {
		crumbs := strings.Join(titles[from:], " › ")
		if from > 0 {
			crumbs = "… › " + crumbs
		}
		if line = head + " │ " + crumbs; fits(line) {
			return line
		}
	}
	fitter, ok := a.top().(pages.TitleFitter)
	for _, h := range []string{head, short} {
		prefix := h + " │ "
		if top > 0 {
			prefix += "… › "
		}
		title := titles[top]
		if ok {
			room := 0 // in full, beside the whole backend
			if h == short {
				room = w - lipgloss.Width(prefix)
			}
			title = fitter.FitTitle(room)
		}
		if line = prefix + title; fits(line) {
			return line
		}
	}
	return truncateMiddle(line, w)
}

// truncateMiddle cuts s to width cells by taking out its middle (a third of the kept
// text before the cut, two thirds after it).
func truncateMiddle(s string, width int) string {
	sw := lipgloss.Width(s)
	if width <= 0 || sw <= width {
		return s
	}
	if width < 8 {
		return common.Truncate(s, width)
	}
	keep := width - 1
	left := keep / 3
	return ansi.Truncate(s, left, "") + "…" + ansi.TruncateLeft(s, sw-(keep-left), "")
}

// footer lists the screen's keys; ? and q always stay, the others give way from the
// end when the line is too narrow.
func (a *App) footer() string {
	ks := a.keys()
	if a.palette != nil {
		ks = paletteKeys
	}
	render := func(k key.Binding) string {
		h := k.Help()
		return a.c.Styles.Key.Render(h.Key) + " " + h.Desc
	}
	var must, rest []string
	for _, k := range ks {
		if k.Help().Key == a.c.Keys.Help.Help().Key || k.Help().Key == a.c.Keys.Quit.Help().Key {
			must = append(must, render(k))
		} else {
			rest = append(rest, render(k))
		}
	}
	tail := strings.Join(must, " · ")
	join := func(parts []string) string {
		if tail == "" {
			return strings.Join(parts, " · ")
		}
		return strings.Join(append(append([]string(nil), parts...), tail), " · ")
	}
	var kept []string
	for i, p := range rest {
		next := append(append([]string(nil), kept...), p)
		if i < len(rest)-1 {
			next = append(next, "…") // room for the mark of what is left out
		}
		if lipgloss.Width(join(next)) > a.c.Width {
			kept = append(kept, "…")
			break
		}
		kept = append(kept, p)
	}
	return common.Truncate(join(kept), a.c.Width)
}
