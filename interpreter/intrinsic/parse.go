package intrinsic

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// MaxDepth is how deeply calls may nest, the outermost call counting as one.
const MaxDepth = 10

const prefix = "States."

// IsCall reports whether s is meant as an intrinsic function call rather than a path:
// Step Functions decides on the "States." prefix alone.
func IsCall(s string) bool { return strings.HasPrefix(s, prefix) }

// Parse parses an intrinsic function call. Errors are *SyntaxError values.
func Parse(src string) (*Call, error) {
	p := &parser{src: src}
	c, err := p.call(1)
	if err != nil {
		return nil, err
	}
	c.src = src
	p.skipSpace()
	if p.pos < len(p.src) {
		return nil, p.errorf(p.pos, "unexpected %s after the end of the call", p.describe())
	}
	return c, nil
}

type parser struct {
	src string
	pos int
}

func (p *parser) errorf(pos int, format string, args ...any) error {
	return &SyntaxError{Src: p.src, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// describe names the character at the current position for messages.
func (p *parser) describe() string {
	if p.pos >= len(p.src) {
		return "end of text"
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return fmt.Sprintf("%q", r)
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func isNameByte(c byte) bool {
	return c == '.' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// word scans a run of name characters.
func (p *parser) word() string {
	start := p.pos
	for p.pos < len(p.src) && isNameByte(p.src[p.pos]) {
		p.pos++
	}
	return p.src[start:p.pos]
}

func (p *parser) call(depth int) (*Call, error) {
	start := p.pos
	name := p.word()
	if !strings.HasPrefix(name, prefix) {
		return nil, p.errorf(start, "expected an intrinsic function such as States.Format, found %q", name)
	}
	fn := functions[name]
	if fn == nil {
		return nil, p.errorf(start, "unknown intrinsic function %s", name)
	}
	if depth > MaxDepth {
		return nil, p.errorf(start, "intrinsic functions may nest at most %d deep", MaxDepth)
	}
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] != '(' {
		return nil, p.errorf(p.pos, "expected '(' after %s, found %s", name, p.describe())
	}
	p.pos++
	c := &Call{fn: fn, pos: start}
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ')' {
		p.pos++
	} else {
		for {
			a, err := p.arg(depth)
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, a)
			p.skipSpace()
			if p.pos >= len(p.src) {
				return nil, p.errorf(p.pos, "missing ')' to close %s", name)
			}
			if p.src[p.pos] == ')' {
				p.pos++
				break
			}
			if p.src[p.pos] != ',' {
				return nil, p.errorf(p.pos, "expected ',' or ')' after an argument of %s, found %s", name, p.describe())
			}
			p.pos++
		}
	}
	if err := fn.checkArity(c); err != nil {
		return nil, p.errorf(start, "%s", err)
	}
	if fn.check != nil {
		if pos, err := fn.check(c); err != nil {
			return nil, p.errorf(pos, "%s", err)
		}
	}
	return c, nil
}

func (p *parser) arg(depth int) (arg, error) {
	p.skipSpace()
	start := p.pos
	if p.pos >= len(p.src) {
		return arg{}, p.errorf(p.pos, "expected an argument, found end of text")
	}
	switch c := p.src[p.pos]; {
	case c == '\'':
		return p.str()
	case c == '$':
		return p.path()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == ')' || c == ',':
		return arg{}, p.errorf(p.pos, "expected an argument, found %s", p.describe())
	case isNameByte(c):
		w := p.word()
		switch w {
		case "true":
			return arg{kind: argLiteral, lit: true, pos: start}, nil
		case "false":
			return arg{kind: argLiteral, lit: false, pos: start}, nil
		case "null":
			return arg{kind: argLiteral, lit: nil, pos: start}, nil
		}
		if strings.HasPrefix(w, prefix) {
			p.pos = start
			c, err := p.call(depth + 1)
			if err != nil {
				return arg{}, err
			}
			return arg{kind: argCall, call: c, pos: start}, nil
		}
		return arg{}, p.errorf(start, "unexpected %q: an argument is a 'string', a number, true, false, null, a path or a States.* call", w)
	}
	return arg{}, p.errorf(p.pos, "unexpected %s: an argument is a 'string', a number, true, false, null, a path or a States.* call", p.describe())
}

// str scans a quoted string. Only \' \{ \} and \\ are escapes; AWS rejects any other
// backslash, so a newline must be written as a real newline.
func (p *parser) str() (arg, error) {
	start := p.pos
	escaped := false
	for p.pos++; p.pos < len(p.src); p.pos++ {
		switch p.src[p.pos] {
		case '\'':
			raw := p.src[start+1 : p.pos]
			p.pos++
			s := raw
			if escaped {
				s = unescape(raw)
			}
			return arg{kind: argString, lit: s, raw: raw, pos: start}, nil
		case '\\':
			if p.pos+1 >= len(p.src) {
				return arg{}, p.errorf(p.pos, "a backslash must be followed by ', {, } or \\")
			}
			switch p.src[p.pos+1] {
			case '\'', '{', '}', '\\':
				escaped = true
				p.pos++
			default:
				r, _ := utf8.DecodeRuneInString(p.src[p.pos+1:])
				return arg{}, p.errorf(p.pos, "invalid escape sequence \\%c: only \\', \\{, \\} and \\\\ are allowed", r)
			}
		}
	}
	return arg{}, p.errorf(start, "unterminated string: missing the closing '")
}

// unescape decodes the body of a string whose escapes str has already checked.
func unescape(raw string) string {
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\\' && i+1 < len(raw) {
			i++
		}
		b.WriteByte(raw[i])
	}
	return b.String()
}

// path scans a path argument. It ends at a comma, a closing parenthesis or a space
// outside brackets and quotes, so that filters such as $[?(@.a, 1)] stay whole.
func (p *parser) path() (arg, error) {
	start := p.pos
	depth := 0
	var quote byte
scan:
	for ; p.pos < len(p.src); p.pos++ {
		c := p.src[p.pos]
		if quote != 0 {
			if c == '\\' {
				p.pos++
			} else if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '\'', '"':
			quote = c
		case '[', '(':
			depth++
		case ']':
			depth--
		case ')':
			if depth == 0 {
				break scan
			}
			depth--
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				break scan
			}
		}
	}
	p.pos = min(p.pos, len(p.src))
	src := p.src[start:p.pos]
	pe, err := jsonpath.Compile(src)
	if err != nil {
		return arg{}, p.errorf(start, "invalid path %s: %s", src, err)
	}
	return arg{kind: argPath, path: pe, pos: start}, nil
}

func (p *parser) number() (arg, error) {
	start := p.pos
	if p.src[p.pos] == '-' {
		p.pos++
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' ||
			(c == '+' || c == '-') && (p.src[p.pos-1] == 'e' || p.src[p.pos-1] == 'E') {
			p.pos++
			continue
		}
		break
	}
	text := p.src[start:p.pos]
	v, err := value.ParseString(text)
	if err != nil {
		return arg{}, p.errorf(start, "invalid number %s", text)
	}
	return arg{kind: argLiteral, lit: v, pos: start}, nil
}
