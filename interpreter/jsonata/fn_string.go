package jsonata

import (
	"encoding/base64"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

func defineStringFunctions() {
	def("string", "<x-b?:s>", func(c callCtx, a []any) (any, error) {
		v := arg(a, 0)
		if isUndefined(v) {
			return undefined, nil
		}
		pretty := boolize(arg(a, 1))
		if b, ok := arg(a, 1).(bool); ok {
			pretty = b
		}
		return stringify(v, pretty)
	})
	def("length", "<s-:n>", strFn(func(s string) any { return float64(utf8.RuneCountInString(s)) }))
	def("uppercase", "<s-:s>", strFn(func(s string) any { return strings.ToUpper(s) }))
	def("lowercase", "<s-:s>", strFn(func(s string) any { return strings.ToLower(s) }))
	def("trim", "<s-:s>", strFn(trim))
	def("substring", "<s-nn?:s>", fnSubstring)
	def("substringBefore", "<s-s:s>", func(c callCtx, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return undefined, nil
		}
		sep, ok := arg(a, 1).(string)
		if !ok {
			return s, nil
		}
		if i := strings.Index(s, sep); i >= 0 {
			return s[:i], nil
		}
		return s, nil
	})
	def("substringAfter", "<s-s:s>", func(c callCtx, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return undefined, nil
		}
		sep, ok := arg(a, 1).(string)
		if !ok {
			return s, nil
		}
		if i := strings.Index(s, sep); i >= 0 {
			return s[i+len(sep):], nil
		}
		return s, nil
	})
	def("pad", "<s-ns?:s>", fnPad)
	def("contains", "<s-(sf):b>", func(c callCtx, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return undefined, nil
		}
		switch t := arg(a, 1).(type) {
		case string:
			return strings.Contains(s, t), nil
		case *matcher:
			return t.re.re.MatchString(s), nil
		}
		if !isFunction(arg(a, 1)) {
			return undefined, nil
		}
		ms, err := findMatches(c, arg(a, 1), s, 1)
		if err != nil {
			return nil, err
		}
		return len(ms) > 0, nil
	})
	def("split", "<s-(sf)n?:a<s>>", fnSplit)
	def("join", "<a<s>s?:s>", func(c callCtx, a []any) (any, error) {
		items, ok := arrayItems(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		sep, _ := arg(a, 1).(string)
		parts := make([]string, len(items))
		for i, e := range items {
			parts[i], _ = e.(string)
		}
		return strings.Join(parts, sep), nil
	})
	def("match", "<s-f<s:o>n?:a<o>>", fnMatch)
	def("replace", "<s-(sf)(sf)n?:s>", fnReplace)
	def("base64encode", "<s-:s>", strFn(func(s string) any { return base64.StdEncoding.EncodeToString([]byte(s)) }))
	def("base64decode", "<s-:s>", func(c callCtx, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return undefined, nil
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			if b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err != nil {
				return nil, &Error{Code: "D3137", Message: "invalid base64 text"}
			}
		}
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	})
	def("encodeUrlComponent", "<s-:s>", urlFn("encodeUrlComponent", func(s string) (string, bool) { return encodeURI(s, uriUnreservedMarks) }))
	def("encodeUrl", "<s-:s>", urlFn("encodeUrl", func(s string) (string, bool) { return encodeURI(s, uriUnreservedMarks+uriReserved) }))
	def("decodeUrlComponent", "<s-:s>", urlFn("decodeUrlComponent", func(s string) (string, bool) { return decodeURI(s, "") }))
	def("decodeUrl", "<s-:s>", urlFn("decodeUrl", func(s string) (string, bool) { return decodeURI(s, uriReserved) }))
	def("eval", "<sx?:x>", fnEval)
}

func strFn(f func(string) any) fnImpl {
	return func(c callCtx, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return undefined, nil
		}
		return f(s), nil
	}
}

func trim(s string) any {
	var b strings.Builder
	space := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			space = true
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// jsIndex converts a JavaScript slice index (truncated, negative from the end) into a
// position in [0, n].
func jsIndex(f float64, n int) int {
	if math.IsNaN(f) {
		return 0
	}
	f = math.Trunc(f)
	if f < 0 {
		f += float64(n)
		if f < 0 {
			return 0
		}
	}
	if f > float64(n) {
		return n
	}
	return int(f)
}

func fnSubstring(c callCtx, a []any) (any, error) {
	s, ok := arg(a, 0).(string)
	if !ok {
		return undefined, nil
	}
	rs := []rune(s)
	n := len(rs)
	start, _ := toNumber(arg(a, 1))
	if float64(n)+start < 0 {
		start = 0
	}
	if l, ok := toNumber(arg(a, 2)); ok {
		if l <= 0 {
			return "", nil
		}
		end := start + l
		if start < 0 {
			end = float64(n) + start + l
		}
		i, j := jsIndex(start, n), jsIndex(end, n)
		if j < i {
			return "", nil
		}
		return string(rs[i:j]), nil
	}
	return string(rs[jsIndex(start, n):]), nil
}

func fnPad(c callCtx, a []any) (any, error) {
	s, ok := arg(a, 0).(string)
	if !ok {
		return undefined, nil
	}
	width, _ := toNumber(arg(a, 1))
	ch, _ := arg(a, 2).(string)
	if ch == "" {
		ch = " "
	}
	padLen := int(math.Abs(math.Trunc(width))) - utf8.RuneCountInString(s)
	if padLen <= 0 {
		return s, nil
	}
	padding := []rune(strings.Repeat(ch, padLen))[:padLen]
	if width > 0 {
		return s + string(padding), nil
	}
	return string(padding) + s, nil
}

func fnEval(c callCtx, a []any) (any, error) {
	src, ok := arg(a, 0).(string)
	if !ok {
		return undefined, nil
	}
	input := c.input
	if ctx := arg(a, 1); !isUndefined(ctx) {
		input = ctx
		if arr, ok := ctx.([]any); ok {
			input = &seq{items: []any{arr}, outerWrapper: true}
		}
	}
	root, err := parse(src)
	if err != nil {
		return nil, newError("D3120", c.pos, "", err.Error())
	}
	res, err := c.ev.eval(root, input, c.env)
	if err != nil {
		if e, ok := err.(*Error); ok && e.Code == "U1001" {
			return nil, err
		}
		return nil, newError("D3121", c.pos, "", err.Error())
	}
	return res, nil
}

// keysOf lists an object's keys, or the distinct keys of the objects in an array.
func keysOf(v any) []string {
	switch x := v.(type) {
	case *value.Object:
		return x.Keys()
	}
	items, ok := arrayItems(v)
	if !ok {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, e := range items {
		for _, k := range keysOf(e) {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}
