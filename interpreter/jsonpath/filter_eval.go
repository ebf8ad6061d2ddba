package jsonpath

import (
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// fval is an operand's value. undefined is Jayway's UNDEFINED node: a path that
// selected nothing, which compares unequal to everything.
type fval struct {
	v         value.Value
	undefined bool
	op        *operand // set for regular expressions
}

func (e *evaluator) accept(x expr, cur value.Value) (bool, error) {
	switch x := x.(type) {
	case orExpr:
		ok, err := e.accept(x.l, cur)
		if err != nil || ok {
			return ok, err
		}
		return e.accept(x.r, cur)
	case andExpr:
		ok, err := e.accept(x.l, cur)
		if err != nil || !ok {
			return ok, err
		}
		return e.accept(x.r, cur)
	case notExpr:
		ok, err := e.accept(x.x, cur)
		return !ok, err
	case relExpr:
		l, err := e.operand(&x.l, cur)
		if err != nil {
			return false, err
		}
		if x.op == "" {
			return !l.undefined, nil
		}
		r, err := e.operand(&x.r, cur)
		if err != nil {
			return false, err
		}
		return compare(x.op, l, r), nil
	}
	return false, nil
}

// operand evaluates a filter operand at cur. Paths inside filters run with Jayway's
// REQUIRE_PROPERTIES, so any miss makes the operand undefined.
func (e *evaluator) operand(o *operand, cur value.Value) (fval, error) {
	switch o.kind {
	case opLiteral:
		return fval{v: o.lit}, nil
	case opRegex:
		return fval{op: o}, nil
	}
	doc := e.root
	if o.rel {
		doc = cur
	}
	if o.simple {
		if v, ok := walkSimple(o.steps, doc); ok {
			return fval{v: v}, nil
		}
	}
	steps := o.steps
	var fn string
	if n := len(steps); n > 0 && steps[n-1].kind == kFunc {
		fn = steps[n-1].fn
		steps = steps[:n-1]
	}
	sub := &evaluator{src: e.src, root: e.root, strict: true}
	if err := sub.eval(steps, 0, doc); err != nil {
		if _, ok := err.(*NotFoundError); ok {
			return fval{undefined: true}, nil
		}
		return fval{}, err
	}
	var v value.Value
	definite := o.definite
	if fn != "" {
		definite, _ = link(append([]step(nil), steps...))
	}
	if definite {
		if len(sub.out) == 0 {
			return fval{undefined: true}, nil
		}
		v = sub.out[0]
	} else {
		if sub.out == nil {
			sub.out = []any{}
		}
		v = sub.out
	}
	if fn != "" {
		r, err := applyFunction(e.src, fn, v)
		if err != nil {
			return fval{undefined: true}, nil
		}
		v = r
	}
	return fval{v: v}, nil
}

func compare(op string, l, r fval) bool {
	switch op {
	case "==":
		return equalNodes(l, r)
	case "!=":
		return !equalNodes(l, r)
	case "<", "<=", ">", ">=":
		c, ok := order(l, r)
		if !ok {
			return false
		}
		switch op {
		case "<":
			return c < 0
		case "<=":
			return c <= 0
		case ">":
			return c > 0
		}
		return c >= 0
	case "=~":
		return matches(l, r)
	case "in":
		return contains(r, l)
	case "nin":
		return !contains(r, l)
	case "subsetof", "anyof", "noneof":
		la, lok := l.v.([]any)
		ra, rok := r.v.([]any)
		if l.undefined || r.undefined || !lok || !rok {
			return false
		}
		some, all := false, true
		for _, x := range la {
			if listHas(ra, fval{v: x}) {
				some = true
			} else {
				all = false
			}
		}
		switch op {
		case "subsetof":
			return all
		case "anyof":
			return some
		}
		return !some
	case "contains":
		if l.undefined || r.undefined {
			return false
		}
		if ls, ok := l.v.(string); ok {
			rs, ok := r.v.(string)
			return ok && strings.Contains(ls, rs)
		}
		if la, ok := l.v.([]any); ok {
			for _, x := range la {
				if equalNodes(r, fval{v: x}) {
					return true
				}
			}
		}
		return false
	case "size":
		if l.undefined || r.undefined {
			return false
		}
		want, ok := r.v.(int64)
		if !ok {
			f, isF := r.v.(float64)
			if !isF {
				return false
			}
			want = int64(f)
		}
		n, ok := length(l.v)
		return ok && int64(n) == want
	case "empty":
		b, ok := r.v.(bool)
		if l.undefined || r.undefined || !ok {
			return false
		}
		n, ok := length(l.v)
		return ok && (n == 0) == b
	}
	return false
}

// length is the size Jayway's size/empty operators see: characters of a string (Java
// counts UTF-16 units), members of an array or object.
func length(v value.Value) (int, bool) {
	switch x := v.(type) {
	case string:
		return len(utf16.Encode([]rune(x))), true
	case []any:
		return len(x), true
	case *value.Object:
		return x.Len(), true
	}
	return 0, false
}

func contains(list, x fval) bool {
	if list.undefined || x.undefined {
		return false
	}
	a, ok := list.v.([]any)
	return ok && listHas(a, x)
}

func listHas(a []any, x fval) bool {
	for _, y := range a {
		if equalNodes(x, fval{v: y}) {
			return true
		}
	}
	return false
}

// equalNodes is Jayway's ValueNode equality as the left node sees it: numbers compare
// by value, a string and a number compare after converting the right one to the left
// one's type, containers compare as JSON.
func equalNodes(l, r fval) bool {
	if l.undefined || r.undefined || l.op != nil || r.op != nil {
		return false
	}
	switch x := l.v.(type) {
	case nil:
		return r.v == nil
	case bool:
		y, ok := r.v.(bool)
		return ok && x == y
	case string:
		switch y := r.v.(type) {
		case string:
			return x == y
		case int64, float64:
			return x == javaNumber(y)
		}
		return false
	case int64, float64:
		switch y := r.v.(type) {
		case int64, float64:
			c, _ := compareNumbers(x, y)
			return c == 0
		case string:
			f, err := strconv.ParseFloat(strings.TrimSpace(y), 64)
			if err != nil {
				return false
			}
			c, _ := compareNumbers(x, f)
			return c == 0
		}
		return false
	case []any, *value.Object:
		switch r.v.(type) {
		case []any, *value.Object:
			return value.Equal(x, r.v)
		}
	}
	return false
}

// javaNumber prints a number as Java's BigDecimal.toString does for JSON numbers.
func javaNumber(v value.Value) string {
	if n, ok := v.(int64); ok {
		return strconv.FormatInt(n, 10)
	}
	return strconv.FormatFloat(v.(float64), 'f', -1, 64)
}

func order(l, r fval) (int, bool) {
	if l.undefined || r.undefined {
		return 0, false
	}
	if ls, ok := l.v.(string); ok {
		rs, ok := r.v.(string)
		if !ok {
			return 0, false
		}
		return compareJavaStrings(ls, rs), true
	}
	return compareNumbers(l.v, r.v)
}

// compareJavaStrings orders strings by UTF-16 code units, as Java's compareTo does.
func compareJavaStrings(a, b string) int {
	if a == b {
		return 0
	}
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return int(ua[i]) - int(ub[i])
		}
	}
	return len(ua) - len(ub)
}

func compareNumbers(a, b value.Value) (int, bool) {
	if x, ok := a.(int64); ok {
		if y, ok := b.(int64); ok {
			switch {
			case x < y:
				return -1, true
			case x > y:
				return 1, true
			}
			return 0, true
		}
	}
	x, ok1 := value.ToFloat(a)
	y, ok2 := value.ToFloat(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	switch {
	case x < y:
		return -1, true
	case x > y:
		return 1, true
	case x == y:
		return 0, true
	}
	return 0, false // NaN cannot occur in JSON, but never claim an order for it
}

// matches is Jayway's =~: exactly one side is a pattern, the other a string (numbers
// and booleans match as their text).
func matches(l, r fval) bool {
	if (l.op == nil) == (r.op == nil) {
		return false
	}
	pat, in := l, r
	if r.op != nil {
		pat, in = r, l
	}
	if in.undefined {
		return false
	}
	var s string
	switch x := in.v.(type) {
	case string:
		s = x
	case bool:
		s = strconv.FormatBool(x)
	case int64, float64:
		s = javaNumber(x)
	default:
		return false
	}
	return pat.op.re.MatchString(s)
}
