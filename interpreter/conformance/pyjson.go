package conformance

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// The recorded values were normalized by replacing text inside Python's json.dumps output,
// so a replacement can only reproduce the recording when it runs on the very same text:
// ", " and ": " separators, non-ASCII escaped as \uXXXX, floats as Python's repr.

// PythonJSON writes v as Python's json.dumps does with its defaults, for fakes that
// stand in for Python programs (a Lambda function's error payload).
func PythonJSON(v value.Value) []byte { return appendPy(nil, v) }

func pyDumps(v value.Value) string {
	return string(appendPy(nil, v))
}

func appendPy(buf []byte, v value.Value) []byte {
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
		return appendPyFloat(buf, x)
	case string:
		return appendPyString(buf, x)
	case []any:
		buf = append(buf, '[')
		for i, e := range x {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = appendPy(buf, e)
		}
		return append(buf, ']')
	case *value.Object:
		buf = append(buf, '{')
		for i, k := range x.Keys() {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			_, e := x.At(i)
			buf = appendPyString(buf, k)
			buf = append(buf, ": "...)
			buf = appendPy(buf, e)
		}
		return append(buf, '}')
	}
	return append(buf, "null"...)
}

// appendPyFloat writes f as Python's float.__repr__: the shortest round-tripping digits,
// positional between 1e-4 and 1e16, scientific with a signed two-digit exponent outside.
func appendPyFloat(buf []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(buf, "NaN"...)
	case math.IsInf(f, 1):
		return append(buf, "Infinity"...)
	case math.IsInf(f, -1):
		return append(buf, "-Infinity"...)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	mant, expText, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expText)
	if exp >= -4 && exp < 16 {
		out := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.ContainsAny(out, ".") {
			out += ".0"
		}
		return append(buf, out...)
	}
	buf = append(buf, mant...)
	buf = append(buf, 'e')
	if exp < 0 {
		buf = append(buf, '-')
		exp = -exp
	} else {
		buf = append(buf, '+')
	}
	if exp < 10 {
		buf = append(buf, '0')
	}
	return strconv.AppendInt(buf, int64(exp), 10)
}

const lowerHex = "0123456789abcdef"

func appendPyString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for _, r := range s {
		switch r {
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
			if r >= 0x20 && r < 0x7f {
				buf = append(buf, byte(r))
				continue
			}
			if r > 0xffff {
				hi, lo := utf16.EncodeRune(r)
				buf = appendU4(buf, hi)
				buf = appendU4(buf, lo)
				continue
			}
			if r == utf8.RuneError {
				r = 0xfffd
			}
			buf = appendU4(buf, r)
		}
	}
	return append(buf, '"')
}

func appendU4(buf []byte, r rune) []byte {
	return append(buf, '\\', 'u', lowerHex[r>>12&0xf], lowerHex[r>>8&0xf], lowerHex[r>>4&0xf], lowerHex[r&0xf])
}
