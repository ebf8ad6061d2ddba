package choice

import (
	"errors"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
)

// Evaluate reports whether the rule matches. A value of the wrong type for the
// operator is a plain false; only a path that selects nothing is an error (a
// States.Runtime failure, as AWS raises it), except under IsPresent, whose whole
// point is to ask. And and Or stop at the first child that decides them, so a
// later child's missing path is never reached.
func (r *Rule) Evaluate(env *jsonpath.Env) (bool, error) {
	switch r.kind {
	case kindAnd:
		for _, c := range r.children {
			ok, err := c.Evaluate(env)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case kindOr:
		for _, c := range r.children {
			ok, err := c.Evaluate(env)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case kindNot:
		if len(r.children) != 1 {
			return false, errNotParsed
		}
		ok, err := r.children[0].Evaluate(env)
		return !ok && err == nil, err
	}
	if r.op == nil || r.variable == nil {
		return false, errNotParsed
	}

	v, err := r.variable.Eval(env)
	if r.op.family == famIsPresent {
		return (err == nil) == r.flag, nil
	}
	if err != nil {
		// Any failure to select counts as absent: an unset $variable reads the
		// same to the user as a missing field.
		return false, failure.New(failure.Runtime, r.missingVariable)
	}
	switch r.op.family {
	case famString:
		if r.operand == nil {
			return compareStrings(r.op.cmp, v, r.str), nil
		}
	case famNumeric:
		if r.operand == nil {
			return compareNumbers(r.op.cmp, v, r.num), nil
		}
	case famTimestamp:
		if r.operand == nil {
			return compareTimestamps(r.op.cmp, v, r.time), nil
		}
	case famBoolean:
		if r.operand == nil {
			b, ok := v.(bool)
			return ok && b == r.flag, nil
		}
	case famMatches:
		s, ok := v.(string)
		return ok && r.pat.match(s), nil
	default:
		return isType(r.op.family, v) == r.flag, nil
	}
	w, err := r.operand.Eval(env)
	if err != nil {
		return false, failure.New(failure.Runtime, r.missingOperand)
	}
	return compareValues(r.op, v, w), nil
}

// errNotParsed guards against a Rule built by hand instead of by Parse.
var errNotParsed = errors.New("choice: the rule was not made by Parse")

// missingCause is AWS's cause for a Choice path that selects nothing.
func missingCause(src string) string {
	return "Invalid path '" + src + "': The choice state's condition path references an invalid value."
}
