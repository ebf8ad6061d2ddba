package picture

import (
	"math"
	"strconv"
	"strings"
)

// roundHalfEven rounds x to prec decimal places, ties to even, as JSONata's $round does.
// The shift by 10^prec is done on the decimal text of x rather than by multiplying, so a
// value written 2.675 rounds as the decimal 2.675 and not as its binary neighbour.
func roundHalfEven(x float64, prec int) float64 {
	if prec == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return zeroSign(math.RoundToEven(x))
	}
	shifted := shiftDecimal(x, prec)
	r := math.RoundToEven(shifted)
	return zeroSign(shiftDecimal(r, -prec))
}

// shiftDecimal returns x * 10^n computed on its shortest decimal representation.
func shiftDecimal(x float64, n int) float64 {
	s := strconv.FormatFloat(x, 'e', -1, 64)
	i := strings.IndexByte(s, 'e')
	e, _ := strconv.Atoi(s[i+1:])
	v, err := strconv.ParseFloat(s[:i]+"e"+strconv.Itoa(e+n), 64)
	if err != nil && !math.IsInf(v, 0) {
		return x
	}
	return v
}

// zeroSign turns -0 into 0: JSON has no negative zero and the reference prints none.
func zeroSign(x float64) float64 {
	if x == 0 {
		return 0
	}
	return x
}
