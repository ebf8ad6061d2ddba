package template

import (
	"errors"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func TestEval(t *testing.T) {
	env := &jsonpath.Env{
		Input:   value.MustParse(`{"a":{"b":[1,2,3]},"name":"x"}`),
		Context: value.MustParse(`{"State":{"Name":"S"}}`),
		Vars:    jsonpath.VarMap{"v": int64(7)},
	}
	for _, tc := range []struct{ tmpl, want string }{
		{`{"k":"literal","n.$":"$.name"}`, `{"k":"literal","n":"x"}`},
		{`{"deep":{"list":[{"x.$":"$.a.b[1]"},"plain"]}}`, `{"deep":{"list":[{"x":2},"plain"]}}`},
		{`{"all.$":"$.a.b[*]","ctx.$":"$$.State.Name","var.$":"$v"}`, `{"all":[1,2,3],"ctx":"S","var":7}`},
		{`{"len.$":"States.ArrayLength($.a.b)"}`, `{"len":3}`},
		{`{"literal.$.not":"$.name"}`, `{"literal.$.not":"$.name"}`},
	} {
		tp, probs := Compile(value.MustParse(tc.tmpl))
		if probs != nil {
			t.Fatalf("Compile(%s): %v", tc.tmpl, probs)
		}
		got, err := tp.Eval(env)
		if err != nil {
			t.Fatalf("Eval(%s): %v", tc.tmpl, err)
		}
		if value.String(got) != tc.want {
			t.Errorf("Eval(%s) = %s, want %s", tc.tmpl, value.String(got), tc.want)
		}
	}
}

func TestStaticTemplatesAreShared(t *testing.T) {
	src := value.MustParse(`{"a":[1,{"b":true}]}`)
	tp, _ := Compile(src)
	if !tp.IsStatic() {
		t.Fatal("a template without .$ keys should be static")
	}
	got, _ := tp.Eval(&jsonpath.Env{})
	if got != src {
		t.Error("a static template should return its value as is, without copying")
	}
}

func TestCompileProblems(t *testing.T) {
	for _, tc := range []struct{ tmpl, path, msg string }{
		{`{"x.$":"nope"}`, "/x.$", "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call"},
		{`{"x.$":3}`, "/x.$", "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call"},
		{`{"in":{"y.$":"$.["}}`, "/in/y.$", "'y.$'"},
		{`{"x":1,"x.$":"$.a"}`, "/x.$", "duplicates"},
		{`{"f.$":"States.NoSuchFunction()"}`, "/f.$", "'f.$'"},
	} {
		_, probs := Compile(value.MustParse(tc.tmpl))
		if len(probs) == 0 {
			t.Errorf("Compile(%s) found no problem", tc.tmpl)
			continue
		}
		if probs[0].Path != tc.path || !strings.Contains(probs[0].Message, tc.msg) {
			t.Errorf("Compile(%s) = %+v, want %s: %s", tc.tmpl, probs[0], tc.path, tc.msg)
		}
	}
}

func TestMissingPathIsWordedAsAWS(t *testing.T) {
	tp, _ := Compile(value.MustParse(`{"value.$":"$.no_such"}`))
	_, err := tp.Eval(&jsonpath.Env{Input: value.MustParse(`{"a":1}`)})
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Name != failure.Runtime {
		t.Fatalf("error = %v, want States.Runtime", err)
	}
	want := `The JSONPath '$.no_such' specified for the field 'value.$' could not be found in the input '{"a":1}'`
	if fe.Cause != want {
		t.Errorf("cause = %s\nwant    %s", fe.Cause, want)
	}
	ep, _ := CompileExpr("CausePath", "$.c")
	_, err = ep.Eval(&jsonpath.Env{Input: value.MustParse(`{}`)})
	if err == nil || !strings.Contains(err.Error(), "specified for the field 'CausePath'") {
		t.Errorf("CompileExpr error = %v", err)
	}
}

func FuzzCompile(f *testing.F) {
	f.Add(`{"a.$":"$.x","b":[{"c.$":"States.Format('{}', $.y)"}]}`)
	f.Add(`{"a.$":"$$.Map.Item.Value"}`)
	f.Fuzz(func(t *testing.T, src string) {
		v, err := value.ParseString(src)
		if err != nil {
			return
		}
		tp, probs := Compile(v)
		if probs != nil {
			return
		}
		_, _ = tp.Eval(&jsonpath.Env{Input: v, Context: v})
	})
}

// A JSONata expression whose result is a function, or nothing, fails as AWS words it.
func TestJSONataResultsWithoutJSON(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{`{% $fn := function($x){$x} %}`, "returned an unsupported result type."},
		{`{% $nothing %}`, "returned nothing (undefined)."},
	} {
		tpl, probs := CompileJSONata(c.expr, "Items")
		if len(probs) > 0 {
			t.Fatalf("%s: %v", c.expr, probs)
		}
		_, err := tpl.EvalJSONata(&JSONataEnv{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.expr, err, c.want)
		}
	}
}
