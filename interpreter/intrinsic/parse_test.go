package intrinsic

import (
	"errors"
	"strings"
	"testing"
)

func TestParsePrintsCanonicalForm(t *testing.T) {
	cases := []struct{ src, want string }{
		{"States.UUID()", "States.UUID()"},
		{"States.UUID( )", "States.UUID()"},
		{"States.Format('Hello {}, {}',$.name,States.ArrayLength($.items))",
			"States.Format('Hello {}, {}', $.name, States.ArrayLength($.items))"},
		{"States.Array( 1 , -2.50, 1e3, true,false , null )", "States.Array(1, -2.5, 1000.0, true, false, null)"},
		{"States.Array(0, -0, 12345678901234, 1.5E-7)", "States.Array(0, 0, 12345678901234, 1.5E-7)"},
		{`States.Format('a\{\}b \'q\' \\ {}', 1)`, `States.Format('a\{\}b \'q\' \\ {}', 1)`},
		{"States.Array($$.Execution.Id, $var.x, $)", "States.Array($$.Execution.Id, $var.x, $)"},
		{"States.StringSplit('Hello\nWorld', '\n')", "States.StringSplit('Hello\nWorld', '\n')"},
		{"States.Array('', ' ', ',', '(', ')')", "States.Array('', ' ', ',', '(', ')')"},
		{"\tStates.Array(1)", ""}, // IsCall is false for it; Parse refuses it below
	}
	for _, tc := range cases {
		if tc.want == "" {
			continue
		}
		c, err := Parse(tc.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.src, err)
			continue
		}
		if got := c.String(); got != tc.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tc.src, got, tc.want)
		}
	}
}

// TestPrintRoundTrip checks that printing a parsed call and parsing the text again
// gives the same tree: the second print must equal the first.
func TestPrintRoundTrip(t *testing.T) {
	srcs := []string{
		"States.Format('{} and {}', $.a, States.Array(1, 'x', null))",
		strings.Repeat("States.Array(", MaxDepth) + "1" + strings.Repeat(")", MaxDepth),
		"States.JsonMerge($.a, $.b, false)",
		"States.MathRandom(1, 10, 3)",
		`States.Format('\\\{\}{}', 'a\'b')`,
		"States.Hash('x', 'SHA-256')",
		"States.ArrayRange(-1.0, 1E2, 2)",
	}
	for _, src := range srcs {
		c, err := Parse(src)
		if err != nil {
			t.Fatalf("Parse(%q): %v", src, err)
		}
		first := c.String()
		c2, err := Parse(first)
		if err != nil {
			t.Fatalf("Parse(%q) (printed from %q): %v", first, src, err)
		}
		if second := c2.String(); second != first {
			t.Errorf("round trip of %q: %q then %q", src, first, second)
		}
	}
}

func TestParseErrors(t *testing.T) {
	deep := strings.Repeat("States.Array(", MaxDepth+1) + "1" + strings.Repeat(")", MaxDepth+1)
	cases := []struct {
		src  string
		pos  int
		want string
	}{
		{"", 0, "expected an intrinsic function"},
		{"$.a", 0, "expected an intrinsic function"},
		{"States.", 0, "unknown intrinsic function States."},
		{"States.Nope(1)", 0, "unknown intrinsic function States.Nope"},
		{"States.format('x')", 0, "unknown intrinsic function"},
		{"States.Format", 13, "expected '(' after States.Format"},
		{"States.Array(1", 14, "missing ')'"},
		{"States.Array(1,)", 15, "expected an argument"},
		{"States.Array(,1)", 13, "expected an argument"},
		{"States.Array(1 2)", 15, "expected ',' or ')'"},
		{"States.Array('abc)", 13, "unterminated string"},
		{`States.Array('a\nb')`, 15, `invalid escape sequence \n`},
		{`States.Array('a\"b')`, 15, `invalid escape sequence \"`},
		{`States.Array('a\`, 15, "backslash must be followed"},
		{`States.Array('a\')`, 13, "unterminated string"},
		{"States.Array(foo)", 13, `unexpected "foo"`},
		{`States.Array("x")`, 13, `unexpected '"'`},
		{"States.Array(1) x", 16, "after the end of the call"},
		{"States.Array(01)", 13, "invalid number 01"},
		{"States.Array(1.)", 13, "invalid number 1."},
		{"States.Array(-)", 13, "invalid number -"},
		{"States.Array(1e)", 13, "invalid number 1e"},
		{"States.ArrayGetItem($.a)", 0, "States.ArrayGetItem takes 2 arguments, not 1"},
		{"States.UUID(1)", 0, "States.UUID takes 0 arguments, not 1"},
		{"States.Format()", 0, "States.Format takes at least 1 argument, not 0"},
		{"States.MathRandom(1)", 0, "States.MathRandom takes 2 to 3 arguments, not 1"},
		{"States.JsonToString('x')", 20, "must be a path"},
		{"States.JsonToString(States.Array())", 20, "must be a path"},
		{"States.Format(1, 2)", 14, "must be a string template"},
		{`States.StringToJson('{"text":"An \"escaped double quote\" here"}')`, 33, "invalid escape sequence"},
		{deep, len("States.Array(") * MaxDepth, "nest at most 10 deep"},
		{"States.Array(1)\n)", 16, "after the end"},
	}
	for _, tc := range cases {
		_, err := Parse(tc.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a *SyntaxError", tc.src, err)
			continue
		}
		if se.Pos != tc.pos || !strings.Contains(se.Msg, tc.want) {
			t.Errorf("Parse(%q): error %q at %d, want %q at %d", tc.src, se.Msg, se.Pos, tc.want, tc.pos)
		}
	}
}

func TestSyntaxErrorShowsCaret(t *testing.T) {
	_, err := Parse("States.Array(1, 2 3)")
	if err == nil {
		t.Fatal("no error")
	}
	want := "expected ',' or ')' after an argument of States.Array, found '3' at position 19\n" +
		"  States.Array(1, 2 3)\n" +
		"                    ^"
	if err.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
}

func TestSyntaxErrorCaretInLongMultilineSource(t *testing.T) {
	src := "States.Format('" + strings.Repeat("x", 100) + "\nline two ü {}', 1, 2 3)"
	_, err := Parse(src)
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got %q", err)
	}
	col := strings.IndexByte(lines[2], '^')
	if got := []rune(lines[1])[col]; got != '3' {
		t.Errorf("caret points at %q, want '3':\n%s", got, err)
	}
}

func TestIsCall(t *testing.T) {
	for s, want := range map[string]bool{
		"States.Format('x')": true,
		"States.":            true,
		"$.a":                false,
		" States.UUID()":     false,
		"states.UUID()":      false,
	} {
		if IsCall(s) != want {
			t.Errorf("IsCall(%q) = %v", s, !want)
		}
	}
}

func TestNameAndNames(t *testing.T) {
	c, err := Parse("States.ArrayLength($.a)")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != "States.ArrayLength" {
		t.Errorf("Name() = %q", c.Name())
	}
	if n := len(Names()); n != 18 {
		t.Errorf("%d functions, want 18: %v", n, Names())
	}
}

func TestAllowedInFailPath(t *testing.T) {
	for src, want := range map[string]bool{
		"States.Format('{}', $.e)":         true,
		"States.UUID()":                    true,
		"States.Hash('a', 'MD5')":          true,
		"States.MathAdd(1, 2)":             false,
		"States.Array(States.Format('x'))": false,
	} {
		c, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if c.AllowedInFailPath() != want {
			t.Errorf("%s: AllowedInFailPath() = %v", src, !want)
		}
	}
}

func TestZeroCallDoesNotPanic(t *testing.T) {
	var c Call
	if c.String() != "" {
		t.Error("String of a zero Call")
	}
	if _, err := c.Eval(nil); err == nil {
		t.Error("Eval of a zero Call succeeded")
	}
}
