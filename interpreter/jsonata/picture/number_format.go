package picture

import (
	"math"
	"strconv"
	"strings"
)

// FormatNumber renders x under an fn:format-number picture such as "#,##0.00",
// "0.###e0", "00%" or "#,##0;(#,##0)", as $formatNumber does. options overrides the
// decimal-format symbols by name (decimal-separator, grouping-separator,
// exponent-separator, minus-sign, infinity, NaN, percent, per-mille, zero-digit, digit,
// pattern-separator); nil keeps the defaults. Rounding is half to even.
func FormatNumber(x float64, picture string, options map[string]string) (string, error) {
	sym := newNumberSymbols(options)
	halves := strings.Split(picture, string(sym.pattern))
	if len(halves) > 2 {
		return "", errorf("D3080", "the picture %q has more than two sub-pictures (separated by %q)", picture, string(sym.pattern))
	}
	subs := make([]*subPicture, len(halves))
	for i, h := range halves {
		subs[i] = splitSubPicture(h, sym)
		if err := subs[i].validate(sym); err != nil {
			return "", err
		}
		subs[i].analyse(sym)
	}
	if math.IsNaN(x) {
		return sym.nan, nil
	}
	sp := subs[0]
	if x < 0 {
		if len(subs) == 2 {
			sp = subs[1]
		} else {
			neg := *sp
			neg.prefix = sym.minus + neg.prefix
			sp = &neg
		}
	}
	return sp.format(x, sym), nil
}

func (sp *subPicture) format(x float64, sym *numberSymbols) string {
	switch {
	case sp.percentUsed:
		x *= 100
	case sp.permilleUsed:
		x *= 1000
	}
	if math.IsInf(x, 0) {
		return sp.prefix + sym.infinity + sp.suffix
	}
	mantissa := math.Abs(x)
	exponent := 0
	if sp.minExp > 0 && mantissa != 0 {
		hi := math.Pow(10, float64(sp.scaling))
		lo := math.Pow(10, float64(sp.scaling-1))
		// Bounded: a float64 spans fewer than 700 decimal orders of magnitude.
		for i := 0; mantissa < lo && i < 700; i++ {
			mantissa *= 10
			exponent--
		}
		for i := 0; mantissa > hi && i < 700; i++ {
			mantissa /= 10
			exponent++
		}
	}
	rounded := roundHalfEven(mantissa, sp.maxFrac)
	digits := []rune(toFamily(strconv.FormatFloat(math.Abs(rounded), 'f', sp.maxFrac, 64), sym.zero))

	// The number as text with exactly one decimal separator, then without the zeros the
	// picture does not ask for, then padded back to its minimum sizes.
	s := make([]rune, 0, len(digits)+8)
	hasPoint := false
	for _, r := range digits {
		if r == '.' {
			r = sym.decimal
			hasPoint = true
		}
		s = append(s, r)
	}
	if !hasPoint {
		s = append(s, sym.decimal)
	}
	for len(s) > 0 && s[0] == sym.zero {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == sym.zero {
		s = s[:len(s)-1]
	}
	point := indexRune(s, sym.decimal)
	if pad := sp.minInt - point; pad > 0 {
		s = append(repeatRune(sym.zero, pad), s...)
	}
	point = indexRune(s, sym.decimal)
	if pad := sp.minFrac - (len(s) - point - 1); pad > 0 {
		s = append(s, repeatRune(sym.zero, pad)...)
	}

	s = sp.groupInteger(s, point, sym.grouping)
	s = sp.groupFraction(s, sym.decimal, sym.grouping)

	if n := len(s); n > 0 && s[n-1] == sym.decimal {
		s = s[:n-1]
	}
	out := string(s)
	if sp.minExp > 0 {
		e := []rune(toFamily(strconv.Itoa(abs(exponent)), sym.zero))
		if pad := sp.minExp - len(e); pad > 0 {
			e = append(repeatRune(sym.zero, pad), e...)
		}
		out += string(sym.exponent)
		if exponent < 0 {
			out += sym.minus
		}
		out += string(e)
	}
	return sp.prefix + out + sp.suffix
}

// groupInteger inserts grouping separators into the integer digits, which end at point.
func (sp *subPicture) groupInteger(s []rune, point int, sep rune) []rune {
	if sp.every > 0 {
		for g := (point - 1) / sp.every; g >= 1; g-- {
			s = insertRune(s, point-g*sp.every, sep)
			point++
		}
		return s
	}
	// Positions are listed widest first; a position the number does not reach is left out
	// rather than leaving a separator hanging at the front.
	for _, pos := range sp.intGroups {
		at := point - pos
		if at <= 0 {
			continue
		}
		s = insertRune(s, at, sep)
		point++
	}
	return s
}

// groupFraction inserts grouping separators into the fractional digits, where positions
// count from the decimal separator.
func (sp *subPicture) groupFraction(s []rune, dec, sep rune) []rune {
	point := indexRune(s, dec)
	if point < 0 {
		return s
	}
	for i, pos := range sp.fracGroups {
		at := point + 1 + pos + i
		if at >= len(s) {
			break
		}
		s = insertRune(s, at, sep)
	}
	return s
}

func indexRune(s []rune, r rune) int {
	for i, c := range s {
		if c == r {
			return i
		}
	}
	return -1
}

func insertRune(s []rune, at int, r rune) []rune {
	s = append(s, 0)
	copy(s[at+1:], s[at:])
	s[at] = r
	return s
}

func repeatRune(r rune, n int) []rune {
	out := make([]rune, n)
	for i := range out {
		out[i] = r
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
