package jsonata

func defineHigherOrderFunctions() {
	def("map", "<af>", func(c callCtx, a []any) (any, error) {
		items, ok := arrayItems(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		fn := arg(a, 1)
		out := &seq{items: make([]any, 0, len(items))}
		arr := arg(a, 0)
		for i, e := range items {
			r, err := c.ev.apply(fn, hofArgs(fn, e, float64(i), arr), nil, c.env, c.pos, c.name)
			if err != nil {
				return nil, err
			}
			if !isUndefined(r) {
				out.items = append(out.items, r)
			}
		}
		return out, nil
	})
	def("filter", "<af>", func(c callCtx, a []any) (any, error) {
		items, ok := arrayItems(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		fn := arg(a, 1)
		out := &seq{}
		arr := arg(a, 0)
		for i, e := range items {
			r, err := c.ev.apply(fn, hofArgs(fn, e, float64(i), arr), nil, c.env, c.pos, c.name)
			if err != nil {
				return nil, err
			}
			if boolize(r) {
				out.items = append(out.items, e)
			}
		}
		return out, nil
	})
	def("single", "<af?>", func(c callCtx, a []any) (any, error) {
		items, ok := arrayItems(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		fn := arg(a, 1)
		arr := arg(a, 0)
		found := false
		var result any = undefined
		for i, e := range items {
			keep := true
			if !isUndefined(fn) {
				r, err := c.ev.apply(fn, hofArgs(fn, e, float64(i), arr), nil, c.env, c.pos, c.name)
				if err != nil {
					return nil, err
				}
				keep = boolize(r)
			}
			if keep {
				if found {
					return nil, errorAt("D3138", c.pos)
				}
				found = true
				result = e
			}
		}
		if !found {
			return nil, errorAt("D3139", c.pos)
		}
		return result, nil
	})
	def("reduce", "<afj?:j>", func(c callCtx, a []any) (any, error) {
		items, ok := arrayItems(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		fn := arg(a, 1)
		n := arity(fn)
		if n < 2 {
			return nil, errorAt("D3050", c.pos)
		}
		var acc any
		i := 0
		if init := arg(a, 2); isUndefined(init) && len(items) > 0 {
			acc = items[0]
			i = 1
		} else {
			acc = init
		}
		for ; i < len(items); i++ {
			args := []any{acc, items[i]}
			if n >= 3 {
				args = append(args, float64(i))
			}
			if n >= 4 {
				args = append(args, arg(a, 0))
			}
			r, err := c.ev.apply(fn, args, nil, c.env, c.pos, c.name)
			if err != nil {
				return nil, err
			}
			acc = r
		}
		return acc, nil
	})
}
