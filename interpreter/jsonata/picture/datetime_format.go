package picture

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// isoPicture is the picture $fromMillis uses when given a timezone but no picture.
const isoPicture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"

// FormatDateTime renders millis (since the Unix epoch) under an fn:format-dateTime
// picture, in the timezone given as "±HHMM" ("" is UTC), as $fromMillis does. An empty
// picture means the ISO 8601 picture $fromMillis uses when it is given none.
func FormatDateTime(millis int64, picture, timezone string) (string, error) {
	if picture == "" {
		picture = isoPicture
	}
	parts, err := datePictures.get(picture, parseDatePicture)
	if err != nil {
		return "", err
	}
	offset, err := parseTimezone(timezone)
	if err != nil {
		return "", err
	}
	t := time.UnixMilli(millis).UTC().Add(time.Duration(offset) * time.Minute)
	var b strings.Builder
	for i := range parts {
		p := &parts[i]
		if p.isLiteral {
			b.WriteString(p.literal)
			continue
		}
		s, err := p.format(t, offset)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// parseTimezone reads an offset written ±HHMM (sign optional; "0000", "-0500", "+0530")
// and returns it in minutes east of UTC.
func parseTimezone(tz string) (int, error) {
	if tz == "" {
		return 0, nil
	}
	sign := 1
	digits := tz
	switch tz[0] {
	case '-':
		sign, digits = -1, tz[1:]
	case '+':
		digits = tz[1:]
	}
	n, err := strconv.Atoi(digits)
	if err != nil || len(digits) == 0 || len(digits) > 4 || strings.ContainsAny(digits, "+-") {
		return 0, errorf("D3110", "the timezone %q is not an offset of the form ±HHMM", tz)
	}
	return sign * (n/100*60 + n%100), nil
}

func (p *dtPart) format(t time.Time, offset int) (string, error) {
	switch p.comp {
	case 'C', 'E':
		// Only the ISO calendar and era are supported.
		return "ISO", nil
	case 'P':
		s := "am"
		if fragment(t, 'P') == 1 {
			s = "pm"
		}
		if p.hasNames && p.names == caseUpper {
			s = strings.ToUpper(s)
		}
		return s, nil
	case 'Z', 'z':
		return p.formatOffset(offset)
	}
	v := fragment(t, p.comp)
	if p.comp == 'Y' && p.digits >= 0 {
		v %= int(math.Pow10(min(p.digits, 18)))
	}
	if p.hasNames {
		var name string
		switch p.comp {
		case 'M', 'x':
			name = monthNames[v-1]
		case 'F':
			name = dayNames[v]
		default:
			return "", errorf("D3133", "the component %q cannot be written as a name", string(p.comp))
		}
		switch p.names {
		case caseUpper:
			name = strings.ToUpper(name)
		case caseLower:
			name = strings.ToLower(name)
		}
		if p.maxW >= 0 && len(name) > p.maxW {
			name = name[:p.maxW]
		}
		return name, nil
	}
	return p.intp.format(float64(v))
}

// formatOffset writes a timezone offset: one or two digits give hours (and ":mm" when the
// minutes are not zero), three or four give hhmm, a separator gives hh:mm.
func (p *dtPart) formatOffset(offset int) (string, error) {
	sign := "+"
	if offset < 0 {
		sign = "-"
	}
	a := abs(offset)
	hhmm := float64(a/60*100 + a%60)
	var s string
	var err error
	switch ip := p.intp; {
	case ip.kind == kindDecimal && ip.every > 0:
		s, err = ip.format(hhmm)
	case ip.kind == kindDecimal && (ip.mandatory == 1 || ip.mandatory == 2):
		s, err = ip.format(float64(a / 60))
		if a%60 != 0 {
			s += ":" + strconv.Itoa(a%60/10) + strconv.Itoa(a%10)
		}
	case ip.kind == kindDecimal && (ip.mandatory == 3 || ip.mandatory == 4):
		s, err = ip.format(hhmm)
	default:
		return "", errorf("D3134", "a timezone picture has one to four digits, not %q", p.pres1)
	}
	if err != nil {
		return "", err
	}
	s = sign + s
	if p.comp == 'z' {
		s = "GMT" + s
	}
	if offset == 0 && p.pres2 == "t" {
		s = "Z"
	}
	return s, nil
}
