package picture

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// English number words as the reference spells them: British "and" after hundreds and
// before a trailing small number, commas between magnitude groups, and no magnitude above
// trillion (larger values repeat it: "one thousand trillion").
var (
	smallWords = [...]string{"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven",
		"Eight", "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen",
		"Sixteen", "Seventeen", "Eighteen", "Nineteen"}
	smallOrdinals = [...]string{"Zeroth", "First", "Second", "Third", "Fourth", "Fifth",
		"Sixth", "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth", "Thirteenth",
		"Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"}
	tensWords  = [...]string{"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"}
	magnitudes = [...]string{"Thousand", "Million", "Billion", "Trillion"}
	magFactors = [...]float64{1e3, 1e6, 1e9, 1e12}
)

// words spells an integral, non-negative v in title-case English words.
func words(v float64, ordinal bool) string {
	var b strings.Builder
	spell(&b, v, false, ordinal)
	return b.String()
}

// spell writes v; joined says words precede it in the same number, which decides the
// "and" or ", " that links it to them.
func spell(b *strings.Builder, v float64, joined, ordinal bool) {
	switch {
	case v < 20:
		if joined {
			b.WriteString(" and ")
		}
		if ordinal {
			b.WriteString(smallOrdinals[int(v)])
		} else {
			b.WriteString(smallWords[int(v)])
		}
	case v < 100:
		n := int(v)
		if joined {
			b.WriteString(" and ")
		}
		tens := tensWords[n/10-2]
		switch {
		case n%10 > 0:
			b.WriteString(tens)
			b.WriteByte('-')
			spell(b, float64(n%10), false, ordinal)
		case ordinal:
			b.WriteString(tens[:len(tens)-1] + "ieth")
		default:
			b.WriteString(tens)
		}
	case v < 1000:
		n := int(v)
		if joined {
			b.WriteString(", ")
		}
		b.WriteString(smallWords[n/100])
		b.WriteString(" Hundred")
		if n%100 > 0 {
			spell(b, float64(n%100), true, ordinal)
		} else if ordinal {
			b.WriteString("th")
		}
	default:
		mag := decimalExponent(v) / 3
		if mag > len(magnitudes) {
			mag = len(magnitudes)
		}
		factor := magFactors[mag-1]
		lead := math.Floor(v / factor)
		// float64() keeps the product rounded on its own, as the reference computes it.
		rest := v - float64(lead*factor)
		if joined {
			b.WriteString(", ")
		}
		spell(b, lead, false, false)
		b.WriteByte(' ')
		b.WriteString(magnitudes[mag-1])
		if rest > 0 {
			spell(b, rest, true, ordinal)
		} else if ordinal {
			b.WriteString("th")
		}
	}
}

// decimalExponent is floor(log10(v)) for v >= 1, read from the decimal rendering so that
// exact powers of ten never land one below.
func decimalExponent(v float64) int {
	s := strconv.FormatFloat(v, 'e', -1, 64)
	i := strings.IndexByte(s, 'e')
	n, _ := strconv.Atoi(s[i+1:])
	return n
}

// wordValues maps every lower-case word that parseWords understands to its value.
var wordValues = func() map[string]float64 {
	m := map[string]float64{}
	for i, w := range smallWords {
		m[strings.ToLower(w)] = float64(i)
	}
	for i, w := range smallOrdinals {
		m[strings.ToLower(w)] = float64(i)
	}
	for i, w := range tensWords {
		lw := strings.ToLower(w)
		m[lw] = float64((i + 2) * 10)
		m[lw[:len(lw)-1]+"ieth"] = float64((i + 2) * 10)
	}
	m["hundred"], m["hundredth"] = 100, 100
	for i, w := range magnitudes {
		lw := strings.ToLower(w)
		m[lw], m[lw+"th"] = magFactors[i], magFactors[i]
	}
	return m
}()

// parseWords reads English number words (cardinal or ordinal, any case), between which
// spaces, commas, hyphens and "and" are joints. Values below a
// hundred add to the group being built; hundred and the magnitudes multiply it; a new
// group starts once the current one has reached a thousand.
func parseWords(s string) (float64, bool) {
	groups := []float64{0}
	seen := false
	parts := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '-' || r == '\\'
	})
	for _, part := range parts {
		if part == "and" {
			continue
		}
		v, ok := wordValues[part]
		if !ok {
			return 0, false
		}
		seen = true
		top := groups[len(groups)-1]
		if v < 100 {
			if top >= 1000 {
				groups = append(groups, v)
			} else {
				groups[len(groups)-1] = top + v
			}
		} else {
			groups[len(groups)-1] = float64(top * v)
		}
	}
	if !seen {
		return 0, false
	}
	sum := 0.0
	for _, g := range groups {
		sum += g
	}
	return sum, true
}
