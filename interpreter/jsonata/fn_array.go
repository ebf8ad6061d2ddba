package jsonata

import (
	"math"
)

func defineArrayFunctions() {
	def("sum", "<a<n>:n>", func(c callCtx, a []any) (any, error) {
		total, _, ok := sumOf(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		return total, nil
	})
	def("count", "<a:n>", func(c callCtx, a []any) (any, error) {
		v := arg(a, 0)
		if isUndefined(v) {
			return 0.0, nil
		}
		items, ok := arrayItems(v)
		if !ok {
			return 1.0, nil
		}
		return float64(len(items)), nil
	})
	def("max", "<a<n>:n>", extremum(func(a, b float64) bool { return a > b }))
	def("min", "<a<n>:n>", extremum(func(a, b float64) bool { return a < b }))
	def("average", "<a<n>:n>", func(c callCtx, a []any) (any, error) {
		total, n, ok := sumOf(arg(a, 0))
		if !ok || n == 0 {
			return undefined, nil
		}
		return total / float64(n), nil
	})
	def("boolean", "<x-:b>", func(c callCtx, a []any) (any, error) {
		b, ok := truthy(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		return b, nil
	})
	def("not", "<x-:b>", func(c callCtx, a []any) (any, error) {
		b, ok := truthy(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		return !b, nil
	})
	def("exists", "<x:b>", func(c callCtx, a []any) (any, error) { return exists(arg(a, 0)), nil })
	def("append", "<xx:a>", func(c callCtx, a []any) (any, error) { return fnAppend(arg(a, 0), arg(a, 1)), nil })
	def("reverse", "<a:a>", func(c callCtx, a []any) (any, error) {
		items, ok := arrayItems(arg(a, 0))
		if !ok {
			return arg(a, 0), nil
		}
		if len(items) <= 1 {
			return arg(a, 0), nil
		}
		out := make([]any, len(items))
		for i, e := range items {
			out[len(items)-1-i] = e
		}
		return out, nil
	})
	def("shuffle", "<a:a>", func(c callCtx, a []any) (any, error) {
		items, ok := arrayItems(arg(a, 0))
		if !ok || len(items) <= 1 {
			return arg(a, 0), nil
		}
		out := append([]any(nil), items...)
		for i := len(out) - 1; i > 0; i-- {
			j := int(math.Floor(c.ev.random() * float64(i+1)))
			out[i], out[j] = out[j], out[i]
		}
		return out, nil
	})
	def("distinct", "<x:x>", func(c callCtx, a []any) (any, error) {
		v := arg(a, 0)
		items, ok := arrayItems(v)
		if !ok || len(items) <= 1 {
			return v, nil
		}
		// Scalars are deduplicated through a map; only containers need the pairwise deep
		// comparison, so large arrays of scalars stay linear.
		var out, containers []any
		seen := map[any]bool{}
		for _, e := range items {
			if key, ok := scalarKey(e); ok {
				if !seen[key] {
					seen[key] = true
					out = append(out, e)
				}
				continue
			}
			dup := false
			for _, o := range containers {
				if deepEqual(e, o) {
					dup = true
					break
				}
			}
			if !dup {
				containers = append(containers, e)
				out = append(out, e)
			}
		}
		if isSeq(v) {
			return &seq{items: out}, nil
		}
		return out, nil
	})
	def("zip", "<a+>", func(c callCtx, a []any) (any, error) {
		if len(a) == 0 {
			return []any{}, nil
		}
		n := math.MaxInt
		lists := make([][]any, len(a))
		for i, x := range a {
			items, ok := arrayItems(x)
			if !ok {
				if isUndefined(x) {
					items = nil
				} else {
					items = []any{x}
				}
			}
			lists[i] = items
			n = min(n, len(items))
		}
		out := make([]any, n)
		for i := 0; i < n; i++ {
			t := make([]any, len(lists))
			for j := range lists {
				t[j] = lists[j][i]
			}
			out[i] = t
		}
		return out, nil
	})
	def("sort", "<af?:a>", fnSort)
}

func extremum(better func(a, b float64) bool) fnImpl {
	return func(c callCtx, a []any) (any, error) {
		xs, ok := numbersOf(arg(a, 0))
		if !ok || len(xs) == 0 {
			return undefined, nil
		}
		m := xs[0]
		for _, x := range xs[1:] {
			if better(x, m) {
				m = x
			}
		}
		return m, nil
	}
}

func fnSort(c callCtx, a []any) (any, error) {
	v := arg(a, 0)
	items, ok := arrayItems(v)
	if !ok {
		return v, nil
	}
	if len(items) <= 1 {
		return v, nil
	}
	fn := arg(a, 1)
	var sortErr error
	var after func(x, y any) bool
	if isUndefined(fn) {
		allNum, allStr := true, true
		for _, e := range items {
			if !isNumber(e) {
				allNum = false
			}
			if !isString(e) {
				allStr = false
			}
		}
		if !allNum && !allStr {
			return nil, errorAt("D3070", c.pos)
		}
		if allNum {
			after = func(x, y any) bool { xf, _ := toNumber(x); yf, _ := toNumber(y); return xf > yf }
		} else {
			after = func(x, y any) bool { return compareStrings(x.(string), y.(string)) > 0 }
		}
	} else {
		after = func(x, y any) bool {
			if sortErr != nil {
				return false
			}
			r, err := c.ev.apply(fn, []any{x, y}, nil, c.env, c.pos, c.name)
			if err != nil {
				sortErr = err
				return false
			}
			return boolize(r)
		}
	}
	out := mergeSort(append([]any(nil), items...), after)
	if sortErr != nil {
		return nil, sortErr
	}
	return out, nil
}

type nullKey struct{}

// scalarKey gives equal scalars equal map keys (numbers by value, whatever their Go type).
func scalarKey(v any) (any, bool) {
	switch x := v.(type) {
	case nil:
		return nullKey{}, true
	case bool, string:
		return x, true
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return nil, false
}
