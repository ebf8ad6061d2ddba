package jsonata

// frame is one scope of variable bindings. Scopes are small (a block's few variables, a
// lambda's parameters), so a slice beats a map.
type frame struct {
	parent *frame
	names  []string
	vals   []any
}

func newFrame(parent *frame) *frame { return &frame{parent: parent} }

func (f *frame) bind(name string, v any) {
	for i, n := range f.names {
		if n == name {
			f.vals[i] = v
			return
		}
	}
	f.names = append(f.names, name)
	f.vals = append(f.vals, v)
}

func (f *frame) lookup(name string) (any, bool) {
	for s := f; s != nil; s = s.parent {
		for i := len(s.names) - 1; i >= 0; i-- {
			if s.names[i] == name {
				return s.vals[i], true
			}
		}
	}
	return nil, false
}

// tuple is one member of a tuple stream: the context value (@) and the variables bound
// by focus (@$x), index (#$i) and parent (%) steps along a path.
type tuple struct {
	focus any
	names []string
	vals  []any
}

func (t *tuple) clone() *tuple {
	return &tuple{
		focus: t.focus,
		names: append([]string(nil), t.names...),
		vals:  append([]any(nil), t.vals...),
	}
}

func (t *tuple) set(name string, v any) {
	for i, n := range t.names {
		if n == name {
			t.vals[i] = v
			return
		}
	}
	t.names = append(t.names, name)
	t.vals = append(t.vals, v)
}

func (t *tuple) get(name string) (any, bool) {
	for i, n := range t.names {
		if n == name {
			return t.vals[i], true
		}
	}
	return nil, false
}

func frameFromTuple(parent *frame, t *tuple) *frame {
	f := &frame{parent: parent, names: append([]string(nil), t.names...), vals: append([]any(nil), t.vals...)}
	f.names = append(f.names, "@")
	f.vals = append(f.vals, t.focus)
	return f
}
