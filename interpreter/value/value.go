// Package value is the one JSON value model every evaluator of stepdeck shares.
//
// A Value is a plain Go value of one of these dynamic types:
//
//	nil      JSON null
//	bool     true, false
//	int64    a number written without fraction or exponent that fits in 64 bits
//	float64  any other number
//	string   a string
//	[]any    an array
//	*Object  an object, its keys in document order
//
// Integers stay integers (AWS, being Java, keeps 1 and 1.0 apart) and object keys keep
// the order they were written in, as AWS does. Values are treated as immutable once
// built: code that needs a changed value copies the containers on the way down
// (see Object.With and SetIn) so documents can share structure safely.
package value

import (
	"math"
	"sort"
)

// Value is documented in the package comment.
type Value = any

// Kind names the JSON type of a value as Step Functions' messages do.
type Kind uint8

const (
	KindNull Kind = iota
	KindBoolean
	KindNumber
	KindString
	KindArray
	KindObject
)

// KindOf reports the JSON kind of v. Values of an unknown Go type count as Null.
func KindOf(v Value) Kind {
	switch v.(type) {
	case bool:
		return KindBoolean
	case int64, float64:
		return KindNumber
	case string:
		return KindString
	case []any:
		return KindArray
	case *Object:
		return KindObject
	}
	return KindNull
}

func (k Kind) String() string {
	return [...]string{"null", "boolean", "number", "string", "array", "object"}[k]
}

// IsInteger reports whether v is a number with no fractional part.
func IsInteger(v Value) bool {
	switch n := v.(type) {
	case int64:
		return true
	case float64:
		return n == math.Trunc(n) && !math.IsInf(n, 0)
	}
	return false
}

// ToFloat returns the numeric value of v and whether v is a number.
func ToFloat(v Value) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// ToInt returns v as an int64 when it is a number with no fractional part that fits.
func ToInt(v Value) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case float64:
		if n == math.Trunc(n) && n >= math.MinInt64 && n < math.MaxInt64 {
			return int64(n), true
		}
	}
	return 0, false
}

// Equal reports deep equality: numbers compare by value (1 equals 1.0), objects by
// their members regardless of order, arrays element by element.
func Equal(a, b Value) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case int64:
		switch y := b.(type) {
		case int64:
			return x == y
		case float64:
			return float64(x) == y
		}
		return false
	case float64:
		y, ok := ToFloat(b)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for i, k := range x.keys {
			w, ok := y.Get(k)
			if !ok || !Equal(x.vals[i], w) {
				return false
			}
		}
		return true
	}
	return false
}

// DeepCopy returns a copy of v that shares no container with it.
func DeepCopy(v Value) Value {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = DeepCopy(e)
		}
		return out
	case *Object:
		out := NewObject(x.Len())
		for i, k := range x.keys {
			out.Set(k, DeepCopy(x.vals[i]))
		}
		return out
	}
	return v
}

// FromGo converts the output of encoding/json (map[string]any, []any, float64, ...) and
// other plain Go values into the value model. Maps get their keys sorted, since Go maps
// have no order. Unknown types become nil.
func FromGo(v any) Value {
	switch x := v.(type) {
	case nil, bool, string, int64, float64, *Object:
		return x
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = FromGo(e)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := NewObject(len(keys))
		for _, k := range keys {
			out.Set(k, FromGo(x[k]))
		}
		return out
	}
	return nil
}
