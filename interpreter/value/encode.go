package value

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Marshal returns the compact JSON text of v, written as AWS writes it: keys in order,
// no HTML escaping, non-ASCII left as is, and floating-point numbers in Java's notation
// (1.0, 1.5E10) so that a value read as a decimal is written back as one.
func Marshal(v Value) []byte { return AppendJSON(nil, v) }

// String returns the compact JSON text of v.
func String(v Value) string { return string(AppendJSON(nil, v)) }

// AppendJSON appends the compact JSON text of v to buf.
func AppendJSON(buf []byte, v Value) []byte {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...)
	case bool:
		if x {
			return append(buf, "true"...)
		}
		return append(buf, "false"...)
	case int64:
		return strconv.AppendInt(buf, x, 10)
	case float64:
		return AppendFloat(buf, x)
	case string:
		return AppendString(buf, x)
	case []any:
		buf = append(buf, '[')
		for i, e := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = AppendJSON(buf, e)
		}
		return append(buf, ']')
	case *Object:
		buf = append(buf, '{')
		for i, k := range x.keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = AppendString(buf, k)
			buf = append(buf, ':')
			buf = AppendJSON(buf, x.vals[i])
		}
		return append(buf, '}')
	}
	return append(buf, "null"...)
}

// AppendFloat writes f as Java's Double.toString does, which is what Jackson emits.
func AppendFloat(buf []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(buf, "null"...)
	}
	abs := math.Abs(f)
	if abs == 0 || (abs >= 1e-3 && abs < 1e7) {
		start := len(buf)
		buf = strconv.AppendFloat(buf, f, 'f', -1, 64)
		if !strings.ContainsRune(string(buf[start:]), '.') {
			buf = append(buf, '.', '0')
		}
		return buf
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // like 1.5e+10 or 1e-05
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	buf = append(buf, mant...)
	buf = append(buf, 'E')
	return strconv.AppendInt(buf, int64(e), 10)
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string literal.
func AppendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			if c < utf8.RuneSelf {
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				buf = append(buf, s[start:i]...)
				buf = append(buf, `\ufffd`...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		buf = append(buf, s[start:i]...)
		switch c {
		case '"':
			buf = append(buf, '\\', '"')
		case '\\':
			buf = append(buf, '\\', '\\')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		case '\b':
			buf = append(buf, '\\', 'b')
		case '\f':
			buf = append(buf, '\\', 'f')
		default:
			buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// Indent returns v as JSON indented with two spaces, for people to read.
func Indent(v Value) string {
	var b []byte
	b = appendIndent(b, v, "")
	return string(b)
}

func appendIndent(buf []byte, v Value, prefix string) []byte {
	switch x := v.(type) {
	case []any:
		if len(x) == 0 {
			return append(buf, "[]"...)
		}
		buf = append(buf, "[\n"...)
		for i, e := range x {
			buf = append(buf, prefix+"  "...)
			buf = appendIndent(buf, e, prefix+"  ")
			if i < len(x)-1 {
				buf = append(buf, ',')
			}
			buf = append(buf, '\n')
		}
		return append(append(buf, prefix...), ']')
	case *Object:
		if x.Len() == 0 {
			return append(buf, "{}"...)
		}
		buf = append(buf, "{\n"...)
		for i, k := range x.keys {
			buf = append(buf, prefix+"  "...)
			buf = AppendString(buf, k)
			buf = append(buf, ": "...)
			buf = appendIndent(buf, x.vals[i], prefix+"  ")
			if i < len(x.keys)-1 {
				buf = append(buf, ',')
			}
			buf = append(buf, '\n')
		}
		return append(append(buf, prefix...), '}')
	}
	return AppendJSON(buf, v)
}

// MarshalJSON lets an *Object be written by encoding/json in its own order.
func (o *Object) MarshalJSON() ([]byte, error) { return Marshal(o), nil }

// EncodedLen returns the length of Marshal(v) without building it, so quotas can be
// checked on every state transition cheaply.
func EncodedLen(v Value) int {
	switch x := v.(type) {
	case nil:
		return 4
	case bool:
		if x {
			return 4
		}
		return 5
	case int64, float64:
		var tmp [32]byte
		return len(AppendJSON(tmp[:0], x))
	case string:
		return stringLen(x)
	case []any:
		n := 2
		for i, e := range x {
			if i > 0 {
				n++
			}
			n += EncodedLen(e)
		}
		return n
	case *Object:
		n := 2
		for i, k := range x.keys {
			if i > 0 {
				n++
			}
			n += stringLen(k) + 1 + EncodedLen(x.vals[i])
		}
		return n
	}
	return 4
}

func stringLen(s string) int {
	n := 2
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f':
			n += 2
		case c < 0x20:
			n += 6
		default:
			n++
		}
	}
	return n
}
