package jsonata

import (
	"time"
)

// evaluator holds the state of one evaluation: the limits and the clock. It is not
// shared between evaluations, so an Expr can be evaluated concurrently.
type evaluator struct {
	depth    int
	maxDepth int
	deadline time.Time
	timed    bool
	ticks    uint32
	funcs    map[string]*userFunc
	now      time.Time
	nowSet   bool
	clock    func() time.Time
	// The outermost scope lives here to save allocations per evaluation.
	root      frame
	rootNames [4]string
	rootVals  [4]any
	rand      func() float64
}

func (ev *evaluator) enter() error {
	ev.depth++
	if ev.depth > ev.maxDepth {
		return newError("U1001", 0, "", nil)
	}
	ev.ticks++
	if ev.ticks&1023 == 0 && ev.pastDeadline() {
		return ev.timeout()
	}
	return nil
}

func (ev *evaluator) pastDeadline() bool { return ev.timed && time.Now().After(ev.deadline) }

// timeout is U1001, as the reference's test harness reports a timeout.
func (ev *evaluator) timeout() *Error {
	e := newError("U1001", 0, "", nil)
	e.Message = messages["U1002"]
	return e
}

func (ev *evaluator) eval(n *node, input any, env *frame) (any, error) {
	if err := ev.enter(); err != nil {
		ev.depth--
		return nil, err
	}
	res, err := ev.evalNode(n, input, env)
	if err == nil && n.predicate != nil {
		for _, st := range n.predicate {
			res, err = ev.evalFilter(st.expr, res, env)
			if err != nil {
				break
			}
		}
	}
	if err == nil && n.group != nil && n.kind != nPath {
		res, err = ev.evalGroup(n.group.pairs, res, env)
	}
	ev.depth--
	if err != nil {
		return nil, err
	}
	if s, ok := res.(*seq); ok && !s.tupleStream {
		if n.keepArray {
			s.keepSingleton = true
		}
		switch len(s.items) {
		case 0:
			return undefined, nil
		case 1:
			if !s.keepSingleton {
				return s.items[0], nil
			}
		}
	}
	return res, nil
}

func (ev *evaluator) evalNode(n *node, input any, env *frame) (any, error) {
	switch n.kind {
	case nPath:
		return ev.evalPath(n, input, env)
	case nBinary:
		return ev.evalBinary(n, input, env)
	case nNeg:
		v, err := ev.eval(n.lhs, input, env)
		if err != nil {
			return nil, err
		}
		if isUndefined(v) {
			return undefined, nil
		}
		f, ok := toNumber(v)
		if !ok {
			return nil, newError("D1002", n.pos, "-", v)
		}
		return -f, nil
	case nArray:
		return ev.evalArray(n, input, env)
	case nObject:
		return ev.evalGroup(n.pairs, input, env)
	case nName:
		return lookupField(input, n.str), nil
	case nString, nNumber, nValue:
		return n.val, nil
	case nWildcard:
		return evalWildcard(input), nil
	case nDescendant:
		return evalDescendants(input), nil
	case nParent:
		v, ok := env.lookup(n.slot.label)
		if !ok {
			return undefined, nil
		}
		return v, nil
	case nCondition:
		c, err := ev.eval(n.cond, input, env)
		if err != nil {
			return nil, err
		}
		if boolize(c) {
			return ev.eval(n.then, input, env)
		}
		if n.els != nil {
			return ev.eval(n.els, input, env)
		}
		return undefined, nil
	case nElvis:
		l, err := ev.eval(n.lhs, input, env)
		if err != nil {
			return nil, err
		}
		if boolize(l) {
			return l, nil
		}
		return ev.eval(n.rhs, input, env)
	case nCoalesce:
		l, err := ev.eval(n.lhs, input, env)
		if err != nil {
			return nil, err
		}
		if exists(l) {
			return l, nil
		}
		return ev.eval(n.rhs, input, env)
	case nBlock:
		inner := env
		if n.scope {
			inner = newFrame(env)
		}
		var res any = undefined
		for _, e := range n.items {
			var err error
			if res, err = ev.eval(e, input, inner); err != nil {
				return nil, err
			}
		}
		return res, nil
	case nBind:
		v, err := ev.eval(n.rhs, input, env)
		if err != nil {
			return nil, err
		}
		env.bind(n.lhs.str, v)
		return v, nil
	case nRegex:
		return &matcher{re: n.re}, nil
	case nCall:
		return ev.evalCall(n, input, env, nil, false)
	case nPartial:
		return ev.evalPartial(n, input, env)
	case nVariable:
		return ev.evalVariable(n, input, env), nil
	case nLambda:
		return &lambda{node: n, input: input, env: env, params: n.items, sig: n.sig}, nil
	case nApply:
		return ev.evalApply(n, input, env)
	case nTransform:
		return &transformer{node: n, env: env}, nil
	case nSort:
		return ev.evalSort(n, input, env)
	}
	return nil, newError("S0206", n.pos, kindName(n.kind), nil)
}

func (ev *evaluator) evalVariable(n *node, input any, env *frame) any {
	if n.str == "" {
		if s, ok := input.(*seq); ok && s.outerWrapper && len(s.items) > 0 {
			return s.items[0]
		}
		return input
	}
	if v, ok := env.lookup(n.str); ok {
		return v
	}
	if f, ok := ev.funcs[n.str]; ok {
		if f == nil {
			return undefined
		}
		return &builtin{name: n.str, user: f, sig: f.sig, arity: f.arity}
	}
	if b, ok := builtins[n.str]; ok {
		return b
	}
	return undefined
}

// exists is $exists: anything but undefined, including null and empty arrays.
func exists(v any) bool { return !isUndefined(v) }

// instant is the evaluation's one "now": read on first use, then fixed, so that every
// $now() and $millis() of one evaluation agree.
func (ev *evaluator) instant() time.Time {
	if !ev.nowSet {
		if ev.clock != nil {
			ev.now = ev.clock()
		} else {
			ev.now = time.Now()
		}
		ev.nowSet = true
	}
	return ev.now
}
