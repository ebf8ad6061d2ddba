package jsonata

import (
	"math"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

func (ev *evaluator) evalBinary(n *node, input any, env *frame) (any, error) {
	lhs, err := ev.eval(n.lhs, input, env)
	if err != nil {
		return nil, err
	}
	if n.op == opAnd || n.op == opOr {
		l := boolize(lhs)
		if n.op == opAnd && !l {
			return false, nil
		}
		if n.op == opOr && l {
			return true, nil
		}
		rhs, err := ev.eval(n.rhs, input, env)
		if err != nil {
			return nil, err
		}
		return boolize(rhs), nil
	}
	rhs, err := ev.eval(n.rhs, input, env)
	if err != nil {
		return nil, err
	}
	switch n.op {
	case opAdd, opSub, opMul, opDiv, opMod:
		return arith(n, lhs, rhs)
	case opEq, opNe:
		if isUndefined(lhs) || isUndefined(rhs) {
			return false, nil
		}
		eq := deepEqual(lhs, rhs)
		if n.op == opNe {
			return !eq, nil
		}
		return eq, nil
	case opLt, opLe, opGt, opGe:
		return compare(n, lhs, rhs)
	case opConcat:
		ls, rs := "", ""
		if !isUndefined(lhs) {
			if ls, err = stringOf(lhs, n.pos); err != nil {
				return nil, err
			}
		}
		if !isUndefined(rhs) {
			if rs, err = stringOf(rhs, n.pos); err != nil {
				return nil, err
			}
		}
		return ls + rs, nil
	case opIn:
		if isUndefined(lhs) || isUndefined(rhs) {
			return false, nil
		}
		items, ok := arrayItems(rhs)
		if !ok {
			items = []any{rhs}
		}
		for _, e := range items {
			if sameValue(e, lhs) {
				return true, nil
			}
		}
		return false, nil
	case opRange:
		return ev.rangeOf(n, lhs, rhs)
	}
	return nil, newError("S0204", n.pos, n.str, nil)
}

// sameValue is JavaScript's ===: primitives by value, containers by identity.
func sameValue(a, b any) bool {
	if an, ok := toNumber(a); ok {
		bn, ok := toNumber(b)
		return ok && an == bn
	}
	switch a.(type) {
	case nil, bool, string:
		return a == b
	case *value.Object:
		return a == b
	}
	return false
}

func arith(n *node, lhs, rhs any) (any, error) {
	l, lok := toNumber(lhs)
	if lok && math.IsInf(l, 0) {
		return nil, newError("D1001", n.pos, n.str, l)
	}
	if lok && math.IsNaN(l) {
		lok = false
	}
	if !lok && !isUndefined(lhs) {
		return nil, newError("T2001", n.pos, n.str, lhs)
	}
	r, rok := toNumber(rhs)
	if rok && math.IsInf(r, 0) {
		return nil, newError("D1001", n.pos, n.str, r)
	}
	if rok && math.IsNaN(r) {
		rok = false
	}
	if !rok && !isUndefined(rhs) {
		return nil, newError("T2002", n.pos, n.str, rhs)
	}
	if !lok || !rok {
		return undefined, nil
	}
	var res float64
	switch n.op {
	case opAdd:
		res = l + r
	case opSub:
		res = l - r
	case opMul:
		res = l * r
	case opDiv:
		res = l / r
	case opMod:
		res = math.Mod(l, r)
	}
	return res, nil
}

func compare(n *node, lhs, rhs any) (any, error) {
	lc := comparable(lhs)
	rc := comparable(rhs)
	if !lc || !rc {
		bad := rhs
		if !(isNumber(lhs) || isString(lhs)) {
			bad = lhs
		}
		return nil, newError("T2010", n.pos, n.str, bad)
	}
	if isUndefined(lhs) || isUndefined(rhs) {
		return undefined, nil
	}
	if ln, ok := toNumber(lhs); ok {
		rn, ok := toNumber(rhs)
		if !ok {
			return nil, typeMismatch(n, lhs, rhs)
		}
		switch n.op {
		case opLt:
			return ln < rn, nil
		case opLe:
			return ln <= rn, nil
		case opGt:
			return ln > rn, nil
		}
		return ln >= rn, nil
	}
	ls := lhs.(string)
	rs, ok := rhs.(string)
	if !ok {
		return nil, typeMismatch(n, lhs, rhs)
	}
	c := compareStrings(ls, rs)
	switch n.op {
	case opLt:
		return c < 0, nil
	case opLe:
		return c <= 0, nil
	case opGt:
		return c > 0, nil
	}
	return c >= 0, nil
}

func typeMismatch(n *node, lhs, rhs any) error {
	e := newError("T2009", n.pos, n.str, lhs)
	e.Value2 = exportForError(rhs)
	e.Message = e.render()
	return e
}

func comparable(v any) bool {
	switch v.(type) {
	case undefinedType, string, float64, int64:
		return true
	}
	return false
}

func isString(v any) bool { _, ok := v.(string); return ok }

func (ev *evaluator) rangeOf(n *node, lhs, rhs any) (any, error) {
	l, lok := toNumber(lhs)
	if !isUndefined(lhs) && (!lok || l != math.Trunc(l)) {
		return nil, newError("T2003", n.pos, "..", lhs)
	}
	r, rok := toNumber(rhs)
	if !isUndefined(rhs) && (!rok || r != math.Trunc(r)) {
		return nil, newError("T2004", n.pos, "..", rhs)
	}
	if !lok || !rok || l > r {
		return undefined, nil
	}
	size := r - l + 1
	if size > 1e7 {
		return nil, newError("D2014", n.pos, "..", size)
	}
	out := make([]any, int(size))
	for i := range out {
		// Building ten million members takes a while: the deadline still holds.
		if i&0xffff == 0xffff && ev.pastDeadline() {
			return nil, ev.timeout()
		}
		out[i] = l + float64(i)
	}
	return out, nil
}
