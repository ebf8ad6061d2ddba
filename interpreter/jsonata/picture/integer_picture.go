package picture

import "strings"

// intKind is the primary format token family of an integer picture (fn:format-integer).
type intKind int

const (
	kindDecimal intKind = iota
	kindLetters
	kindRoman
	kindWords
	// kindSequence is any other numbering sequence: the spec leaves them to the
	// implementation and the reference supports none, so using one is error D3130.
	kindSequence
)

type textCase int

const (
	caseLower textCase = iota
	caseUpper
	caseTitle
)

// groupSep is a grouping separator at a position counted in digits from the right.
type groupSep struct {
	pos int
	ch  rune
}

// intPicture is an analysed integer picture such as "#,##0;o" or "Ww".
type intPicture struct {
	kind      intKind
	tcase     textCase
	ordinal   bool
	zero      rune
	mandatory int
	optional  int
	// every is the spacing of regularly repeated separators (0 when irregular); seps then
	// holds one entry carrying the character.
	every int
	seps  []groupSep
	token string
}

// parseIntPicture analyses an fn:format-integer picture: a primary token and an optional
// ";modifier" whose leading 'o' asks for ordinals.
func parseIntPicture(picture string) (*intPicture, error) {
	p := &intPicture{kind: kindDecimal, zero: '0'}
	primary := picture
	if i := strings.LastIndexByte(picture, ';'); i >= 0 {
		primary = picture[:i]
		p.ordinal = strings.HasPrefix(picture[i+1:], "o")
	}
	switch primary {
	case "A":
		p.kind, p.tcase = kindLetters, caseUpper
	case "a":
		p.kind = kindLetters
	case "I":
		p.kind, p.tcase = kindRoman, caseUpper
	case "i":
		p.kind = kindRoman
	case "W":
		p.kind, p.tcase = kindWords, caseUpper
	case "Ww":
		p.kind, p.tcase = kindWords, caseTitle
	case "w":
		p.kind = kindWords
	default:
		if err := p.readDecimalPattern(primary); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// readDecimalPattern reads a decimal-digit-pattern right to left, since separator positions are
// counted from the least significant digit.
func (p *intPicture) readDecimalPattern(primary string) error {
	runes := []rune(primary)
	var zero rune
	pos := 0
	var seps []groupSep
	for i := len(runes) - 1; i >= 0; i-- {
		r := runes[i]
		if z, ok := digitZero(r); ok {
			if zero == 0 {
				zero = z
			} else if z != zero {
				return errorf("D3131", "the picture %q mixes digits from different decimal digit families", primary)
			}
			p.mandatory++
			pos++
			continue
		}
		if r == '#' {
			p.optional++
			pos++
			continue
		}
		seps = append(seps, groupSep{pos: pos, ch: r})
	}
	if p.mandatory == 0 {
		p.kind = kindSequence
		p.token = primary
		return nil
	}
	p.zero = zero
	if every := regularSpacing(seps); every > 0 {
		p.every = every
		p.seps = seps[:1]
	} else {
		p.seps = seps
	}
	return nil
}

// regularSpacing returns the spacing N when the separators are one character placed at
// N, 2N, 3N... digits from the right (the spec's "regular" grouping), else 0.
func regularSpacing(seps []groupSep) int {
	if len(seps) == 0 {
		return 0
	}
	g := 0
	for _, s := range seps {
		if s.ch != seps[0].ch {
			return 0
		}
		g = gcd(g, s.pos)
	}
	if g == 0 {
		return 0
	}
	for k := 1; k <= len(seps); k++ {
		found := false
		for _, s := range seps {
			if s.pos == k*g {
				found = true
				break
			}
		}
		if !found {
			return 0
		}
	}
	return g
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
