package jsonpath

import (
	"errors"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

type evalCase struct {
	path string
	doc  string
	want string // JSON of the result, when err is empty
	err  string // the error's text, exactly
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.path+" on "+c.doc, func(t *testing.T) {
			p, err := Compile(c.path)
			if err != nil {
				t.Fatalf("Compile(%q): %v", c.path, err)
			}
			got, err := p.Eval(&Env{Input: value.MustParse(c.doc)})
			if c.err != "" {
				if err == nil {
					t.Fatalf("got %s, want error %q", value.String(got), c.err)
				}
				if err.Error() != c.err {
					t.Fatalf("error:\n got %q\nwant %q", err.Error(), c.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if g, w := value.String(got), value.String(value.MustParse(c.want)); g != w {
				t.Fatalf("\n got %s\nwant %s", g, w)
			}
		})
	}
}

func TestEvalDefinite(t *testing.T) {
	runEvalCases(t, []evalCase{
		{path: "$", doc: `{"a":1}`, want: `{"a":1}`},
		{path: "$", doc: `"s"`, want: `"s"`},
		{path: "$.a", doc: `{"a":1}`, want: `1`},
		{path: "$.a.b.c", doc: `{"a":{"b":{"c":[1,2]}}}`, want: `[1,2]`},
		{path: "$['a']", doc: `{"a":1}`, want: `1`},
		{path: `$["a"]`, doc: `{"a":1}`, want: `1`},
		{path: "$['a b']['c.d']", doc: `{"a b":{"c.d":2}}`, want: `2`},
		{path: "$.a-b.c_d", doc: `{"a-b":{"c_d":3}}`, want: `3`},
		{path: "$.a", doc: `{"a":null}`, want: `null`},
		{path: "$.a.b", doc: `{"a":{"b":false}}`, want: `false`},
		{path: "  $.a  ", doc: `{"a":1}`, want: `1`},
		{path: "$.['a']", doc: `{"a":1}`, want: `1`},
		{path: "$.a[0]", doc: `{"a":[7,8]}`, want: `7`},
		{path: "$.a[-1]", doc: `{"a":[7,8]}`, want: `8`},
		{path: "$[1]", doc: `[7,8]`, want: `8`},
		{path: "$.a[0][1]", doc: `{"a":[[1,2]]}`, want: `2`},
		{path: "$.a[0].b", doc: `{"a":[{"b":"x"}]}`, want: `"x"`},
		{path: "$.a[ 1 ]", doc: `{"a":[7,8]}`, want: `8`},
		// Jackson hands Jayway null for an index past either end.
		{path: "$.a[5]", doc: `{"a":[7,8]}`, want: `null`},
		{path: "$.a[-3]", doc: `{"a":[7,8]}`, want: `null`},
		// A union of names at the end merges into one object; absent names are skipped.
		{path: "$['a','c']", doc: `{"a":1,"b":2,"c":3}`, want: `{"a":1,"c":3}`},
		{path: "$['c', 'a', 'x']", doc: `{"a":1,"b":2,"c":3}`, want: `{"c":3,"a":1}`},
		// Keys keep backslashes: AWS matches $['a\"b'] against the key a\"b.
		{path: `$['a\"b']`, doc: `{"a\\\"b":1}`, want: `1`},
		{path: `$['it\'s']`, doc: `{"it\\'s":1}`, want: `1`},
		{path: `$.a.length()`, doc: `{"a":{"length()":4}}`, want: `4`},
	})
}

func TestEvalDefiniteMisses(t *testing.T) {
	const provider = "This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider'."
	runEvalCases(t, []evalCase{
		{path: "$.x", doc: `{"a":1}`, err: "No results for path: $['x']"},
		{path: "$.NoSuchInputPath", doc: `{}`, err: "No results for path: $['NoSuchInputPath']"},
		{path: "$.a.x", doc: `{"a":{}}`, err: "No results for path: $['a']['x']"},
		{path: "$.x.y", doc: `{"a":1}`, err: "Missing property in path $['x']"},
		{path: "$.a.x.y", doc: `{"a":{}}`, err: "Missing property in path $['a']['x']"},
		{path: "$.a[0].x", doc: `{"a":[{}]}`, err: "No results for path: $['a'][0]['x']"},
		{path: "$.a.b", doc: `{"a":5}`, err: "Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.Integer'. " + provider},
		{path: "$.a.b", doc: `{"a":5000000000}`, err: "Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.Long'. " + provider},
		{path: "$.a.b", doc: `{"a":1.5}`, err: "Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.Double'. " + provider},
		{path: "$.a.b", doc: `{"a":"s"}`, err: "Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.String'. " + provider},
		{path: "$.a.b", doc: `{"a":true}`, err: "Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.Boolean'. " + provider},
		{path: "$.a.b", doc: `{"a":null}`, err: "Expected to find an object with property ['b'] in path $['a'] but found 'null'. " + provider},
		{path: "$.a.b", doc: `{"a":[]}`, err: "Expected to find an object with property ['b'] in path $['a'] but found 'com.fasterxml.jackson.databind.node.ArrayNode'. " + provider},
		{path: "$.a", doc: `[1]`, err: "Expected to find an object with property ['a'] in path $ but found 'com.fasterxml.jackson.databind.node.ArrayNode'. " + provider},
		{path: "$['a','b']", doc: `"s"`, err: "Expected to find an object with property ['a','b'] in path $ but found 'java.lang.String'. " + provider},
		{path: "$.a[0]", doc: `{"a":{"b":1}}`, err: `Filter: [0] can only be applied to arrays. Current context is: {"b":1}`},
		{path: "$.a[0].c", doc: `{"a":"str"}`, err: `Filter: [0]['c'] can only be applied to arrays. Current context is: str`},
		{path: "$.a[0]", doc: `{"a":null}`, err: "The path $['a'] is null"},
		{path: "$.a[5].b", doc: `{"a":[1]}`, err: "Expected to find an object with property ['b'] in path $['a'][5] but found 'null'. " + provider},
		// Jayway raises this one for indefinite paths too.
		{path: "$['a','b'].c", doc: `{"a":{},"b":{}}`, err: "Multi properties can only be used as path leafs: $['a', 'b']"},
		{path: "$[*]['a','b'].c", doc: `[{"a":1}]`, err: "Multi properties can only be used as path leafs: $[0]['a', 'b']"},
		{path: "$.a[?(@.x)]", doc: `{"a":5}`, err: "Filter: [?(@['x'])] can not be applied to primitives. Current context is: 5"},
	})
}

func TestEvalIndefinite(t *testing.T) {
	runEvalCases(t, []evalCase{
		// Misses give an empty array, wherever they happen.
		{path: "$.items[*]", doc: `{}`, want: `[]`},
		{path: "$.items[1:]", doc: `{}`, want: `[]`},
		{path: "$.items[:1]", doc: `{}`, want: `[]`},
		{path: "$.item.items[1:5]", doc: `{}`, want: `[]`},
		{path: "$.items[1:].itemValue", doc: `{}`, want: `[]`},
		{path: "$.a[1:]", doc: `{"a":5}`, want: `[]`},
		{path: "$.a[*]", doc: `{"a":5}`, want: `[]`},
		{path: "$.a[*].b", doc: `{"a":[{"b":1},{},{"b":3},5]}`, want: `[1,3]`},
		{path: "$.a[*].b.c", doc: `{"a":[{"b":1},{"b":{"c":2}}]}`, want: `[2]`},
		{path: "$.*", doc: `{"a":1,"b":[2],"c":{"d":3}}`, want: `[1,[2],{"d":3}]`},
		{path: "$[*]", doc: `[3,2,1]`, want: `[3,2,1]`},
		{path: "$.*", doc: `7`, want: `[]`},
		{path: "$[0,2]", doc: `[3,2,1]`, want: `[3,1]`},
		{path: "$[0,5]", doc: `[3,2,1]`, want: `[3,null]`},
		{path: "$[1:3]", doc: `[0,1,2,3,4]`, want: `[1,2]`},
		{path: "$[:2]", doc: `[0,1,2,3,4]`, want: `[0,1]`},
		{path: "$[-2:]", doc: `[0,1,2,3,4]`, want: `[3,4]`},
		{path: "$[1:]", doc: `[0,1,2,3,4]`, want: `[1,2,3,4]`},
		{path: "$[:-1]", doc: `[0,1,2,3,4]`, want: `[0,1,2,3]`},
		{path: "$[-9:]", doc: `[0,1]`, want: `[0,1]`},
		{path: "$[:9]", doc: `[0,1]`, want: `[0,1]`},
		{path: "$[5:]", doc: `[0,1]`, want: `[]`},
		{path: "$[1:1]", doc: `[0,1]`, want: `[]`},
		{path: "$[3:1]", doc: `[0,1,2,3]`, want: `[]`},
		{path: "$[1:]", doc: `[]`, want: `[]`},
		// Jayway's [from:to] leaves negative bounds alone and reads through them.
		{path: "$[-2:-1]", doc: `[0,1,2,3,4]`, want: `[3]`},
		{path: "$[-1:2]", doc: `[0,1,2,3,4]`, want: `[4,0,1]`},
		{path: "$[1:-1]", doc: `[0,1,2,3,4]`, want: `[]`},
		{path: "$..a", doc: `{"a":1,"b":{"a":2,"c":[{"a":3}]},"d":{"a":{"a":4}}}`, want: `[1,2,3,{"a":4},4]`},
		{path: "$..a.b", doc: `{"a":{"b":1},"c":{"a":5}}`, want: `[1]`},
		{path: "$..[0]", doc: `{"a":[1,[2,3]],"b":{"c":[4]}}`, want: `[1,2,4]`},
		{path: "$..*", doc: `{"a":[1,{"b":2}],"c":3}`, want: `[[1,{"b":2}],3,1,{"b":2},2]`},
		{path: "$..['a','b']", doc: `{"a":1,"b":2,"c":{"a":3,"b":4},"d":{"a":5}}`, want: `[{"a":1,"b":2},{"a":3,"b":4}]`},
		{path: "$..x", doc: `{"a":1}`, want: `[]`},
		{path: "$.a..b", doc: `{"b":0,"a":{"b":1}}`, want: `[1]`},
		{path: "$[*]['a','b']", doc: `[{"a":1,"b":2,"c":3},{"b":4},5]`, want: `[{"a":1,"b":2},{"b":4}]`},
	})
}

func TestEvalFilters(t *testing.T) {
	const items = `{"limit":2,"items":[{"n":1,"s":"a","t":["x","y"]},{"n":2,"s":"bc","t":[]},{"n":3.5,"s":"Abc","z":null},{"s":"1"},"str",7]}`
	runEvalCases(t, []evalCase{
		{path: "$.items[?(@.n < 2)].n", doc: items, want: `[1]`},
		{path: "$.items[?(@.n <= 2)].n", doc: items, want: `[1,2]`},
		{path: "$.items[?(@.n > 2)].n", doc: items, want: `[3.5]`},
		{path: "$.items[?(@.n >= 2)].n", doc: items, want: `[2,3.5]`},
		{path: "$.items[?(@.n == 2.0)].n", doc: items, want: `[2]`},
		{path: "$.items[?(@.n == 3.5)].n", doc: items, want: `[3.5]`},
		// A missing operand is unequal to everything, so != keeps it.
		{path: "$.items[?(@.n != 1)].s", doc: items, want: `["bc","Abc","1"]`},
		{path: "$.items[?(@.n)].s", doc: items, want: `["a","bc","Abc"]`},
		{path: "$.items[?(@.z)].s", doc: items, want: `["Abc"]`},
		{path: "$.items[?(!@.n)].s", doc: items, want: `["1"]`},
		{path: "$.items[?(@.z == null)].s", doc: items, want: `["Abc"]`},
		{path: "$.items[?(@.s == 'bc')].n", doc: items, want: `[2]`},
		{path: `$.items[?(@.s == "bc")].n`, doc: items, want: `[2]`},
		{path: "$.items[?(@.s > 'a')].s", doc: items, want: `["bc"]`},
		{path: "$.items[?(@.s < 'B')].s", doc: items, want: `["Abc","1"]`},
		// Jayway compares a string and a number through the left operand's type.
		{path: "$.items[?(@.s == 1)].s", doc: items, want: `["1"]`},
		{path: "$.items[?(@.n == '2')].n", doc: items, want: `[2]`},
		{path: "$.items[?(@.n < '3')].n", doc: items, want: `[]`},
		{path: "$.items[?(@.n > 1 && @.n < 3)].n", doc: items, want: `[2]`},
		{path: "$.items[?(@.n == 1 || @.s == 'Abc')].s", doc: items, want: `["a","Abc"]`},
		{path: "$.items[?(!(@.n == 1 || @.s == 'Abc') && @.n)].s", doc: items, want: `["bc"]`},
		{path: "$.items[?(@.n == 1 || @.n == 2 && @.s == 'x')].s", doc: items, want: `["a"]`},
		{path: "$.items[?(@.s =~ /a.*/)].s", doc: items, want: `["a"]`},
		{path: "$.items[?(@.s =~ /A.*/i)].s", doc: items, want: `["a","Abc"]`},
		{path: "$.items[?(@.s =~ /b/)].s", doc: items, want: `[]`},
		{path: `$.items[?(@.s =~ /a\/b|bc/)].s`, doc: items, want: `["bc"]`},
		{path: "$.items[?(@.n =~ /3.*/)].n", doc: items, want: `[3.5]`},
		{path: "$.items[?(@.s in ['a','1'])].s", doc: items, want: `["a","1"]`},
		{path: "$.items[?(@.s IN ['a'])].s", doc: items, want: `["a"]`},
		{path: "$.items[?(@.n nin [1,2])].s", doc: items, want: `["Abc","1"]`},
		{path: "$.items[?(@.t subsetof ['x','y','z'])].s", doc: items, want: `["a","bc"]`},
		{path: "$.items[?(@.t anyof ['y'])].s", doc: items, want: `["a"]`},
		{path: "$.items[?(@.t noneof ['y'])].s", doc: items, want: `["bc"]`},
		{path: "$.items[?(@.t contains 'x')].s", doc: items, want: `["a"]`},
		{path: "$.items[?(@.s contains 'b')].s", doc: items, want: `["bc","Abc"]`},
		{path: "$.items[?(@.t size 2)].s", doc: items, want: `["a"]`},
		{path: "$.items[?(@.s size 3)].s", doc: items, want: `["Abc"]`},
		{path: "$.items[?(@.t empty true)].s", doc: items, want: `["bc"]`},
		{path: "$.items[?(@.t empty false)].s", doc: items, want: `["a"]`},
		{path: "$.items[?(@.n == $.limit)].s", doc: items, want: `["bc"]`},
		{path: "$.items[?(@.n < $['limit'])].s", doc: items, want: `["a"]`},
		{path: "$.items[?(@ == 7)]", doc: items, want: `[7]`},
		{path: "$.items[?(@ == 'str')]", doc: items, want: `["str"]`},
		{path: "$.items[?(@.t == ['x','y'])].s", doc: items, want: `["a"]`},
		{path: `$.items[?(@.t == ["x","y"])].s`, doc: items, want: `["a"]`},
		{path: "$.items[?(@.t.length() == 2)].s", doc: items, want: `["a"]`},
		{path: "$.items[?(@.s.length() > 1)].s", doc: items, want: `["bc","Abc"]`},
		{path: "$.items[?(@.n in $.nope)].s", doc: items, want: `[]`},
		// On an object a filter tests the object itself.
		{path: "$[?(@.limit == 2)].limit", doc: items, want: `[2]`},
		{path: "$[?(@.limit == 3)]", doc: items, want: `[]`},
		{path: "$..[?(@.n > 1)].s", doc: items, want: `["bc","Abc"]`},
		{path: "$.items[?(@.t[*] contains 'y')].s", doc: items, want: `["a"]`},
	})
}

func TestRoots(t *testing.T) {
	ctx := value.MustParse(`{"Execution":{"Id":"arn:x","Input":{"k":1}},"Map":{"Item":{"Index":2}}}`)
	vars := map[string]value.Value{"v": value.MustParse(`{"a":{"b":[1,2]}}`), "n": int64(3)}
	env := &Env{
		Input:   value.MustParse(`{"in":true}`),
		Context: ctx,
		Vars:    VarMap(vars),
	}
	for _, c := range []struct {
		path, want string
		root       Root
		variable   string
	}{
		{"$.in", `true`, RootInput, ""},
		{"$$", value.String(ctx), RootContext, ""},
		{"$$.Execution.Id", `"arn:x"`, RootContext, ""},
		{"$$.Map.Item.Index", `2`, RootContext, ""},
		{"$$['Execution']['Input'].k", `1`, RootContext, ""},
		{"$v", `{"a":{"b":[1,2]}}`, RootVariable, "v"},
		{"$v.a.b[1]", `2`, RootVariable, "v"},
		{"$v.a.b[*]", `[1,2]`, RootVariable, "v"},
		{"$n", `3`, RootVariable, "n"},
	} {
		p, err := Compile(c.path)
		if err != nil {
			t.Fatalf("Compile(%q): %v", c.path, err)
		}
		if p.Root() != c.root || p.Variable() != c.variable {
			t.Errorf("%s: root %v %q, want %v %q", c.path, p.Root(), p.Variable(), c.root, c.variable)
		}
		got, err := p.Eval(env)
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		if value.String(got) != c.want {
			t.Errorf("%s: got %s, want %s", c.path, value.String(got), c.want)
		}
	}

	_, err := MustCompile("$$.Execution.Nope").Eval(env)
	if err == nil || err.Error() != "No results for path: $['Execution']['Nope']" {
		t.Errorf("context miss: %v", err)
	}
	for _, e := range []*Env{env, {}, nil} {
		_, err = MustCompile("$missing.a").Eval(e)
		var uv *UnknownVariableError
		if !errors.As(err, &uv) || uv.Name != "missing" {
			t.Errorf("unknown variable: got %v", err)
		}
	}
}

func TestFunctionsOption(t *testing.T) {
	doc := value.MustParse(`{"a":[1,2,3.5,"x"],"o":{"k":1,"j":2},"s":"héllo"}`)
	for _, c := range []struct{ path, want, err string }{
		{"$.a.length()", `4`, ""},
		{"$.a.size()", `4`, ""},
		{"$.o.length()", `2`, ""},
		{"$.s.length()", `5`, ""},
		{"$.a.sum()", `6.5`, ""},
		{"$.a.min()", `1.0`, ""},
		{"$.a.max()", `3.5`, ""},
		{"$.a.avg()", `2.1666666666666665`, ""},
		{"$.a.first()", `1`, ""},
		{"$.a.last()", `"x"`, ""},
		{"$.o.keys()", `["k","j"]`, ""},
		{"$.a[*].length()", `4`, ""},
		{"$.o.sum()", ``, "Function sum() can only be applied to an array"},
		{"$.s.keys()", ``, "Function keys() can only be applied to an object"},
	} {
		p, err := CompileWith(c.path, Options{Functions: true})
		if err != nil {
			t.Fatalf("CompileWith(%q): %v", c.path, err)
		}
		got, err := p.Eval(&Env{Input: doc})
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%s: got %v, want error %q", c.path, err, c.err)
			}
			continue
		}
		if err != nil || value.String(got) != c.want {
			t.Errorf("%s: got %s, %v; want %s", c.path, value.String(got), err, c.want)
		}
	}
	// Without the option a function is a property, as in Step Functions.
	_, err := MustCompile("$.a.length()").Eval(&Env{Input: doc})
	if err == nil {
		t.Fatal("$.a.length() evaluated without Options.Functions")
	}
}
