package picture

import (
	"math"
	"strconv"
	"strings"
)

// FormatInteger renders x (rounded down to an integer) under an fn:format-integer picture,
// as $formatInteger does: decimal digit patterns with grouping and any Unicode digit
// family, "a"/"A" letters, "i"/"I" roman numerals, "w"/"W"/"Ww" English words, and ";o"
// ordinals.
func FormatInteger(x float64, picture string) (string, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "", errorf("D3030", "cannot format %v as an integer", x)
	}
	p, err := intPictures.get(picture, parseIntPicture)
	if err != nil {
		return "", err
	}
	return p.format(math.Floor(x))
}

// format renders an integral value; the sign goes in front of whatever the picture made of
// the magnitude, so grouping never splits it from the digits.
func (p *intPicture) format(v float64) (string, error) {
	neg := v < 0
	v = math.Abs(v)
	var s string
	switch p.kind {
	case kindDecimal:
		s = p.formatDecimal(v)
	case kindLetters:
		s = letters(v, p.tcase == caseUpper)
	case kindRoman:
		r, err := roman(v)
		if err != nil {
			return "", err
		}
		s = r
		if p.tcase != caseUpper {
			s = strings.ToLower(s)
		}
	case kindWords:
		s = words(v, p.ordinal)
		switch p.tcase {
		case caseLower:
			s = strings.ToLower(s)
		case caseUpper:
			s = strings.ToUpper(s)
		}
	default:
		return "", errorf("D3130", "formatting or parsing an integer as a sequence starting with %q is not supported", p.token)
	}
	if neg {
		s = "-" + s
	}
	return s, nil
}

func (p *intPicture) formatDecimal(v float64) string {
	digits := strconv.FormatFloat(v, 'f', 0, 64)
	if pad := p.mandatory - len(digits); pad > 0 {
		digits = strings.Repeat("0", pad) + digits
	}
	rs := []rune(toFamily(digits, p.zero))
	if p.every > 0 {
		rs = insertEvery(rs, p.every, p.seps[0].ch)
	} else {
		// Widest position first, so each insertion leaves the positions still to do intact.
		for i := len(p.seps) - 1; i >= 0; i-- {
			s := p.seps[i]
			if s.pos >= len(rs) && s.pos > 0 {
				continue
			}
			at := len(rs) - s.pos
			rs = append(rs[:at], append([]rune{s.ch}, rs[at:]...)...)
		}
	}
	out := string(rs)
	if p.ordinal {
		out += ordinalSuffix(rs)
	}
	return out
}

// insertEvery puts sep between every n digits counted from the right.
func insertEvery(rs []rune, n int, sep rune) []rune {
	out := make([]rune, 0, len(rs)+len(rs)/n)
	for i, r := range rs {
		if i > 0 && (len(rs)-i)%n == 0 {
			out = append(out, sep)
		}
		out = append(out, r)
	}
	return out
}

// ordinalSuffix is the English suffix for the number whose rendering ends in rs; the
// reference looks at the rendered characters, so digits of other families take "th".
func ordinalSuffix(rs []rune) string {
	n := len(rs)
	if n == 0 || (n > 1 && rs[n-2] == '1') {
		return "th"
	}
	switch rs[n-1] {
	case '1':
		return "st"
	case '2':
		return "nd"
	case '3':
		return "rd"
	}
	return "th"
}
