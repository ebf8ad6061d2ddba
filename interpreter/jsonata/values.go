package jsonata

import (
	"math"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Inside the evaluator a value is one of the interpreter/value types or:
//   - undefined (undefinedType): JSONata's "no value", distinct from null;
//   - *seq: a sequence, the result of a path, with the flags that decide whether a
//     singleton collapses to its one member;
//   - consArr: an array built by an array constructor, which paths do not flatten;
//   - a function (*lambda, *builtin, *partial).
// exportValue turns a result back into plain interpreter/value types.

type undefinedType struct{}

var undefined any = undefinedType{}

func isUndefined(v any) bool { _, ok := v.(undefinedType); return ok }

type seq struct {
	items         []any
	keepSingleton bool
	outerWrapper  bool
	tupleStream   bool
}

func newSeq(n int) *seq { return &seq{items: make([]any, 0, n)} }

type consArr []any

// arrayItems returns the members of any kind of array.
func arrayItems(v any) ([]any, bool) {
	switch a := v.(type) {
	case []any:
		return a, true
	case *seq:
		return a.items, true
	case consArr:
		return a, true
	}
	return nil, false
}

func isArray(v any) bool {
	switch v.(type) {
	case []any, *seq, consArr:
		return true
	}
	return false
}

func isSeq(v any) bool { _, ok := v.(*seq); return ok }

func toNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	}
	return 0, false
}

func isNumber(v any) bool {
	switch v.(type) {
	case float64, int64:
		return true
	}
	return false
}

// exportValue converts an evaluator value into interpreter/value types: sequences become
// arrays, integral doubles become int64, functions become empty strings (as the
// reference's JSON serialisation shows them) and undefined members are dropped.
func exportValue(v any) any {
	switch x := v.(type) {
	case float64:
		return exportNumber(x)
	case *seq:
		if x.tupleStream {
			out := make([]any, 0, len(x.items))
			for _, t := range x.items {
				if tp, ok := t.(*tuple); ok {
					out = append(out, exportValue(tp.focus))
				}
			}
			return out
		}
		return exportSlice(x.items)
	case consArr:
		return exportSlice(x)
	case []any:
		if needsExport(x) {
			return exportSlice(x)
		}
		return x
	case *value.Object:
		if !objectNeedsExport(x) {
			return x
		}
		o := value.NewObject(x.Len())
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			if isUndefined(e) {
				continue
			}
			o.Set(k, exportValue(e))
		}
		return o
	case undefinedType:
		return nil
	}
	if isFunction(v) {
		return ""
	}
	return v
}

func exportNumber(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) < 9.2e18 {
		if f == 0 {
			return int64(0)
		}
		return int64(f)
	}
	return f
}

func exportSlice(xs []any) []any {
	out := make([]any, 0, len(xs))
	for _, e := range xs {
		if isUndefined(e) {
			continue
		}
		out = append(out, exportValue(e))
	}
	return out
}

func needsExport(v any) bool {
	switch x := v.(type) {
	case nil, bool, int64, string:
		return false
	case float64:
		return x == math.Trunc(x) && math.Abs(x) < 9.2e18
	case []any:
		for _, e := range x {
			if needsExport(e) {
				return true
			}
		}
		return false
	case *value.Object:
		return objectNeedsExport(x)
	}
	return true
}

func objectNeedsExport(o *value.Object) bool {
	for i := 0; i < o.Len(); i++ {
		_, e := o.At(i)
		if needsExport(e) {
			return true
		}
	}
	return false
}

// deepEqual is JSONata's equality: numbers by value, arrays member by member, objects
// by key set and values.
func deepEqual(a, b any) bool {
	if an, ok := toNumber(a); ok {
		bn, ok := toNumber(b)
		return ok && an == bn
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case undefinedType:
		return isUndefined(b)
	case *value.Object:
		y, ok := b.(*value.Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for i := 0; i < x.Len(); i++ {
			k, v := x.At(i)
			w, ok := y.Get(k)
			if !ok || !deepEqual(v, w) {
				return false
			}
		}
		return true
	}
	if xs, ok := arrayItems(a); ok {
		ys, ok := arrayItems(b)
		if !ok || len(xs) != len(ys) {
			return false
		}
		for i := range xs {
			if !deepEqual(xs[i], ys[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}

// truthy is $boolean: empty strings, zero, empty arrays and objects, null and false are
// false; an array is true when any member is.
func truthy(v any) (bool, bool) {
	switch x := v.(type) {
	case undefinedType:
		return false, false
	case nil:
		return false, true
	case bool:
		return x, true
	case string:
		return x != "", true
	case float64:
		return x != 0, true
	case int64:
		return x != 0, true
	case *value.Object:
		return x.Len() > 0, true
	}
	if items, ok := arrayItems(v); ok {
		if len(items) == 1 {
			b, _ := truthy(items[0])
			return b, true
		}
		for _, e := range items {
			if b, _ := truthy(e); b {
				return true, true
			}
		}
		return false, true
	}
	return false, true
}

func boolize(v any) bool { b, _ := truthy(v); return b }
