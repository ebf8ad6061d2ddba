package jsonata

import (
	"fmt"
	"regexp"
	"strings"
)

// regexLit is a compiled /pattern/flags literal. JSONata's regexes are JavaScript's; Go's
// RE2 accepts most of that syntax after a light translation, and rejects (with a clear
// error) what it cannot do in linear time: backreferences and lookaround.
type regexLit struct {
	source string
	flags  string
	re     *regexp.Regexp
}

func compileRegex(pattern, flags string) (*regexLit, error) {
	goPat, err := translateRegex(pattern)
	if err != nil {
		return nil, err
	}
	prefix := ""
	if strings.Contains(flags, "i") {
		prefix += "i"
	}
	if strings.Contains(flags, "m") {
		prefix += "m"
	}
	if strings.Contains(flags, "s") {
		prefix += "s"
	}
	if prefix != "" {
		goPat = "(?" + prefix + ")" + goPat
	}
	re, err := regexp.Compile(goPat)
	if err != nil {
		return nil, fmt.Errorf("/%s/: %v", pattern, err)
	}
	return &regexLit{source: pattern, flags: flags, re: re}, nil
}

// translateRegex rewrites the JavaScript constructs RE2 spells differently.
func translateRegex(p string) (string, error) {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			n := p[i+1]
			switch {
			case n == 'u' && i+5 < len(p) && isHex(p[i+2:i+6]):
				b.WriteString(`\x{` + p[i+2:i+6] + `}`)
				i += 5
				continue
			case n >= '1' && n <= '9' && !inClass:
				return "", fmt.Errorf("/%s/: backreferences (\\%c) are not supported", p, n)
			case n == 'c' || n == 'k':
				return "", fmt.Errorf("/%s/: \\%c is not supported", p, n)
			case n == '/':
				b.WriteByte('/')
				i++
				continue
			case n == '0':
				b.WriteString(`\x00`)
				i++
				continue
			}
			b.WriteByte(c)
			b.WriteByte(n)
			i++
		case inClass:
			if c == ']' {
				inClass = false
			}
			b.WriteByte(c)
		case c == '[':
			if strings.HasPrefix(p[i:], "[^]") {
				b.WriteString(`[\s\S]`)
				i += 2
				continue
			}
			if strings.HasPrefix(p[i:], "[]") {
				b.WriteString(`[^\s\S]`)
				i++
				continue
			}
			inClass = true
			b.WriteByte(c)
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
		case c == '(' && strings.HasPrefix(p[i:], "(?=") || strings.HasPrefix(p[i:], "(?!") ||
			strings.HasPrefix(p[i:], "(?<=") || strings.HasPrefix(p[i:], "(?<!"):
			if c == '(' {
				return "", fmt.Errorf("/%s/: lookahead and lookbehind are not supported", p)
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
