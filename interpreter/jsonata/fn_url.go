package jsonata

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// URL encoding as JavaScript's encodeURI(Component) and decodeURI(Component) do it.

const uriUnreservedMarks = "-_.!~*'()"
const uriReserved = ";/?:@&=+$,#"

func urlFn(name string, f func(string) (string, bool)) fnImpl {
	return func(c callCtx, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return undefined, nil
		}
		r, ok := f(s)
		if !ok {
			return nil, newError("D3140", c.pos, name, s)
		}
		return r, nil
	}
}

func encodeURI(s, keep string) (string, bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if utf16.IsSurrogate(r) {
			return "", false
		}
		for k := 0; k < size; k++ {
			b.WriteByte('%')
			b.WriteByte("0123456789ABCDEF"[s[i+k]>>4])
			b.WriteByte("0123456789ABCDEF"[s[i+k]&15])
		}
		i += size - 1
	}
	return b.String(), true
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// decodeURI undoes percent-encoding; escapes of the characters in keep stay encoded, as
// decodeURI leaves reserved characters.
func decodeURI(s, keep string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '%' {
			b.WriteByte(s[i])
			i++
			continue
		}
		var buf []byte
		start := i
		for i < len(s) && s[i] == '%' {
			if i+2 >= len(s) {
				return "", false
			}
			h, ok1 := unhex(s[i+1])
			l, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return "", false
			}
			buf = append(buf, h<<4|l)
			i += 3
			if utf8.FullRune(buf) {
				break
			}
		}
		r, size := utf8.DecodeRune(buf)
		if r == utf8.RuneError || size != len(buf) {
			return "", false
		}
		if r < 0x80 && strings.IndexByte(keep, byte(r)) >= 0 {
			b.WriteString(s[start:i])
			continue
		}
		b.Write(buf)
	}
	return b.String(), true
}
