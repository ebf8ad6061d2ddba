package picture

import "time"

var (
	monthNames = [...]string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	// dayNames is indexed by ISO day number: Monday is 1, Sunday 7.
	dayNames = [...]string{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
		"Saturday", "Sunday"}
)

func isoWeekday(t time.Time) int {
	if d := int(t.Weekday()); d != 0 {
		return d
	}
	return 7
}

// weekOfMonth numbers weeks within a month the way ISO numbers them within a year: a
// Monday-to-Sunday week belongs to the month that holds its Thursday, and the first such
// week is week 1. It returns the week and the month (1-12) it belongs to.
func weekOfMonth(t time.Time) (week, month int) {
	thu := t.AddDate(0, 0, 4-isoWeekday(t))
	return (thu.Day()-1)/7 + 1, int(thu.Month())
}

// fragment is the numeric value of a date/time component of t; P is 0 for am, 1 for pm.
func fragment(t time.Time, comp rune) int {
	switch comp {
	case 'Y':
		return t.Year()
	case 'M':
		return int(t.Month())
	case 'D':
		return t.Day()
	case 'd':
		return t.YearDay()
	case 'F':
		return isoWeekday(t)
	case 'W':
		_, w := t.ISOWeek()
		return w
	case 'X':
		y, _ := t.ISOWeek()
		return y
	case 'w':
		w, _ := weekOfMonth(t)
		return w
	case 'x':
		_, m := weekOfMonth(t)
		return m
	case 'H':
		return t.Hour()
	case 'h':
		if h := t.Hour() % 12; h != 0 {
			return h
		}
		return 12
	case 'P':
		if t.Hour() >= 12 {
			return 1
		}
		return 0
	case 'm':
		return t.Minute()
	case 's':
		return t.Second()
	case 'f':
		return t.Nanosecond() / 1e6
	}
	return 0
}
