package jsonata

import (
	"math"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// evalPath maps each step over the sequence the previous step produced. Steps that bind
// variables (@, #, %) switch the path to a tuple stream, which carries those bindings
// along with each context value.
func (ev *evaluator) evalPath(n *node, input any, env *frame) (any, error) {
	if n.simple {
		if o, ok := input.(*value.Object); ok {
			// The step still counts towards the depth limit, as a full evaluation would.
			if ev.depth+1 > ev.maxDepth {
				return nil, newError("U1001", 0, "", nil)
			}
			v, ok := o.Get(n.steps[0].str)
			if !ok {
				return undefined, nil
			}
			if s, ok := v.(*seq); ok {
				return &seq{items: s.items}, nil
			}
			return v, nil
		}
	}
	// A lone input is its own one-member sequence: the steps treat a non-array as such.
	inputSeq := input
	if isArray(input) && n.steps[0].kind == nVariable {
		inputSeq = &seq{items: []any{input}}
	}
	var result any = undefined
	tupleMode := false
	var tuples *seq
	last := len(n.steps) - 1
	for i, step := range n.steps {
		if step.tuple {
			tupleMode = true
		}
		var err error
		switch {
		case i == 0 && step.consArray:
			result, err = ev.eval(step, inputSeq, env)
		case tupleMode:
			tuples, err = ev.evalTupleStep(step, inputSeq, tuples, env)
		default:
			result, err = ev.evalStep(step, inputSeq, env, i == last)
		}
		if err != nil {
			return nil, err
		}
		if !tupleMode {
			if isUndefined(result) {
				break
			}
			if items, ok := arrayItems(result); ok && len(items) == 0 {
				break
			}
		}
		if step.focus == "" {
			inputSeq = result
		}
	}
	if tupleMode {
		if n.tuple {
			result = tuples
		} else {
			out := newSeq(len(tuples.items))
			for _, t := range tuples.items {
				out.items = append(out.items, t.(*tuple).focus)
			}
			result = out
		}
	}
	if n.keepSingleton {
		if a, ok := result.(consArr); ok {
			result = &seq{items: []any{a}}
		}
		if s, ok := result.(*seq); ok {
			s.keepSingleton = true
		} else if items, ok := arrayItems(result); ok {
			result = &seq{items: items, keepSingleton: true}
		} else if !isUndefined(result) {
			result = &seq{items: []any{result}, keepSingleton: true}
		}
	}
	if n.group != nil {
		if tupleMode {
			return ev.evalGroup(n.group.pairs, tuples, env)
		}
		return ev.evalGroup(n.group.pairs, result, env)
	}
	return result, nil
}

func (ev *evaluator) evalStep(step *node, input any, env *frame, last bool) (any, error) {
	if step.kind == nSort {
		res, err := ev.evalSort(step, input, env)
		if err != nil {
			return nil, err
		}
		return ev.evalStages(step.stages, res, env)
	}
	var single [1]any
	items, ok := arrayItems(input)
	if !ok {
		single[0] = input
		items = single[:]
	}
	var out *seq
	count := 0
	var first any
	for _, it := range items {
		res, err := ev.eval(step, it, env)
		if err != nil {
			return nil, err
		}
		for _, st := range step.stages {
			if st.kind != stageFilter {
				continue
			}
			if res, err = ev.evalFilter(st.expr, res, env); err != nil {
				return nil, err
			}
		}
		if isUndefined(res) {
			continue
		}
		count++
		if count == 1 {
			first = res
			continue
		}
		if out == nil {
			n := len(items)
			if fi, ok := arrayItems(first); ok {
				n *= len(fi)
			}
			out = &seq{items: make([]any, 0, n)}
			out.items = appendMembers(out.items, first)
		}
		out.items = appendMembers(out.items, res)
	}
	switch count {
	case 0:
		return undefined, nil
	case 1:
		// A lone array at the end of a path is the result itself, not a sequence of its
		// members; a lone plain value needs no sequence around it.
		switch r := first.(type) {
		case []any:
			// Mid-path, a plain array only feeds the next step, which iterates it alike.
			if last || len(r) > 0 {
				return r, nil
			}
			return undefined, nil
		case consArr:
			if last {
				return r, nil
			}
			return &seq{items: []any{r}}, nil
		case *seq:
			return &seq{items: r.items}, nil
		}
		return first, nil
	}
	return out, nil
}

// appendMembers adds a step's result to the path's sequence: sequences and plain arrays
// contribute their members, constructed arrays stay whole.
func appendMembers(dst []any, res any) []any {
	switch a := res.(type) {
	case *seq:
		return append(dst, a.items...)
	case []any:
		return append(dst, a...)
	}
	return append(dst, res)
}

func (ev *evaluator) evalStages(stages []stage, input any, env *frame) (any, error) {
	res := input
	for _, st := range stages {
		switch st.kind {
		case stageFilter:
			var err error
			if res, err = ev.evalFilter(st.expr, res, env); err != nil {
				return nil, err
			}
		case stageIndex:
			if s, ok := res.(*seq); ok {
				for i, t := range s.items {
					if tp, ok := t.(*tuple); ok {
						tp.set(st.index, float64(i))
					}
				}
			}
		}
	}
	return res, nil
}

func (ev *evaluator) evalTupleStep(step *node, input any, tuples *seq, env *frame) (*seq, error) {
	if step.kind == nSort {
		var res *seq
		if tuples != nil {
			r, err := ev.evalSort(step, tuples, env)
			if err != nil {
				return nil, err
			}
			res = asTupleSeq(r)
		} else {
			sorted, err := ev.evalSort(step, input, env)
			if err != nil {
				return nil, err
			}
			items, _ := arrayItems(sorted)
			res = &seq{tupleStream: true, items: make([]any, 0, len(items))}
			for i, it := range items {
				t := &tuple{focus: it}
				if step.index != "" {
					t.set(step.index, float64(i))
				}
				res.items = append(res.items, t)
			}
		}
		r, err := ev.evalStages(step.stages, res, env)
		if err != nil {
			return nil, err
		}
		return asTupleSeq(r), nil
	}
	if tuples == nil {
		items, ok := arrayItems(input)
		if !ok {
			items = []any{input}
		}
		tuples = &seq{tupleStream: true, items: make([]any, 0, len(items))}
		for _, it := range items {
			tuples.items = append(tuples.items, &tuple{focus: it})
		}
	}
	out := &seq{tupleStream: true}
	for _, tv := range tuples.items {
		t := tv.(*tuple)
		stepEnv := frameFromTuple(env, t)
		res, err := ev.eval(step, t.focus, stepEnv)
		if err != nil {
			return nil, err
		}
		if isUndefined(res) {
			continue
		}
		items, ok := arrayItems(res)
		if !ok {
			items = []any{res}
		}
		resTuples := false
		if s, ok := res.(*seq); ok && s.tupleStream {
			resTuples = true
		}
		for bb, it := range items {
			nt := t.clone()
			if resTuples {
				rt := it.(*tuple)
				nt.focus = rt.focus
				for i, name := range rt.names {
					nt.set(name, rt.vals[i])
				}
			} else {
				if step.focus != "" {
					nt.set(step.focus, it)
				} else {
					nt.focus = it
				}
				if step.index != "" {
					nt.set(step.index, float64(bb))
				}
				if step.ancestor != nil {
					nt.set(step.ancestor.label, t.focus)
				}
			}
			out.items = append(out.items, nt)
		}
	}
	r, err := ev.evalStages(step.stages, out, env)
	if err != nil {
		return nil, err
	}
	return asTupleSeq(r), nil
}

func asTupleSeq(v any) *seq {
	if s, ok := v.(*seq); ok {
		s.tupleStream = true
		return s
	}
	items, _ := arrayItems(v)
	return &seq{tupleStream: true, items: items}
}

// evalFilter applies one predicate: a number (or numbers) selects by position, anything
// else keeps the members for which it is true.
func (ev *evaluator) evalFilter(pred *node, input any, env *frame) (any, error) {
	out := &seq{}
	tupleIn := false
	if s, ok := input.(*seq); ok && s.tupleStream {
		out.tupleStream = true
		tupleIn = true
	}
	items, ok := arrayItems(input)
	if !ok {
		items = []any{input}
	}
	if pred.kind == nNumber {
		idx := int(math.Floor(pred.num))
		if pred.num < 0 {
			idx = len(items) + int(math.Floor(pred.num))
		}
		if idx >= 0 && idx < len(items) {
			item := items[idx]
			if !isUndefined(item) {
				if isArray(item) {
					return item, nil
				}
				out.items = append(out.items, item)
			}
		}
		return out, nil
	}
	for i, item := range items {
		ctx, fenv := item, env
		if tupleIn {
			t := item.(*tuple)
			ctx = t.focus
			fenv = frameFromTuple(env, t)
		}
		res, err := ev.eval(pred, ctx, fenv)
		if err != nil {
			return nil, err
		}
		if f, ok := toNumber(res); ok {
			if matchIndex(f, i, len(items)) {
				out.items = append(out.items, item)
			}
			continue
		}
		if nums, ok := arrayOfNumbers(res); ok {
			for _, f := range nums {
				if matchIndex(f, i, len(items)) {
					out.items = append(out.items, item)
				}
			}
			continue
		}
		if boolize(res) {
			out.items = append(out.items, item)
		}
	}
	return out, nil
}

func matchIndex(f float64, i, n int) bool {
	ii := math.Floor(f)
	if ii < 0 {
		ii += float64(n)
	}
	return ii == float64(i)
}

func arrayOfNumbers(v any) ([]float64, bool) {
	items, ok := arrayItems(v)
	if !ok {
		return nil, false
	}
	out := make([]float64, 0, len(items))
	for _, e := range items {
		f, ok := toNumber(e)
		if !ok {
			return nil, false
		}
		out = append(out, f)
	}
	return out, true
}

// lookupField reads key from an object, or from each object of an array, flattening one
// level of arrays found there.
func lookupField(input any, key string) any {
	switch x := input.(type) {
	case *value.Object:
		v, ok := x.Get(key)
		if !ok {
			return undefined
		}
		return v
	case []any, *seq, consArr:
		items, _ := arrayItems(x)
		out := &seq{}
		for _, e := range items {
			r := lookupField(e, key)
			if isUndefined(r) {
				continue
			}
			if ri, ok := arrayItems(r); ok {
				out.items = append(out.items, ri...)
			} else {
				out.items = append(out.items, r)
			}
		}
		return out
	}
	return undefined
}

func evalWildcard(input any) any {
	if s, ok := input.(*seq); ok && s.outerWrapper && len(s.items) > 0 {
		input = s.items[0]
	}
	out := &seq{}
	plain := false
	add := func(v any) {
		if items, ok := arrayItems(v); ok {
			out.items = appendFlat(out.items, items)
			plain = true
			return
		}
		out.items = append(out.items, v)
	}
	switch x := input.(type) {
	case *value.Object:
		for i := 0; i < x.Len(); i++ {
			_, v := x.At(i)
			add(v)
		}
	case []any, consArr, *seq:
		items, _ := arrayItems(x)
		for _, v := range items {
			add(v)
		}
	}
	if plain {
		return out.items
	}
	return out
}

func appendFlat(dst, items []any) []any {
	for _, e := range items {
		if inner, ok := arrayItems(e); ok {
			dst = appendFlat(dst, inner)
		} else {
			dst = append(dst, e)
		}
	}
	return dst
}

func evalDescendants(input any) any {
	if isUndefined(input) {
		return undefined
	}
	out := &seq{}
	collectDescendants(input, out)
	if len(out.items) == 1 {
		return out.items[0]
	}
	return out
}

func collectDescendants(v any, out *seq) {
	if items, ok := arrayItems(v); ok {
		for _, e := range items {
			collectDescendants(e, out)
		}
		return
	}
	out.items = append(out.items, v)
	if o, ok := v.(*value.Object); ok {
		for i := 0; i < o.Len(); i++ {
			_, e := o.At(i)
			collectDescendants(e, out)
		}
	}
}
