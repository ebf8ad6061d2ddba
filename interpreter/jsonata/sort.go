package jsonata

// evalSort orders a sequence by the terms of ^(...). The merge sort is stable, as the
// reference's is, so equal keys keep their input order.
func (ev *evaluator) evalSort(n *node, input any, env *frame) (any, error) {
	items, ok := arrayItems(input)
	if !ok {
		if isUndefined(input) {
			return undefined, nil
		}
		items = []any{input}
	}
	tupleSort := false
	if s, ok := input.(*seq); ok && s.tupleStream {
		tupleSort = true
	}
	keyOf := func(item any, term sortTerm) (any, error) {
		ctx, kenv := item, env
		if tupleSort {
			t := item.(*tuple)
			ctx = t.focus
			kenv = frameFromTuple(env, t)
		}
		return ev.eval(term.expr, ctx, kenv)
	}
	// Keys are computed once per member rather than once per comparison.
	keys := make([][]any, len(items))
	for i, it := range items {
		keys[i] = make([]any, len(n.terms))
		for j, term := range n.terms {
			k, err := keyOf(it, term)
			if err != nil {
				return nil, err
			}
			keys[i][j] = k
		}
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	var sortErr error
	after := func(a, b int) bool {
		if sortErr != nil {
			return false
		}
		for j, term := range n.terms {
			aa, bb := keys[a][j], keys[b][j]
			if isUndefined(aa) {
				if isUndefined(bb) {
					continue
				}
				return true
			}
			if isUndefined(bb) {
				return false
			}
			if !comparable(aa) || !comparable(bb) {
				bad := aa
				if comparable(aa) {
					bad = bb
				}
				sortErr = newError("T2008", n.pos, "", bad)
				return false
			}
			an, aNum := toNumber(aa)
			bn, bNum := toNumber(bb)
			if aNum != bNum {
				e := newError("T2007", n.pos, "", aa)
				e.Value2 = exportForError(bb)
				e.Message = e.render()
				sortErr = e
				return false
			}
			c := 0
			if aNum {
				if an < bn {
					c = -1
				} else if an > bn {
					c = 1
				}
			} else {
				c = compareStrings(aa.(string), bb.(string))
			}
			if c == 0 {
				continue
			}
			if term.desc {
				c = -c
			}
			return c > 0
		}
		return false
	}
	idx = mergeSort(idx, after)
	if sortErr != nil {
		return nil, sortErr
	}
	out := &seq{items: make([]any, len(items)), tupleStream: tupleSort}
	for i, k := range idx {
		out.items[i] = items[k]
	}
	return out, nil
}

// mergeSort sorts stably; after(a, b) reports that a must come after b.
func mergeSort[T any](xs []T, after func(a, b T) bool) []T {
	if len(xs) <= 1 {
		return xs
	}
	mid := len(xs) / 2
	l := mergeSort(append([]T(nil), xs[:mid]...), after)
	r := mergeSort(append([]T(nil), xs[mid:]...), after)
	out := make([]T, 0, len(xs))
	for len(l) > 0 && len(r) > 0 {
		if after(l[0], r[0]) {
			out = append(out, r[0])
			r = r[1:]
		} else {
			out = append(out, l[0])
			l = l[1:]
		}
	}
	out = append(out, l...)
	return append(out, r...)
}
