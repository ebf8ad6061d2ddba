package picture

import "math"

// letters renders v in the bijective base-26 of spreadsheet columns: 1 is "a", 26 "z", 27
// "aa". Zero has no letters and renders as "".
func letters(v float64, upper bool) string {
	base := 'a'
	if upper {
		base = 'A'
	}
	var out []rune
	for v > 0 {
		d := int(math.Mod(v-1, 26))
		out = append(out, base+rune(d))
		v = math.Floor((v - 1) / 26)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

// parseLetters is the inverse of letters; ok is false when s holds anything but letters
// of the one case.
func parseLetters(s string, upper bool) (float64, bool) {
	base := 'a'
	if upper {
		base = 'A'
	}
	v := 0.0
	for _, r := range s {
		if r < base || r > base+25 {
			return 0, false
		}
		v = v*26 + float64(r-base+1)
	}
	return v, true
}
