package jsonpath

import (
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

func TestFilterLiterals(t *testing.T) {
	const doc = `{"a":[{"v":"it's"},{"v":"tab\there"},{"v":"é"},{"v":-1.5e2},{"v":1e3},{"v":-7},{"v":{"k":[1,"x"]}},{"v":"a\\b"},{"v":"\"q\""}]}`
	runEvalCases(t, []evalCase{
		{path: `$.a[?(@.v == 'it\'s')].v`, doc: doc, want: `["it's"]`},
		{path: `$.a[?(@.v == "it's")].v`, doc: doc, want: `["it's"]`},
		{path: `$.a[?(@.v == 'tab\there')].v`, doc: doc, want: `["tab\there"]`},
		{path: `$.a[?(@.v == '\u00e9')].v`, doc: doc, want: `["é"]`},
		{path: `$.a[?(@.v == 'a\\b')].v`, doc: doc, want: `["a\\b"]`},
		{path: `$.a[?(@.v == "\"q\"")].v`, doc: doc, want: `["\"q\""]`},
		{path: `$.a[?(@.v == -150)].v`, doc: doc, want: `[-150.0]`},
		{path: `$.a[?(@.v == 1000)].v`, doc: doc, want: `[1000.0]`},
		{path: `$.a[?(@.v < -1)].v`, doc: doc, want: `[-150.0,-7]`},
		{path: `$.a[?(@.v == {'k': [1, 'x']})].v`, doc: doc, want: `[{"k":[1,"x"]}]`},
		{path: `$.a[?(@.v == {})].v`, doc: doc, want: `[]`},
		{path: `$.a[?(@.v in [])].v`, doc: doc, want: `[]`},
		{path: `$.a[?(@.v =~ /it.s/)].v`, doc: doc, want: `["it's"]`},
		{path: `$.a[?(@.v =~ /TAB.HERE/is)].v`, doc: doc, want: `["tab\there"]`},
		{path: `$.a[?(/-7/ =~ @.v)].v`, doc: doc, want: `[-7]`},
		{path: `$.a[?(@.v =~ 'x')].v`, doc: doc, want: `[]`},
		// Jayway's deep scan quirk: an index matched on an array under .. hands every
		// element to the next step.
		{path: `$..[0].k`, doc: `[[{"k":1},{"k":2}]]`, want: `[1,2]`},
	})
	for _, bad := range []string{`$.a[?(@.v == '\u00zz')]`, `$.a[?(@.v == 'x\`, `$.a[?(@.v == {1:2})]`, `$.a[?(@.v == {'a' 1})]`, `$.a[?(@.v == {'a':1 2})]`, `$.a[?(@.v == -x)]`, `$.a[?(@.v == [1 2])]`, `$.a[?(@.v =~ /x)]`, `$.a[?(@.v == tru)]`} {
		if _, err := Compile(bad); err == nil {
			t.Errorf("Compile(%q) accepted", bad)
		}
	}
}

func TestErrorsAndDocuments(t *testing.T) {
	_, err := MustCompile("$nope").Eval(&Env{})
	if err == nil || !strings.Contains(err.Error(), "'$nope'") {
		t.Errorf("unknown variable error %v does not name the variable", err)
	}
	v, err := MustCompile("$$.a").EvalDocument(value.MustParse(`{"a":1}`))
	if err != nil || v != int64(1) {
		t.Errorf("EvalDocument = %v, %v", v, err)
	}
	if (&NotFoundError{Msg: "m"}).Error() != "m" || (&InvalidPathError{Msg: "i"}).Error() != "i" {
		t.Error("error texts are not the messages")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustCompile did not panic on a bad path")
		}
	}()
	MustCompile("nope")
}
