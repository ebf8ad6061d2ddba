package conformance

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// The transformers of a case address values with a small JSONPath dialect (child, "..",
// "*", brackets). It is not the JSONPath of state machines: it follows the recording
// tool, where ".." visits the node itself and then every descendant in document order,
// so the order in which references are numbered comes out the same.

type pathStep struct {
	descend bool
	name    string
	index   int
	isIndex bool
}

var pathName = regexp.MustCompile(`^(?:[A-Za-z0-9_\-]+|\*)`)

// errUnsupported marks a transformer the normalizer cannot apply. The recording tool
// skips such transformers too, so callers ignore it rather than fail.
type errUnsupported struct{ what string }

func (e *errUnsupported) Error() string { return "unsupported transformer: " + e.what }

func unsupported(format string, args ...any) error {
	return &errUnsupported{what: fmt.Sprintf(format, args...)}
}

func parsePath(path string) ([]pathStep, error) {
	if !strings.HasPrefix(path, "$") {
		return nil, unsupported("path %q does not start with $", path)
	}
	var steps []pathStep
	for i := 1; i < len(path); {
		switch {
		case strings.HasPrefix(path[i:], ".."), path[i] == '.':
			st := pathStep{descend: strings.HasPrefix(path[i:], "..")}
			if st.descend {
				i += 2
			} else {
				i++
			}
			m := pathName.FindString(path[i:])
			if m == "" {
				return nil, unsupported("path %q: no name at offset %d", path, i)
			}
			st.name = m
			i += len(m)
			steps = append(steps, st)
		case path[i] == '[':
			j := strings.IndexByte(path[i:], ']')
			if j < 0 {
				return nil, unsupported("path %q: unclosed [", path)
			}
			inner := strings.Trim(strings.TrimSpace(path[i+1:i+j]), `'"`)
			st := pathStep{name: inner}
			if digits := strings.TrimLeft(inner, "-"); inner != "*" && digits != "" && isASCIIDigits(digits) {
				n, err := strconv.Atoi(inner)
				if err != nil {
					return nil, unsupported("path %q: bad index %q", path, inner)
				}
				st = pathStep{index: n, isIndex: true}
			}
			steps = append(steps, st)
			i += j + 1
		default:
			return nil, unsupported("path %q: unexpected %q at offset %d", path, path[i], i)
		}
	}
	return steps, nil
}

func isASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// slot is a place in a document: a member of an object or an element of an array.
type slot struct {
	obj *value.Object
	arr []any
	key string
	idx int
}

func (s slot) get() value.Value {
	if s.obj != nil {
		v, _ := s.obj.Get(s.key)
		return v
	}
	return s.arr[s.idx]
}

func (s slot) set(v value.Value) {
	if s.obj != nil {
		s.obj.Set(s.key, v)
		return
	}
	s.arr[s.idx] = v
}

func childSlots(n value.Value) []slot {
	switch x := n.(type) {
	case *value.Object:
		out := make([]slot, x.Len())
		for i, k := range x.Keys() {
			out[i] = slot{obj: x, key: k}
		}
		return out
	case []any:
		out := make([]slot, len(x))
		for i := range x {
			out[i] = slot{arr: x, idx: i}
		}
		return out
	}
	return nil
}

func allNodes(n value.Value, out []value.Value) []value.Value {
	out = append(out, n)
	for _, s := range childSlots(n) {
		out = allNodes(s.get(), out)
	}
	return out
}

// findPath returns the slots path selects in doc, in the recording tool's order.
func findPath(doc value.Value, path string) ([]slot, error) {
	steps, err := parsePath(path)
	if err != nil {
		return nil, err
	}
	type loc struct {
		s    slot
		root bool
		v    value.Value
	}
	locs := []loc{{root: true, v: doc}}
	for _, st := range steps {
		var next []loc
		for _, l := range locs {
			nodes := []value.Value{l.v}
			if st.descend {
				nodes = allNodes(l.v, nil)
			}
			for _, n := range nodes {
				switch {
				case !st.isIndex && st.name == "*":
					for _, c := range childSlots(n) {
						next = append(next, loc{s: c, v: c.get()})
					}
				case !st.isIndex:
					if o, ok := n.(*value.Object); ok && o.Has(st.name) {
						s := slot{obj: o, key: st.name}
						next = append(next, loc{s: s, v: s.get()})
					}
				default:
					if a, ok := n.([]any); ok && st.index >= -len(a) && st.index < len(a) {
						i := st.index
						if i < 0 {
							i += len(a)
						}
						next = append(next, loc{s: slot{arr: a, idx: i}, v: a[i]})
					}
				}
			}
		}
		locs = next
	}
	var out []slot
	for _, l := range locs {
		if !l.root {
			out = append(out, l.s)
		}
	}
	return out, nil
}
