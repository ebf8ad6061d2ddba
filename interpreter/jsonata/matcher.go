package jsonata

import (
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// matcher is the function a regex literal evaluates to.
type matcher struct{ re *regexLit }

type match struct {
	start, end int // byte offsets
	text       string
	groups     []any // captured strings; "" for a group that did not take part
}

func newMatch(s string, loc []int) match {
	m := match{start: loc[0], end: loc[1], text: s[loc[0]:loc[1]]}
	for i := 2; i+1 < len(loc); i += 2 {
		if loc[i] < 0 {
			m.groups = append(m.groups, "")
		} else {
			m.groups = append(m.groups, s[loc[i]:loc[i+1]])
		}
	}
	if m.groups == nil {
		m.groups = []any{}
	}
	return m
}

// all finds successive matches as the reference's repeated exec does: a zero-length
// match after the first one is an error (D1004), since it would never advance.
func (m *matcher) all(s string, limit int) ([]match, error) {
	if limit == 0 {
		return nil, nil
	}
	locs := m.re.re.FindAllStringSubmatchIndex(s, -1)
	var out []match
	for i, loc := range locs {
		if i > 0 {
			// The reference looks for the next match even when the limit is reached.
			prev := locs[i-1]
			if prev[1] >= len(s) {
				break
			}
			if prev[0] == prev[1] || loc[0] == loc[1] {
				return nil, errorAt("D1004", 0)
			}
		}
		if limit >= 0 && len(out) >= limit {
			break
		}
		out = append(out, newMatch(s, loc))
	}
	return out, nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func (x match) object(s string) *value.Object {
	return value.ObjectOf("match", x.text, "index", float64(utf16Len(s[:x.start])), "groups", x.groups)
}

func (m *matcher) call(args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	loc := m.re.re.FindStringSubmatchIndex(s)
	if loc == nil {
		return undefined, nil
	}
	x := newMatch(s, loc)
	o := x.object(s)
	o.Set("start", float64(utf16Len(s[:x.start])))
	o.Set("end", float64(utf16Len(s[:x.end])))
	return o, nil
}

// findMatches runs a pattern over s: a regular expression, or a custom matcher function
// that returns {match, start, end, groups, next} objects as the reference defines them.
func findMatches(c callCtx, pattern any, s string, limit int) ([]match, error) {
	if m, ok := pattern.(*matcher); ok {
		return m.all(s, limit)
	}
	res, err := c.ev.apply(pattern, []any{s}, nil, c.env, c.pos, c.name)
	var out []match
	for err == nil && !isUndefined(res) && (limit < 0 || len(out) < limit) {
		m, next, ok := customMatch(res, s)
		if !ok {
			return nil, newError("T1010", c.pos, c.name, nil)
		}
		out = append(out, m)
		if next == nil {
			break
		}
		res, err = c.ev.apply(next, nil, nil, c.env, c.pos, c.name)
	}
	if err != nil {
		return nil, err
	}
	if !isUndefined(res) && len(out) == 0 && limit != 0 {
		if _, _, ok := customMatch(res, s); !ok {
			return nil, newError("T1010", c.pos, c.name, nil)
		}
	}
	return out, nil
}

func customMatch(v any, s string) (match, any, bool) {
	o, ok := v.(*value.Object)
	if !ok {
		return match{}, nil, false
	}
	text, ok1 := getField(o, "match").(string)
	start, ok2 := toNumber(getField(o, "start"))
	end, ok3 := toNumber(getField(o, "end"))
	if !ok1 || !ok2 || !ok3 {
		return match{}, nil, false
	}
	m := match{start: byteOffset(s, int(start)), end: byteOffset(s, int(end)), text: text, groups: []any{}}
	if g, ok := arrayItems(getField(o, "groups")); ok {
		m.groups = g
	}
	next := getField(o, "next")
	if !isFunction(next) {
		next = nil
	}
	return m, next, true
}

func getField(o *value.Object, k string) any {
	if v, ok := o.Get(k); ok {
		return v
	}
	return undefined
}

// byteOffset converts a JavaScript (UTF-16) string index into a byte offset of s.
func byteOffset(s string, idx int) int {
	if idx <= 0 {
		return 0
	}
	n := 0
	for i, r := range s {
		if n >= idx {
			return i
		}
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return len(s)
}
