package picture

import (
	"strings"
)

// numberSymbols are the properties of a decimal format (XPath's xsl:decimal-format), which
// $formatNumber takes as its options argument.
type numberSymbols struct {
	decimal, grouping, exponent, zero, digit, pattern rune
	minus, infinity, nan, percent, permille           string
}

func newNumberSymbols(options map[string]string) *numberSymbols {
	s := &numberSymbols{decimal: '.', grouping: ',', exponent: 'e', zero: '0', digit: '#',
		pattern: ';', minus: "-", infinity: "Infinity", nan: "NaN", percent: "%", permille: "\u2030"}
	for k, v := range options {
		if v == "" {
			continue
		}
		r := []rune(v)[0]
		switch k {
		case "decimal-separator":
			s.decimal = r
		case "grouping-separator":
			s.grouping = r
		case "exponent-separator":
			s.exponent = r
		case "zero-digit":
			// Any character starts a run of ten digits, as in the reference: pictures such
			// as "AAA.AAA" with zero-digit "A" rely on it.
			s.zero = r
		case "digit":
			s.digit = r
		case "pattern-separator":
			s.pattern = r
		case "minus-sign":
			s.minus = v
		case "infinity":
			s.infinity = v
		case "NaN":
			s.nan = v
		case "percent":
			s.percent = v
		case "per-mille":
			s.permille = v
		}
	}
	return s
}

func (s *numberSymbols) isDigit(r rune) bool { return r >= s.zero && r <= s.zero+9 }

// isActive reports the characters that make up the number itself; everything else in a
// sub-picture is passive text.
func (s *numberSymbols) isActive(r rune) bool {
	return s.isDigit(r) || r == s.decimal || r == s.exponent || r == s.grouping ||
		r == s.digit || r == s.pattern
}

// subPicture is one half (positive or negative) of a format-number picture, split into
// its parts and then analysed into the variables of the spec's formatting steps.
type subPicture struct {
	text                      string
	prefix, suffix            string
	active, mantissa          []rune
	integer, fraction         []rune
	exponent                  []rune
	hasExponent               bool
	intGroups, fracGroups     []int
	every                     int
	minInt, scaling           int
	minFrac, maxFrac, minExp  int
	percentUsed, permilleUsed bool
}

func splitSubPicture(text string, sym *numberSymbols) *subPicture {
	sp := &subPicture{text: text}
	rs := []rune(text)
	first, last := -1, -1
	for i, r := range rs {
		// An exponent separator never starts or ends the number: it is a letter that
		// prefixes and suffixes ("each", "per item") may well contain.
		if sym.isActive(r) && r != sym.exponent {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		first, last = 0, len(rs)-1
	} else {
		sp.prefix, sp.suffix = string(rs[:first]), string(rs[last+1:])
	}
	sp.active = rs[first : last+1]
	sp.mantissa = sp.active
	for i := first; i < len(rs); i++ {
		if rs[i] == sym.exponent {
			// An exponent separator past the first suffix character is suffix text.
			if i <= last+1 {
				at := i - first
				sp.mantissa = sp.active[:min(at, len(sp.active))]
				if at+1 <= len(sp.active) {
					sp.exponent = sp.active[at+1:]
				}
				sp.hasExponent = true
			}
			break
		}
	}
	sp.integer = sp.mantissa
	for i, r := range sp.mantissa {
		if r == sym.decimal {
			sp.integer, sp.fraction = sp.mantissa[:i], sp.mantissa[i+1:]
			break
		}
	}
	sp.percentUsed = strings.Contains(text, sym.percent)
	sp.permilleUsed = strings.Contains(text, sym.permille)
	return sp
}

// validate applies the spec's rules for a sub-picture. Like the reference it checks them
// all and reports the last one broken.
func (sp *subPicture) validate(sym *numberSymbols) error {
	code := ""
	rs := []rune(sp.text)
	count := func(r rune) int {
		n := 0
		for _, c := range rs {
			if c == r {
				n++
			}
		}
		return n
	}
	if count(sym.decimal) > 1 {
		code = "D3081"
	}
	if strings.Count(sp.text, sym.percent) > 1 {
		code = "D3082"
	}
	if strings.Count(sp.text, sym.permille) > 1 {
		code = "D3083"
	}
	if sp.percentUsed && sp.permilleUsed {
		code = "D3084"
	}
	hasDigit := false
	for _, r := range sp.mantissa {
		if sym.isDigit(r) || r == sym.digit {
			hasDigit = true
			break
		}
	}
	if !hasDigit {
		code = "D3085"
	}
	for _, r := range sp.active {
		if !sym.isActive(r) {
			code = "D3086"
			break
		}
	}
	dec := -1
	for i, r := range rs {
		if r == sym.decimal {
			dec = i
			break
		}
	}
	if dec >= 0 {
		if (dec > 0 && rs[dec-1] == sym.grouping) || (dec+1 < len(rs) && rs[dec+1] == sym.grouping) {
			code = "D3087"
		}
	} else if n := len(sp.integer); n > 0 && sp.integer[n-1] == sym.grouping {
		code = "D3088"
	}
	for i := 1; i < len(rs); i++ {
		if rs[i] == sym.grouping && rs[i-1] == sym.grouping {
			code = "D3089"
			break
		}
	}
	seenDigit := false
	for _, r := range sp.integer {
		if sym.isDigit(r) {
			seenDigit = true
		} else if r == sym.digit && seenDigit {
			code = "D3090"
			break
		}
	}
	seenOptional := false
	for _, r := range sp.fraction {
		if r == sym.digit {
			seenOptional = true
		} else if sym.isDigit(r) && seenOptional {
			code = "D3091"
			break
		}
	}
	if sp.hasExponent && len(sp.exponent) > 0 && (sp.percentUsed || sp.permilleUsed) {
		code = "D3092"
	}
	if sp.hasExponent {
		bad := len(sp.exponent) == 0
		for _, r := range sp.exponent {
			if !sym.isDigit(r) {
				bad = true
			}
		}
		if bad {
			code = "D3093"
		}
	}
	if code == "" {
		return nil
	}
	return errorf(code, "%s (in the sub-picture %q)", numberRuleText[code], sp.text)
}

var numberRuleText = map[string]string{
	"D3081": "a sub-picture may hold at most one decimal separator",
	"D3082": "a sub-picture may hold at most one percent sign",
	"D3083": "a sub-picture may hold at most one per-mille sign",
	"D3084": "a sub-picture may not hold both a percent and a per-mille sign",
	"D3085": "the mantissa needs at least one digit or optional digit sign",
	"D3086": "a passive character (not a digit, separator or sign of the format) stands between active ones",
	"D3087": "a grouping separator may not stand next to the decimal separator",
	"D3088": "the integer part may not end with a grouping separator",
	"D3089": "two grouping separators may not stand next to each other",
	"D3090": "in the integer part an optional digit sign (#) may not follow a digit",
	"D3091": "in the fractional part a digit may not follow an optional digit sign (#)",
	"D3092": "a picture with a percent or per-mille sign may not have an exponent",
	"D3093": "the exponent may hold only digits, at least one",
}

// analyse derives the spec's formatting variables from the parts.
func (sp *subPicture) analyse(sym *numberSymbols) {
	counted := func(r rune) bool { return sym.isDigit(r) || r == sym.digit }
	for i, r := range sp.integer {
		if r == sym.grouping {
			n := 0
			for _, c := range sp.integer[i+1:] {
				if counted(c) {
					n++
				}
			}
			sp.intGroups = append(sp.intGroups, n)
		}
	}
	seps := make([]groupSep, len(sp.intGroups))
	for i, p := range sp.intGroups {
		seps[i] = groupSep{pos: p, ch: sym.grouping}
	}
	sp.every = regularSpacing(seps)
	n := 0
	for _, r := range sp.fraction {
		if r == sym.grouping {
			sp.fracGroups = append(sp.fracGroups, n)
		} else if counted(r) {
			n++
		}
	}
	for _, r := range sp.integer {
		if sym.isDigit(r) {
			sp.minInt++
		}
	}
	sp.scaling = sp.minInt
	for _, r := range sp.fraction {
		if sym.isDigit(r) {
			sp.minFrac++
		}
		if counted(r) {
			sp.maxFrac++
		}
	}
	if sp.minInt == 0 && sp.maxFrac == 0 {
		if sp.hasExponent {
			sp.minFrac, sp.maxFrac = 1, 1
		} else {
			sp.minInt = 1
		}
	}
	if sp.hasExponent && sp.minInt == 0 {
		for _, r := range sp.integer {
			if r == sym.digit {
				sp.minInt = 1
				break
			}
		}
	}
	if sp.minInt == 0 && sp.minFrac == 0 {
		sp.minFrac = 1
	}
	for _, r := range sp.exponent {
		if sym.isDigit(r) {
			sp.minExp++
		}
	}
}
