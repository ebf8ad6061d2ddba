package picture

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// dtPart is one piece of an fn:format-dateTime picture: literal text, or a variable marker
// such as [D01], [MNn,3-3] or [Z01:01t].
type dtPart struct {
	literal   string
	isLiteral bool

	comp     rune
	pres1    string
	pres2    string
	hasNames bool
	names    textCase
	minW     int // -1 when the width modifier does not set it
	maxW     int
	intp     *intPicture
	// digits is how many low-order digits of the year to show, -1 for all.
	digits int
}

// defaultPresentation is the presentation each component gets when its marker gives none;
// a component missing here is not a date/time component.
var defaultPresentation = map[rune]string{
	'Y': "1", 'M': "1", 'D': "1", 'd': "1", 'F': "n", 'W': "1", 'w': "1", 'X': "1", 'x': "1",
	'H': "1", 'h': "1", 'P': "n", 'm': "01", 's': "01", 'f': "1", 'Z': "01:01", 'z': "01:01",
	'C': "n", 'E': "n",
}

// maxWidth bounds width modifiers: a width is a count of characters to pad to, and a
// picture must not be able to ask for gigabytes of padding.
const maxWidth = 1000

// parseDatePicture splits a date/time picture into literals and analysed markers.
func parseDatePicture(picture string) ([]dtPart, error) {
	var parts []dtPart
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, dtPart{isLiteral: true, literal: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(picture); {
		switch {
		case strings.HasPrefix(picture[i:], "[["):
			lit.WriteByte('[')
			i += 2
		case strings.HasPrefix(picture[i:], "]]"):
			lit.WriteByte(']')
			i += 2
		case picture[i] == '[':
			end := strings.IndexByte(picture[i:], ']')
			if end < 0 {
				return nil, errorf("D3135", "the picture %q has a '[' without a closing ']'", picture)
			}
			flush()
			part, err := parseMarker(picture[i+1 : i+end])
			if err != nil {
				return nil, err
			}
			parts = append(parts, part)
			i += end + 1
		default:
			lit.WriteByte(picture[i])
			i++
		}
	}
	flush()
	return parts, nil
}

func parseMarker(raw string) (dtPart, error) {
	// Whitespace inside a marker carries no meaning.
	marker := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, raw)
	p := dtPart{minW: -1, maxW: -1, digits: -1}
	comp, size := utf8.DecodeRuneInString(marker)
	if marker == "" {
		return p, errorf("D3132", "the picture has an empty marker []")
	}
	p.comp = comp
	pres := marker[size:]
	if c := strings.LastIndexByte(marker, ','); c >= size {
		pres = marker[size:c]
		width := marker[c+1:]
		lo, hi, _ := strings.Cut(width, "-")
		p.minW = parseWidth(lo)
		p.maxW = parseWidth(hi)
	}
	switch n := utf8.RuneCountInString(pres); {
	case n == 0:
		p.pres1 = defaultPresentation[comp]
	case n == 1:
		p.pres1 = pres
	default:
		last := pres[len(pres)-1]
		if strings.IndexByte("atco", last) >= 0 {
			// 'o' asks for ordinals; 'c' (cardinal) is the default; 'a' and 't' select
			// alphabetic or traditional numbering, which English does not distinguish
			// ('t' on a timezone asks for "Z" at offset zero).
			p.pres2 = string(last)
			p.pres1 = pres[:len(pres)-1]
		} else {
			p.pres1 = pres
		}
	}
	if _, known := defaultPresentation[comp]; !known || p.pres1 == "" {
		return p, errorf("D3132", "%q is not a date/time component (in the marker [%s])", string(comp), raw)
	}
	switch {
	case p.pres1[0] == 'n':
		p.hasNames, p.names = true, caseLower
	case p.pres1[0] == 'N':
		p.hasNames, p.names = true, caseUpper
		if strings.HasPrefix(p.pres1, "Nn") {
			p.names = caseTitle
		}
	case strings.ContainsRune("YMDdFWwXxHhmsf", comp):
		pattern := p.pres1
		if p.pres2 != "" {
			pattern += ";" + p.pres2
		}
		ip, err := parseIntPicture(pattern)
		if err != nil {
			return p, err
		}
		if p.minW > ip.mandatory && ip.kind == kindDecimal {
			ip.mandatory = p.minW
		}
		p.intp = ip
		if comp == 'Y' {
			// A maximum width on the year keeps that many low-order digits; so does a
			// picture of two or more digit signs ([Y01] is a two-digit year).
			if p.maxW >= 0 {
				p.digits = p.maxW
				ip.mandatory = p.maxW
			} else if w := ip.mandatory + ip.optional; ip.kind == kindDecimal && w >= 2 {
				p.digits = w
			}
		}
	}
	if comp == 'Z' || comp == 'z' {
		ip, err := parseIntPicture(p.pres1)
		if err != nil {
			return p, err
		}
		p.intp = ip
	}
	return p, nil
}

// parseWidth reads one side of a width modifier: a number, or "*" / nothing for no limit.
func parseWidth(s string) int {
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == 0 {
		return -1
	}
	n, err := strconv.Atoi(s[:end])
	if err != nil || n > maxWidth {
		return maxWidth
	}
	return n
}
