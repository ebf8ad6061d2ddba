package jsonata

import (
	"encoding/base64"
	"math"
	"strings"
	"unicode/utf16"
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
		if err := checkMatcher(c, arg(a, 1)); err != nil {
			return nil, err
		}
		switch t := arg(a, 1).(type) {
		case string:
			return strings.Contains(s, t), nil
		case *matcher:
			return t.re.re.MatchString(s), nil
		}
		return undefined, nil
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

func fnSplit(c callCtx, a []any) (any, error) {
	s, ok := arg(a, 0).(string)
	if !ok {
		return undefined, nil
	}
	limit := -1
	if l, ok := toNumber(arg(a, 2)); ok {
		if l < 0 {
			return nil, errorAt("D3020", c.pos)
		}
		limit = int(l)
	}
	out := []any{}
	if limit == 0 {
		return out, nil
	}
	if err := checkMatcher(c, arg(a, 1)); err != nil {
		return nil, err
	}
	switch sep := arg(a, 1).(type) {
	case string:
		var parts []string
		if sep == "" {
			for _, r := range s {
				parts = append(parts, string(r))
			}
		} else {
			parts = strings.Split(s, sep)
		}
		for _, p := range parts {
			if limit >= 0 && len(out) >= limit {
				break
			}
			out = append(out, p)
		}
	case *matcher:
		ms, err := sep.all(s, limit)
		if err != nil {
			return nil, err
		}
		start := 0
		for _, m := range ms {
			out = append(out, s[start:m.start])
			start = m.end
		}
		if limit < 0 || len(out) < limit {
			out = append(out, s[start:])
		}
	}
	return out, nil
}

func fnMatch(c callCtx, a []any) (any, error) {
	s, ok := arg(a, 0).(string)
	if !ok {
		return undefined, nil
	}
	limit := -1
	if l, ok := toNumber(arg(a, 2)); ok {
		if l < 0 {
			return nil, errorAt("D3040", c.pos)
		}
		limit = int(l)
	}
	m, ok := arg(a, 1).(*matcher)
	if !ok {
		return nil, newError("T1010", c.pos, c.name, nil)
	}
	ms, err := m.all(s, limit)
	if err != nil {
		return nil, err
	}
	out := &seq{}
	for _, x := range ms {
		out.items = append(out.items, x.object(s))
	}
	return out, nil
}

func fnReplace(c callCtx, a []any) (any, error) {
	s, ok := arg(a, 0).(string)
	if !ok {
		return undefined, nil
	}
	if p, ok := arg(a, 1).(string); ok && p == "" {
		return nil, errorAt("D3010", c.pos)
	}
	limit := -1
	if l, ok := toNumber(arg(a, 3)); ok {
		if l < 0 {
			return nil, errorAt("D3011", c.pos)
		}
		limit = int(l)
	}
	repl := arg(a, 2)
	if err := checkMatcher(c, arg(a, 1)); err != nil {
		return nil, err
	}
	switch p := arg(a, 1).(type) {
	case string:
		r, _ := repl.(string)
		if limit < 0 {
			return strings.ReplaceAll(s, p, r), nil
		}
		return strings.Replace(s, p, r, limit), nil
	case *matcher:
		ms, err := p.all(s, limit)
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		pos := 0
		for _, m := range ms {
			b.WriteString(s[pos:m.start])
			var sub string
			if rs, ok := repl.(string); ok {
				sub = substitute(rs, m, s)
			} else {
				v, err := c.ev.apply(repl, []any{m.object(s)}, nil, c.env, c.pos, c.name)
				if err != nil {
					return nil, err
				}
				str, ok := v.(string)
				if !ok {
					return nil, newError("D3012", c.pos, "", v)
				}
				sub = str
			}
			b.WriteString(sub)
			pos = m.end
		}
		b.WriteString(s[pos:])
		return b.String(), nil
	}
	return undefined, nil
}

// substitute expands $0, $1... and $$ in a replacement text. A number naming a group
// that does not exist is read with one digit fewer; $ before anything else is literal.
func substitute(repl string, m match, s string) string {
	var b strings.Builder
	groups := len(m.groups) / 2
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '$' || i+1 >= len(repl) {
			b.WriteByte(c)
			continue
		}
		n := repl[i+1]
		switch {
		case n == '$':
			b.WriteByte('$')
			i++
		case n == '0':
			b.WriteString(s[m.start:m.end])
			i++
		case n >= '1' && n <= '9':
			maxDigits := 1
			if groups > 0 {
				maxDigits = len(itoa(groups))
			}
			j := i + 1
			for j < len(repl) && j < i+1+maxDigits && repl[j] >= '0' && repl[j] <= '9' {
				j++
			}
			num := atoiSafe(repl[i+1 : j])
			if j-(i+1) > 1 && num > groups {
				j--
				num = atoiSafe(repl[i+1 : j])
			}
			if num >= 1 && num <= groups {
				if g := m.groups[2*(num-1)]; g >= 0 {
					b.WriteString(s[g:m.groups[2*(num-1)+1]])
				}
			}
			i = j - 1
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}

func atoiSafe(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

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

// checkMatcher rejects functions other than regular expressions where a pattern is
// expected: custom matcher functions are not supported, and the reference rejects those
// that do not return its match structure with the same code.
func checkMatcher(c callCtx, v any) error {
	if _, ok := v.(*matcher); ok || !isFunction(v) {
		return nil
	}
	return newError("T1010", c.pos, c.name, nil)
}
