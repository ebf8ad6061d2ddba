package picture

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// call is a JSONata expression of the form $fn(literal, ...). The extractor knows numbers,
// single- and double-quoted strings and flat objects of strings; anything else makes the
// case one to skip.
type call struct {
	fn   string
	args []any
}

func parseCall(expr string) (call, bool) {
	l := &lit{s: strings.TrimSpace(expr)}
	if !l.eat("$") {
		return call{}, false
	}
	start := l.i
	for l.i < len(l.s) && (isIdent(l.s[l.i])) {
		l.i++
	}
	c := call{fn: l.s[start:l.i]}
	if !l.eat("(") {
		return call{}, false
	}
	if l.eat(")") {
		return c, l.done()
	}
	for {
		v, ok := l.value()
		if !ok {
			return call{}, false
		}
		c.args = append(c.args, v)
		if l.eat(")") {
			return c, l.done()
		}
		if !l.eat(",") {
			return call{}, false
		}
	}
}

func isIdent(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

type lit struct {
	s string
	i int
}

func (l *lit) skip() {
	for l.i < len(l.s) && strings.IndexByte(" \t\r\n", l.s[l.i]) >= 0 {
		l.i++
	}
}

func (l *lit) eat(tok string) bool {
	l.skip()
	if strings.HasPrefix(l.s[l.i:], tok) {
		l.i += len(tok)
		return true
	}
	return false
}

func (l *lit) done() bool { l.skip(); return l.i == len(l.s) }

func (l *lit) value() (any, bool) {
	l.skip()
	if l.i >= len(l.s) {
		return nil, false
	}
	switch ch := l.s[l.i]; {
	case ch == '"' || ch == '\'':
		return l.str()
	case ch == '{':
		l.i++
		m := map[string]string{}
		if l.eat("}") {
			return m, true
		}
		for {
			l.skip()
			k, ok := l.str()
			if !ok || !l.eat(":") {
				return nil, false
			}
			l.skip()
			v, ok := l.str()
			if !ok {
				return nil, false
			}
			m[k] = v
			if l.eat("}") {
				return m, true
			}
			if !l.eat(",") {
				return nil, false
			}
		}
	default:
		start := l.i
		if ch == '-' {
			l.i++
		}
		for l.i < len(l.s) && strings.IndexByte("0123456789.eE+-", l.s[l.i]) >= 0 {
			if (l.s[l.i] == '+' || l.s[l.i] == '-') && l.s[l.i-1] != 'e' && l.s[l.i-1] != 'E' {
				break
			}
			l.i++
		}
		f, err := strconv.ParseFloat(l.s[start:l.i], 64)
		return f, err == nil
	}
}

// str reads a JSONata string literal, whose escapes are JSON's.
func (l *lit) str() (string, bool) {
	if l.i >= len(l.s) {
		return "", false
	}
	q := l.s[l.i]
	if q != '"' && q != '\'' {
		return "", false
	}
	l.i++
	var b strings.Builder
	for l.i < len(l.s) {
		c := l.s[l.i]
		switch {
		case c == q:
			l.i++
			return b.String(), true
		case c == '\\' && l.i+1 < len(l.s):
			e := l.s[l.i+1]
			l.i += 2
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'u':
				if l.i+4 > len(l.s) {
					return "", false
				}
				n, err := strconv.ParseUint(l.s[l.i:l.i+4], 16, 32)
				if err != nil {
					return "", false
				}
				b.WriteRune(rune(n))
				l.i += 4
			default:
				b.WriteByte(e)
			}
		default:
			r, size := utf8.DecodeRuneInString(l.s[l.i:])
			b.WriteRune(r)
			l.i += size
		}
	}
	return "", false
}
