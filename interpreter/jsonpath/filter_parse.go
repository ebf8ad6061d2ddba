package jsonpath

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// expr is a filter expression: orExpr, andExpr, notExpr or relExpr.
type expr interface{ isExpr() }

type orExpr struct{ l, r expr }
type andExpr struct{ l, r expr }
type notExpr struct{ x expr }

// relExpr compares two operands; op "" is Jayway's existence test (a lone path).
type relExpr struct {
	l, r operand
	op   string
}

func (orExpr) isExpr()  {}
func (andExpr) isExpr() {}
func (notExpr) isExpr() {}
func (relExpr) isExpr() {}

type operandKind uint8

const (
	opLiteral operandKind = iota
	opPath                // @... (relative) or $... (the evaluated document)
	opRegex
)

type operand struct {
	kind     operandKind
	lit      value.Value
	steps    []step
	rel      bool // @ rather than $
	definite bool
	simple   bool // single names and indexes only: walkSimple can read it
	re       *regexp.Regexp
	reSrc    string
	reFlags  string
}

// wordOps are Jayway's named operators; Jayway matches them without regard to case.
var wordOps = []string{"subsetof", "contains", "noneof", "anyof", "empty", "size", "nin", "in"}

// filterStep reads [?( expr )]; the cursor is on '?'.
func (p *parser) filterStep(open int) (step, error) {
	p.pos++ // ?
	if err := p.expect('(', "after '[?' (Jayway filters are written [?(...)])"); err != nil {
		return step{}, err
	}
	p.depth++
	if p.depth > maxDepth {
		return step{}, p.errorf(p.pos, "filters nested more than %d deep", maxDepth)
	}
	e, err := p.orExpr()
	if err != nil {
		return step{}, err
	}
	p.depth--
	p.skipSpace()
	if err := p.expect(')', "to close the filter"); err != nil {
		return step{}, err
	}
	p.skipSpace()
	if err := p.expect(']', "after the filter's ')'"); err != nil {
		return step{}, err
	}
	return step{kind: kFilter, filter: e}, nil
}

func (p *parser) orExpr() (expr, error) {
	l, err := p.andExpr()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		if p.peek() != '|' || p.peekAt(1) != '|' {
			return l, nil
		}
		p.pos += 2
		r, err := p.andExpr()
		if err != nil {
			return nil, err
		}
		l = orExpr{l, r}
	}
}

func (p *parser) andExpr() (expr, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		if p.peek() != '&' || p.peekAt(1) != '&' {
			return l, nil
		}
		p.pos += 2
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = andExpr{l, r}
	}
}

func (p *parser) unary() (expr, error) {
	p.skipSpace()
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, p.errorf(p.pos, "filter expression nested more than %d deep", maxDepth)
	}
	switch p.peek() {
	case '!':
		if p.peekAt(1) == '=' {
			break
		}
		p.pos++
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return notExpr{x}, nil
	case '(':
		p.pos++
		x, err := p.orExpr()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if err := p.expect(')', "to close '('"); err != nil {
			return nil, err
		}
		return x, nil
	}
	return p.relation()
}

func (p *parser) relation() (expr, error) {
	lstart := p.pos
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	op := p.operator()
	if op == "" {
		if l.kind != opPath {
			return nil, p.errorf(p.pos, "expected an operator (==, !=, <, <=, >, >=, =~, in, nin, subsetof, anyof, noneof, size, empty, contains) after %q, found %s",
				strings.TrimSpace(p.src[lstart:p.pos]), p.describe())
		}
		return relExpr{l: l}, nil
	}
	p.skipSpace()
	r, err := p.operand()
	if err != nil {
		return nil, err
	}
	return relExpr{l: l, op: op, r: r}, nil
}

func (p *parser) operator() string {
	for _, op := range []string{"==", "!=", "<=", ">=", "=~", "<", ">"} {
		if strings.HasPrefix(p.src[p.pos:p.end], op) {
			p.pos += len(op)
			return op
		}
	}
	rest := p.src[p.pos:p.end]
	for _, op := range wordOps {
		if len(rest) >= len(op) && strings.EqualFold(rest[:len(op)], op) {
			if len(rest) > len(op) {
				if r, _ := utf8.DecodeRuneInString(rest[len(op):]); isIdentPart(r) {
					continue
				}
			}
			p.pos += len(op)
			return op
		}
	}
	return ""
}

func (p *parser) operand() (operand, error) {
	p.skipSpace()
	switch c := p.peek(); {
	case c == '@' || c == '$':
		start := p.pos
		p.pos++
		if c == '$' && (p.peek() == '$' || isIdentStart(p.rune())) {
			return operand{}, p.errorf(start, "inside a filter only '@' and '$' paths are allowed")
		}
		steps, err := p.steps(true)
		if err != nil {
			return operand{}, err
		}
		definite, simple := link(steps)
		return operand{kind: opPath, steps: steps, rel: c == '@', definite: definite, simple: simple}, nil
	case c == '/':
		return p.regex()
	case c == 0:
		return operand{}, p.errorf(p.pos, "expected a path, a literal or a regular expression, found end of path")
	}
	v, err := p.literal()
	if err != nil {
		return operand{}, err
	}
	return operand{kind: opLiteral, lit: v}, nil
}

// literal reads a number, a quoted string, true, false, null, or a JSON array or
// object in which strings may use either quote.
func (p *parser) literal() (value.Value, error) {
	p.skipSpace()
	c := p.peek()
	switch {
	case c == '\'' || c == '"':
		return p.stringLit()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == '[':
		return p.arrayLit()
	case c == '{':
		return p.objectLit()
	}
	rest := p.src[p.pos:p.end]
	for _, w := range []struct {
		word string
		v    value.Value
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if strings.HasPrefix(rest, w.word) {
			p.pos += len(w.word)
			return w.v, nil
		}
	}
	return nil, p.errorf(p.pos, "expected a path, a literal or a regular expression, found %s", p.describe())
}

func (p *parser) stringLit() (value.Value, error) {
	q := p.peek()
	open := p.pos
	p.pos++
	var b strings.Builder
	for {
		if !p.more() {
			return nil, p.errorf(open, "unclosed string literal")
		}
		c := p.peek()
		if c == q {
			p.pos++
			return b.String(), nil
		}
		if c != '\\' {
			b.WriteByte(c)
			p.pos++
			continue
		}
		p.pos++
		if !p.more() {
			return nil, p.errorf(open, "unclosed string literal")
		}
		e := p.peek()
		p.pos++
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
			if p.pos+4 > p.end {
				return nil, p.errorf(p.pos-2, "bad \\u escape: expected four hex digits")
			}
			n, err := strconv.ParseUint(p.src[p.pos:p.pos+4], 16, 32)
			if err != nil {
				return nil, p.errorf(p.pos-2, "bad \\u escape: expected four hex digits")
			}
			b.WriteRune(rune(n))
			p.pos += 4
		default:
			b.WriteByte(e)
		}
	}
}

func (p *parser) number() (value.Value, error) {
	start := p.pos
	if p.peek() == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.more() && p.peek() >= '0' && p.peek() <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if digits() == 0 {
		return nil, p.errorf(start, "bad number: expected a digit")
	}
	isFloat := false
	if p.peek() == '.' && p.peekAt(1) >= '0' && p.peekAt(1) <= '9' {
		isFloat = true
		p.pos++
		digits()
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		save := p.pos
		p.pos++
		if c := p.peek(); c == '+' || c == '-' {
			p.pos++
		}
		if digits() == 0 {
			p.pos = save
		} else {
			isFloat = true
		}
	}
	text := p.src[start:p.pos]
	if !isFloat {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return n, nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return nil, p.errorf(start, "bad number %q", text)
	}
	return f, nil
}

func (p *parser) arrayLit() (value.Value, error) {
	p.pos++ // [
	out := []any{}
	p.skipSpace()
	if p.peek() == ']' {
		p.pos++
		return out, nil
	}
	for {
		if p.depth++; p.depth > maxDepth {
			return nil, p.errorf(p.pos, "literal nested more than %d deep", maxDepth)
		}
		v, err := p.literal()
		p.depth--
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return out, nil
		default:
			return nil, p.errorf(p.pos, "expected ',' or ']' in an array literal, found %s", p.describe())
		}
	}
}

func (p *parser) objectLit() (value.Value, error) {
	p.pos++ // {
	out := value.NewObject(0)
	p.skipSpace()
	if p.peek() == '}' {
		p.pos++
		return out, nil
	}
	for {
		p.skipSpace()
		if c := p.peek(); c != '\'' && c != '"' {
			return nil, p.errorf(p.pos, "expected a quoted key in an object literal, found %s", p.describe())
		}
		k, err := p.stringLit()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if err := p.expect(':', "after a key in an object literal"); err != nil {
			return nil, err
		}
		if p.depth++; p.depth > maxDepth {
			return nil, p.errorf(p.pos, "literal nested more than %d deep", maxDepth)
		}
		v, err := p.literal()
		p.depth--
		if err != nil {
			return nil, err
		}
		out.Set(k.(string), v)
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return out, nil
		default:
			return nil, p.errorf(p.pos, "expected ',' or '}' in an object literal, found %s", p.describe())
		}
	}
}

// regex reads /pattern/flags. Jayway (Java) matches the whole input, so the pattern is
// anchored; Go's RE2 lacks backreferences and lookaround, which are reported.
func (p *parser) regex() (operand, error) {
	open := p.pos
	p.pos++
	start := p.pos
	for {
		if !p.more() {
			return operand{}, p.errorf(open, "unclosed regular expression: expected a closing '/'")
		}
		c := p.peek()
		if c == '\\' {
			p.pos += 2
			continue
		}
		if c == '/' {
			break
		}
		p.pos++
	}
	src := p.src[start:p.pos]
	p.pos++
	fstart := p.pos
	for p.more() && ((p.peek() >= 'a' && p.peek() <= 'z') || (p.peek() >= 'A' && p.peek() <= 'Z')) {
		p.pos++
	}
	flags := p.src[fstart:p.pos]
	goFlags := ""
	for i := 0; i < len(flags); i++ {
		switch f := flags[i]; f {
		case 'i', 'm', 's':
			if !strings.ContainsRune(goFlags, rune(f)) {
				goFlags += string(f)
			}
		case 'u', 'U', 'd':
			// Unicode case folding and classes are RE2's default; UNIX_LINES has no
			// effect on the patterns RE2 accepts.
		default:
			return operand{}, p.errorf(fstart+i, "unsupported regular expression flag '%c' (supported: i, m, s)", f)
		}
	}
	pattern := strings.ReplaceAll(src, `\/`, `/`)
	full := "^(?:" + pattern + ")$"
	if goFlags != "" {
		full = "(?" + goFlags + ")" + full
	}
	re, err := regexp.Compile(full)
	if err != nil {
		return operand{}, p.errorf(start, "bad regular expression /%s/: %v", src, err)
	}
	return operand{kind: opRegex, re: re, reSrc: src, reFlags: flags}, nil
}
