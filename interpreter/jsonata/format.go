package jsonata

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// formatNumber writes f as JavaScript's Number.prototype.toString does.
func formatNumber(f float64) string {
	if f == 0 {
		return "0"
	}
	if math.IsNaN(f) {
		return "NaN"
	}
	if math.IsInf(f, 0) {
		if f > 0 {
			return "Infinity"
		}
		return "-Infinity"
	}
	neg := f < 0
	s := strconv.FormatFloat(math.Abs(f), 'e', -1, 64)
	mant, expS, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expS)
	digits := strings.Replace(mant, ".", "", 1)
	k := len(digits)
	n := exp + 1
	var out string
	switch {
	case k <= n && n <= 21:
		out = digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		out = digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		out = "0." + strings.Repeat("0", -n) + digits
	default:
		e := n - 1
		sign := "+"
		if e < 0 {
			sign = "-"
			e = -e
		}
		m := digits[:1]
		if k > 1 {
			m += "." + digits[1:]
		}
		out = m + "e" + sign + strconv.Itoa(e)
	}
	if neg {
		return "-" + out
	}
	return out
}

// precision15 rounds to 15 significant digits, which is how $string hides binary
// floating-point noise (0.1 + 0.2 prints 0.3).
func precision15(f float64) float64 {
	if f == 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return f
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'e', 14, 64), 64)
	if err != nil {
		return f
	}
	return r
}

// stringOf is $string without the pretty flag.
func stringOf(v any, pos int) (string, error) {
	s, err := stringify(v, false)
	if err != nil {
		if e, ok := err.(*Error); ok && e.Position == 0 {
			e.Position = pos
		}
	}
	return s, err
}

// stringify is $string: strings as they are, functions as "", anything else as JSON with
// numbers rounded to 15 significant digits.
func stringify(v any, pretty bool) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return "", newError("D3001", 0, "", nil)
		}
	case *seq:
		if x.outerWrapper && len(x.items) > 0 {
			v = x.items[0]
		}
	}
	if isFunction(v) {
		return "", nil
	}
	if hasNonFinite(v) {
		return "", newError("D1001", 0, "", nil)
	}
	var b []byte
	if pretty {
		b = appendPretty(b, v, "")
	} else {
		b = appendJSON(b, v)
	}
	return string(b), nil
}

func appendJSON(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, x)
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return append(b, "null"...)
		}
		if x != math.Trunc(x) {
			x = precision15(x)
		}
		return append(b, formatNumber(x)...)
	case int64:
		return append(b, formatNumber(float64(x))...)
	case string:
		return appendJSString(b, x)
	case *value.Object:
		b = append(b, '{')
		first := true
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			if isUndefined(e) {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendJSString(b, k)
			b = append(b, ':')
			b = appendJSON(b, e)
		}
		return append(b, '}')
	case undefinedType:
		return append(b, "null"...)
	}
	if items, ok := arrayItems(v); ok {
		b = append(b, '[')
		for i, e := range items {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	}
	if isFunction(v) {
		return append(b, `""`...)
	}
	return append(b, "null"...)
}

func appendPretty(b []byte, v any, indent string) []byte {
	if o, ok := v.(*value.Object); ok {
		if o.Len() == 0 {
			return append(b, "{}"...)
		}
		b = append(b, "{\n"...)
		first := true
		for i := 0; i < o.Len(); i++ {
			k, e := o.At(i)
			if isUndefined(e) {
				continue
			}
			if !first {
				b = append(b, ",\n"...)
			}
			first = false
			b = append(b, indent+"  "...)
			b = appendJSString(b, k)
			b = append(b, ": "...)
			b = appendPretty(b, e, indent+"  ")
		}
		b = append(b, '\n')
		b = append(b, indent...)
		return append(b, '}')
	}
	if items, ok := arrayItems(v); ok {
		if len(items) == 0 {
			return append(b, "[]"...)
		}
		b = append(b, "[\n"...)
		for i, e := range items {
			if i > 0 {
				b = append(b, ",\n"...)
			}
			b = append(b, indent+"  "...)
			b = appendPretty(b, e, indent+"  ")
		}
		b = append(b, '\n')
		b = append(b, indent...)
		return append(b, ']')
	}
	return appendJSON(b, v)
}

// appendJSString quotes s as JSON.stringify does: only quotes, backslashes and control
// characters are escaped.
func appendJSString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"':
			b = append(b, '\\', '"')
		case c == '\\':
			b = append(b, '\\', '\\')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c < 0x20:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		default:
			b = append(b, c)
		}
		i++
	}
	return append(b, '"')
}

// compareStrings orders strings by UTF-16 code units, as JavaScript's < does.
func compareStrings(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, ub := utf16Key(ra), utf16Key(rb)
			if ua < ub {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

func utf16Key(r rune) rune {
	if r >= 0x10000 {
		hi, _ := utf16.EncodeRune(r)
		return hi
	}
	return r
}

func hasNonFinite(v any) bool {
	switch x := v.(type) {
	case float64:
		return math.IsInf(x, 0) || math.IsNaN(x)
	case *value.Object:
		for i := 0; i < x.Len(); i++ {
			if _, e := x.At(i); hasNonFinite(e) {
				return true
			}
		}
		return false
	}
	if items, ok := arrayItems(v); ok {
		for _, e := range items {
			if hasNonFinite(e) {
				return true
			}
		}
	}
	return false
}
