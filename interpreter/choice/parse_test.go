package choice

import (
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// TestParseProblems lists, for each malformed rule, every problem expected as
// "<pointer>: <message>", in the order Parse reports them.
func TestParseProblems(t *testing.T) {
	tests := []struct {
		rule string
		top  bool
		want []string
	}{
		{`{"Variable": "$.x", "StringEquals": "a"}`, true, []string{
			": These fields are required: [Next]"}},
		{`{"Variable": "$.x", "StringEquals": "a", "Next": "A"}`, false, []string{
			"/Next: Field 'Next' is not supported in a nested choice rule: only the rules of the Choices array name the next state"}},
		{`{"Variable": "$.x", "StringEquals": "a", "Next": 3}`, true, []string{
			"/Next: Expected value of type 'String' for the field 'Next'"}},
		{`{"Next": "A"}`, true, []string{
			": A choice rule must have 'Variable' and one comparison operator, or one of 'And', 'Or', 'Not'"}},
		{`{"Variable": "$.x", "Next": "A"}`, true, []string{
			": A choice rule with 'Variable' must have exactly one comparison operator"}},
		{`{"StringEquals": "a", "Next": "A"}`, true, []string{
			": These fields are required: [Variable]"}},
		{`{"Variable": "$.x", "StringEquals": "a", "NumericEquals": 1, "Next": "A"}`, true, []string{
			": A choice rule must have exactly one comparison operator or one of 'And', 'Or', 'Not', but has 2: [NumericEquals, StringEquals]"}},
		{`{"Variable": "$.x", "StringEquals": 1, "NumericEquals": "1", "Next": "A"}`, true, []string{
			"/StringEquals: Expected value of type 'String' for the field 'StringEquals'",
			"/NumericEquals: Expected value of type 'Number' for the field 'NumericEquals'",
			": A choice rule must have exactly one comparison operator or one of 'And', 'Or', 'Not', but has 2: [NumericEquals, StringEquals]"}},
		{`{"Variable": "$.x", "And": [{"Variable": "$.y", "IsNull": true}], "Next": "A"}`, true, []string{
			"/Variable: Field 'Variable' is not supported with 'And'"}},
		{`{"And": [], "Next": "A"}`, true, []string{"/And: Value cannot be empty"}},
		{`{"Or": [], "Next": "A"}`, true, []string{"/Or: Value cannot be empty"}},
		{`{"And": {}, "Next": "A"}`, true, []string{"/And: Expected value of type 'Array' for the field 'And'"}},
		{`{"Not": [], "Next": "A"}`, true, []string{"/Not: Expected value of type 'Object' for the field 'Not'"}},
		{`{"And": [1, {"Variable": "$.y", "IsNull": true}], "Next": "A"}`, true, []string{"/And/0: Expected value of type 'Object'"}},
		{`{"And": [{"Variable": "$.y", "IsNull": true}, {"Variable": "$.y", "IsNull": true, "Next": "B"}], "Next": "A"}`, true, []string{
			"/And/1/Next: Field 'Next' is not supported in a nested choice rule: only the rules of the Choices array name the next state"}},
		{`{"Or": [{"Not": {"Variable": "$.y", "StringEquals": true}}, {"Variable": "$.z"}], "Next": "A"}`, true, []string{
			"/Or/0/Not/StringEquals: Expected value of type 'String' for the field 'StringEquals'",
			"/Or/1: A choice rule with 'Variable' must have exactly one comparison operator"}},
		{`{"Not": {"Variable": "$.y", "IsNull": true, "Assign": {"a": 1}}, "Next": "A"}`, true, []string{
			"/Not/Assign: Field 'Assign' is not supported in a nested choice rule"}},
		{`{"Variable": "$.x", "StringEquals": "a", "Next": "A", "Foo": 1, "a/b": 2}`, true, []string{
			"/Foo: Field 'Foo' is not supported",
			"/a~1b: Field 'a/b' is not supported"}},
		{`{"Variable": "$.x", "StringEquals": "a", "Next": "A", "Output": {}}`, true, []string{
			"/Output: The field 'Output' is only supported when the QueryLanguage is JSONata"}},
		{`{"Condition": "{% true %}", "Next": "A"}`, true, []string{
			"/Condition: The field 'Condition' is only supported when the QueryLanguage is JSONata",
			": A choice rule must have 'Variable' and one comparison operator, or one of 'And', 'Or', 'Not'"}},
		{`{"Variable": "$.x", "StringEquals": "a", "Next": "A", "Comment": 5}`, true, []string{
			"/Comment: Expected value of type 'String' for the field 'Comment'"}},
		{`{"Variable": 5, "StringEquals": "a", "Next": "A"}`, true, []string{
			"/Variable: Expected value of type 'String' for the field 'Variable'"}},
		{`{"Variable": "x", "StringEquals": "a", "Next": "A"}`, true, []string{
			"/Variable: The value for the field 'Variable' must be a valid JSONPath"}},
		{`{"Variable": "$.x", "StringEqualsPath": "nope", "Next": "A"}`, true, []string{
			"/StringEqualsPath: The value for the field 'StringEqualsPath' must be a valid JSONPath"}},
		{`{"Variable": "$.x", "NumericLessThanPath": 3, "Next": "A"}`, true, []string{
			"/NumericLessThanPath: Expected value of type 'String' for the field 'NumericLessThanPath'"}},
		{`{"Variable": "$.x", "NumericEquals": "3", "Next": "A"}`, true, []string{
			"/NumericEquals: Expected value of type 'Number' for the field 'NumericEquals'"}},
		{`{"Variable": "$.x", "NumericEquals": null, "Next": "A"}`, true, []string{
			"/NumericEquals: Expected value of type 'Number' for the field 'NumericEquals'"}},
		{`{"Variable": "$.x", "BooleanEquals": "true", "Next": "A"}`, true, []string{
			"/BooleanEquals: Expected value of type 'Boolean' for the field 'BooleanEquals'"}},
		{`{"Variable": "$.x", "IsPresent": 1, "Next": "A"}`, true, []string{
			"/IsPresent: Expected value of type 'Boolean' for the field 'IsPresent'"}},
		{`{"Variable": "$.x", "TimestampEquals": 1, "Next": "A"}`, true, []string{
			"/TimestampEquals: Expected value of type 'String' for the field 'TimestampEquals'"}},
		{`{"Variable": "$.x", "TimestampEquals": "2016-03-14T01:59:00", "Next": "A"}`, true, []string{
			"/TimestampEquals: String does not match RFC3339 timestamp"}},
		{`{"Variable": "$.x", "StringMatches": 1, "Next": "A"}`, true, []string{
			"/StringMatches: Expected value of type 'String' for the field 'StringMatches'"}},
		{`{"Variable": "$.x", "StringMatches": "abc\\", "Next": "A"}`, true, []string{
			"/StringMatches: The value for the field 'StringMatches' is not a valid pattern"}},
		{`{"Variable": "$.x", "StringMatchesPath": "$.y", "Next": "A"}`, true, []string{
			"/StringMatchesPath: Field 'StringMatchesPath' is not supported",
			": A choice rule with 'Variable' must have exactly one comparison operator"}},
		{`{}`, true, []string{
			": These fields are required: [Next]",
			": A choice rule must have 'Variable' and one comparison operator, or one of 'And', 'Or', 'Not'"}},
	}
	for _, tt := range tests {
		o := value.MustParse(tt.rule).(*value.Object)
		r, probs := Parse(o, tt.top)
		if r != nil {
			t.Errorf("%s: got a rule despite problems", tt.rule)
		}
		var got []string
		for _, p := range probs {
			if p.Code != SchemaValidationFailed {
				t.Errorf("%s: code %q", tt.rule, p.Code)
			}
			got = append(got, p.Path+": "+p.Message)
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s:\ngot  %s\nwant %s", tt.rule, strings.Join(got, "\n     "), strings.Join(tt.want, "\n     "))
		}
	}
	if r, probs := Parse(nil, true); r != nil || len(probs) != 1 {
		t.Errorf("Parse(nil) = %v, %v; want one problem", r, probs)
	}
}

// TestParseString checks what was parsed through its printed form, which is
// also the edge label the graph shows.
func TestParseString(t *testing.T) {
	tests := []struct{ rule, want string }{
		{`{"Variable": "$.x", "StringEquals": "a"}`, `$.x == "a"`},
		{`{"Variable": "$.x", "StringGreaterThanEquals": "a\"b"}`, `$.x >= "a\"b"`},
		{`{"Variable": "$.n", "NumericLessThan": 3}`, `$.n < 3`},
		{`{"Variable": "$.n", "NumericGreaterThan": 2.5}`, `$.n > 2.5`},
		{`{"Variable": "$.n", "NumericLessThanEqualsPath": "$.m"}`, `$.n <= $.m`},
		{`{"Variable": "$.t", "TimestampLessThan": "2016-03-14T01:59:00Z"}`, `$.t < 2016-03-14T01:59:00Z`},
		{`{"Variable": "$.b", "BooleanEquals": false}`, `$.b == false`},
		{`{"Variable": "$$.Execution.Name", "StringMatches": "log-*.txt"}`, `$$.Execution.Name matches "log-*.txt"`},
		{`{"Variable": "$.s", "StringMatches": "a\\*b"}`, `$.s matches "a\\*b"`},
		{`{"Variable": "$.x", "IsPresent": true}`, `$.x is present`},
		{`{"Variable": "$.x", "IsNull": false}`, `$.x is not null`},
		{`{"Variable": "$v", "IsTimestamp": true}`, `$v is timestamp`},
		{`{"Variable": "$.s", "StringEquals": "a very long string literal that goes on"}`, `$.s == "a very long string lite…"`},
		{`{"Not": {"Variable": "$.n", "NumericLessThan": 3}}`, `not ($.n < 3)`},
		{`{"And": [{"Variable": "$.a", "IsString": true}, {"Or": [{"Variable": "$.b", "NumericEquals": 1}, {"Variable": "$.b", "NumericEquals": 2}]}]}`,
			`$.a is string and ($.b == 1 or $.b == 2)`},
	}
	for _, tt := range tests {
		r := mustRule(t, withNext(t, tt.rule))
		if got := r.String(); got != tt.want {
			t.Errorf("%s prints %s, want %s", tt.rule, got, tt.want)
		}
	}
}

func TestParseKeepsTopLevelFields(t *testing.T) {
	r := mustRule(t, `{"Variable": "$.x", "IsNull": true, "Next": "Done", "Comment": "why", "Assign": {"a.$": "$.x"}}`)
	if r.Next() != "Done" || r.Comment != "why" || r.Operator() != "IsNull" || r.Variable() != "$.x" || r.Operand() != true {
		t.Errorf("got Next %q Comment %q Operator %q Variable %q Operand %v", r.Next(), r.Comment, r.Operator(), r.Variable(), r.Operand())
	}
	if !value.Equal(r.Assign, value.MustParse(`{"a.$": "$.x"}`)) {
		t.Errorf("Assign = %s", value.String(r.Assign))
	}
	n := mustRule(t, `{"Not": {"Variable": "$.x", "StringEqualsPath": "$.y"}, "Next": "B"}`)
	if n.Operator() != "Not" || len(n.Children()) != 1 || n.Children()[0].Operand() != "$.y" || n.Children()[0].Next() != "" {
		t.Errorf("Not rule: %v", n)
	}
}

// TestEveryOperatorParses makes sure the operator table has the names AWS uses.
func TestEveryOperatorParses(t *testing.T) {
	operands := map[string]string{
		"String": `"a"`, "Numeric": `1`, "Timestamp": `"2016-03-14T01:59:00Z"`, "Boolean": `true`,
	}
	n := 0
	for _, fam := range []string{"String", "Numeric", "Timestamp"} {
		for _, rel := range []string{"Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"} {
			mustRule(t, `{"Variable": "$.x", "`+fam+rel+`": `+operands[fam]+`, "Next": "A"}`)
			mustRule(t, `{"Variable": "$.x", "`+fam+rel+`Path": "$.y", "Next": "A"}`)
			n += 2
		}
	}
	for _, op := range []string{"BooleanEquals", "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"} {
		mustRule(t, `{"Variable": "$.x", "`+op+`": true, "Next": "A"}`)
		n++
	}
	mustRule(t, `{"Variable": "$.x", "BooleanEqualsPath": "$.y", "Next": "A"}`)
	mustRule(t, `{"Variable": "$.x", "StringMatches": "*", "Next": "A"}`)
	if n += 2; n != len(operators) {
		t.Errorf("checked %d operators, the table has %d", n, len(operators))
	}
}

// mustRule parses JSON text as a top-level rule or fails the test.
func mustRule(tb testing.TB, src string) *Rule {
	tb.Helper()
	o, ok := value.MustParse(src).(*value.Object)
	if !ok {
		tb.Fatalf("%s is not an object", src)
	}
	r, probs := Parse(o, true)
	if len(probs) > 0 {
		tb.Fatalf("Parse(%s): %v", src, probs)
	}
	return r
}
