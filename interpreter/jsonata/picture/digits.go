package picture

import "unicode"

// digitZero reports the zero of the decimal digit family r belongs to. Unicode lays every
// Nd family out as ten consecutive code points, and every range of the Nd table starts at a
// zero, so the family's zero is found by stepping back from the range start in tens.
func digitZero(r rune) (rune, bool) {
	if r >= '0' && r <= '9' {
		return '0', true
	}
	if r < 0x80 || !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	for _, rg := range unicode.Nd.R16 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return rune(rg.Lo) + (r-rune(rg.Lo))/10*10, true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return rune(rg.Lo) + (r-rune(rg.Lo))/10*10, true
		}
	}
	return 0, false
}

// toFamily rewrites the ASCII digits of s into the family whose zero is zero.
func toFamily(s string, zero rune) string {
	if zero == '0' {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r = zero + (r - '0')
		}
		out = append(out, r)
	}
	return string(out)
}
