package value

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth is how deeply arrays and objects may nest in parsed JSON. Jackson, which AWS
// uses, refuses documents nested deeper than 1000 levels; so do we, with a clear error
// instead of a stack overflow.
const MaxDepth = 1000

// SyntaxError describes malformed JSON and where it is.
type SyntaxError struct {
	Offset int // byte offset of the problem
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at offset %d: %s", e.Offset, e.Msg)
}

// Position turns the error's byte offset in data into a line and a column, both from 1;
// the column counts characters, not bytes.
func (e *SyntaxError) Position(data []byte) (line, column int) { return lineColumn(data, e.Offset) }

func lineColumn(data []byte, offset int) (line, column int) {
	off := min(max(offset, 0), len(data))
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if data[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return line, utf8.RuneCount(data[start:off]) + 1
}

// Duplicate is a key that an object of a parsed document had more than once: the last
// value is the one kept.
type Duplicate struct {
	Object *Object
	Key    string
}

// Source is what ParseSource remembers of a document's text: where each value starts,
// by JSON pointer, and the keys objects had more than once (which JSON allows and Parse
// quietly resolves, keeping the last).
type Source struct {
	data       []byte
	offsets    map[string]int
	Duplicates []Duplicate
	// cur is the pointer of the value being parsed, while parsing; lens the length of
	// cur before each of its segments.
	cur  string
	lens []int
}

// ParseSource is Parse that also returns the document's Source, for messages that point
// at a line and column.
func ParseSource(data []byte) (Value, *Source, error) {
	src := &Source{data: data, offsets: map[string]int{}}
	v, err := parse(data, src)
	return v, src, err
}

// Position finds the line and column (from 1) where the value at a JSON pointer
// ("/States/A/Next", "" or "/" for the document) starts; for a pointer into nothing,
// where its nearest existing ancestor starts. ok is false when not even the document
// was read.
func (s *Source) Position(pointer string) (line, column int, ok bool) {
	if s == nil {
		return 0, 0, false
	}
	p := strings.TrimSuffix(pointer, "/")
	for {
		if off, found := s.offsets[p]; found {
			line, column = lineColumn(s.data, off)
			return line, column, true
		}
		if p == "" {
			return 0, 0, false
		}
		p = p[:strings.LastIndexByte(p, '/')]
	}
}

func (s *Source) push(seg string) {
	s.lens = append(s.lens, len(s.cur))
	if strings.ContainsAny(seg, "~/") {
		seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~", "~0"), "/", "~1")
	}
	s.cur += "/" + seg
}

func (s *Source) pop() {
	s.cur = s.cur[:s.lens[len(s.lens)-1]]
	s.lens = s.lens[:len(s.lens)-1]
}

// Parse decodes one JSON document. Trailing data other than whitespace is an error, as
// are invalid UTF-8 and nesting deeper than MaxDepth.
func Parse(data []byte) (Value, error) { return parse(data, nil) }

func parse(data []byte, src *Source) (Value, error) {
	p := parser{data: data, src: src}
	p.skipSpace()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.data) {
		return nil, p.errorf("unexpected %s after the end of the document", p.describe())
	}
	return v, nil
}

// ParseString is Parse for a string.
func ParseString(s string) (Value, error) { return Parse([]byte(s)) }

// MustParse parses a literal known to be valid; it panics otherwise. For tests and
// constants only.
func MustParse(s string) Value {
	v, err := ParseString(s)
	if err != nil {
		panic(err)
	}
	return v
}

type parser struct {
	data []byte
	pos  int
	src  *Source // nil: positions and duplicates are not kept
}

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: p.pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) describe() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	if r == utf8.RuneError {
		return fmt.Sprintf("byte 0x%02x", p.data[p.pos])
	}
	return strconv.QuoteRune(r)
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (Value, error) {
	if p.src != nil {
		p.src.offsets[p.src.cur] = p.pos
	}
	if p.pos >= len(p.data) {
		return nil, p.errorf("unexpected end of input, expected a value")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		return p.string()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", true)
	case c == 'f':
		return p.literal("false", false)
	case c == 'n':
		return p.literal("null", nil)
	}
	return nil, p.errorf("unexpected %s, expected a value", p.describe())
}

func (p *parser) literal(word string, v Value) (Value, error) {
	if len(p.data)-p.pos >= len(word) && string(p.data[p.pos:p.pos+len(word)]) == word {
		p.pos += len(word)
		return v, nil
	}
	return nil, p.errorf("unexpected %s, expected a value", p.describe())
}

func (p *parser) object(depth int) (Value, error) {
	if depth > MaxDepth {
		return nil, p.errorf("nesting deeper than %d levels", MaxDepth)
	}
	p.pos++ // {
	o := NewObject(4)
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return o, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.errorf("unexpected %s, expected a string for an object key", p.describe())
		}
		k, err := p.string()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errorf("unexpected %s, expected ':' after an object key", p.describe())
		}
		p.pos++
		p.skipSpace()
		if p.src != nil {
			p.src.push(k.(string))
		}
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		if p.src != nil {
			p.src.pop()
		}
		if p.src != nil && o.Has(k.(string)) {
			p.src.Duplicates = append(p.src.Duplicates, Duplicate{Object: o, Key: k.(string)})
		}
		o.Set(k.(string), v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.errorf("unexpected end of input in an object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return o, nil
		default:
			return nil, p.errorf("unexpected %s, expected ',' or '}' in an object", p.describe())
		}
	}
}

func (p *parser) array(depth int) (Value, error) {
	if depth > MaxDepth {
		return nil, p.errorf("nesting deeper than %d levels", MaxDepth)
	}
	p.pos++ // [
	a := make([]any, 0, 4)
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return a, nil
	}
	for {
		p.skipSpace()
		if p.src != nil {
			p.src.push(strconv.Itoa(len(a)))
		}
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		if p.src != nil {
			p.src.pop()
		}
		a = append(a, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.errorf("unexpected end of input in an array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return a, nil
		default:
			return nil, p.errorf("unexpected %s, expected ',' or ']' in an array", p.describe())
		}
	}
}

func (p *parser) string() (Value, error) {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := p.data[start:p.pos]
			if !utf8.Valid(s) {
				return nil, &SyntaxError{Offset: start, Msg: "invalid UTF-8 in a string"}
			}
			p.pos++
			return string(s), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	buf := make([]byte, 0, p.pos-start+16)
	buf = append(buf, p.data[start:p.pos]...)
	for {
		if p.pos >= len(p.data) {
			return nil, p.errorf("unexpected end of input in a string")
		}
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			if !utf8.Valid(buf) {
				return nil, &SyntaxError{Offset: start, Msg: "invalid UTF-8 in a string"}
			}
			return string(buf), nil
		case c < 0x20:
			return nil, p.errorf("control character 0x%02x in a string must be escaped", c)
		case c == '\\':
			p.pos++
			if p.pos >= len(p.data) {
				return nil, p.errorf("unexpected end of input in a string escape")
			}
			e := p.data[p.pos]
			p.pos++
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, err := p.hex4()
				if err != nil {
					return nil, err
				}
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
						save := p.pos
						p.pos += 2
						if r2, err = p.hex4(); err != nil {
							return nil, err
						}
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							r = d
						} else {
							p.pos = save
							r = utf8.RuneError
						}
					} else {
						r = utf8.RuneError
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				p.pos--
				return nil, p.errorf("invalid escape '\\%c' in a string", e)
			}
		default:
			// Copy the run up to the next quote, backslash or control character at once.
			end := p.pos + 1
			for end < len(p.data) {
				if b := p.data[end]; b == '"' || b == '\\' || b < 0x20 {
					break
				}
				end++
			}
			buf = append(buf, p.data[p.pos:end]...)
			p.pos = end
		}
	}
}

func (p *parser) hex4() (rune, error) {
	if len(p.data)-p.pos < 4 {
		return 0, p.errorf("incomplete \\u escape in a string")
	}
	var r rune
	for i := 0; i < 4; i++ {
		c := p.data[p.pos+i]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, p.errorf("invalid \\u escape in a string")
		}
	}
	p.pos += 4
	return r, nil
}

func (p *parser) number() (Value, error) {
	start := p.pos
	isFloat := false
	if p.data[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	intStart := p.pos
	if n := digits(); n == 0 {
		return nil, p.errorf("unexpected %s, expected a digit", p.describe())
	} else if n > 1 && p.data[intStart] == '0' {
		return nil, &SyntaxError{Offset: intStart, Msg: "leading zeros are not allowed in numbers"}
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		isFloat = true
		p.pos++
		if digits() == 0 {
			return nil, p.errorf("unexpected %s, expected a digit after the decimal point", p.describe())
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		isFloat = true
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.errorf("unexpected %s, expected a digit in the exponent", p.describe())
		}
	}
	text := string(p.data[start:p.pos])
	if !isFloat {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return n, nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !math.IsInf(f, 0) {
		return nil, &SyntaxError{Offset: start, Msg: "invalid number " + text}
	}
	if math.IsInf(f, 0) {
		return nil, &SyntaxError{Offset: start, Msg: "number out of range " + text}
	}
	return f, nil
}
