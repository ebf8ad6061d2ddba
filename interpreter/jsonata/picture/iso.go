package picture

import (
	"fmt"
	"time"
)

// FormatISO renders millis as $fromMillis does without a picture: ISO 8601 in UTC with
// milliseconds, "2017-11-07T15:07:54.972Z". Years outside 0000-9999 take a sign and six
// digits, as JavaScript's Date.prototype.toISOString writes them.
func FormatISO(millis int64) string {
	t := time.UnixMilli(millis).UTC()
	y := t.Year()
	year := fmt.Sprintf("%04d", y)
	if y < 0 || y > 9999 {
		sign := "+"
		if y < 0 {
			sign, y = "-", -y
		}
		year = fmt.Sprintf("%s%06d", sign, y)
	}
	return fmt.Sprintf("%s-%02d-%02dT%02d:%02d:%02d.%03dZ", year, int(t.Month()), t.Day(),
		t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1e6)
}
