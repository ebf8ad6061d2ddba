package jsonpath

import (
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

func rootText(r Root, variable string) string {
	switch r {
	case RootContext:
		return "$$"
	case RootVariable:
		return "$" + variable
	}
	return "$"
}

// jaywayText is the path as Jayway prints it in messages. AWS hands Jayway the part
// after the root ($$ or $name) against that document, so the root prints as $.
func jaywayText(steps []step) string {
	var b strings.Builder
	b.WriteByte('$')
	writeSteps(&b, steps)
	return b.String()
}

func writeSteps(b *strings.Builder, steps []step) {
	for i := range steps {
		writeStep(b, &steps[i])
	}
}

// writeStep prints Jayway's path fragment for a step; filters print in full (Jayway
// prints [?]) so that a normalized path compiles back to the same path.
func writeStep(b *strings.Builder, s *step) {
	switch s.kind {
	case kProp:
		b.WriteByte('[')
		for i, n := range s.names {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(quoteName(n))
		}
		b.WriteByte(']')
	case kIndex:
		b.WriteByte('[')
		for i, n := range s.idx {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(n))
		}
		b.WriteByte(']')
	case kSlice:
		b.WriteByte('[')
		if s.hasFrom {
			b.WriteString(strconv.Itoa(s.from))
		}
		b.WriteByte(':')
		if s.hasTo {
			b.WriteString(strconv.Itoa(s.to))
		}
		b.WriteByte(']')
	case kWild:
		b.WriteString("[*]")
	case kScan:
		b.WriteString("..")
	case kFilter:
		b.WriteString("[?(")
		writeExpr(b, s.filter)
		b.WriteString(")]")
	case kFunc:
		b.WriteByte('.')
		b.WriteString(s.fn)
		b.WriteString("()")
	}
}

// quoteName puts a name in single quotes as Jayway does. A name holding a quote has it
// escaped with a backslash already (the parser keeps escapes), except a name that came
// from double quotes: switch to double quotes when that keeps it intact.
func quoteName(n string) string {
	if !hasUnescaped(n, '\'') && !strings.HasSuffix(trailingBackslashes(n), `\`) {
		return "'" + n + "'"
	}
	return `"` + n + `"`
}

func trailingBackslashes(s string) string {
	i := len(s)
	for i > 0 && s[i-1] == '\\' {
		i--
	}
	if (len(s)-i)%2 == 1 {
		return `\`
	}
	return ""
}

func hasUnescaped(s string, q byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == q {
			return true
		}
	}
	return false
}

func writeExpr(b *strings.Builder, e expr) {
	switch x := e.(type) {
	case orExpr:
		writeGroup(b, x.l)
		b.WriteString(" || ")
		writeGroup(b, x.r)
	case andExpr:
		writeGroup(b, x.l)
		b.WriteString(" && ")
		writeGroup(b, x.r)
	case notExpr:
		b.WriteString("!")
		writeGroup(b, x.x)
	case relExpr:
		writeOperand(b, x.l)
		if x.op != "" {
			b.WriteByte(' ')
			b.WriteString(x.op)
			b.WriteByte(' ')
			writeOperand(b, x.r)
		}
	}
}

// writeGroup parenthesizes && and || operands so precedence survives printing.
func writeGroup(b *strings.Builder, e expr) {
	switch e.(type) {
	case relExpr, notExpr:
		writeExpr(b, e)
		return
	}
	b.WriteByte('(')
	writeExpr(b, e)
	b.WriteByte(')')
}

func writeOperand(b *strings.Builder, o operand) {
	switch o.kind {
	case opPath:
		if o.rel {
			b.WriteByte('@')
		} else {
			b.WriteByte('$')
		}
		writeSteps(b, o.steps)
	case opRegex:
		b.WriteByte('/')
		b.WriteString(o.reSrc)
		b.WriteByte('/')
		b.WriteString(o.reFlags)
	default:
		writeLiteral(b, o.lit)
	}
}

func writeLiteral(b *strings.Builder, v value.Value) {
	switch x := v.(type) {
	case string:
		b.WriteByte('\'')
		for _, r := range x {
			switch r {
			case '\'', '\\':
				b.WriteByte('\\')
				b.WriteRune(r)
			default:
				b.WriteRune(r)
			}
		}
		b.WriteByte('\'')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeLiteral(b, e)
		}
		b.WriteByte(']')
	case *value.Object:
		b.WriteByte('{')
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			if i > 0 {
				b.WriteByte(',')
			}
			writeLiteral(b, k)
			b.WriteByte(':')
			writeLiteral(b, e)
		}
		b.WriteByte('}')
	default:
		b.WriteString(value.String(v))
	}
}
