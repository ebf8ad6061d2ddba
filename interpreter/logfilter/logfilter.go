// Package logfilter reads CloudWatch Logs filter patterns and matches log events against
// them, for the FilterLogEvents operation `stepdeck serve` answers.
//
// Supported: the empty pattern (every event); JSON patterns such as
// { ($.type = "ExecutionStarted") || ($.execution_arn = "arn:*") && $.n >= 3 } with
// selectors ($.a.b, $.a[0]), the operators = != < > <= >=, string values quoted or bare
// with * wildcards, IS TRUE / IS FALSE / IS NULL, NOT EXISTS, && and || with parentheses;
// and term patterns: words or "quoted phrases" that must all appear in the message, a
// leading - excluding one. Anything else (space-delimited [..] patterns, ?term, regular
// expressions) is an error that says so, never a silent match.
package logfilter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Pattern is a parsed filter pattern.
type Pattern struct {
	json  node   // a JSON pattern, or nil
	terms []term // a term pattern (all must hold), when json is nil
	all   bool   // the empty pattern
	text  string // the pattern as given, for messages
}

type term struct {
	text    string
	exclude bool
}

// Error is a pattern that cannot be read: Pos is the byte offset where reading stopped.
type Error struct {
	Pattern string
	Pos     int
	Msg     string
}

func (e *Error) Error() string {
	return fmt.Sprintf("invalid filter pattern %q at offset %d: %s", e.Pattern, e.Pos, e.Msg)
}

// maxDepth bounds the nesting of parentheses (and so the parser's recursion).
const maxDepth = 64

// Parse reads a filter pattern.
func Parse(s string) (*Pattern, error) {
	p := &Pattern{text: s}
	t := strings.TrimSpace(s)
	switch {
	case t == "":
		p.all = true
		return p, nil
	case strings.HasPrefix(t, "{"):
		ps := &parser{src: s, pos: strings.Index(s, "{") + 1}
		n, err := ps.expr(0)
		if err != nil {
			return nil, err
		}
		ps.space()
		if !ps.eat("}") {
			return nil, ps.fail("expected } to close the JSON pattern")
		}
		ps.space()
		if ps.pos != len(s) {
			return nil, ps.fail("unexpected text after the JSON pattern")
		}
		p.json = n
		return p, nil
	case strings.HasPrefix(t, "["):
		return nil, &Error{s, strings.Index(s, "["), "space-delimited patterns are not supported by stepdeck"}
	case strings.HasPrefix(t, "%"):
		return nil, &Error{s, strings.Index(s, "%"), "regular expression patterns are not supported by stepdeck"}
	}
	terms, err := readTerms(s)
	if err != nil {
		return nil, err
	}
	p.terms = terms
	return p, nil
}

// String returns the pattern as it was given.
func (p *Pattern) String() string { return p.text }

// Match reports whether a log event's message matches.
func (p *Pattern) Match(message string) bool {
	switch {
	case p.all:
		return true
	case p.json != nil:
		dec := json.NewDecoder(strings.NewReader(message))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil {
			return false
		}
		if _, ok := v.(map[string]any); !ok {
			return false
		}
		return p.json.match(v)
	}
	for _, t := range p.terms {
		if strings.Contains(message, t.text) == t.exclude {
			return false
		}
	}
	return true
}

func readTerms(s string) ([]term, error) {
	var out []term
	i := 0
	for i < len(s) {
		if s[i] == ' ' || s[i] == '\t' {
			i++
			continue
		}
		start := i
		exclude := false
		if s[i] == '-' && i+1 < len(s) && s[i+1] != ' ' {
			exclude = true
			i++
		}
		if s[i] == '?' {
			return nil, &Error{s, i, "?term (any of) patterns are not supported by stepdeck"}
		}
		var text string
		if s[i] == '"' {
			str, n, err := readQuoted(s, i)
			if err != nil {
				return nil, err
			}
			text, i = str, n
		} else {
			for i < len(s) && s[i] != ' ' && s[i] != '\t' {
				if s[i] == '"' {
					return nil, &Error{s, i, "a quote inside a term"}
				}
				i++
			}
			text = s[start:i]
			if exclude {
				text = text[1:]
			}
		}
		if text == "" {
			return nil, &Error{s, start, "an empty term"}
		}
		out = append(out, term{text: text, exclude: exclude})
	}
	return out, nil
}

// readQuoted reads a double-quoted string starting at s[i] == '"', with \" and \\
// escapes; it returns the text and the offset after the closing quote.
func readQuoted(s string, i int) (string, int, error) {
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if j+1 >= len(s) {
				return "", j, &Error{s, j, "an escape at the end of the pattern"}
			}
			j++
			b.WriteByte(s[j])
		case '"':
			return b.String(), j + 1, nil
		default:
			b.WriteByte(s[j])
		}
	}
	return "", len(s), &Error{s, i, "a quoted string is not closed"}
}

type parser struct {
	src string
	pos int
}

func (p *parser) fail(msg string) error { return &Error{p.src, p.pos, msg} }

func (p *parser) space() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n' || p.src[p.pos] == '\r') {
		p.pos++
	}
}

func (p *parser) eat(tok string) bool {
	if strings.HasPrefix(p.src[p.pos:], tok) {
		p.pos += len(tok)
		return true
	}
	return false
}

// eatWord consumes a keyword (case-insensitive) that is not followed by a letter.
func (p *parser) eatWord(w string) bool {
	end := p.pos + len(w)
	if end > len(p.src) || !strings.EqualFold(p.src[p.pos:end], w) {
		return false
	}
	if end < len(p.src) && isWordByte(p.src[end]) {
		return false
	}
	p.pos = end
	return true
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func (p *parser) expr(depth int) (node, error) {
	if depth > maxDepth {
		return nil, p.fail("parentheses nested too deeply")
	}
	left, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for {
		p.space()
		if !p.eat("||") {
			return left, nil
		}
		right, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		left = orNode{left, right}
	}
}

func (p *parser) and(depth int) (node, error) {
	left, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	for {
		p.space()
		if !p.eat("&&") {
			return left, nil
		}
		right, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		left = andNode{left, right}
	}
}

func (p *parser) unary(depth int) (node, error) {
	p.space()
	if p.eat("(") {
		n, err := p.expr(depth + 1)
		if err != nil {
			return nil, err
		}
		p.space()
		if !p.eat(")") {
			return nil, p.fail("expected )")
		}
		return n, nil
	}
	sel, err := p.selector()
	if err != nil {
		return nil, err
	}
	p.space()
	switch {
	case p.eatWord("IS"):
		p.space()
		switch {
		case p.eatWord("TRUE"):
			return isNode{sel, true}, nil
		case p.eatWord("FALSE"):
			return isNode{sel, false}, nil
		case p.eatWord("NULL"):
			return isNode{sel, nil}, nil
		}
		return nil, p.fail("expected TRUE, FALSE or NULL after IS")
	case p.eatWord("NOT"):
		p.space()
		if !p.eatWord("EXISTS") {
			return nil, p.fail("expected EXISTS after NOT")
		}
		return notExists{sel}, nil
	}
	var op string
	for _, o := range []string{"!=", "<=", ">=", "=", "<", ">"} {
		if p.eat(o) {
			op = o
			break
		}
	}
	if op == "" {
		return nil, p.fail("expected an operator (= != < > <= >=), IS or NOT EXISTS")
	}
	p.space()
	val, quoted, err := p.value()
	if err != nil {
		return nil, err
	}
	c := cmpNode{sel: sel, op: op, text: val, quoted: quoted}
	if f, err := strconv.ParseFloat(val, 64); err == nil && !quoted {
		c.num, c.isNum = f, true
	}
	if op != "=" && op != "!=" && !c.isNum {
		return nil, p.fail("the operator " + op + " needs a number")
	}
	return c, nil
}

// selector reads $.a.b[0] into its steps: a string for a member, an int for an index.
func (p *parser) selector() ([]any, error) {
	if !p.eat("$") {
		return nil, p.fail("expected a selector starting with $")
	}
	var steps []any
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case '.':
			p.pos++
			start := p.pos
			for p.pos < len(p.src) && (isWordByte(p.src[p.pos]) || p.src[p.pos] == '-' || p.src[p.pos] == '@' || p.src[p.pos] == '$') {
				p.pos++
			}
			if p.pos == start {
				return nil, p.fail("expected a member name after .")
			}
			steps = append(steps, p.src[start:p.pos])
		case '[':
			p.pos++
			start := p.pos
			for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
				p.pos++
			}
			n, err := strconv.Atoi(p.src[start:p.pos])
			if err != nil || !p.eat("]") {
				return nil, p.fail("expected [index]")
			}
			steps = append(steps, n)
		default:
			if len(steps) == 0 {
				return nil, p.fail("expected .member or [index] after $")
			}
			return steps, nil
		}
	}
	if len(steps) == 0 {
		return nil, p.fail("expected .member or [index] after $")
	}
	return steps, nil
}

// value reads a quoted string or a bare token (up to a space, ), &&, || or }).
func (p *parser) value() (string, bool, error) {
	if p.pos < len(p.src) && p.src[p.pos] == '"' {
		s, n, err := readQuoted(p.src, p.pos)
		if err != nil {
			return "", false, err
		}
		p.pos = n
		return s, true, nil
	}
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == ' ' || c == '\t' || c == ')' || c == '}' || c == '"' ||
			strings.HasPrefix(p.src[p.pos:], "&&") || strings.HasPrefix(p.src[p.pos:], "||") {
			break
		}
		p.pos++
	}
	if p.pos == start {
		return "", false, p.fail("expected a value")
	}
	return p.src[start:p.pos], false, nil
}

type node interface{ match(v any) bool }

type orNode struct{ a, b node }

func (n orNode) match(v any) bool { return n.a.match(v) || n.b.match(v) }

type andNode struct{ a, b node }

func (n andNode) match(v any) bool { return n.a.match(v) && n.b.match(v) }

// lookup follows a selector; ok is false when a step is missing.
func lookup(v any, steps []any) (any, bool) {
	for _, s := range steps {
		switch s := s.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[s]; !ok {
				return nil, false
			}
		case int:
			a, ok := v.([]any)
			if !ok || s >= len(a) {
				return nil, false
			}
			v = a[s]
		}
	}
	return v, true
}

type isNode struct {
	sel  []any
	want any // true, false or nil (null)
}

func (n isNode) match(v any) bool {
	got, ok := lookup(v, n.sel)
	return ok && got == n.want
}

type notExists struct{ sel []any }

func (n notExists) match(v any) bool {
	_, ok := lookup(v, n.sel)
	return !ok
}

type cmpNode struct {
	sel    []any
	op     string
	text   string
	quoted bool
	num    float64
	isNum  bool
}

func (n cmpNode) match(v any) bool {
	got, ok := lookup(v, n.sel)
	if !ok {
		return false
	}
	switch got := got.(type) {
	case string:
		if n.op != "=" && n.op != "!=" {
			return false
		}
		return wildcard(n.text, got) == (n.op == "=")
	case json.Number:
		if !n.isNum {
			if n.op == "=" || n.op == "!=" {
				return wildcard(n.text, got.String()) == (n.op == "=")
			}
			return false
		}
		f, err := got.Float64()
		if err != nil {
			return false
		}
		switch n.op {
		case "=":
			return f == n.num
		case "!=":
			return f != n.num
		case "<":
			return f < n.num
		case ">":
			return f > n.num
		case "<=":
			return f <= n.num
		case ">=":
			return f >= n.num
		}
	}
	return false
}

// wildcard matches s against pattern, where * stands for any run of bytes.
func wildcard(pattern, s string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == s
	}
	parts := bytes.Split([]byte(pattern), []byte("*"))
	first, last := string(parts[0]), string(parts[len(parts)-1])
	if !strings.HasPrefix(s, first) {
		return false
	}
	s = s[len(first):]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, string(mid))
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, last)
}
