package picture

import (
	"errors"
	"testing"
)

func TestFormatInteger(t *testing.T) {
	tests := []struct {
		x       float64
		picture string
		want    string
	}{
		{5, "00", "05"},
		{-12.5, "0", "-13"}, // rounded down, as the reference does
		{1234567, "#,##0", "1,234,567"},
		{1234567, "0", "1234567"},
		{1234567, "# ##0", "1 234 567"},
		{305, "\u0966", "\u0969\u0966\u096b"},
		// Ordinals: 11, 12 and 13 take "th", whatever the tens.
		{1, "0;o", "1st"}, {2, "0;o", "2nd"}, {3, "0;o", "3rd"}, {4, "0;o", "4th"},
		{11, "0;o", "11th"}, {12, "0;o", "12th"}, {113, "0;o", "113th"},
		{21, "0;o", "21st"}, {102, "0;o", "102nd"},
		// Roman numerals.
		{4, "i", "iv"}, {9, "I", "IX"}, {14, "I", "XIV"}, {40, "I", "XL"}, {3999, "I", "MMMCMXCIX"},
		{2024, "i", "mmxxiv"},
		// Letters, bijective base 26.
		{1, "a", "a"}, {52, "A", "AZ"}, {702, "a", "zz"}, {703, "a", "aaa"},
		// Words.
		{0, "w", "zero"}, {7, "W", "SEVEN"}, {40, "w", "forty"}, {101, "w", "one hundred and one"},
		{1001, "w", "one thousand and one"}, {2000000, "W", "TWO MILLION"},
		{1100, "Ww", "One Thousand, One Hundred"},
		{-7, "w", "-seven"},
		{0, "w;o", "zeroth"}, {13, "w;o", "thirteenth"}, {40, "w;o", "fortieth"},
		{82, "Ww;o", "Eighty-Second"}, {1000000, "w;o", "one millionth"},
		{200, "w;o", "two hundredth"},
	}
	for _, tc := range tests {
		got, err := FormatInteger(tc.x, tc.picture)
		if err != nil || got != tc.want {
			t.Errorf("FormatInteger(%v, %q) = %q, %v; want %q", tc.x, tc.picture, got, err, tc.want)
		}
	}
}

func TestFormatIntegerErrors(t *testing.T) {
	tests := []struct{ picture, code string }{
		{"#", "D3130"},
		{"β", "D3130"},
		{"x", "D3130"},
		{"0\u0661", "D3131"},
	}
	for _, tc := range tests {
		_, err := FormatInteger(1, tc.picture)
		var pe *Error
		if !errors.As(err, &pe) || pe.Code != tc.code {
			t.Errorf("FormatInteger(1, %q) error = %v; want code %s", tc.picture, err, tc.code)
		}
		_, err = ParseInteger("1", tc.picture)
		if !errors.As(err, &pe) || pe.Code != tc.code {
			t.Errorf("ParseInteger(\"1\", %q) error = %v; want code %s", tc.picture, err, tc.code)
		}
	}
}

// TestIntegerRoundTrip checks that ParseInteger reads back what FormatInteger writes.
func TestIntegerRoundTrip(t *testing.T) {
	pictures := []string{"0", "#,##0", "#:###,##0", "0000;o", "\u0661", "w", "W", "Ww", "w;o",
		"Ww;o", "i", "I", "a", "A"}
	values := []float64{1, 2, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110, 999, 1000, 1001, 1010,
		12345, 99999, 100000, 123456789}
	for v := 1.0; v < 2100; v += 7 {
		values = append(values, v)
	}
	for _, p := range pictures {
		for _, v := range values {
			if (p == "i" || p == "I") && v >= romanCap {
				continue
			}
			s, err := FormatInteger(v, p)
			if err != nil {
				t.Fatalf("FormatInteger(%v, %q): %v", v, p, err)
			}
			got, err := ParseInteger(s, p)
			if err != nil || got != v {
				t.Errorf("ParseInteger(%q, %q) = %v, %v; want %v", s, p, got, err, v)
			}
		}
	}
	for _, v := range []float64{1e15, 2e18, 123e21} {
		s, _ := FormatInteger(v, "w")
		if got, err := ParseInteger(s, "w"); err != nil || got != v {
			t.Errorf("ParseInteger(%q, w) = %v, %v; want %v", s, got, err, v)
		}
	}
}

func TestParseIntegerLenient(t *testing.T) {
	tests := []struct {
		s, picture string
		want       float64
	}{
		{"007", "000", 7},
		{"1 234 567", "# ##0", 1234567},
		{"42nd", "#0;o", 42},
		{"Forty-Two", "w", 42},
		{"nineteen hundred and ninety-nine", "w", 1999},
		{"", "i", 0},
	}
	for _, tc := range tests {
		got, err := ParseInteger(tc.s, tc.picture)
		if err != nil || got != tc.want {
			t.Errorf("ParseInteger(%q, %q) = %v, %v; want %v", tc.s, tc.picture, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ s, picture string }{
		{"abc", "0"}, {"twelvish", "w"}, {"XIQ", "I"}, {"a1", "a"},
	} {
		if _, err := ParseInteger(tc.s, tc.picture); !errors.Is(err, ErrNoMatch) {
			t.Errorf("ParseInteger(%q, %q) error = %v; want ErrNoMatch", tc.s, tc.picture, err)
		}
	}
}
