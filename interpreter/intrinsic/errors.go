package intrinsic

import (
	"fmt"
	"strings"
)

// SyntaxError is a problem found by Parse, at a byte offset of the source.
type SyntaxError struct {
	Src string
	Pos int
	Msg string
}

// Error gives the message, the position and a caret under the offending character, so a
// person can see which part of a long call is wrong.
func (e *SyntaxError) Error() string {
	line, col := snippet(e.Src, e.Pos)
	return fmt.Sprintf("%s at position %d\n  %s\n  %s^", e.Msg, e.Pos+1, line, strings.Repeat(" ", col))
}

// snippet returns the line of src that holds pos, shortened around pos when long, and
// the column of pos in what it returns.
func snippet(src string, pos int) (string, int) {
	pos = min(max(pos, 0), len(src))
	start := strings.LastIndexByte(src[:pos], '\n') + 1
	end := len(src)
	if i := strings.IndexByte(src[pos:], '\n'); i >= 0 {
		end = pos + i
	}
	const width = 60
	prefix, suffix := "", ""
	if pos-start > width {
		start = pos - width
		prefix = "..."
	}
	if end-pos > width {
		end = pos + width
		suffix = "..."
	}
	line := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\r' {
			return ' '
		}
		return r
	}, src[start:end])
	// Count columns in runes so the caret lines up under multi-byte text.
	return prefix + line + suffix, len(prefix) + len([]rune(src[start:pos]))
}
