package picture

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"
)

// ParseDateTime reads s under an fn:format-dateTime picture and returns milliseconds since
// the Unix epoch, as $toMillis(s, picture) does. Components the picture leaves out before
// the first one it gives are taken from the current time, those after it take their
// lowest value; a gap in between is error D3136. It returns ErrNoMatch when s does not
// match the picture or the picture names no component.
func ParseDateTime(s, picture string) (int64, error) {
	return ParseDateTimeAt(s, picture, time.Now().UnixMilli())
}

// ParseDateTimeAt is ParseDateTime with "now" given, so that an evaluation sees one
// fixed instant (JSONata fixes it per evaluation, like $now()).
func ParseDateTimeAt(s, picture string, now int64) (int64, error) {
	m, err := dateMatchers.get(picture, func(picture string) (*matcher, error) {
		parts, err := datePictures.get(picture, parseDatePicture)
		if err != nil {
			return nil, err
		}
		return compileMatcher(parts)
	})
	if err != nil {
		return 0, err
	}
	groups := m.re.FindStringSubmatch(s)
	if groups == nil {
		return 0, ErrNoMatch
	}
	found := map[rune]float64{}
	for i, f := range m.fields {
		if f.read == nil {
			continue
		}
		if v, ok := f.read(groups[i+1]); ok {
			found[f.comp] = v
		}
	}
	if len(found) == 0 {
		return 0, ErrNoMatch
	}
	return assemble(found, time.UnixMilli(now).UTC())
}

// field is one capture group of the matcher; read turns its text into a component value.
type field struct {
	comp rune
	read func(string) (float64, bool)
}

type matcher struct {
	re     *regexp.Regexp
	fields []field
}

func compileMatcher(parts []dtPart) (*matcher, error) {
	var b strings.Builder
	b.WriteString("(?i)^")
	m := &matcher{}
	for i := range parts {
		p := &parts[i]
		adjacent := i+1 < len(parts) && !parts[i+1].isLiteral
		re, read, err := p.matchRule(adjacent)
		if err != nil {
			return nil, err
		}
		b.WriteString("(" + re + ")")
		m.fields = append(m.fields, field{comp: p.comp, read: read})
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, errorf("D3135", "the picture cannot be used for parsing: %v", err)
	}
	m.re = re
	return m, nil
}

// matchRule gives the pattern a part matches and how to read it. adjacent says another
// marker follows with no literal between, in which case numbers must keep to the width
// the picture gives them or the two could not be told apart.
func (p *dtPart) matchRule(adjacent bool) (string, func(string) (float64, bool), error) {
	if p.isLiteral {
		return regexp.QuoteMeta(p.literal), nil, nil
	}
	switch {
	case p.comp == 'Z' || p.comp == 'z':
		return p.offsetRule()
	case p.intp != nil:
		return p.integerRule(adjacent)
	}
	var names map[string]float64
	switch p.comp {
	case 'M', 'x':
		names = nameTable(monthNames[:], 1, p.maxW)
	case 'F':
		names = nameTable(dayNames[1:], 1, p.maxW)
	case 'P':
		names = map[string]float64{"am": 0, "pm": 1}
	default:
		return "", nil, errorf("D3133", "the component %q cannot be read as a name", string(p.comp))
	}
	return `[a-zA-Z]+`, func(s string) (float64, bool) {
		v, ok := names[strings.ToLower(s)]
		return v, ok
	}, nil
}

// nameTable maps lower-case names, cut to maxW letters when a maximum width is given, to
// their numbers counting from first.
func nameTable(list []string, first int, maxW int) map[string]float64 {
	t := map[string]float64{}
	for i, n := range list {
		if maxW >= 0 && len(n) > maxW {
			n = n[:maxW]
		}
		t[strings.ToLower(n)] = float64(i + first)
	}
	return t
}

func (p *dtPart) offsetRule() (string, func(string) (float64, bool), error) {
	var sep string
	if p.intp.kind == kindDecimal && p.intp.every > 0 {
		sep = string(p.intp.seps[0].ch)
	}
	re := `[-+][0-9]+`
	if sep != "" {
		re += regexp.QuoteMeta(sep) + `[0-9]+`
	}
	if p.comp == 'z' {
		re = "GMT" + re
	}
	if p.pres2 == "t" {
		// What the picture writes for offset zero it also reads.
		re += "|Z"
	}
	return re, func(s string) (float64, bool) {
		if s == "Z" || s == "z" {
			return 0, true
		}
		if p.comp == 'z' {
			s = s[3:]
		}
		sign := 1.0
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
		var h, m int
		if sep != "" {
			hs, ms, _ := strings.Cut(s, sep)
			h, m = atoiDigits(hs), atoiDigits(ms)
		} else if len(s) <= 2 {
			h = atoiDigits(s)
		} else {
			h, m = atoiDigits(s[:2]), atoiDigits(s[2:])
		}
		return sign * float64(h*60+m), true
	}, nil
}

func atoiDigits(s string) int {
	n := 0
	for _, c := range []byte(s) {
		if n > 1e8 {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// wordsPattern matches English number words and the joints between them; longer words
// come first so that the alternation prefers them.
var wordsPattern = func() string {
	ws := make([]string, 0, len(wordValues)+1)
	for w := range wordValues {
		ws = append(ws, w)
	}
	ws = append(ws, "and")
	sort.Slice(ws, func(i, j int) bool {
		if len(ws[i]) != len(ws[j]) {
			return len(ws[i]) > len(ws[j])
		}
		return ws[i] < ws[j]
	})
	return `(?:` + strings.Join(ws, "|") + `|[\-, ])+`
}()

func (p *dtPart) integerRule(adjacent bool) (string, func(string) (float64, bool), error) {
	ip := p.intp
	switch ip.kind {
	case kindLetters:
		upper := ip.tcase == caseUpper
		return `[a-zA-Z]+`, func(s string) (float64, bool) {
			if upper {
				s = strings.ToUpper(s)
			} else {
				s = strings.ToLower(s)
			}
			return parseLetters(s, upper)
		}, nil
	case kindRoman:
		return `[MDCLXVImdclxvi]+`, parseRoman, nil
	case kindWords:
		return wordsPattern, parseWords, nil
	case kindDecimal:
	default:
		return "", nil, errorf("D3130", "formatting or parsing an integer as a sequence starting with %q is not supported", ip.token)
	}
	class := `[0-9]`
	if ip.zero != '0' {
		class = fmt.Sprintf(`[\x{%x}-\x{%x}]`, ip.zero, ip.zero+9)
	}
	count := "+"
	switch {
	case p.comp == 'Y' && p.digits > 0:
		count = fmt.Sprintf("{%d}", p.digits)
		if ip.optional > 0 {
			count = fmt.Sprintf("{%d,%d}", max(p.digits-ip.optional, 1), p.digits)
		}
	case adjacent:
		count = fmt.Sprintf("{%d,%d}", ip.mandatory, ip.mandatory+ip.optional)
	case len(ip.seps) > 0:
		seps := ""
		for _, s := range ip.seps {
			seps += regexp.QuoteMeta(string(s.ch))
		}
		class = class[:len(class)-1] + seps + "]"
	}
	re := class + count
	if ip.ordinal {
		re += `(?:th|st|nd|rd)`
	}
	fraction := p.comp == 'f'
	return re, func(s string) (float64, bool) {
		if fraction {
			return readFraction(s, ip.zero)
		}
		v, err := ip.parse(s)
		return v, err == nil
	}, nil
}

// readFraction reads fractional-second digits as a fraction: ".5" is 500 ms, ".01987"
// is 19 ms (digits past the millisecond are dropped).
func readFraction(s string, zero rune) (float64, bool) {
	ms, scale := 0, 100
	for _, r := range s {
		if r < zero || r > zero+9 {
			return 0, false
		}
		ms += int(r-zero) * scale
		scale /= 10
	}
	return float64(ms), true
}

// Component sets that make a complete date or time, as bit masks over the components in
// the order of dateOrder and timeOrder.
const (
	dateOrder = "YXMxWwdD"
	timeOrder = "PHhmsf"

	yearMonthDay = 0b10100001 // Y M D
	yearDay      = 0b10000010 // Y d
	isoWeekDate  = 0b01010100 // X x w
	monthWeek    = 0b01001000 // X W
	hourMinute   = 0b010111   // H m s f
	clock12      = 0b101111   // P h m s f
)

func mask(found map[rune]float64, order string) int {
	m := 0
	for _, c := range order {
		m <<= 1
		if _, ok := found[c]; ok {
			m |= 1
		}
	}
	return m
}

// within reports that the components found are some of, and only, those of set.
func within(m, set int) bool { return m&^set == 0 && m&set != 0 }

// assemble turns the components read into an instant, filling the ones left out.
func assemble(found map[rune]float64, now time.Time) (int64, error) {
	dm := mask(found, dateOrder)
	byYearDay := !within(dm, yearMonthDay) && within(dm, yearDay)
	if within(dm, isoWeekDate) || within(dm, monthWeek) {
		return 0, errorf("D3136", "dates given by week are not supported when parsing; give year, month and day, or year and day of year")
	}
	tm := mask(found, timeOrder)
	clock := !within(tm, hourMinute) && within(tm, clock12)
	order := "YMD"
	if byYearDay {
		order = "Yd"
	}
	if clock {
		order += "Phmsf"
	} else {
		order += "Hmsf"
	}
	started, ended := false, false
	v := map[rune]float64{}
	for _, c := range order {
		if x, ok := found[c]; ok {
			if ended {
				return 0, errorf("D3136", "the picture leaves out a component between the ones it gives, so the date/time is underspecified")
			}
			started = true
			v[c] = x
			continue
		}
		if started {
			ended = true
			if strings.ContainsRune("MDd", c) {
				v[c] = 1
			} else {
				v[c] = 0
			}
		} else {
			v[c] = float64(fragment(now, c))
		}
	}
	for _, x := range v {
		if math.Abs(x) > 1e9 || math.IsNaN(x) {
			return 0, ErrNoMatch
		}
	}
	year := int(v['Y'])
	if year >= 0 && year <= 99 {
		// Date.UTC reads years 0-99 as 1900-1999, and the reference builds dates with it.
		year += 1900
	}
	month := max(int(v['M']), 1)
	day := int(v['D'])
	if byYearDay {
		month, day = 1, int(v['d'])
	}
	hour := int(v['H'])
	if clock {
		hour = int(v['h'])
		if hour == 12 {
			hour = 0
		}
		if v['P'] == 1 {
			hour += 12
		}
	}
	t := time.Date(year, time.Month(month), day, hour, int(v['m']), int(v['s']), int(v['f'])*1e6, time.UTC)
	ms := t.UnixMilli()
	if off, ok := found['Z']; ok {
		ms -= int64(off) * 60_000
	} else if off, ok := found['z']; ok {
		ms -= int64(off) * 60_000
	}
	if ms > 8.64e15 || ms < -8.64e15 {
		return 0, ErrNoMatch
	}
	return ms, nil
}
