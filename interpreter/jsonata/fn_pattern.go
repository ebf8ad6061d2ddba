package jsonata

import (
	"strings"
)

// The functions that take a string or a regular expression as a pattern.

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

// checkMatcher rejects functions other than regular expressions where a pattern is
// expected: custom matcher functions are not supported, and the reference rejects those
// that do not return its match structure with the same code.
func checkMatcher(c callCtx, v any) error {
	if _, ok := v.(*matcher); ok || !isFunction(v) {
		return nil
	}
	return newError("T1010", c.pos, c.name, nil)
}
