package picture

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrNoMatch reports that a string does not match its picture. $parseInteger and
// $toMillis return undefined in that case rather than raising an error.
var ErrNoMatch = errors.New("picture: the string does not match the picture")

// ParseInteger is the inverse of FormatInteger, as $parseInteger does it. Like the
// reference it reads leniently: for a decimal picture it drops the ordinal suffix and the
// picture's separators and reads the leading digits. It returns ErrNoMatch when nothing
// can be read.
func ParseInteger(s, picture string) (float64, error) {
	p, err := intPictures.get(picture, parseIntPicture)
	if err != nil {
		return 0, err
	}
	return p.parse(s)
}

func (p *intPicture) parse(s string) (float64, error) {
	var v float64
	ok := false
	switch p.kind {
	case kindDecimal:
		v, ok = p.parseDecimal(s)
	case kindLetters:
		v, ok = parseLetters(s, p.tcase == caseUpper)
	case kindRoman:
		v, ok = parseRoman(s)
	case kindWords:
		v, ok = parseWords(s)
	default:
		return 0, errorf("D3130", "formatting or parsing an integer as a sequence starting with %q is not supported", p.token)
	}
	if !ok {
		return 0, ErrNoMatch
	}
	return v, nil
}

func (p *intPicture) parseDecimal(s string) (float64, bool) {
	if p.ordinal {
		// The suffix is two letters in English (st, nd, rd, th).
		for i := 0; i < 2 && s != ""; i++ {
			_, size := utf8.DecodeLastRuneInString(s)
			s = s[:len(s)-size]
		}
	}
	var b strings.Builder
	for _, r := range strings.TrimLeft(s, " \t\n\r") {
		if p.isSeparator(r) {
			continue
		}
		if r >= p.zero && r <= p.zero+9 {
			b.WriteByte(byte('0' + r - p.zero))
			continue
		}
		if (r == '-' || r == '+') && b.Len() == 0 {
			b.WriteRune(r)
			continue
		}
		break
	}
	digits := b.String()
	if digits == "" || digits == "-" || digits == "+" {
		return 0, false
	}
	v, err := strconv.ParseFloat(digits, 64)
	return v, err == nil
}

func (p *intPicture) isSeparator(r rune) bool {
	for _, s := range p.seps {
		if s.ch == r {
			return true
		}
	}
	return false
}
