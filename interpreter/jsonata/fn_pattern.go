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
	default:
		ms, err := findMatches(c, sep, s, limit)
		if err != nil {
			return nil, err
		}
		start := 0
		for _, m := range ms {
			if m.start < start {
				continue
			}
			out = append(out, s[start:m.start])
			start = min(m.end, len(s))
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
	ms, err := findMatches(c, arg(a, 1), s, limit)
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
	switch p := arg(a, 1).(type) {
	case string:
		r, _ := repl.(string)
		if limit < 0 {
			return strings.ReplaceAll(s, p, r), nil
		}
		return strings.Replace(s, p, r, limit), nil
	default:
		ms, err := findMatches(c, p, s, limit)
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		pos := 0
		for _, m := range ms {
			if m.start >= pos {
				b.WriteString(s[pos:m.start])
			}
			var sub string
			if rs, ok := repl.(string); ok {
				sub = substitute(rs, m)
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
			pos = min(max(pos, m.start+len(m.text)), len(s))
		}
		b.WriteString(s[pos:])
		return b.String(), nil
	}
}

// substitute expands $0, $1... and $$ in a replacement text. A number naming a group
// that does not exist is read with one digit fewer; $ before anything else is literal.
func substitute(repl string, m match) string {
	var b strings.Builder
	groups := len(m.groups)
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
			b.WriteString(m.text)
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
				if g, ok := m.groups[num-1].(string); ok {
					b.WriteString(g)
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
