package jsonpath

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalized(t *testing.T) {
	for _, c := range []struct {
		src, norm string
		definite  bool
	}{
		{"$", "$", true},
		{"$$", "$$", true},
		{"$var", "$var", true},
		{"$.a.b", "$['a']['b']", true},
		{"$.a[0]", "$['a'][0]", true},
		{"$['a'][\"b\"]", "$['a']['b']", true},
		{"$.a[-1]", "$['a'][-1]", true},
		{"$['a','b']", "$['a','b']", true},
		{"$['a','b'].c", "$['a','b']['c']", false},
		{"$.a[0,2]", "$['a'][0,2]", false},
		{"$.a[*]", "$['a'][*]", false},
		{"$.a.*", "$['a'][*]", false},
		{"$.a[1:3]", "$['a'][1:3]", false},
		{"$.a[:3]", "$['a'][:3]", false},
		{"$.a[-2:]", "$['a'][-2:]", false},
		{"$..a", "$..['a']", false},
		{"$..*", "$..[*]", false},
		{"$..[0]", "$..[0]", false},
		{"$$.Execution.Input", "$$['Execution']['Input']", true},
		{"$v.a[1]", "$v['a'][1]", true},
		{"$.a[?(@.b == 'x')]", "$['a'][?(@['b'] == 'x')]", false},
		{"$.a[?(@.b && !@.c || $.d > 1.5)]", "$['a'][?((@['b'] && !@['c']) || $['d'] > 1.5)]", false},
		{"$.a[?(@.b =~ /x\\/y/i)]", "$['a'][?(@['b'] =~ /x\\/y/i)]", false},
		{"$.a[?(@.b in [1,'x',null,true])]", "$['a'][?(@['b'] in [1,'x',null,true])]", false},
		{"$.a[?(@.b == 'it\\'s')]", "$['a'][?(@['b'] == 'it\\'s')]", false},
		{`$["it's"]`, `$["it's"]`, true},
		{`$['a\'b']`, `$['a\'b']`, true},
	} {
		p, err := Compile(c.src)
		if err != nil {
			t.Errorf("Compile(%q): %v", c.src, err)
			continue
		}
		if p.String() != c.src {
			t.Errorf("String() = %q, want the source %q", p.String(), c.src)
		}
		if got := p.Normalized(); got != c.norm {
			t.Errorf("%s: Normalized() = %q, want %q", c.src, got, c.norm)
		}
		if p.IsDefinite() != c.definite {
			t.Errorf("%s: IsDefinite() = %v, want %v", c.src, p.IsDefinite(), c.definite)
		}
		q, err := Compile(p.Normalized())
		if err != nil {
			t.Errorf("%s: normalized form %q does not compile: %v", c.src, p.Normalized(), err)
			continue
		}
		if q.Normalized() != p.Normalized() || q.IsDefinite() != p.IsDefinite() {
			t.Errorf("%s: round trip changed the path: %q", c.src, q.Normalized())
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, c := range []struct {
		src    string
		offset int
		msg    string // a part of the message
	}{
		{"", 0, "empty"},
		{"a.b", 0, "must start with '$'"},
		{"$.", 1, "must not end with '.'"},
		{"$..", 1, "must not end with '.' or '..'"},
		{"$...a", 3, "unexpected '.'"},
		{"$.a b", 3, "blank"},
		{"$a b", 2, "expected '.' or '['"},
		{"$.a[", 3, "unclosed '['"},
		{"$.a[0", 3, "unclosed '['"},
		{"$.a['b", 4, "unclosed quote"},
		{"$.a['b'", 7, "expected ',' or ']'"},
		{"$.a[b]", 4, "expected a quoted name"},
		{"$.a[1:2:3]", 4, "no step"},
		{"$.a[:]", 4, "give a start, an end or both"},
		{"$.a[1.5]", 5, "expected a digit"},
		{"$.a[x]", 4, "expected a quoted name, an index"},
		{"$.a[?@.b]", 5, "expected '('"},
		{"$.a[?(@.b ==)]", 12, "expected a path, a literal"},
		{"$.a[?(@.b == 1]", 14, "expected ')'"},
		{"$.a[?(@.b == 1)", 15, "expected ']'"},
		{"$.a[?(1)]", 7, "expected an operator"},
		{"$.a[?(@.b =~ /x/q)]", 16, "unsupported regular expression flag 'q'"},
		{"$.a[?(@.b =~ /(?<=x)/)]", 14, "bad regular expression"},
		{"$.a[?(@.b == 'x)]", 13, "unclosed string"},
		{"$.a[?($$.b == 1)]", 6, "only '@' and '$'"},
		{"$.a[?(@.b == [1,)]", 16, "expected a path, a literal"},
		{"$[0]x", 4, "expected '.' or '['"},
		{"$[99999999999]", 2, "bad array index"},
	} {
		_, err := Compile(c.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Compile(%q) = %v, want a *SyntaxError", c.src, err)
			continue
		}
		if se.Offset != c.offset || !strings.Contains(se.Msg, c.msg) {
			t.Errorf("Compile(%q):\n got offset %d %q\nwant offset %d, message with %q", c.src, se.Offset, se.Msg, c.offset, c.msg)
		}
		if !strings.Contains(err.Error(), c.src) {
			t.Errorf("error %q does not quote the path", err)
		}
	}
}

func TestFunctionCompileErrors(t *testing.T) {
	for _, src := range []string{"$.a.nope()", "$.a.length().b", "$.a.length(1)", "$.a.length()x"} {
		if _, err := CompileWith(src, Options{Functions: true}); err == nil {
			t.Errorf("CompileWith(%q) accepted", src)
		}
	}
}

func TestSyntaxErrorSnippet(t *testing.T) {
	_, err := Compile("$.a b")
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatal(err)
	}
	if got, want := se.Snippet(), "$.a b\n   ^"; got != want {
		t.Errorf("Snippet() = %q, want %q", got, want)
	}
}
