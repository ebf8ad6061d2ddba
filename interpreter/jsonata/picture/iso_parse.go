package picture

import (
	"time"
)

// ParseISO reads the ISO 8601 forms $toMillis accepts without a picture: a year, year and
// month, or a date ("2018", "2018-03", "2018-03-27"), optionally followed by
// "THH:MM:SS", a fraction of a second and an offset ("Z", "+05:30", "+0530"). A time with
// no offset is UTC. Anything else is error D3110.
func ParseISO(s string) (int64, error) {
	ms, ok := parseISO(s)
	if !ok {
		return 0, errorf("D3110", "the string %q is not an ISO 8601 date/time such as 2018-03-27T14:03:00.123Z", s)
	}
	return ms, nil
}

func parseISO(s string) (int64, bool) {
	r := isoReader{s: s}
	year, ok := r.digits(4)
	if !ok {
		return 0, false
	}
	month, day := 1, 1
	if r.eat('-') {
		if month, ok = r.digits(2); !ok || month < 1 || month > 12 {
			return 0, false
		}
		if r.eat('-') {
			if day, ok = r.digits(2); !ok || day < 1 || day > daysIn(year, month) {
				return 0, false
			}
		}
	}
	var hour, minute, sec, nanos, offset int
	if r.eat('T') {
		if r.i < 10 { // a time needs a full date before it
			return 0, false
		}
		if hour, ok = r.digits(2); !ok || !r.eat(':') {
			return 0, false
		}
		if minute, ok = r.digits(2); !ok || !r.eat(':') || minute > 59 {
			return 0, false
		}
		if sec, ok = r.digits(2); !ok || sec > 59 {
			return 0, false
		}
		if r.eat('.') {
			n, scale := 0, 100_000_000
			start := r.i
			for r.i < len(r.s) && r.s[r.i] >= '0' && r.s[r.i] <= '9' {
				n += int(r.s[r.i]-'0') * scale
				scale /= 10
				r.i++
			}
			if r.i == start {
				return 0, false
			}
			// Date.parse keeps whole milliseconds.
			nanos = n / 1e6 * 1e6
		}
		// 24:00:00 is the end of the day; no other time past 23:59:59 exists.
		if hour > 24 || hour == 24 && (minute != 0 || sec != 0 || nanos != 0) {
			return 0, false
		}
		switch {
		case r.eat('Z'):
		case r.i < len(r.s) && (r.s[r.i] == '+' || r.s[r.i] == '-'):
			sign := 1
			if r.s[r.i] == '-' {
				sign = -1
			}
			r.i++
			oh, ok1 := r.digits(2)
			r.eat(':')
			om, ok2 := r.digits(2)
			if !ok1 || !ok2 || oh > 23 || om > 59 {
				return 0, false
			}
			offset = sign * (oh*60 + om)
		}
	}
	if r.i != len(r.s) {
		return 0, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nanos, time.UTC)
	return t.UnixMilli() - int64(offset)*60_000, true
}

type isoReader struct {
	s string
	i int
}

func (r *isoReader) eat(c byte) bool {
	if r.i < len(r.s) && r.s[r.i] == c {
		r.i++
		return true
	}
	return false
}

func (r *isoReader) digits(n int) (int, bool) {
	if r.i+n > len(r.s) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(r.s[r.i : r.i+n]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	r.i += n
	return v, true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
