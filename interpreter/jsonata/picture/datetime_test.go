package picture

import (
	"errors"
	"testing"
	"time"
)

func ms(y int, mo time.Month, d, h, mi, s, milli int) int64 {
	return time.Date(y, mo, d, h, mi, s, milli*1e6, time.UTC).UnixMilli()
}

func TestFormatDateTime(t *testing.T) {
	leap := ms(2024, time.February, 29, 23, 59, 58, 123)
	tests := []struct {
		at      int64
		picture string
		tz      string
		want    string
	}{
		{leap, "[Y0001]-[M01]-[D01]", "", "2024-02-29"},
		{leap, "", "", "2024-02-29T23:59:58.123Z"},
		{leap, "", "-0100", "2024-02-29T22:59:58.123-01:00"},
		{leap, "[FNn], [D1o] [MNn] [Y]", "", "Thursday, 29th February 2024"},
		{leap, "[FN,2-2] [MNn,3-3] [Dwo]", "", "TH Feb twenty-ninth"},
		{leap, "[h]:[m01] [PN]", "", "11:59 PM"},
		{leap, "[H01]:[m01]:[s01].[f001]", "", "23:59:58.123"},
		{leap, "[Y,2] [Y01] [Yi] [YI]", "", "24 24 mmxxiv MMXXIV"},
		{leap, "[d] [d001] [W] [w] [xNn]", "", "60 060 9 5 February"},
		{leap, "[E] [C] [[literal]]", "", "ISO ISO [literal]"},
		// Timezones: the clock moves, the offset is written as asked.
		{leap, "[Y0001]-[M01]-[D01] [H01]:[m01] [Z]", "+0530", "2024-03-01 05:29 +05:30"},
		{leap, "[H01]:[m01] [Z0] [z] [Z0001]", "-0930", "14:29 -9:30 GMT-09:30 -0930"},
		{leap, "[Z01:01t] [Z]", "", "Z +00:00"},
		// ISO week dates around new year.
		{ms(2021, time.January, 3, 12, 0, 0, 0), "[X0001]-W[W01]-[F1]", "", "2020-W53-7"},
		{ms(2019, time.December, 30, 12, 0, 0, 0), "[X0001]-W[W01]-[F1]", "", "2020-W01-1"},
		// Weeks of the month belong to the month of their Thursday.
		{ms(2024, time.March, 31, 0, 0, 0, 0), "[w] [xNn]", "", "4 March"},
		{ms(2024, time.April, 1, 0, 0, 0, 0), "[w] [xNn]", "", "1 April"},
		{ms(2021, time.May, 1, 0, 0, 0, 0), "[w] [xNn]", "", "5 April"},
		// Midnight and noon on the 12-hour clock.
		{ms(2024, time.May, 6, 0, 5, 0, 0), "[h]:[m01][P]", "", "12:05am"},
		{ms(2024, time.May, 6, 12, 5, 0, 0), "[h]:[m01][P]", "", "12:05pm"},
		{ms(1969, time.July, 20, 20, 17, 40, 0), "[D] [MNn] [Y] [H]:[m]", "", "20 July 1969 20:17"},
	}
	for _, tc := range tests {
		got, err := FormatDateTime(tc.at, tc.picture, tc.tz)
		if err != nil || got != tc.want {
			t.Errorf("FormatDateTime(%d, %q, %q) = %q, %v; want %q", tc.at, tc.picture, tc.tz, got, err, tc.want)
		}
	}
}

func TestFormatDateTimeErrors(t *testing.T) {
	tests := []struct{ picture, tz, code string }{
		{"[Y", "", "D3135"},
		{"[Q]", "", "D3132"},
		{"[]", "", "D3132"},
		{"[HN]", "", "D3133"},
		{"[Z001001]", "", "D3134"},
		{"[Dβ]", "", "D3130"},
		{"[Y]", "+5:30", "D3110"},
	}
	for _, tc := range tests {
		_, err := FormatDateTime(0, tc.picture, tc.tz)
		var pe *Error
		if !errors.As(err, &pe) || pe.Code != tc.code {
			t.Errorf("FormatDateTime(0, %q, %q) error = %v; want code %s", tc.picture, tc.tz, err, tc.code)
		}
	}
}

func TestFormatISO(t *testing.T) {
	tests := []struct {
		at   int64
		want string
	}{
		{0, "1970-01-01T00:00:00.000Z"},
		{-1, "1969-12-31T23:59:59.999Z"},
		{ms(10000, time.January, 1, 0, 0, 0, 0), "+010000-01-01T00:00:00.000Z"},
		{ms(-1, time.January, 1, 0, 0, 0, 0), "-000001-01-01T00:00:00.000Z"},
	}
	for _, tc := range tests {
		if got := FormatISO(tc.at); got != tc.want {
			t.Errorf("FormatISO(%d) = %q; want %q", tc.at, got, tc.want)
		}
	}
}

func TestParseISO(t *testing.T) {
	tests := []struct {
		s    string
		want int64
	}{
		{"2024", ms(2024, time.January, 1, 0, 0, 0, 0)},
		{"2024-02", ms(2024, time.February, 1, 0, 0, 0, 0)},
		{"2024-02-29", ms(2024, time.February, 29, 0, 0, 0, 0)},
		{"2024-02-29T10:00:00Z", ms(2024, time.February, 29, 10, 0, 0, 0)},
		{"2024-02-29T10:00:00", ms(2024, time.February, 29, 10, 0, 0, 0)},
		{"2024-02-29T10:00:00.5Z", ms(2024, time.February, 29, 10, 0, 0, 500)},
		{"2024-02-29T10:00:00.123456Z", ms(2024, time.February, 29, 10, 0, 0, 123)},
		{"2024-02-29T10:00:00+01:00", ms(2024, time.February, 29, 9, 0, 0, 0)},
		{"2024-02-29T10:00:00-0230", ms(2024, time.February, 29, 12, 30, 0, 0)},
		{"2024-02-29T24:00:00Z", ms(2024, time.March, 1, 0, 0, 0, 0)},
	}
	for _, tc := range tests {
		got, err := ParseISO(tc.s)
		if err != nil || got != tc.want {
			t.Errorf("ParseISO(%q) = %d, %v; want %d", tc.s, got, err, tc.want)
		}
	}
	for _, s := range []string{"", "24", "2023-02-29", "2024-13", "2024-02-29T10:00Z",
		"2024-02-29 10:00:00", "2024-02-29T25:00:00Z", "2024-02-29T10:00:00.Z", "yesterday"} {
		_, err := ParseISO(s)
		var pe *Error
		if !errors.As(err, &pe) || pe.Code != "D3110" {
			t.Errorf("ParseISO(%q) error = %v; want D3110", s, err)
		}
	}
}

func TestParseDateTime(t *testing.T) {
	now := ms(2030, time.June, 15, 8, 30, 0, 0)
	tests := []struct {
		s, picture string
		want       int64
	}{
		{"29/02/2024", "[D01]/[M01]/[Y0001]", ms(2024, time.February, 29, 0, 0, 0, 0)},
		{"Thursday 29th of February, 2024 at 11:59:58 pm",
			"[FNn] [D1o] of [MNn], [Y] at [h]:[m01]:[s01] [P]", ms(2024, time.February, 29, 23, 59, 58, 0)},
		{"2024-060", "[Y0001]-[d001]", ms(2024, time.February, 29, 0, 0, 0, 0)},
		{"20240229235958", "[Y0001][M01][D01][H01][m01][s01]", ms(2024, time.February, 29, 23, 59, 58, 0)},
		// Left out before the first component given: from now; after it: lowest value.
		{"12.5", "[s].[f1]", ms(2030, time.June, 15, 8, 30, 12, 500)},
		{"2024", "[Y]", ms(2024, time.January, 1, 0, 0, 0, 0)},
		// Years 0-99 are read as the twentieth century, as JavaScript's Date.UTC does.
		{"24", "[Y01]", ms(1924, time.January, 1, 0, 0, 0, 0)},
		// The date comes from "now" when only a time is given.
		{"10:30 GMT+02:00", "[H01]:[m01] [z]", ms(2030, time.June, 15, 8, 30, 0, 0)},
		{"10:30 -0130", "[H01]:[m01] [Z0001]", ms(2030, time.June, 15, 12, 0, 0, 0)},
		{"MARCH 2001", "[MN] [Y]", ms(2001, time.March, 1, 0, 0, 0, 0)},
		{"xii/mmxx", "[Mi]/[Yi]", ms(2020, time.December, 1, 0, 0, 0, 0)},
		{"the fifth of may two thousand and one", "the [Dwo] of [MNn] [Yw]", ms(2001, time.May, 5, 0, 0, 0, 0)},
	}
	for _, tc := range tests {
		got, err := ParseDateTimeAt(tc.s, tc.picture, now)
		if err != nil || got != tc.want {
			t.Errorf("ParseDateTimeAt(%q, %q) = %s, %v; want %s", tc.s, tc.picture,
				FormatISO(got), err, FormatISO(tc.want))
		}
	}
}

func TestParseDateTimeFailures(t *testing.T) {
	codes := []struct{ s, picture, code string }{
		{"2024-15", "[Y]-[D]", "D3136"},
		{"03 10:00", "[M01] [H01]:[m01]", "D3136"},
		{"2024-10-3", "[X]-[W]-[F1]", "D3136"},
		{"2024", "[YN]", "D3133"},
		{"2024", "[Q]", "D3132"},
		{"2024", "[Y", "D3135"},
		{"x", "[Dx]", "D3130"},
	}
	for _, tc := range codes {
		_, err := ParseDateTimeAt(tc.s, tc.picture, 0)
		var pe *Error
		if !errors.As(err, &pe) || pe.Code != tc.code {
			t.Errorf("ParseDateTimeAt(%q, %q) error = %v; want code %s", tc.s, tc.picture, err, tc.code)
		}
	}
	for _, tc := range []struct{ s, picture string }{
		{"abc", "[Y]"}, {"2024-01", "[Y]"}, {"text", "text"},
	} {
		if _, err := ParseDateTimeAt(tc.s, tc.picture, 0); !errors.Is(err, ErrNoMatch) {
			t.Errorf("ParseDateTimeAt(%q, %q) error = %v; want ErrNoMatch", tc.s, tc.picture, err)
		}
	}
}

// TestDateTimeRoundTrip checks that what FormatDateTime writes under a complete picture
// ParseDateTime reads back to the same instant.
func TestDateTimeRoundTrip(t *testing.T) {
	pictures := []struct{ picture, tz string }{
		{isoPicture, ""},
		{isoPicture, "+0530"},
		{isoPicture, "-1100"},
		{"[D1o] [MNn] [Y] [h]:[m01]:[s01].[f001] [P]", ""},
		{"[Y0001][M01][D01][H01][m01][s01][f001]", ""},
		{"[Dw] [MNn,3-3] [Yw], [H]:[m]:[s].[f001] [z]", "-0200"},
		{"[Y0001]-[d001] [H01]:[m01]:[s01].[f001]", ""},
		{"[FNn], [DWwo] of [MN], [YI], [H]:[m]:[s].[f001] [Z0001]", "+1245"},
	}
	start := ms(1971, time.March, 1, 0, 0, 0, 0)
	for _, p := range pictures {
		for at := start; at < ms(2100, 1, 1, 0, 0, 0, 0); at += 86_399_937 * 13 {
			s, err := FormatDateTime(at, p.picture, p.tz)
			if err != nil {
				t.Fatalf("FormatDateTime(%d, %q): %v", at, p.picture, err)
			}
			got, err := ParseDateTimeAt(s, p.picture, 0)
			if err != nil || got != at {
				t.Fatalf("ParseDateTime(%q, %q) = %s, %v; want %s", s, p.picture, FormatISO(got), err, FormatISO(at))
			}
		}
	}
}
