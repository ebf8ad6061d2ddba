package common

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitizeRemovesEscapes(t *testing.T) {
	cases := map[string]string{
		"plain":            "plain",
		"a\x1b[2Jb":        "a␛[2Jb",
		"\x1b]0;title\x07": "␛]0;title␇",
		"c1\u009b31m":      "c1\u2426" + "31m",
		"del\x7f":          "del\u2426",
		"line\nnext":       "line␤next",
		"tab\tx":           "tab  x",
		"bad\xffutf8":      "bad\uFFFDutf8",
		"bidi\u202eevil":   "bidi\uFFFDevil",
		"ünïcödé ok ✓":     "ünïcödé ok ✓",
	}
	for in, want := range cases {
		if got := Sanitize(in, false); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Sanitize("a\nb", true); got != "a\nb" {
		t.Errorf("newline not kept: %q", got)
	}
}

func FuzzSanitize(f *testing.F) {
	f.Add("a\x1b[31mred\u009b", true)
	f.Add("\xff\xfe", false)
	f.Fuzz(func(t *testing.T, s string, nl bool) {
		out := Sanitize(s, nl)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		for _, r := range out {
			if (r < 0x20 && !(nl && r == '\n')) || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("control %U left in %q", r, out)
			}
		}
		if !nl && strings.Contains(out, "\n") {
			t.Fatal("newline left")
		}
	})
}

func TestFitPadsAndCuts(t *testing.T) {
	got := Fit("abcdef\nx", 4, 3)
	want := "abc…\nx   \n    "
	if got != want {
		t.Errorf("Fit = %q, want %q", got, want)
	}
}
