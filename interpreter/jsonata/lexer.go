package jsonata

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

type tokKind uint8

const (
	tokEnd tokKind = iota
	tokName
	tokVariable
	tokString
	tokNumber
	tokValue // true, false, null
	tokRegex
	tokOperator
)

type token struct {
	kind tokKind
	text string  // operator symbol, name, variable name or string contents
	num  float64 // for tokNumber
	val  any     // for tokValue
	re   *regexLit
	pos  int // character offset just past the token, as the reference reports positions
}

// lexer produces tokens on demand: whether '/' starts a regular expression or is the
// division operator depends on whether the parser expects an operand, so the parser says.
type lexer struct {
	src string
	at  int // byte offset
}

// twoChar are the operators spelled with two characters.
var twoChar = []string{"..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"}

const singleOps = ".[]{}(),@#;:?+-*/%|=<>^&!~"

func isNameEnd(c byte) bool {
	return strings.IndexByte(singleOps, c) >= 0 || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '"' || c == '\'' || c == '`'
}

// charPos converts a byte offset into the character count the reference reports.
func (l *lexer) charPos(off int) int { return utf8.RuneCountInString(l.src[:off]) }

func (l *lexer) next(operand bool) (token, error) {
	src := l.src
	for {
		for l.at < len(src) && strings.IndexByte(" \t\n\r\v\f", src[l.at]) >= 0 {
			l.at++
		}
		if l.at+1 < len(src) && src[l.at] == '/' && src[l.at+1] == '*' {
			end := strings.Index(src[l.at+2:], "*/")
			if end < 0 {
				l.at = len(src)
				return token{}, errorAt("S0106", l.charPos(l.at))
			}
			l.at += end + 4
			continue
		}
		break
	}
	if l.at >= len(src) {
		return token{kind: tokEnd, pos: l.charPos(l.at)}, nil
	}
	c := src[l.at]
	if operand && c == '/' {
		return l.regex()
	}
	for _, op := range twoChar {
		if strings.HasPrefix(src[l.at:], op) {
			l.at += 2
			return token{kind: tokOperator, text: op, pos: l.charPos(l.at)}, nil
		}
	}
	if c == '!' || c == '~' {
		l.at++
		return token{}, newError("S0204", l.charPos(l.at), string(c), nil)
	}
	if strings.IndexByte(singleOps, c) >= 0 {
		l.at++
		return token{kind: tokOperator, text: src[l.at-1 : l.at], pos: l.charPos(l.at)}, nil
	}
	switch {
	case c == '"' || c == '\'':
		return l.str(c)
	case c >= '0' && c <= '9':
		return l.number()
	case c == '`':
		end := strings.IndexByte(src[l.at+1:], '`')
		if end < 0 {
			l.at = len(src)
			return token{}, errorAt("S0105", l.charPos(l.at))
		}
		name := src[l.at+1 : l.at+1+end]
		l.at += end + 2
		return token{kind: tokName, text: name, pos: l.charPos(l.at)}, nil
	}
	start := l.at
	if c == '$' {
		l.at++
		start = l.at
	}
	for l.at < len(src) && !isNameEnd(src[l.at]) {
		l.at++
	}
	name := src[start:l.at]
	pos := l.charPos(l.at)
	if c == '$' {
		return token{kind: tokVariable, text: name, pos: pos}, nil
	}
	switch name {
	case "and", "or", "in":
		return token{kind: tokOperator, text: name, pos: pos}, nil
	case "true":
		return token{kind: tokValue, text: name, val: true, pos: pos}, nil
	case "false":
		return token{kind: tokValue, text: name, val: false, pos: pos}, nil
	case "null":
		return token{kind: tokValue, text: name, val: nil, pos: pos}, nil
	}
	return token{kind: tokName, text: name, pos: pos}, nil
}

func (l *lexer) number() (token, error) {
	src := l.src
	i := l.at
	if src[i] == '0' {
		i++
	} else {
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
		}
	}
	if i+1 < len(src) && src[i] == '.' && src[i+1] >= '0' && src[i+1] <= '9' {
		i++
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && src[j] >= '0' && src[j] <= '9' {
			for j < len(src) && src[j] >= '0' && src[j] <= '9' {
				j++
			}
			i = j
		}
	}
	text := src[l.at:i]
	l.at = i
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) {
		return token{}, newError("S0102", l.charPos(i), text, nil)
	}
	return token{kind: tokNumber, text: text, num: f, pos: l.charPos(i)}, nil
}

func (l *lexer) str(quote byte) (token, error) {
	src := l.src
	var b strings.Builder
	i := l.at + 1
	for i < len(src) {
		c := src[i]
		if c == quote {
			l.at = i + 1
			return token{kind: tokString, text: b.String(), pos: l.charPos(l.at)}, nil
		}
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		i++
		if i >= len(src) {
			break
		}
		switch e := src[i]; e {
		case '"', '\\', '/', '\'':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := hex4(src, i+1)
			if !ok {
				l.at = i
				return token{}, errorAt("S0104", l.charPos(i))
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if r2, ok := hex4(src, i+3); ok && i+2 < len(src) && src[i+1] == '\\' && src[i+2] == 'u' {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						b.WriteRune(d)
						i += 6
						break
					}
				}
				r = utf8.RuneError
			}
			b.WriteRune(r)
		default:
			l.at = i
			_, size := utf8.DecodeRuneInString(src[i:])
			return token{}, newError("S0103", l.charPos(i), src[i:i+size], nil)
		}
		i++
	}
	l.at = len(src)
	return token{}, errorAt("S0101", l.charPos(l.at))
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(s[i:i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	return rune(n), true
}

// regex scans /pattern/flags. A '/' inside a character class or after a backslash does
// not end the pattern.
func (l *lexer) regex() (token, error) {
	src := l.src
	i := l.at + 1
	inClass := false
	for i < len(src) {
		c := src[i]
		if c == '\\' {
			i += 2
			continue
		}
		if c == '[' {
			inClass = true
		} else if c == ']' {
			inClass = false
		} else if c == '/' && !inClass {
			break
		}
		i++
	}
	if i >= len(src) {
		l.at = len(src)
		return token{}, errorAt("S0302", l.charPos(l.at))
	}
	pattern := src[l.at+1 : i]
	if pattern == "" {
		l.at = i + 1
		return token{}, errorAt("S0301", l.charPos(l.at))
	}
	i++
	fstart := i
	for i < len(src) && (src[i] == 'i' || src[i] == 'm' || src[i] == 'g' || src[i] == 's' || src[i] == 'u' || src[i] == 'y') {
		i++
	}
	flags := src[fstart:i]
	l.at = i
	re, err := compileRegex(pattern, flags)
	if err != nil {
		return token{}, newError("S0303", l.charPos(i), "", err.Error())
	}
	return token{kind: tokRegex, text: "/" + pattern + "/" + flags, re: re, pos: l.charPos(i)}, nil
}
