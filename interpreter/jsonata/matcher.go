package jsonata

import (
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// matcher is the function a regex literal evaluates to.
type matcher struct{ re *regexLit }

type match struct {
	start, end int   // byte offsets
	groups     []int // byte offsets of capture groups, -1 when a group did not take part
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
		out = append(out, match{start: loc[0], end: loc[1], groups: loc[2:]})
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
	groups := make([]any, 0, len(x.groups)/2)
	for i := 0; i+1 < len(x.groups); i += 2 {
		if x.groups[i] < 0 {
			groups = append(groups, "")
			continue
		}
		groups = append(groups, s[x.groups[i]:x.groups[i+1]])
	}
	return value.ObjectOf("match", s[x.start:x.end], "index", float64(utf16Len(s[:x.start])), "groups", groups)
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
	x := match{start: loc[0], end: loc[1], groups: loc[2:]}
	o := x.object(s)
	o.Set("start", float64(utf16Len(s[:x.start])))
	o.Set("end", float64(utf16Len(s[:x.end])))
	return o, nil
}
