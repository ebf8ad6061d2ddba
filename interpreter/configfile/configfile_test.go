package configfile

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

func TestPath(t *testing.T) {
	root := Root("test file")
	tests := []struct {
		p    Path
		want string
	}{
		{root, "$"},
		{root.Key("handlers").Index(2).Key("env"), "$.handlers[2].env"},
		{root.Key("My Machine").Key("_x9"), `$["My Machine"]._x9`},
		{root.Key("0-1"), `$["0-1"]`},
		{root.Key(""), `$[""]`},
		{root.Key("9a"), `$["9a"]`},
		{root.Key(`a"b`), `$["a\"b"]`},
		{root.Key("é"), `$["é"]`},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("path = %s, want %s", got, tt.want)
		}
	}
	err := root.Key("x").Errorf("is %d", 3)
	if err.Error() != "test file: $.x: is 3" || err.File != "test file" || err.Path != "$.x" || err.Msg != "is 3" {
		t.Errorf("Errorf = %#v (%q)", err, err.Error())
	}
}

func TestParse(t *testing.T) {
	if _, err := Parse("test file", []byte("{\n  \"a\": ,\n}")); err == nil ||
		!strings.HasPrefix(err.Error(), "test file: not valid JSON: line 2, column 8: ") {
		t.Errorf("syntax error = %v, want the file, the line and the column", err)
	}
	v, err := Parse("test file", []byte(`{"a":[1]}`))
	if err != nil || value.String(v) != `{"a":[1]}` {
		t.Errorf("Parse = %s, %v", value.String(v), err)
	}
}

func TestKindName(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`null`, "null"}, {`true`, "a boolean"}, {`1.5`, "a number"}, {`""`, "an empty string"},
		{`"x"`, "a string"}, {`[]`, "an empty array"}, {`[0]`, "an array"}, {`{}`, "an object"},
	} {
		if got := KindName(value.MustParse(tt.src)); got != tt.want {
			t.Errorf("KindName(%s) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestChecks(t *testing.T) {
	p := Root("f").Key("k")
	check := func(name string, err error, want string) {
		t.Helper()
		var ce *Error
		if !errors.As(err, &ce) || err.Error() != want {
			t.Errorf("%s: error = %v, want %q", name, err, want)
		}
	}
	_, err := Object(p, []any{}, "an object of things")
	check("Object", err, "f: $.k: must be an object of things, not an empty array")
	_, err = Array(p, "x", "a list")
	check("Array", err, "f: $.k: must be a list, not a string")
	if l, err := Array(p, []any{}, "a list"); err != nil || len(l) != 0 {
		t.Errorf("Array([]) = %v, %v; an empty array is an array", l, err)
	}
	_, err = NonEmptyArray(p, []any{}, "a non-empty list")
	check("NonEmptyArray", err, "f: $.k: must be a non-empty list, not an empty array")
	_, err = String(p, int64(1), "a name")
	check("String", err, "f: $.k: must be a name, not a number")
	if s, err := String(p, "", "a name"); err != nil || s != "" {
		t.Errorf(`String("") = %q, %v`, s, err)
	}
	_, err = NonEmptyString(p, "", "a folder")
	check("NonEmptyString", err, "f: $.k: must be a folder, not an empty string")
	_, err = Bool(p, nil)
	check("Bool", err, "f: $.k: must be true or false, not null")
	for _, bad := range []value.Value{int64(0), 1.5, "3", int64(11)} {
		_, err = Int(p, bad, "a count", 1, 10)
		check("Int", err, "f: $.k: must be a count from 1 to 10, not "+value.String(bad))
	}
	if n, err := Int(p, 10.0, "a count", 1, 10); err != nil || n != 10 {
		t.Errorf("Int(10.0) = %d, %v", n, err)
	}
	obj := value.ObjectOf("a", int64(1))
	_, err = Required(p, obj, "b")
	check("Required", err, `f: $.k: "b" is missing`)
	if v, err := Required(p, obj, "a"); err != nil || v != int64(1) {
		t.Errorf("Required(a) = %v, %v", v, err)
	}
}

func TestOnlyKeys(t *testing.T) {
	p := Root("f")
	allowed := []string{"Return", "Throw", "WaitForCallback", "timeoutSeconds"}
	tests := []struct{ key, want string }{
		{"Returns", `f: $.Returns: unknown field (did you mean "Return"?)`},         // plural
		{"return", `f: $.return: unknown field (did you mean "Return"?)`},           // case
		{"Reutrn", `f: $.Reutrn: unknown field (did you mean "Return"?)`},           // swapped letters
		{"Thro", `f: $.Thro: unknown field (did you mean "Throw"?)`},                // one missing
		{"timeout", `f: $.timeout: unknown field (did you mean "timeoutSeconds"?)`}, // a prefix
		{"Wait", `f: $.Wait: unknown field (did you mean "WaitForCallback"?)`},
		{"Foo", `f: $.Foo: unknown field; the fields here`}, // nothing near
		{"Ret", `f: $.Ret: unknown field; the fields here`}, // too short to be a prefix hint
		{"My Key", `f: $["My Key"]: unknown field; the fields`},
	}
	for _, tt := range tests {
		err := OnlyKeys(p, value.ObjectOf("Return", int64(1), tt.key, int64(2)), allowed...)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("key %q: error = %v\nwant it to start %q", tt.key, err, tt.want)
		}
		if err != nil && !strings.HasSuffix(err.Error(), "; the fields here are Return, Throw, WaitForCallback, timeoutSeconds") {
			t.Errorf("key %q: error = %v; want the fields listed in the order given", tt.key, err)
		}
	}
	if err := OnlyKeys(p, value.ObjectOf("Throw", 1, "Return", 2), allowed...); err != nil {
		t.Errorf("known keys rejected: %v", err)
	}
	// The nearest wins over the first listed.
	if err := OnlyKeys(p, value.ObjectOf("Envs", 1), "Enum", "Env"); err == nil || !strings.Contains(err.Error(), `did you mean "Env"?`) {
		t.Errorf("nearest: %v", err)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"abc", "abd", 1}, {"abc", "ab", 1}, {"ab", "ba", 2},
		{"kitten", "sitting", 3}, {"a", "abcdef", 5}, {"éa", "ea", 1},
	} {
		if got := editDistance(tt.a, tt.b, 2); got != min(tt.want, 3) {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, min(tt.want, 3))
		}
		if got := editDistance(tt.a, tt.b, 10); got != tt.want {
			t.Errorf("editDistance(%q, %q, 10) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// FuzzOnlyKeys checks that an unknown key always gets an error at its own path that
// names every allowed field, and that a hint, when given, is one of them.
func FuzzOnlyKeys(f *testing.F) {
	f.Add("Returns", "Return", "Throw")
	f.Add("", "a", "")
	f.Add("timeout", "timeoutSeconds", "env")
	f.Add("\xff\xfe", "\xff", "x")
	f.Fuzz(func(t *testing.T, key, a, b string) {
		obj := value.ObjectOf(key, nil)
		err := OnlyKeys(Root("f"), obj, a, b)
		if key == a || key == b {
			if err != nil {
				t.Fatalf("known key %q rejected: %v", key, err)
			}
			return
		}
		var ce *Error
		if !errors.As(err, &ce) {
			t.Fatalf("unknown key %q: error %v", key, err)
		}
		if ce.Path != Root("f").Key(key).String() {
			t.Fatalf("path %s for key %q", ce.Path, key)
		}
		if !strings.HasSuffix(ce.Msg, "the fields here are "+a+", "+b) {
			t.Fatalf("message %q does not list the fields", ce.Msg)
		}
		if s, ok := suggest(key, []string{a, b}); ok && s != a && s != b {
			t.Fatalf("suggested %q, not an allowed field", s)
		}
		if utf8.ValidString(key) && utf8.ValidString(a) {
			d := editDistance(key, a, 2)
			if d != editDistance(a, key, 2) {
				t.Fatalf("editDistance not symmetric for %q, %q", key, a)
			}
		}
	})
}
