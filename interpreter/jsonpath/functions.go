package jsonpath

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// functions are Jayway's argument-free path functions. They run only where enabled:
// inside filters, and in paths compiled with Options.Functions.
var functions = map[string]func(src string, v value.Value) (value.Value, error){
	"length": lengthFn,
	"size":   lengthFn,
	"min":    aggregate("min"),
	"max":    aggregate("max"),
	"avg":    aggregate("avg"),
	"sum":    aggregate("sum"),
	"stddev": aggregate("stddev"),
	"keys":   keysFn,
	"first":  endFn(true),
	"last":   endFn(false),
}

func functionNames() string {
	names := make([]string, 0, len(functions))
	for n := range functions {
		names = append(names, n+"()")
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func applyFunction(src, name string, v value.Value) (value.Value, error) {
	return functions[name](src, v)
}

func lengthFn(src string, v value.Value) (value.Value, error) {
	switch x := v.(type) {
	case []any:
		return int64(len(x)), nil
	case *value.Object:
		return int64(x.Len()), nil
	case string:
		return int64(len(utf16.Encode([]rune(x)))), nil
	}
	return nil, &InvalidPathError{Path: src, Msg: fmt.Sprintf("Invalid property length() on a %s", value.KindOf(v))}
}

func keysFn(src string, v value.Value) (value.Value, error) {
	o, ok := v.(*value.Object)
	if !ok {
		return nil, &InvalidPathError{Path: src, Msg: "Function keys() can only be applied to an object"}
	}
	out := make([]any, o.Len())
	for i := range out {
		out[i], _ = o.At(i)
	}
	return out, nil
}

func endFn(first bool) func(string, value.Value) (value.Value, error) {
	return func(src string, v value.Value) (value.Value, error) {
		a, ok := v.([]any)
		if !ok || len(a) == 0 {
			return nil, &InvalidPathError{Path: src, Msg: "Function first()/last() needs a non-empty array"}
		}
		if first {
			return a[0], nil
		}
		return a[len(a)-1], nil
	}
}

// aggregate runs Jayway's numeric functions over the numbers of an array; like Jayway
// they skip other values and answer a double.
func aggregate(name string) func(string, value.Value) (value.Value, error) {
	return func(src string, v value.Value) (value.Value, error) {
		a, ok := v.([]any)
		if !ok {
			return nil, &InvalidPathError{Path: src, Msg: fmt.Sprintf("Function %s() can only be applied to an array", name)}
		}
		var nums []float64
		for _, x := range a {
			if f, ok := value.ToFloat(x); ok {
				nums = append(nums, f)
			}
		}
		if len(nums) == 0 {
			return nil, &InvalidPathError{Path: src, Msg: "Aggregation function attempted to calculate value using empty array"}
		}
		switch name {
		case "min", "max":
			r := nums[0]
			for _, f := range nums[1:] {
				if (name == "min") == (f < r) {
					r = f
				}
			}
			return r, nil
		}
		sum := 0.0
		for _, f := range nums {
			sum += f
		}
		switch name {
		case "sum":
			return sum, nil
		case "avg":
			return sum / float64(len(nums)), nil
		}
		mean := sum / float64(len(nums))
		sq := 0.0
		for _, f := range nums {
			sq += (f - mean) * (f - mean)
		}
		return math.Sqrt(sq / float64(len(nums))), nil
	}
}
