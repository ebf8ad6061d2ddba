package intrinsic

import (
	"errors"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

type evalCase struct {
	src   string
	input string // JSON; empty means null
	want  string // JSON of the result; empty when an error is expected
	err   string // error name
	cause string // a part of the cause
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		c, err := Parse(tc.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.src, err)
			continue
		}
		var in value.Value
		if tc.input != "" {
			in = value.MustParse(tc.input)
		}
		env := &jsonpath.Env{Input: in, Context: value.MustParse(`{"Execution":{"Name":"run-1"}}`),
			Vars: jsonpath.VarMap{"x": int64(7)}}
		got, err := c.Eval(env)
		if tc.err != "" {
			var fe *failure.Error
			if !errors.As(err, &fe) {
				t.Errorf("%s on %s: got %v, %v; want a %s failure", tc.src, tc.input, value.String(got), err, tc.err)
				continue
			}
			if fe.Name != tc.err || !strings.Contains(fe.Cause, tc.cause) {
				t.Errorf("%s on %s: got %s %q, want %s containing %q", tc.src, tc.input, fe.Name, fe.Cause, tc.err, tc.cause)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s on %s: %v", tc.src, tc.input, err)
			continue
		}
		if s := value.String(got); s != tc.want {
			t.Errorf("%s on %s = %s, want %s", tc.src, tc.input, s, tc.want)
		}
	}
}

const bad = failure.IntrinsicFailure

func TestFormat(t *testing.T) {
	runEvalCases(t, []evalCase{
		{src: "States.Format('plain')", want: `"plain"`},
		{src: "States.Format('a {} b', $.v)", input: `{"v":"x"}`, want: `"a x b"`},
		{src: "States.Format('{}{}', $.v, $.v)", input: `{"v":null}`, want: `"nullnull"`},
		{src: "States.Format('{}', $.v)", input: `{"v":1.1}`, want: `"1.1"`},
		{src: "States.Format('{}', $.v)", input: `{"v":1.0}`, want: `"1.0"`},
		{src: "States.Format('{}', $.v)", input: `{"v":1E20}`, want: `"1.0E20"`},
		{src: "States.Format('{}', $.v)", input: `{"v":-7}`, want: `"-7"`},
		{src: "States.Format('{}', $.v)", input: `{"v":true}`, want: `"true"`},
		{src: "States.Format('{}', $.v)", input: `{"v":{"Arg1":1,"Arg2":[]}}`, want: `"{Arg1=1, Arg2=[]}"`},
		{src: "States.Format('{}', $.v)", input: `{"v":[1,"a",{"k":null},[true]]}`, want: `"[1, a, {k=null}, [true]]"`},
		{src: "States.Format('{}', $.v)", input: `{"v":"{\"Arg1\": 1}"}`, want: `"{\"Arg1\": 1}"`},
		{src: `States.Format('\{\} {} \\ \'', 'x')`, want: `"{} x \\ '"`},
		{src: "States.Format('{} {', 1)", want: `"1 {"`},
		{src: "States.Format($.t, $.v)", input: `{"t":"Hi {}!","v":"Bo"}`, want: `"Hi Bo!"`},
		{src: "States.Format($.t, 1, 2)", input: `{"t":"{}-{}"}`, want: `"1-2"`},
		{src: "States.Format('{}', $$.Execution.Name)", want: `"run-1"`},
		{src: "States.Format('{}', $x)", want: `"7"`},
		{src: "States.Format('Format:{}', 101)", want: `"Format:101"`},
		{src: "States.Format('{}', States.Format('<{}>', 'in'))", want: `"<in>"`},
		{src: "States.Format('{} {}', 1)", err: bad, cause: "Invalid arguments in States.Format: the template has 2 placeholder(s) {} but 1 value(s) follow it"},
		{src: "States.Format('x', 1)", err: bad, cause: "has 0 placeholder(s) {} but 1 value(s)"},
		{src: `States.Format('\{\}', 1)`, err: bad, cause: "has 0 placeholder"},
		{src: "States.Format($.t)", input: `{"t":5}`, err: bad, cause: "the first argument must be a string, not number 5"},
	})
}

func TestJSONFunctions(t *testing.T) {
	runEvalCases(t, []evalCase{
		{src: "States.StringToJson($.s)", input: `{"s":""}`, want: `null`},
		{src: "States.StringToJson($.s)", input: `{"s":" "}`, want: `null`},
		{src: "States.StringToJson($.s)", input: `{"s":"-0"}`, want: `0`},
		{src: "States.StringToJson($.s)", input: `{"s":"1.1"}`, want: `1.1`},
		{src: "States.StringToJson($.s)", input: `{"s":" [1, \"a\"] "}`, want: `[1,"a"]`},
		{src: "States.StringToJson($.s)", input: `{"s":"{\"b\":1,\"a\":2}"}`, want: `{"b":1,"a":2}`},
		{src: "States.StringToJson('\"x\"')", want: `"x"`},
		{src: "States.StringToJson($.s)", input: `{"s":"{oops"}`, err: bad, cause: "Invalid arguments in States.StringToJson: the string is not valid JSON"},
		{src: "States.StringToJson($.s)", input: `{"s":"1 2"}`, err: bad, cause: "not valid JSON"},
		{src: "States.StringToJson($.s)", input: `{"s":{"a":1}}`, err: bad, cause: "must be a string, not object"},
		{src: "States.JsonToString($.v)", input: `{"v":null}`, want: `"null"`},
		{src: "States.JsonToString($.v)", input: `{"v":"HelloWorld"}`, want: `"\"HelloWorld\""`},
		{src: "States.JsonToString($.v)", input: `{"v":{"Arg1":1,"Arg2":[],"f":1.5}}`, want: `"{\"Arg1\":1,\"Arg2\":[],\"f\":1.5}"`},
		{src: "States.JsonToString($)", input: `[1, 2]`, want: `"[1,2]"`},
		{src: "States.JsonMerge($.a, $.b, false)", input: `{"a":{"a":{"x":1},"b":2,"d":3},"b":{"a":{"y":1},"c":3,"d":4}}`, want: `{"a":{"y":1},"b":2,"d":4,"c":3}`},
		{src: "States.JsonMerge($.a, $.a, false)", input: `{"a":{}}`, want: `{}`},
		{src: "States.JsonMerge($.a, $.b, true)", input: `{"a":{},"b":{}}`, err: bad, cause: "deep merging is not supported"},
		{src: "States.JsonMerge($.a, $.b, 'false')", input: `{"a":{},"b":{}}`, err: bad, cause: "the third argument must be a boolean"},
		{src: "States.JsonMerge($.a, $.b, false)", input: `{"a":[],"b":{}}`, err: bad, cause: "the first argument must be an object, not array []"},
		{src: "States.JsonMerge($.a, $.b, false)", input: `{"a":{},"b":1}`, err: bad, cause: "the second argument must be an object"},
	})
}

func TestArrayFunctions(t *testing.T) {
	runEvalCases(t, []evalCase{
		{src: "States.Array()", want: `[]`},
		{src: "States.Array(1, 'a', null, $.o, States.Array())", input: `{"o":{"k":[]}}`, want: `[1,"a",null,{"k":[]},[]]`},
		{src: "States.ArrayPartition($.a, 2)", input: `{"a":[1,2,3,4,5]}`, want: `[[1,2],[3,4],[5]]`},
		{src: "States.ArrayPartition($.a, 2.0)", input: `{"a":[1,2]}`, want: `[[1,2]]`},
		{src: "States.ArrayPartition($.a, 9)", input: `{"a":[]}`, want: `[]`},
		{src: "States.ArrayPartition($.a, 0)", input: `{"a":[1]}`, err: bad, cause: "the chunk size must be greater than 0, not 0"},
		{src: "States.ArrayPartition($.a, -1)", input: `{"a":[1]}`, err: bad, cause: "greater than 0"},
		{src: "States.ArrayPartition($.a, 1.5)", input: `{"a":[1]}`, err: bad, cause: "the second argument must be an integer, not number 1.5"},
		{src: "States.ArrayPartition($.a, 1)", input: `{"a":"x"}`, err: bad, cause: "the first argument must be an array, not string \"x\""},
		{src: "States.ArrayContains($.a, $.v)", input: `{"a":[[1,2],{"x":[1]}],"v":{"x":[1.0]}}`, want: `true`},
		{src: "States.ArrayContains($.a, null)", input: `{"a":[]}`, want: `false`},
		{src: "States.ArrayContains($.a, null)", input: `{"a":[1,null]}`, want: `true`},
		{src: "States.ArrayContains($.a, 'x')", input: `{"a":["y"]}`, want: `false`},
		{src: "States.ArrayRange(1, 9, 2)", want: `[1,3,5,7,9]`},
		{src: "States.ArrayRange(0, 10, 3)", want: `[0,3,6,9]`},
		{src: "States.ArrayRange(1, 9, 9)", want: `[1]`},
		{src: "States.ArrayRange(5, 1, -2)", want: `[5,3,1]`},
		{src: "States.ArrayRange(5, 1, 1)", want: `[]`},
		{src: "States.ArrayRange(0, 999, 1)", want: value.String(rangeJSON(1000))},
		{src: "States.ArrayRange(0, 1000, 1)", err: bad, cause: "more than 1000 items"},
		{src: "States.ArrayRange(-9223372036854775808, 9223372036854775807, 1)", err: bad, cause: "more than 1000 items"},
		{src: "States.ArrayRange(0, 3, 0)", err: bad, cause: "the step must not be 0"},
		{src: "States.ArrayRange(0, 3.5, 1)", err: bad, cause: "the second argument must be an integer"},
		{src: "States.ArrayGetItem($.a, 5)", input: `{"a":[1,2,3,4,5,6,7,8,9]}`, want: `6`},
		{src: "States.ArrayGetItem($.a, 3)", input: `{"a":[1,2,3]}`, err: bad, cause: "the index 3 is out of bounds for an array of 3 item(s)"},
		{src: "States.ArrayGetItem($.a, -1)", input: `{"a":[1,2,3]}`, err: bad, cause: "out of bounds"},
		{src: "States.ArrayGetItem($.a, '0')", input: `{"a":[1]}`, err: bad, cause: "must be an integer"},
		{src: "States.ArrayLength($.a)", input: `{"a":[1,[2,3]]}`, want: `2`},
		{src: "States.ArrayLength($.a)", input: `{"a":{}}`, err: bad, cause: "must be an array, not object {}"},
		{src: "States.ArrayUnique($.a)", input: `{"a":[1,2,1.0,"1",{"a":1,"b":2},{"b":2,"a":1},[1],[1.0],null,null,true]}`, want: `[1,2,"1",{"a":1,"b":2},[1],null,true]`},
		{src: "States.ArrayUnique($.a)", input: `{"a":[]}`, want: `[]`},
	})
}

func rangeJSON(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = int64(i)
	}
	return out
}

func TestEncodingFunctions(t *testing.T) {
	long := strings.Repeat("a", maxEncodeInput)
	runEvalCases(t, []evalCase{
		{src: "States.Base64Encode($.s)", input: `{"s":"Data to encode"}`, want: `"RGF0YSB0byBlbmNvZGU="`},
		{src: "States.Base64Encode($.s)", input: `{"s":""}`, want: `""`},
		{src: "States.Base64Encode($.s)", input: `{"s":"ü"}`, want: `"w7w="`},
		{src: "States.Base64Decode($.s)", input: `{"s":"RGF0YSB0byBlbmNvZGU="}`, want: `"Data to encode"`},
		{src: "States.Base64Decode($.s)", input: `{"s":"RGF0YSB0byBlbmNvZGU"}`, want: `"Data to encode"`},
		{src: "States.Base64Decode($.s)", input: `{"s":"/w=="}`, want: "\"\ufffd\""},
		{src: "States.Base64Decode($.s)", input: `{"s":"!!"}`, err: bad, cause: "not valid Base64"},
		{src: "States.Base64Encode($.s)", input: `{"s":"` + long + `"}`, want: `"` + strings.Repeat("YWFh", maxEncodeInput/3) + `YQ=="`},
		{src: "States.Base64Encode($.s)", input: `{"s":"` + long + `a"}`, err: bad, cause: "10001 characters long, more than the 10000 allowed"},
		{src: "States.Base64Decode($.s)", input: `{"s":"` + long + `aaaa"}`, err: bad, cause: "more than the 10000 allowed"},
		{src: "States.Base64Encode($.s)", input: `{"s":1}`, err: bad, cause: "must be a string"},
		{src: "States.Hash('input data', 'MD5')", want: `"812f45842bc6d66ee14572ce20db8e86"`},
		{src: "States.Hash('input data', 'SHA-1')", want: `"aaff4a450a104cd177d28d18d74485e8cae074b7"`},
		{src: "States.Hash('', 'SHA-256')", want: `"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"`},
		{src: "States.Hash('abc', 'SHA-384')", want: `"cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"`},
		{src: "States.Hash('abc', 'SHA-512')", want: `"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"`},
		{src: "States.Hash('x', 'sha-256')", err: bad, cause: `unsupported hash algorithm "sha-256"`},
		{src: "States.Hash($.s, 'MD5')", input: `{"s":"` + long + `a"}`, err: bad, cause: "more than the 10000 allowed"},
		{src: "States.Hash(1, 'MD5')", err: bad, cause: "the first argument must be a string"},
	})
}

func TestMathFunctions(t *testing.T) {
	runEvalCases(t, []evalCase{
		{src: "States.MathAdd(1, 2)", want: `3`},
		{src: "States.MathAdd($.a, -1)", input: `{"a":0}`, want: `-1`},
		{src: "States.MathAdd(1.49, 1.5)", want: `3`},
		{src: "States.MathAdd(1.5, 1.51)", want: `4`},
		{src: "States.MathAdd(-1.5, 0)", want: `-1`},
		{src: "States.MathAdd(-1.51, 0)", want: `-2`},
		{src: "States.MathAdd(-0.5, 0)", want: `0`},
		{src: "States.MathAdd(2.5, 0)", want: `3`},
		{src: "States.MathAdd(-2.5, 0)", want: `-2`},
		{src: "States.MathAdd(States.ArrayLength($.a), -1)", input: `{"a":[1,2]}`, want: `1`},
		{src: "States.MathAdd('1', 2)", err: bad, cause: "Invalid arguments in States.MathAdd: the first argument must be a number, not string \"1\""},
		{src: "States.MathAdd(1, null)", err: bad, cause: "the second argument must be a number, not null null"},
		{src: "States.MathAdd(1E300, 1)", err: bad, cause: "out of range"},
		{src: "States.MathRandom(5, 4)", err: bad, cause: "the start 5 is greater than the end 4"},
		{src: "States.MathRandom(3, 3)", want: `3`},
		{src: "States.MathRandom(1, 'a')", err: bad, cause: "the second argument must be an integer"},
		{src: "States.MathRandom(1, 10, 0.5)", err: bad, cause: "the third argument must be an integer"},
	})
}

func TestStringFunctions(t *testing.T) {
	runEvalCases(t, []evalCase{
		{src: "States.StringSplit('1,2,3', ',')", want: `["1","2","3"]`},
		{src: "States.StringSplit(',,,,', ',')", want: `[]`},
		{src: "States.StringSplit(', , ,', ',')", want: `[" "," "]`},
		{src: "States.StringSplit('This.is+a,test=string', '.+,=')", want: `["This","is","a","test","string"]`},
		{src: "States.StringSplit('aübüc', 'ü')", want: `["a","b","c"]`},
		{src: "States.StringSplit('', ',')", want: `[]`},
		{src: "States.StringSplit('abc', '')", want: `["abc"]`},
		{src: "States.StringSplit($.s, ',')", input: `{"s":[]}`, err: bad, cause: "the first argument must be a string"},
		{src: "States.StringSplit('a', 1)", err: bad, cause: "the second argument must be a string"},
	})
}

func TestPathArgumentNotFound(t *testing.T) {
	runEvalCases(t, []evalCase{
		{src: "States.Format('{}', $.missing)", input: `{"a":1}`, err: failure.Runtime,
			cause: `The function 'States.Format('{}', $.missing)' had the following error: The JsonPath argument for the field '$.missing' could not be found in the input '{"a":1}'`},
		{src: "States.Array(States.ArrayLength($.a.b))", input: `{"a":{}}`, err: failure.Runtime,
			cause: `The function 'States.Array(States.ArrayLength($.a.b))' had the following error: The JsonPath argument for the field '$.a.b' could not be found in the input '{"a":{}}'`},
		{src: "States.Format('{}',$$.Nope )", input: `{}`, err: failure.Runtime,
			cause: `The function 'States.Format('{}',$$.Nope )' had the following error: The JsonPath argument for the field '$$.Nope' could not be found in the input '{"Execution":{"Name":"run-1"}}'`},
		{src: "States.Format('{}', $unset)", input: `{}`, err: failure.Runtime,
			cause: `The function 'States.Format('{}', $unset)' had the following error: `},
	})
}

// TestCauseQuotesTheWholeExpression checks the frame AWS puts around every intrinsic
// failure: the outermost expression as written, then what went wrong inside it.
func TestCauseQuotesTheWholeExpression(t *testing.T) {
	src := "States.Format('{}',  States.ArrayGetItem($.a, 3))"
	c, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Eval(&jsonpath.Env{Input: value.MustParse(`{"a":[1]}`)})
	want := "The function '" + src + "' had the following error: Invalid arguments in States.ArrayGetItem: the index 3 is out of bounds for an array of 1 item(s)"
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Name != failure.IntrinsicFailure || fe.Cause != want {
		t.Errorf("got %v\nwant %s: %s", err, failure.IntrinsicFailure, want)
	}
}

func TestEvalWithNilEnv(t *testing.T) {
	c, err := Parse("States.Array($)")
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Eval(nil)
	if err != nil || value.String(got) != "[null]" {
		t.Errorf("got %v, %v", value.String(got), err)
	}
}
