package jsonata

import "github.com/stepdeck/stepdeck/interpreter/value"

// transformer is the function | pattern | update, delete | evaluates to: it copies its
// argument and changes the copy wherever the pattern matches.
type transformer struct {
	node *node
	env  *frame
}

func (ev *evaluator) transform(t *transformer, args []any, pos int) (any, error) {
	if len(args) == 0 || isUndefined(args[0]) {
		return undefined, nil
	}
	obj := args[0]
	if len(args) > 1 || !(isArray(obj) || isObject(obj)) {
		return nil, newError("T0410", pos, "", float64(1))
	}
	result := deepClone(obj)
	matches, err := ev.eval(t.node.lhs, result, t.env)
	if err != nil {
		return nil, err
	}
	if isUndefined(matches) {
		return result, nil
	}
	items, ok := arrayItems(matches)
	if !ok {
		items = []any{matches}
	}
	for _, m := range items {
		match, _ := m.(*value.Object)
		upd, err := ev.eval(t.node.update, m, t.env)
		if err != nil {
			return nil, err
		}
		if !isUndefined(upd) {
			uo, ok := upd.(*value.Object)
			if !ok {
				return nil, newError("T2011", t.node.update.pos, "", upd)
			}
			if match != nil {
				for i := 0; i < uo.Len(); i++ {
					k, v := uo.At(i)
					match.Set(k, v)
				}
			}
		}
		if t.node.del == nil {
			continue
		}
		dels, err := ev.eval(t.node.del, m, t.env)
		if err != nil {
			return nil, err
		}
		if isUndefined(dels) {
			continue
		}
		names, ok := arrayItems(dels)
		if !ok {
			names = []any{dels}
		}
		for _, d := range names {
			if _, ok := d.(string); !ok {
				return nil, newError("T2012", t.node.del.pos, "", dels)
			}
		}
		if match != nil {
			for _, d := range names {
				match.Delete(d.(string))
			}
		}
	}
	return result, nil
}

func isObject(v any) bool { _, ok := v.(*value.Object); return ok }

// deepClone copies every container so that the transform may change the copy in place.
func deepClone(v any) any {
	switch x := v.(type) {
	case *value.Object:
		o := value.NewObject(x.Len())
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			if isUndefined(e) || isFunction(e) {
				continue
			}
			o.Set(k, deepClone(e))
		}
		return o
	case []any, *seq, consArr:
		items, _ := arrayItems(x)
		out := make([]any, 0, len(items))
		for _, e := range items {
			if isFunction(e) {
				e = nil
			}
			out = append(out, deepClone(e))
		}
		return out
	}
	return v
}
