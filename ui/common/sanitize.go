package common

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sanitize makes text from execution data safe to print: an ESC, any other C0 or C1
// control character, DEL and invalid UTF-8 become a visible placeholder, so that no
// payload can move the cursor, recolour the screen or set the terminal title. Newlines
// are kept when keepNewlines is set (pretty JSON), otherwise they show as ␤; tabs become
// spaces either way because their width depends on the terminal.
func Sanitize(s string, keepNewlines bool) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b == 0x7f || b >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteRune('\uFFFD')
		case r == '\n' && keepNewlines:
			b.WriteByte('\n')
		case r == '\n':
			b.WriteRune('␤')
		case r == '\t':
			b.WriteString("  ")
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			// The control pictures block has a glyph for each C0 control; C1 and DEL
			// get the generic one.
			if r < 0x20 {
				b.WriteRune(0x2400 + r)
			} else {
				b.WriteRune('\u2426')
			}
		case unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029':
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Line is Sanitize for one line of a table or a status: no newlines, cut to width cells
// with an ellipsis (width <= 0 does not cut).
func Line(s string, width int) string {
	return Truncate(Sanitize(s, false), width)
}
