package choice

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStringMatches(t *testing.T) {
	tests := []struct {
		pattern string
		in      string
		want    bool
	}{
		{"log-*.txt", "log-2024.txt", true},
		{"log-*.txt", "log-.txt", true},
		{"log-*.txt", "log-2024.txt.gz", false},
		{"log-*.txt", "xlog-1.txt", false},
		{"*", "", true},
		{"*", "anything", true},
		{"", "", true},
		{"", "a", false},
		{"**", "ab", true},
		{"a*b*c", "abc", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "acb", false},
		{"a*a", "a", false},
		{"a*a", "aa", true},
		{"*ab*ab*", "abab", true},
		{"*ab*ab*", "aba", false},
		{`\*`, "*", true},
		{`\*`, "x", false},
		{`a\*b`, "a*b", true},
		{`a\*b`, "aXb", false},
		{`\\`, `\`, true},
		{`\\*`, `\anything`, true},
		{`\\\*`, `\*`, true},
		{"?", "x", false},
		{"?", "?", true},
		{"[ab]", "a", false},
		{"[ab]", "[ab]", true},
		{"é*ü", "éxyzü", true},
		{"*ü", "éü", true},
		{"Ab", "ab", false},
		{`\q`, "q", true},
	}
	for _, tt := range tests {
		p, err := compilePattern(tt.pattern)
		if err != nil {
			t.Errorf("compilePattern(%q): %v", tt.pattern, err)
			continue
		}
		if got := p.match(tt.in); got != tt.want {
			t.Errorf("%q matches %q = %v, want %v", tt.pattern, tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{`\`, `abc\`, `\\\`} {
		if _, err := compilePattern(bad); err == nil {
			t.Errorf("compilePattern(%q) accepted a dangling backslash", bad)
		}
	}
}

// globRegexp is an independent oracle: the same pattern as an anchored regexp.
func globRegexp(p pattern) *regexp.Regexp {
	parts := make([]string, len(p.segments))
	for i, s := range p.segments {
		parts[i] = regexp.QuoteMeta(s)
	}
	return regexp.MustCompile(`(?s)\A` + strings.Join(parts, ".*") + `\z`)
}

func FuzzStringMatches(f *testing.F) {
	f.Add("a*b", "axxb")
	f.Add(`\**\\`, `*x\`)
	f.Add("*ab*ab*", "abab")
	f.Fuzz(func(t *testing.T, pat, s string) {
		if !utf8.ValidString(pat) || !utf8.ValidString(s) {
			return // JSON strings are valid UTF-8, and the oracle needs it
		}
		p, err := compilePattern(pat)
		if err != nil {
			if !strings.HasSuffix(pat, `\`) {
				t.Fatalf("rejected %q, which has no dangling backslash: %v", pat, err)
			}
			return
		}
		// The printed form must compile back to the same pattern.
		again, err := compilePattern(p.String())
		if err != nil || strings.Join(again.segments, "\x00") != strings.Join(p.segments, "\x00") {
			t.Fatalf("%q prints as %q, which reads back differently", pat, p.String())
		}
		if got, want := p.match(s), globRegexp(p).MatchString(s); got != want {
			t.Fatalf("%q matches %q = %v, regexp oracle says %v", pat, s, got, want)
		}
	})
}
