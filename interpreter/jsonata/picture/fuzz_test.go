package picture

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// The fuzz targets check that no picture or input makes a function panic or hang, that
// failures are either ErrNoMatch or an *Error with a code, and a few invariants that hold
// for every input.

func checkErr(t *testing.T, err error) {
	t.Helper()
	if err == nil || errors.Is(err, ErrNoMatch) {
		return
	}
	var pe *Error
	if !errors.As(err, &pe) || len(pe.Code) != 5 || pe.Code[0] != 'D' || pe.Message == "" {
		t.Fatalf("error %v is neither ErrNoMatch nor a coded *Error", err)
	}
}

func FuzzFormatNumber(f *testing.F) {
	for _, s := range []string{"#,##0.00", "0.0e0", "#0%", "###.###\u2030", "#;(#)", "00.000e000",
		"PREFIX#0SUFFIX", "#,##,##0", "0.000,000", "%%", ".e0", "0,", "e0"} {
		f.Add(1234.5678, s, "", "")
		f.Add(-0.001, s, "zero-digit", "\u0660")
	}
	f.Fuzz(func(t *testing.T, x float64, picture, key, val string) {
		if len(picture) > 200 {
			return
		}
		var opts map[string]string
		if key != "" {
			opts = map[string]string{key: val}
		}
		s, err := FormatNumber(x, picture, opts)
		checkErr(t, err)
		if err == nil && !utf8.ValidString(s) && utf8.ValidString(picture) && utf8.ValidString(val) {
			t.Fatalf("FormatNumber(%v, %q) produced invalid UTF-8 %q", x, picture, s)
		}
	})
}

func FuzzFormatInteger(f *testing.F) {
	for _, s := range []string{"0", "#,##0", "0;o", "w", "W;o", "Ww", "i", "I", "a", "A", "\u0661",
		"#:###,##0", "##,##,##0", "#", "\u03b1"} {
		f.Add(1234.0, s)
		f.Add(-1e20, s)
	}
	f.Fuzz(func(t *testing.T, x float64, picture string) {
		if len(picture) > 200 {
			return
		}
		s, err := FormatInteger(x, picture)
		checkErr(t, err)
		if err != nil {
			return
		}
		// What a decimal, roman or letter picture writes for a small non-negative value,
		// ParseInteger reads back.
		p, _ := parseIntPicture(picture)
		if x >= 0 && x < 1e6 && p.kind != kindWords && !p.ordinal {
			got, err := ParseInteger(s, picture)
			checkErr(t, err)
			if err == nil && p.kind == kindDecimal && len(p.seps) == 0 && got != float64(int64(x)) {
				t.Fatalf("ParseInteger(%q, %q) = %v; wrote %v", s, picture, got, x)
			}
		}
	})
}

func FuzzParseInteger(f *testing.F) {
	f.Add("twelve thousand and one", "w")
	f.Add("MCMXCIX", "I")
	f.Add("1,234th", "#,##0;o")
	f.Add("zz", "a")
	f.Fuzz(func(t *testing.T, s, picture string) {
		if len(picture) > 200 || len(s) > 1000 {
			return
		}
		_, err := ParseInteger(s, picture)
		checkErr(t, err)
	})
}

func FuzzFormatDateTime(f *testing.F) {
	for _, s := range []string{isoPicture, "[FNn], [D1o] [MNn] [Y]", "[Y,2]", "[Y##01,2-2]",
		"[Z0]", "[z]", "[h]:[m] [P]", "[[Y]]", "[W] [w] [X] [x]", "[Dwo]", "[YI]", "[Y"} {
		f.Add(int64(1521801216617), s, "")
		f.Add(int64(-62135596800000), s, "-0530")
	}
	f.Fuzz(func(t *testing.T, at int64, picture, tz string) {
		if len(picture) > 200 {
			return
		}
		_, err := FormatDateTime(at, picture, tz)
		checkErr(t, err)
	})
}

func FuzzParseDateTime(f *testing.F) {
	f.Add("2018-03-23T10:33:36.617Z", isoPicture)
	f.Add("23rd March 2018", "[D1o] [MNn] [Y]")
	f.Add("one thousand, nine hundred and eighty-four", "[Yw]")
	f.Add("4/4/2018 12:06 am", "[D1]/[M1]/[Y0001] [h]:[m] [P]")
	f.Add("2020-09-09 12:00:00 GMT-5", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z01]")
	f.Fuzz(func(t *testing.T, s, picture string) {
		if len(picture) > 200 || len(s) > 1000 {
			return
		}
		_, err := ParseDateTimeAt(s, picture, 0)
		checkErr(t, err)
		_, err = ParseISO(s)
		checkErr(t, err)
	})
}
