package choice

import (
	"errors"
	"strings"
)

// pattern is a compiled StringMatches operand: literal runs separated by wildcards.
// A pattern with no wildcard has one segment; "a*b" has two; "*" has two empty ones.
type pattern struct {
	segments []string
}

// errDanglingEscape is the one way a StringMatches pattern can be malformed.
var errDanglingEscape = errors.New("a backslash at the end of the pattern escapes nothing; write \\\\ for a literal backslash")

// compilePattern splits a StringMatches operand on its unescaped asterisks. Only *
// is special; a backslash makes the next character literal (\* and \\ are the forms
// that matter).
func compilePattern(src string) (pattern, error) {
	var segs []string
	var cur strings.Builder
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '*':
			segs = append(segs, cur.String())
			cur.Reset()
		case '\\':
			if i+1 == len(src) {
				return pattern{}, errDanglingEscape
			}
			i++
			cur.WriteByte(src[i])
		default:
			cur.WriteByte(c)
		}
	}
	segs = append(segs, cur.String())
	return pattern{segments: segs}, nil
}

// match reports whether s matches the whole pattern. Leftmost placement of each
// middle segment is optimal for a wildcard-only glob, so this never backtracks.
// Matching bytes is safe for UTF-8: a literal run starts with a lead byte, so it
// can only be found at a character boundary.
func (p pattern) match(s string) bool {
	segs := p.segments
	if len(segs) == 1 {
		return s == segs[0]
	}
	first, last := segs[0], segs[len(segs)-1]
	if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
		return false
	}
	s = s[len(first) : len(s)-len(last)]
	for _, seg := range segs[1 : len(segs)-1] {
		i := strings.Index(s, seg)
		if i < 0 {
			return false
		}
		s = s[i+len(seg):]
	}
	return true
}

// String writes the pattern back with the escapes it needs.
func (p pattern) String() string {
	var b strings.Builder
	for i, seg := range p.segments {
		if i > 0 {
			b.WriteByte('*')
		}
		for j := 0; j < len(seg); j++ {
			if seg[j] == '*' || seg[j] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(seg[j])
		}
	}
	return b.String()
}
