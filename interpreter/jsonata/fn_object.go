package jsonata

import (
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func defineObjectFunctions() {
	def("keys", "<x-:a<s>>", func(c callCtx, a []any) (any, error) {
		ks := keysOf(arg(a, 0))
		out := &seq{items: make([]any, len(ks))}
		for i, k := range ks {
			out.items[i] = k
		}
		return out, nil
	})
	def("lookup", "<x-s:x>", func(c callCtx, a []any) (any, error) {
		k, ok := arg(a, 1).(string)
		if !ok {
			return undefined, nil
		}
		return lookupField(arg(a, 0), k), nil
	})
	def("spread", "<x-:a<o>>", func(c callCtx, a []any) (any, error) { return spread(arg(a, 0)), nil })
	def("merge", "<a<o>:o>", func(c callCtx, a []any) (any, error) {
		items, ok := arrayItems(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		out := value.NewObject(0)
		for _, e := range items {
			if o, ok := e.(*value.Object); ok {
				for i := 0; i < o.Len(); i++ {
					k, v := o.At(i)
					out.Set(k, v)
				}
			}
		}
		return out, nil
	})
	def("sift", "<o-f?:o>", func(c callCtx, a []any) (any, error) {
		o, ok := arg(a, 0).(*value.Object)
		if !ok {
			return undefined, nil
		}
		fn := arg(a, 1)
		out := value.NewObject(0)
		for i := 0; i < o.Len(); i++ {
			k, v := o.At(i)
			r, err := c.ev.apply(fn, hofArgs(fn, v, k, o), nil, c.env, c.pos, c.name)
			if err != nil {
				return nil, err
			}
			if boolize(r) {
				out.Set(k, v)
			}
		}
		if out.Len() == 0 {
			return undefined, nil
		}
		return out, nil
	})
	def("each", "<o-f:a>", func(c callCtx, a []any) (any, error) {
		o, ok := arg(a, 0).(*value.Object)
		if !ok {
			return undefined, nil
		}
		fn := arg(a, 1)
		out := &seq{}
		for i := 0; i < o.Len(); i++ {
			k, v := o.At(i)
			r, err := c.ev.apply(fn, hofArgs(fn, v, k, o), nil, c.env, c.pos, c.name)
			if err != nil {
				return nil, err
			}
			if !isUndefined(r) {
				out.items = append(out.items, r)
			}
		}
		return out, nil
	})
	def("error", "<s?:x>", func(c callCtx, a []any) (any, error) {
		msg, ok := arg(a, 0).(string)
		if !ok {
			msg = "$error() function evaluated"
		}
		return nil, &Error{Code: "D3137", Position: c.pos, Token: c.name, Value: msg, Message: msg}
	})
	def("assert", "<bs?:x>", func(c callCtx, a []any) (any, error) {
		if b, _ := arg(a, 0).(bool); b {
			return undefined, nil
		}
		msg, ok := arg(a, 1).(string)
		if !ok {
			msg = "$assert() statement failed"
		}
		return nil, &Error{Code: "D3141", Position: c.pos, Token: c.name, Value: msg, Message: msg}
	})
	def("type", "<x:s>", func(c callCtx, a []any) (any, error) {
		v := arg(a, 0)
		switch v.(type) {
		case undefinedType:
			return undefined, nil
		case nil:
			return "null", nil
		case bool:
			return "boolean", nil
		case float64, int64:
			return "number", nil
		case string:
			return "string", nil
		case *value.Object:
			return "object", nil
		}
		if isArray(v) {
			return "array", nil
		}
		if isFunction(v) {
			return "function", nil
		}
		return "object", nil
	})
	def("clone", "<(oa)-:o>", func(c callCtx, a []any) (any, error) {
		v := arg(a, 0)
		if isUndefined(v) {
			return undefined, nil
		}
		return deepClone(v), nil
	})
}

func spread(v any) any {
	if items, ok := arrayItems(v); ok {
		var acc any = &seq{}
		for _, e := range items {
			acc = fnAppend(acc, spread(e))
		}
		return acc
	}
	if o, ok := v.(*value.Object); ok {
		out := &seq{items: make([]any, 0, o.Len())}
		for i := 0; i < o.Len(); i++ {
			k, e := o.At(i)
			out.items = append(out.items, value.ObjectOf(k, e))
		}
		return out
	}
	return v
}

// hofArgs passes a callback only as many arguments as it declares, as the reference
// does: (value, index/key, array/object).
func hofArgs(fn any, a1, a2, a3 any) []any {
	n := arity(fn)
	args := []any{a1}
	if n >= 2 {
		args = append(args, a2)
	}
	if n >= 3 {
		args = append(args, a3)
	}
	return args
}
