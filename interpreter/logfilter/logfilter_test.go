package logfilter

import (
	"errors"
	"strings"
	"testing"
)

const started = `{"id":"1","type":"ExecutionStarted","details":{"input":"{}","roleArn":"r"},"previous_event_id":"0","event_timestamp":"1700000000000","execution_arn":"arn:aws:states:us-east-1:1:express:m:e:u","redrive_count":"0","n":7,"ok":true,"nil":null,"list":[{"a":"x"}]}`

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern string
		want    bool
	}{
		{"", true},
		{"   ", true},
		{`{ $.type = "ExecutionStarted" }`, true},
		{`{ $.type = ExecutionStarted }`, true},
		{`{ $.type = "ExecutionSucceeded" }`, false},
		{`{ $.type != "ExecutionSucceeded" }`, true},
		{`{ $.type = "Execution*" }`, true},
		{`{ $.type = "*Started" }`, true},
		{`{ $.type = "E*S*d" }`, true},
		{`{ $.type = "E*Z*d" }`, false},
		{`{ $.execution_arn = "arn:aws:states:us-east-1:1:express:m:e:u" }`, true},
		{`{ ($.type = "ExecutionSucceeded") || ($.type = "ExecutionStarted") }`, true},
		{`{ ($.type = "ExecutionSucceeded") || ($.type = "ExecutionFailed") }`, false},
		{`{ $.type = "ExecutionStarted" && $.id = "2" }`, false},
		{`{ $.type = "ExecutionStarted" && $.id = "1" }`, true},
		{`{ $.details.roleArn = "r" }`, true},
		{`{ $.details.missing = "r" }`, false},
		{`{ $.details.missing != "r" }`, false},
		{`{ $.n = 7 }`, true},
		{`{ $.n >= 7 && $.n < 8 }`, true},
		{`{ $.n > 7 }`, false},
		{`{ $.n != 7.0 }`, false},
		{`{ $.ok IS TRUE }`, true},
		{`{ $.ok IS FALSE }`, false},
		{`{ $.nil IS NULL }`, true},
		{`{ $.gone NOT EXISTS }`, true},
		{`{ $.type NOT EXISTS }`, false},
		{`{ $.list[0].a = "x" }`, true},
		{`{ $.list[1].a = "x" }`, false},
		{`ExecutionStarted`, true},
		{`ExecutionStarted roleArn`, true},
		{`ExecutionStarted -roleArn`, false},
		{`"previous_event_id\":\"0"`, true},
		{`ExecutionFailed`, false},
	}
	for _, c := range cases {
		p, err := Parse(c.pattern)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.pattern, err)
			continue
		}
		if got := p.Match(started); got != c.want {
			t.Errorf("%q matches: got %v, want %v", c.pattern, got, c.want)
		}
	}
}

func TestJSONPatternSkipsOtherMessages(t *testing.T) {
	p, err := Parse(`{ $.type = "x" }`)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"", "plain text", "[1,2]", `"x"`, `{"type":"x"`} {
		if p.Match(m) {
			t.Errorf("%q matched a JSON pattern", m)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, s := range []string{
		`{`, `{ }`, `{ $.a }`, `{ $.a = }`, `{ $.a = "x }`, `{ $.a = "x" } trailing`, `{ $.a < "x" }`,
		`{ a = 1 }`, `{ $ = 1 }`, `{ $.a[x] = 1 }`, `{ ($.a = 1 }`, `{ $.a IS MAYBE }`, `{ $.a NOT THERE }`,
		`[w1, w2]`, `?ERROR ?WARN`, `"open`, `%regex%`, `{ $.a = 1 && }`,
		`{ ` + strings.Repeat("(", maxDepth+2) + `$.a = 1` + strings.Repeat(")", maxDepth+2) + ` }`,
	} {
		_, err := Parse(s)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want an *Error", s, err)
			continue
		}
		if pe.Pos < 0 || pe.Pos > len(s) {
			t.Errorf("Parse(%q): offset %d outside the pattern", s, pe.Pos)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", `{ $.type = "Execution*" }`, `{ ($.a = 1) || $.b != "x" && $.c[0] IS NULL }`,
		`a -b "c d"`, `{ $.n >= 3 }`, `{ $.gone NOT EXISTS }`} {
		f.Add(s, started)
	}
	f.Fuzz(func(t *testing.T, pattern, message string) {
		p, err := Parse(pattern)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q): %T is not an *Error", pattern, err)
			}
			if pe.Pos < 0 || pe.Pos > len(pattern) {
				t.Fatalf("Parse(%q): offset %d outside the pattern", pattern, pe.Pos)
			}
			return
		}
		if p.String() != pattern {
			t.Fatalf("String() = %q, want %q", p.String(), pattern)
		}
		// Matching must be total: any message, no panic; the empty pattern matches all.
		got := p.Match(message)
		if strings.TrimSpace(pattern) == "" && !got {
			t.Fatalf("the empty pattern did not match %q", message)
		}
	})
}
