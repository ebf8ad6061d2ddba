package picture

import (
	"strings"
)

// romanCap bounds the values rendered in roman numerals: thousands are written as repeated
// M, so a huge value would otherwise build an enormous string.
const romanCap = 1e6

var romanTable = []struct {
	v int
	s string
}{
	{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"},
	{50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"},
}

// roman renders v in upper-case roman numerals; zero renders as "".
func roman(v float64) (string, error) {
	if v >= romanCap {
		return "", errorf("D3130", "%v is too large to write in roman numerals (the limit is %v)", v, romanCap)
	}
	n := int(v)
	var b strings.Builder
	for _, e := range romanTable {
		for n >= e.v {
			b.WriteString(e.s)
			n -= e.v
		}
	}
	return b.String(), nil
}

var romanValues = map[rune]int{'M': 1000, 'D': 500, 'C': 100, 'L': 50, 'X': 10, 'V': 5, 'I': 1}

// parseRoman reads roman numerals of either case, subtracting a numeral that stands before
// a larger one; ok is false on any other character.
func parseRoman(s string) (float64, bool) {
	rs := []rune(strings.ToUpper(s))
	total, max := 0, 1
	for i := len(rs) - 1; i >= 0; i-- {
		v, ok := romanValues[rs[i]]
		if !ok {
			return 0, false
		}
		if v < max {
			total -= v
		} else {
			max = v
			total += v
		}
	}
	return float64(total), true
}
