package jsonpath

import (
	"errors"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

func TestReferenceSet(t *testing.T) {
	for _, c := range []struct {
		ref, doc, v, want, err string
	}{
		{ref: "$", doc: `{"a":1}`, v: `"r"`, want: `"r"`},
		{ref: "$.r", doc: `{"a":1}`, v: `{"x":1}`, want: `{"a":1,"r":{"x":1}}`},
		{ref: "$.a", doc: `{"a":1,"b":2}`, v: `9`, want: `{"a":9,"b":2}`},
		{ref: "$['a b']", doc: `{}`, v: `1`, want: `{"a b":1}`},
		{ref: "$.x.y.z", doc: `{"a":1}`, v: `true`, want: `{"a":1,"x":{"y":{"z":true}}}`},
		{ref: "$.a.b", doc: `{"a":{"c":1}}`, v: `2`, want: `{"a":{"c":1,"b":2}}`},
		{ref: "$.a[1]", doc: `{"a":[1,2,3]}`, v: `"x"`, want: `{"a":[1,"x",3]}`},
		{ref: "$.a[-1]", doc: `{"a":[1,2,3]}`, v: `"x"`, want: `{"a":[1,2,"x"]}`},
		{ref: "$[1].payload", doc: `[{"a":1},{"id":7},4]`, v: `{"s":1}`, want: `[{"a":1},{"id":7,"payload":{"s":1}},4]`},
		{ref: "$.a[0].b.c", doc: `{"a":[{}]}`, v: `1`, want: `{"a":[{"b":{"c":1}}]}`},
		{ref: "$.a", doc: `{"a":{"deep":[1]}}`, v: `null`, want: `{"a":null}`},
		{ref: "$.no[0]", doc: `{}`, err: "Missing property in path $['no']"},
		{ref: "$.a.no[0]", doc: `{"a":{}}`, err: "Missing property in path $['a']['no']"},
		{ref: "$.a[3]", doc: `{"a":[1]}`, err: "Index 3 is out of bounds for the array of length 1 in path $['a'][3]"},
		{ref: "$.a.b", doc: `{"a":5}`, err: "Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.Integer'."},
		{ref: "$.a", doc: `"s"`, err: "Expected to find an object with property ['a'] in path $ but found 'java.lang.String'."},
		{ref: "$.a", doc: `null`, err: "Expected to find an object with property ['a'] in path $ but found 'null'."},
		{ref: "$.a[0]", doc: `{"a":{"b":1}}`, err: `Filter: [0] can only be applied to arrays. Current context is: {"b":1}`},
		{ref: "$[0]", doc: `{}`, err: `Filter: [0] can only be applied to arrays. Current context is: {}`},
	} {
		r, err := CompileReference(c.ref)
		if err != nil {
			t.Fatalf("CompileReference(%q): %v", c.ref, err)
		}
		doc := value.MustParse(c.doc)
		before := value.String(doc)
		v := c.v
		if v == "" {
			v = `1`
		}
		got, err := r.Set(doc, value.MustParse(v))
		if value.String(doc) != before {
			t.Errorf("%s: Set changed its input to %s", c.ref, value.String(doc))
		}
		if c.err != "" {
			var nf *NotFoundError
			if !errors.As(err, &nf) || !strings.HasPrefix(nf.Msg, c.err) {
				t.Errorf("%s on %s: got %v, %v; want *NotFoundError %q", c.ref, c.doc, value.String(got), err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s on %s: %v", c.ref, c.doc, err)
			continue
		}
		if g, w := value.String(got), value.String(value.MustParse(c.want)); g != w {
			t.Errorf("%s on %s:\n got %s\nwant %s", c.ref, c.doc, g, w)
		}
	}
}

// Set copies only the containers on the path; the rest is shared with the input.
func TestReferenceSetShares(t *testing.T) {
	doc := value.MustParse(`{"keep":{"big":[1,2,3]},"a":{"b":1}}`).(*value.Object)
	out, err := MustCompileReference("$.a.c").Set(doc, int64(2))
	if err != nil {
		t.Fatal(err)
	}
	keepIn, _ := doc.Get("keep")
	keepOut, _ := out.(*value.Object).Get("keep")
	if keepIn.(*value.Object) != keepOut.(*value.Object) {
		t.Error("an untouched member was copied")
	}
	if a, _ := doc.Get("a"); a.(*value.Object).Has("c") {
		t.Error("the input was modified")
	}
}

func TestCompileReferenceErrors(t *testing.T) {
	for _, c := range []struct {
		src    string
		offset int
		msg    string
	}{
		{"$$.a", 0, "cannot start with '$$'"},
		{"$v.a", 0, "cannot name a variable ($v)"},
		{"$.a[*]", 3, "a wildcard"},
		{"$.a.*", 3, "a wildcard"},
		{"$..a", 1, "a deep scan"},
		{"$.a[1:2]", 3, "a slice"},
		{"$.a[0,1]", 3, "a union of indexes"},
		{"$['a','b']", 1, "a union of names"},
		{"$.a[?(@.b)]", 3, "a filter"},
		{"$.a:b", 1, "the operators @ , : ? *"},
		{"$.a,b", 1, "the operators @ , : ? *"},
		{"$.@a", 1, "the operators @ , : ? *"},
		{"a.b", 0, "must start with '$'"},
		{"$.a.", 3, "must not end"},
	} {
		_, err := CompileReference(c.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("CompileReference(%q) = %v, want a *SyntaxError", c.src, err)
			continue
		}
		if se.Offset != c.offset || !strings.Contains(se.Msg, c.msg) {
			t.Errorf("CompileReference(%q):\n got offset %d %q\nwant offset %d, message with %q", c.src, se.Offset, se.Msg, c.offset, c.msg)
		}
	}
	for _, ok := range []string{"$", "$.a", "$['a:b']", "$.a[0].b", "$[0]", " $.a "} {
		r, err := CompileReference(ok)
		if err != nil {
			t.Errorf("CompileReference(%q): %v", ok, err)
			continue
		}
		if r.String() != ok {
			t.Errorf("String() = %q, want %q", r.String(), ok)
		}
	}
	if got := MustCompileReference("$.a[0]['b c']").Normalized(); got != "$['a'][0]['b c']" {
		t.Errorf("Normalized() = %q", got)
	}
	v, err := MustCompileReference("$.a[1]").Path().Eval(&Env{Input: value.MustParse(`{"a":[1,2]}`)})
	if err != nil || v != int64(2) {
		t.Errorf("Path().Eval = %v, %v", v, err)
	}
}
