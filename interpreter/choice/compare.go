package choice

import (
	"strings"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// A value of the wrong JSON type for an operator makes the comparison false, never
// an error: AWS records show a number against StringEquals simply not matching.

// compareStrings orders by code point: Go compares UTF-8 bytewise, which is the
// same order, with no Unicode normalization.
func compareStrings(cmp comparison, a value.Value, b string) bool {
	s, ok := a.(string)
	return ok && cmp.holds(strings.Compare(s, b))
}

// compareNumbers compares as float64, so 1 equals 1.0 and large integers round
// exactly as they do in AWS's double arithmetic.
func compareNumbers(cmp comparison, a value.Value, b float64) bool {
	f, ok := value.ToFloat(a)
	if !ok {
		return false
	}
	switch {
	case f < b:
		return cmp.holds(-1)
	case f > b:
		return cmp.holds(1)
	}
	return cmp.holds(0)
}

// compareTimestamps compares instants, so the same moment written in two offsets
// is equal. A string that is not a timestamp does not match.
func compareTimestamps(cmp comparison, a value.Value, b time.Time) bool {
	s, ok := a.(string)
	if !ok {
		return false
	}
	t, ok := parseTimestamp(s)
	return ok && cmp.holds(t.Compare(b))
}

// compareValues applies a ...Path operator, whose right side is only known at run
// time and so is type-checked here like the left.
func compareValues(op *operator, a, b value.Value) bool {
	switch op.family {
	case famString:
		s, ok := b.(string)
		return ok && compareStrings(op.cmp, a, s)
	case famNumeric:
		f, ok := value.ToFloat(b)
		return ok && compareNumbers(op.cmp, a, f)
	case famTimestamp:
		s, ok := b.(string)
		if !ok {
			return false
		}
		t, ok := parseTimestamp(s)
		return ok && compareTimestamps(op.cmp, a, t)
	case famBoolean:
		x, ok1 := a.(bool)
		y, ok2 := b.(bool)
		return ok1 && ok2 && x == y
	}
	return false
}

// isType answers the Is... operators other than IsPresent, which is decided
// before there is a value to look at.
func isType(f family, v value.Value) bool {
	switch f {
	case famIsNull:
		return v == nil
	case famIsNumeric:
		_, ok := value.ToFloat(v)
		return ok
	case famIsString:
		_, ok := v.(string)
		return ok
	case famIsBoolean:
		_, ok := v.(bool)
		return ok
	case famIsTimestamp:
		s, ok := v.(string)
		if !ok {
			return false
		}
		_, ok = parseTimestamp(s)
		return ok
	}
	return false
}
