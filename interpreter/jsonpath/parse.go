package jsonpath

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// parser reads a path. It is a plain cursor over the source: Jayway's grammar is small
// enough that each step is decided by one or two characters.
type parser struct {
	src  string
	pos  int
	end  int
	opts Options
	// depth bounds the nesting of filters (a filter may hold paths with filters).
	depth int
}

const maxDepth = 64

func (p *parser) errorf(off int, format string, args ...any) error {
	return &SyntaxError{Src: p.src, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) more() bool { return p.pos < p.end }

func (p *parser) peek() byte {
	if p.pos < p.end {
		return p.src[p.pos]
	}
	return 0
}

func (p *parser) peekAt(i int) byte {
	if p.pos+i < p.end {
		return p.src[p.pos+i]
	}
	return 0
}

func (p *parser) skipSpace() {
	for p.pos < p.end && isSpace(p.src[p.pos]) {
		p.pos++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// describe names what is at the cursor for messages.
func (p *parser) describe() string {
	if !p.more() {
		return "end of path"
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:p.end])
	return strconv.QuoteRune(r)
}

func (p *parser) parsePath() (*Path, error) {
	// Jayway trims the path before compiling it.
	p.end = len(p.src)
	for p.pos < p.end && isSpace(p.src[p.pos]) {
		p.pos++
	}
	for p.end > p.pos && isSpace(p.src[p.end-1]) {
		p.end--
	}
	if !p.more() {
		return nil, p.errorf(p.pos, "a path must start with '$' but it is empty")
	}
	if p.peek() != '$' {
		return nil, p.errorf(p.pos, "a path must start with '$', found %s", p.describe())
	}
	p.pos++
	path := &Path{src: p.src}
	switch c := p.peek(); {
	case c == '$':
		p.pos++
		path.root = RootContext
	case isIdentStart(p.rune()):
		start := p.pos
		for p.more() && isIdentPart(p.rune()) {
			_, n := utf8.DecodeRuneInString(p.src[p.pos:p.end])
			p.pos += n
		}
		path.root = RootVariable
		path.variable = p.src[start:p.pos]
	}
	steps, err := p.steps(false)
	if err != nil {
		return nil, err
	}
	if p.more() {
		return nil, p.errorf(p.pos, "expected '.' or '[' after %q, found %s", p.src[:p.pos], p.describe())
	}
	path.steps = steps
	path.definite, path.simple = link(steps)
	return path, nil
}

func (p *parser) rune() rune {
	if !p.more() {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:p.end])
	return r
}

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func isIdentPart(r rune) bool  { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// steps reads steps until the path ends. Inside a filter the path also ends at a
// character that cannot continue it (an operator, a space, a closing parenthesis).
func (p *parser) steps(inFilter bool) ([]step, error) {
	var steps []step
	for p.more() {
		c := p.peek()
		switch c {
		case '.':
			start := p.pos
			if p.peekAt(1) == '.' {
				p.pos += 2
				steps = append(steps, step{kind: kScan, pos: start})
			} else {
				p.pos++
			}
			if !p.more() || (inFilter && p.atFilterPathEnd()) {
				return nil, p.errorf(start, "a path must not end with '.' or '..'")
			}
			if p.peek() == '.' {
				return nil, p.errorf(p.pos, "unexpected '.': a name or '[' must follow '%s'", p.src[start:p.pos])
			}
			var s step
			var err error
			switch p.peek() {
			case '[':
				s, err = p.bracket()
			case '*':
				p.pos++
				s = step{kind: kWild}
			default:
				s, err = p.dotName(inFilter)
			}
			if err != nil {
				return nil, err
			}
			s.pos = start
			steps = append(steps, s)
		case '[':
			start := p.pos
			s, err := p.bracket()
			if err != nil {
				return nil, err
			}
			s.pos = start
			steps = append(steps, s)
		default:
			if inFilter {
				return steps, nil
			}
			return nil, p.errorf(p.pos, "expected '.' or '[' after %q, found %s", p.src[:p.pos], p.describe())
		}
	}
	if n := len(steps); n > 0 && steps[n-1].kind == kScan {
		return nil, p.errorf(p.pos, "a path must not end with '..'")
	}
	for i := range steps {
		if steps[i].kind == kFunc && i != len(steps)-1 {
			return nil, p.errorf(p.pos, "the function %s() must be the last step of the path", steps[i].fn)
		}
	}
	return steps, nil
}

func (p *parser) atFilterPathEnd() bool {
	switch p.peek() {
	case ' ', '\t', '\n', '\r', ')', '=', '!', '<', '>', '&', '|', ',', ']':
		return true
	}
	return false
}

// dotName reads a name in dot notation. Jayway ends it at '.' or '['; a space is an
// error there (bracket notation is the way to write one).
func (p *parser) dotName(inFilter bool) (step, error) {
	start := p.pos
	for p.more() {
		c := p.peek()
		if c == '.' || c == '[' || (inFilter && p.atFilterPathEnd()) {
			break
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			return step{}, p.errorf(p.pos, "a name in dot notation cannot hold a blank; write ['%s...'] instead", p.src[start:p.pos])
		}
		if c == '(' && (p.opts.Functions || inFilter) {
			return p.function(start)
		}
		p.pos++
	}
	if p.pos == start {
		return step{}, p.errorf(p.pos, "expected a name after '.', found %s", p.describe())
	}
	return step{kind: kProp, names: []string{p.src[start:p.pos]}}, nil
}

func (p *parser) function(start int) (step, error) {
	name := p.src[start:p.pos]
	p.pos++ // (
	p.skipSpace()
	if p.peek() != ')' {
		return step{}, p.errorf(p.pos, "functions take no arguments here: expected ')' after '%s(', found %s", name, p.describe())
	}
	p.pos++
	if _, ok := functions[name]; !ok {
		return step{}, p.errorf(start, "unknown function %s(); known: %s", name, functionNames())
	}
	return step{kind: kFunc, fn: name}, nil
}

// bracket reads one [...] step: a wildcard, a filter, quoted names or indexes.
func (p *parser) bracket() (step, error) {
	open := p.pos
	p.pos++ // [
	p.skipSpace()
	switch c := p.peek(); {
	case c == '*':
		p.pos++
		p.skipSpace()
		if err := p.expect(']', "after '[*'"); err != nil {
			return step{}, err
		}
		return step{kind: kWild}, nil
	case c == '?':
		return p.filterStep(open)
	case c == '\'' || c == '"':
		return p.names()
	case c == '-' || c == ':' || (c >= '0' && c <= '9'):
		return p.indexes(open)
	case c == 0:
		return step{}, p.errorf(open, "unclosed '['")
	default:
		return step{}, p.errorf(p.pos, "expected a quoted name, an index, a slice, '*' or '?(' after '[', found %s", p.describe())
	}
}

func (p *parser) expect(c byte, where string) error {
	if p.peek() != c {
		return p.errorf(p.pos, "expected '%c' %s, found %s", c, where, p.describe())
	}
	p.pos++
	return nil
}

// names reads ['a'] or ['a', "b"]. A backslash keeps the next character from closing
// the name, and both stay in it: AWS matches $['a\"b'] against the key a\"b.
func (p *parser) names() (step, error) {
	var names []string
	for {
		q := p.peek()
		if q != '\'' && q != '"' {
			return step{}, p.errorf(p.pos, "expected a quoted name, found %s", p.describe())
		}
		open := p.pos
		p.pos++
		start := p.pos
		for {
			if !p.more() {
				return step{}, p.errorf(open, "unclosed quote in bracket notation")
			}
			c := p.peek()
			if c == '\\' {
				p.pos += 2
				continue
			}
			if c == q {
				break
			}
			p.pos++
		}
		names = append(names, p.src[start:p.pos])
		p.pos++
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.pos++
			p.skipSpace()
		case ']':
			p.pos++
			return step{kind: kProp, names: names}, nil
		default:
			return step{}, p.errorf(p.pos, "expected ',' or ']' after a quoted name, found %s", p.describe())
		}
	}
}

// indexes reads [0], [-1], [0,2] or a slice [1:3], [:2], [-2:], [1:].
func (p *parser) indexes(open int) (step, error) {
	start := p.pos
	for p.more() && p.peek() != ']' {
		c := p.peek()
		if !(c == '-' || c == ':' || c == ',' || isSpace(c) || (c >= '0' && c <= '9')) {
			return step{}, p.errorf(p.pos, "expected a digit, '-', ',', ':' or ']' in an index, found %s", p.describe())
		}
		p.pos++
	}
	if !p.more() {
		return step{}, p.errorf(open, "unclosed '['")
	}
	body := p.src[start:p.pos]
	p.pos++ // ]
	if strings.Contains(body, ":") {
		return p.slice(start, body)
	}
	var idx []int
	for _, part := range strings.Split(body, ",") {
		part = strings.TrimSpace(part)
		n, err := strconv.Atoi(part)
		if err != nil || n > 1<<31-1 || n < -1<<31 {
			return step{}, p.errorf(start, "bad array index %q: expected an integer", part)
		}
		idx = append(idx, n)
	}
	return step{kind: kIndex, idx: idx}, nil
}

func (p *parser) slice(start int, body string) (step, error) {
	parts := strings.Split(body, ":")
	if len(parts) != 2 {
		return step{}, p.errorf(start, "bad slice [%s]: Jayway slices are [from:to] with no step", body)
	}
	s := step{kind: kSlice}
	for i, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		n, err := strconv.Atoi(part)
		if err != nil || n > 1<<31-1 || n < -1<<31 {
			return step{}, p.errorf(start, "bad slice bound %q: expected an integer", part)
		}
		if i == 0 {
			s.from, s.hasFrom = n, true
		} else {
			s.to, s.hasTo = n, true
		}
	}
	if !s.hasFrom && !s.hasTo {
		return step{}, p.errorf(start, "bad slice [%s]: give a start, an end or both", body)
	}
	return s, nil
}
