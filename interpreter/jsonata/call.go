package jsonata

// lambda is a user function: function($x){...} closed over its defining scope.
type lambda struct {
	node   *node
	input  any
	env    *frame
	params []*node
	sig    *signature
}

// builtin is a function implemented in Go: one of the reference's, or one registered
// through Options.Functions (user).
type builtin struct {
	name  string
	sig   *signature
	arity int
	fn    func(c callCtx, args []any) (any, error)
	user  *userFunc
}

// partial is a function with some arguments fixed by partial application (f(?, 2)).
type partial struct {
	fn   any
	args []any // placeholder slots hold placeholderMark
}

type placeholderType struct{}

var placeholderMark any = placeholderType{}

// callCtx is what a built-in sees of its caller.
type callCtx struct {
	ev    *evaluator
	input any
	env   *frame
	pos   int
	name  string
}

func isFunction(v any) bool {
	switch v.(type) {
	case *lambda, *builtin, *partial, *matcher, *transformer, *composed:
		return true
	}
	return false
}

func arity(f any) int {
	switch x := f.(type) {
	case *lambda:
		return len(x.params)
	case *builtin:
		return x.arity
	case *partial:
		n := 0
		for _, a := range x.args {
			if a == placeholderMark {
				n++
			}
		}
		return n
	case *matcher:
		return 1
	case *transformer, *composed:
		return 1
	}
	return 0
}

func procName(n *node) string {
	p := n.proc
	if p.kind == nPath && len(p.steps) > 0 {
		return p.steps[0].str
	}
	return p.str
}

func (ev *evaluator) evalCall(n *node, input any, env *frame, applyTo []any, chained bool) (any, error) {
	proc, err := ev.eval(n.proc, input, env)
	if err != nil {
		return nil, err
	}
	name := procName(n)
	if isUndefined(proc) && n.proc.kind == nPath {
		if _, ok := env.lookup(name); ok {
			return nil, newError("T1005", n.pos, name, nil)
		}
		if _, ok := builtins[name]; ok {
			return nil, newError("T1005", n.pos, name, nil)
		}
	}
	args := make([]any, 0, len(n.items)+len(applyTo))
	args = append(args, applyTo...)
	for _, a := range n.items {
		v, err := ev.eval(a, input, env)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	return ev.apply(proc, args, input, env, n.pos, name)
}

// apply calls f and then, as long as the result is a tail call, runs it in place: the
// trampoline keeps deep tail recursion off the Go stack.
func (ev *evaluator) apply(f any, args []any, input any, env *frame, pos int, name string) (any, error) {
	res, err := ev.applyInner(f, args, input, env, pos, name)
	for err == nil {
		l, ok := res.(*lambda)
		if !ok || !l.node.thunk {
			break
		}
		call := l.node.body
		if err = ev.enter(); err != nil {
			ev.depth--
			return nil, err
		}
		next, e := ev.eval(call.proc, l.input, l.env)
		if e != nil {
			ev.depth--
			return nil, e
		}
		cargs := make([]any, 0, len(call.items))
		for _, a := range call.items {
			v, e := ev.eval(a, l.input, l.env)
			if e != nil {
				ev.depth--
				return nil, e
			}
			cargs = append(cargs, v)
		}
		ev.depth--
		name = procName(call)
		if isUndefined(next) && call.proc.kind == nPath {
			return nil, newError("T1005", call.pos, name, nil)
		}
		res, err = ev.applyInner(next, cargs, l.input, l.env, call.pos, name)
	}
	return res, err
}

func (ev *evaluator) applyInner(f any, args []any, input any, env *frame, pos int, name string) (any, error) {
	switch fn := f.(type) {
	case *lambda:
		if fn.sig != nil {
			var err error
			if args, err = fn.sig.validate(args, input, name, pos); err != nil {
				return nil, err
			}
		}
		inner := &frame{parent: fn.env, names: make([]string, len(fn.params)), vals: make([]any, len(fn.params))}
		for i, p := range fn.params {
			inner.names[i] = p.str
			if i < len(args) {
				inner.vals[i] = args[i]
			} else {
				inner.vals[i] = undefined
			}
		}
		return ev.eval(fn.node.body, fn.input, inner)
	case *builtin:
		if fn.sig != nil {
			var err error
			if args, err = fn.sig.validate(args, input, name, pos); err != nil {
				return nil, err
			}
		}
		c := callCtx{ev: ev, input: input, env: env, pos: pos, name: name}
		if fn.user != nil {
			return callUser(fn.user, c, args)
		}
		res, err := fn.fn(c, args)
		if err != nil {
			if e, ok := err.(*Error); ok && e.Position == 0 {
				e.Position = pos
			}
			return nil, err
		}
		return res, nil
	case *partial:
		full := make([]any, 0, len(fn.args))
		j := 0
		for _, a := range fn.args {
			if a == placeholderMark {
				if j < len(args) {
					full = append(full, args[j])
				} else {
					full = append(full, undefined)
				}
				j++
			} else {
				full = append(full, a)
			}
		}
		return ev.applyInner(fn.fn, full, input, env, pos, name)
	case *matcher:
		return fn.call(args)
	case *transformer:
		return ev.transform(fn, args, pos)
	case *composed:
		var x any = undefined
		if len(args) > 0 {
			x = args[0]
		}
		mid, err := ev.apply(fn.first, []any{x}, nil, env, pos, name)
		if err != nil {
			return nil, err
		}
		return ev.apply(fn.then, []any{mid}, nil, env, pos, name)
	}
	return nil, newError("T1006", pos, name, nil)
}

func (ev *evaluator) evalPartial(n *node, input any, env *frame) (any, error) {
	args := make([]any, 0, len(n.items))
	for _, a := range n.items {
		if a.kind == nPlaceholder {
			args = append(args, placeholderMark)
			continue
		}
		v, err := ev.eval(a, input, env)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	proc, err := ev.eval(n.proc, input, env)
	if err != nil {
		return nil, err
	}
	name := procName(n)
	if !isFunction(proc) {
		if isUndefined(proc) && n.proc.kind == nPath {
			if _, ok := builtins[name]; ok {
				return nil, newError("T1007", n.pos, name, nil)
			}
			if _, ok := env.lookup(name); ok {
				return nil, newError("T1007", n.pos, name, nil)
			}
		}
		return nil, newError("T1008", n.pos, name, nil)
	}
	if l, ok := proc.(*lambda); ok {
		// Bind the fixed arguments now; the result takes the remaining ones, unchecked,
		// as the reference's partially applied lambdas are.
		inner := newFrame(l.env)
		var rest []*node
		for i, p := range l.params {
			if i < len(args) && args[i] != placeholderMark {
				inner.bind(p.str, args[i])
			} else if i < len(args) {
				rest = append(rest, p)
			} else {
				inner.bind(p.str, undefined)
			}
		}
		return &lambda{node: l.node, input: l.input, env: inner, params: rest}, nil
	}
	return &partial{fn: proc, args: args}, nil
}

func (ev *evaluator) evalApply(n *node, input any, env *frame) (any, error) {
	lhs, err := ev.eval(n.lhs, input, env)
	if err != nil {
		return nil, err
	}
	if n.rhs.kind == nCall {
		return ev.evalCall(n.rhs, input, env, []any{lhs}, true)
	}
	fn, err := ev.eval(n.rhs, input, env)
	if err != nil {
		return nil, err
	}
	if !isFunction(fn) {
		return nil, newError("T2006", n.pos, "~>", fn)
	}
	if isFunction(lhs) {
		return &composed{first: lhs, then: fn}, nil
	}
	return ev.apply(fn, []any{lhs}, nil, env, n.pos, "")
}

// composed is f ~> g where both sides are functions: a function applying f, then g.
type composed struct{ first, then any }
