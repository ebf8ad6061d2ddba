package choice

import (
	"strings"
	"unicode/utf8"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// maxLiteral is how many characters of a string operand String shows: the text is
// an edge label on a graph, where a long literal would push everything aside.
const maxLiteral = 24

// String writes the rule briefly, e.g. `$.x == "a"`, `not ($.n < 3)`,
// `$.s matches "log-*.txt"`, `$.t >= 2016-03-14T01:59:00Z`, `$.x is present`.
func (r *Rule) String() string {
	var b strings.Builder
	r.write(&b, false)
	return b.String()
}

func (r *Rule) write(b *strings.Builder, nested bool) {
	switch r.kind {
	case kindNot:
		if len(r.children) != 1 {
			b.WriteString("not (?)")
			return
		}
		b.WriteString("not (")
		r.children[0].write(b, false)
		b.WriteByte(')')
		return
	case kindAnd, kindOr:
		word := " and "
		if r.kind == kindOr {
			word = " or "
		}
		if nested {
			b.WriteByte('(')
		}
		for i, c := range r.children {
			if i > 0 {
				b.WriteString(word)
			}
			c.write(b, true)
		}
		if nested {
			b.WriteByte(')')
		}
		return
	}
	b.WriteString(r.Variable())
	if r.op == nil {
		b.WriteString(" ?")
		return
	}
	if r.op.isTypeTest() {
		b.WriteString(" is ")
		if !r.flag {
			b.WriteString("not ")
		}
		b.WriteString(strings.ToLower(strings.TrimPrefix(r.op.name, "Is")))
		return
	}
	if r.op.family == famMatches {
		b.WriteString(" matches ")
	} else {
		b.WriteByte(' ')
		b.WriteString(r.op.cmp.symbol())
		b.WriteByte(' ')
	}
	switch {
	case r.operand != nil:
		b.WriteString(r.operand.String())
	case r.op.family == famTimestamp:
		// Unquoted, so a timestamp reads differently from a string comparison.
		b.WriteString(r.str)
	case r.op.family == famString || r.op.family == famMatches:
		b.WriteString(value.String(shorten(r.literal.(string))))
	default:
		b.WriteString(value.String(r.literal))
	}
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxLiteral {
		return s
	}
	n := 0
	for i := range s {
		if n == maxLiteral-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
