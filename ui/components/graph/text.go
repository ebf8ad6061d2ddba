package graph

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Text on the grid is measured rune by rune, because every rune owns one or two cells.
// Names come from definitions and may hold anything, so clean drops what would break that
// rule or reach the terminal as a command: control characters, zero-width runes, and the
// box-drawing glyphs the grid itself uses (a state named "└─┘" would read as a drawing).

// runeWidth is the number of cells r takes on a terminal: 0, 1 or 2.
func runeWidth(r rune) int {
	switch {
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return 0
	case r < 0x300, r >= 0x2500 && r <= 0x257f:
		return 1 // Latin and the grid's own lines: no combining or wide runes here
	}
	return lipgloss.Width(string(r))
}

// clean makes s safe to put on the grid.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if r < 0x20 || r >= 0x7f {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			b.WriteByte(' ')
		case r >= 0x2500 && r <= 0x259f, r >= 0x25b2 && r <= 0x25c5:
			b.WriteByte('?')
		case r == 0xfffd:
			b.WriteByte('?')
		default:
			w := runeWidth(r)
			if w == 0 {
				continue
			}
			if w > 2 {
				b.WriteByte('?')
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// width is the display width of a cleaned string.
func width(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// truncate shortens a cleaned string to at most max cells, marking the cut with "…".
func truncate(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if width(s) <= max {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		w := runeWidth(r)
		if n+w > max-1 {
			break
		}
		b.WriteRune(r)
		n += w
	}
	b.WriteString("…")
	return b.String()
}
