package jsonata

import "github.com/stepdeck/stepdeck/interpreter/value"

// evalArray builds [a, b, ...]: nested constructors stay nested, other members are
// appended (a sequence or range contributes its members).
func (ev *evaluator) evalArray(n *node, input any, env *frame) (any, error) {
	out := make([]any, 0, len(n.items))
	for _, item := range n.items {
		v, err := ev.eval(item, input, env)
		if err != nil {
			return nil, err
		}
		if isUndefined(v) {
			continue
		}
		if item.kind == nArray {
			out = append(out, v)
			continue
		}
		if items, ok := arrayItems(v); ok {
			out = append(out, items...)
		} else {
			out = append(out, v)
		}
	}
	if n.consArray {
		return consArr(out), nil
	}
	return out, nil
}

// fnAppend is $append: concatenation that treats single values as singleton arrays and
// ignores undefined.
func fnAppend(a, b any) any {
	if isUndefined(a) {
		return b
	}
	if isUndefined(b) {
		return a
	}
	ai, ok := arrayItems(a)
	if !ok {
		ai = []any{a}
	}
	bi, ok := arrayItems(b)
	if !ok {
		bi = []any{b}
	}
	out := make([]any, 0, len(ai)+len(bi))
	out = append(out, ai...)
	return append(out, bi...)
}

type groupEntry struct {
	data      any
	exprIndex int
	// owned says data is a slice this group built, which may grow in place.
	owned bool
}

// evalGroup evaluates an object constructor, either on its own ({...}) or after a path
// (grouping): members whose keys agree are gathered, then each value expression is
// evaluated once per key over its group.
func (ev *evaluator) evalGroup(pairs []pair, input any, env *frame) (any, error) {
	reduce := false
	if s, ok := input.(*seq); ok && s.tupleStream {
		reduce = true
	}
	items, ok := arrayItems(input)
	if !ok {
		items = []any{input}
	}
	if len(items) == 0 {
		items = []any{undefined}
	}
	var keys []string
	groups := map[string]*groupEntry{}
	for _, item := range items {
		ctx, kenv := item, env
		if reduce {
			if t, ok := item.(*tuple); ok {
				ctx = t.focus
				kenv = frameFromTuple(env, t)
			}
		}
		for pi, pr := range pairs {
			k, err := ev.eval(pr.key, ctx, kenv)
			if err != nil {
				return nil, err
			}
			if isUndefined(k) {
				continue
			}
			ks, ok := k.(string)
			if !ok {
				return nil, newError("T1003", pr.key.pos, "", k)
			}
			if g, ok := groups[ks]; ok {
				if g.exprIndex != pi {
					return nil, newError("D1009", pr.key.pos, "", ks)
				}
				if d, ok := g.data.([]any); ok && g.owned && !reduce {
					// Appending in place keeps large groups linear; fnAppend would copy.
					if items, ok := arrayItems(item); ok {
						g.data = append(d, items...)
					} else if !isUndefined(item) {
						g.data = append(d, item)
					}
				} else {
					// fnAppend builds a fresh slice only when both sides are defined;
					// otherwise it hands back one of them, which is not ours to grow.
					fresh := !isUndefined(g.data) && !isUndefined(item)
					g.data = appendGroupData(g.data, item, reduce)
					_, isSlice := g.data.([]any)
					g.owned = fresh && isSlice && !reduce
				}
			} else {
				groups[ks] = &groupEntry{data: item, exprIndex: pi}
				keys = append(keys, ks)
			}
		}
	}
	out := value.NewObject(len(keys))
	for _, k := range jsKeyOrder(keys) {
		g := groups[k]
		ctx, venv := g.data, env
		if reduce {
			t := reduceTuples(g.data)
			ctx = t.focus
			venv = newFrame(env)
			venv.names = t.names
			venv.vals = t.vals
		}
		v, err := ev.eval(pairs[g.exprIndex].val, ctx, venv)
		if err != nil {
			return nil, err
		}
		if !isUndefined(v) {
			out.Set(k, v)
		}
	}
	return out, nil
}

func appendGroupData(acc, item any, reduce bool) any {
	if reduce {
		if l, ok := acc.([]*tuple); ok {
			return append(l, item.(*tuple))
		}
		return []*tuple{acc.(*tuple), item.(*tuple)}
	}
	return fnAppend(acc, item)
}

// reduceTuples merges the tuples of one group: each binding becomes the sequence of its
// values across the group.
func reduceTuples(data any) *tuple {
	switch d := data.(type) {
	case *tuple:
		return d
	case []*tuple:
		r := d[0].clone()
		for _, t := range d[1:] {
			r.focus = fnAppend(r.focus, t.focus)
			for i, name := range t.names {
				old, ok := r.get(name)
				if !ok {
					old = undefined
				}
				r.set(name, fnAppend(old, t.vals[i]))
			}
		}
		return r
	}
	return &tuple{focus: data}
}
