package choice

import (
	"errors"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func TestEvaluate(t *testing.T) {
	input := value.MustParse(`{
		"s": "b", "empty": "", "n": 3, "f": 2.5, "big": 9007199254740993, "zero": 0.0,
		"t": "2016-03-14T01:59:00Z", "tOff": "2016-03-14T02:59:00+01:00", "notT": "2016-03-14",
		"yes": true, "no": false, "nil": null, "arr": [1, 2], "obj": {"a": 1},
		"file": "log-7.txt", "star": "a*b", "astral": "\ud83d\ude00", "bmpHigh": "\uffff"
	}`)
	vars := map[string]value.Value{"limit": int64(3), "name": "b"}
	env := &jsonpath.Env{
		Input:   input,
		Context: value.MustParse(`{"State": {"Name": "Check", "RetryCount": 0}}`),
		Vars:    jsonpath.VarMap(vars),
	}
	tests := []struct {
		rule string
		want bool
	}{
		// Strings: code-point order, no normalization, exact.
		{`{"Variable": "$.s", "StringEquals": "b"}`, true},
		{`{"Variable": "$.s", "StringEquals": "B"}`, false},
		{`{"Variable": "$.s", "StringLessThan": "c"}`, true},
		{`{"Variable": "$.s", "StringLessThan": "b"}`, false},
		{`{"Variable": "$.s", "StringLessThanEquals": "b"}`, true},
		{`{"Variable": "$.s", "StringGreaterThan": "a"}`, true},
		{`{"Variable": "$.s", "StringGreaterThan": "ba"}`, false},
		{`{"Variable": "$.s", "StringGreaterThanEquals": "b"}`, true},
		{`{"Variable": "$.empty", "StringLessThan": "a"}`, true},
		{`{"Variable": "$.astral", "StringGreaterThan": "\uffff"}`, true},
		{`{"Variable": "$.bmpHigh", "StringLessThan": "\ud83d\ude00"}`, true},
		{`{"Variable": "$.n", "StringEquals": "3"}`, false},
		{`{"Variable": "$.nil", "StringEquals": "null"}`, false},
		{`{"Variable": "$.s", "StringEqualsPath": "$.s"}`, true},
		{`{"Variable": "$.s", "StringEqualsPath": "$name"}`, true},
		{`{"Variable": "$.s", "StringEqualsPath": "$.n"}`, false},
		{`{"Variable": "$.s", "StringLessThanPath": "$.file"}`, true},
		{`{"Variable": "$$.State.Name", "StringEquals": "Check"}`, true},
		// Numbers: float64, so 3 == 3.0 and 2^53+1 == 2^53.
		{`{"Variable": "$.n", "NumericEquals": 3}`, true},
		{`{"Variable": "$.n", "NumericEquals": 3.0}`, true},
		{`{"Variable": "$.zero", "NumericEquals": 0}`, true},
		{`{"Variable": "$.n", "NumericLessThan": 3.0001}`, true},
		{`{"Variable": "$.n", "NumericLessThan": 3}`, false},
		{`{"Variable": "$.n", "NumericLessThanEquals": 3}`, true},
		{`{"Variable": "$.f", "NumericGreaterThan": 2}`, true},
		{`{"Variable": "$.f", "NumericGreaterThanEquals": 2.5}`, true},
		{`{"Variable": "$.f", "NumericGreaterThanEquals": 2.51}`, false},
		{`{"Variable": "$.n", "NumericGreaterThan": -1e300}`, true},
		{`{"Variable": "$.big", "NumericEquals": 9007199254740992}`, true},
		{`{"Variable": "$.s", "NumericEquals": 0}`, false},
		{`{"Variable": "$.yes", "NumericEquals": 1}`, false},
		{`{"Variable": "$.n", "NumericEqualsPath": "$limit"}`, true},
		{`{"Variable": "$.f", "NumericLessThanPath": "$.n"}`, true},
		{`{"Variable": "$.f", "NumericLessThanPath": "$.s"}`, false},
		{`{"Variable": "$$.State.RetryCount", "NumericEquals": 0}`, true},
		// Timestamps compare instants; non-timestamps never match.
		{`{"Variable": "$.t", "TimestampEquals": "2016-03-14T01:59:00Z"}`, true},
		{`{"Variable": "$.tOff", "TimestampEquals": "2016-03-14T01:59:00Z"}`, true},
		{`{"Variable": "$.t", "TimestampEquals": "2016-03-14T01:59:00.000Z"}`, true},
		{`{"Variable": "$.t", "TimestampLessThan": "2016-03-14T01:59:00.001Z"}`, true},
		{`{"Variable": "$.t", "TimestampGreaterThan": "2016-03-14T01:58:59Z"}`, true},
		{`{"Variable": "$.t", "TimestampLessThanEquals": "2016-03-14T01:59:00Z"}`, true},
		{`{"Variable": "$.t", "TimestampGreaterThanEquals": "2016-03-14T02:00:00+01:00"}`, true},
		{`{"Variable": "$.notT", "TimestampLessThan": "2100-01-01T00:00:00Z"}`, false},
		{`{"Variable": "$.n", "TimestampLessThan": "2100-01-01T00:00:00Z"}`, false},
		{`{"Variable": "$.t", "TimestampEqualsPath": "$.tOff"}`, true},
		{`{"Variable": "$.t", "TimestampEqualsPath": "$.notT"}`, false},
		{`{"Variable": "$.notT", "TimestampLessThanEqualsPath": "$.notT"}`, false},
		// Booleans.
		{`{"Variable": "$.yes", "BooleanEquals": true}`, true},
		{`{"Variable": "$.no", "BooleanEquals": true}`, false},
		{`{"Variable": "$.no", "BooleanEquals": false}`, true},
		{`{"Variable": "$.nil", "BooleanEquals": false}`, false},
		{`{"Variable": "$.zero", "BooleanEquals": false}`, false},
		{`{"Variable": "$.yes", "BooleanEqualsPath": "$.yes"}`, true},
		{`{"Variable": "$.yes", "BooleanEqualsPath": "$.no"}`, false},
		{`{"Variable": "$.yes", "BooleanEqualsPath": "$.s"}`, false},
		// StringMatches.
		{`{"Variable": "$.file", "StringMatches": "log-*.txt"}`, true},
		{`{"Variable": "$.file", "StringMatches": "log-*.json"}`, false},
		{`{"Variable": "$.star", "StringMatches": "a\\*b"}`, true},
		{`{"Variable": "$.file", "StringMatches": "log\\-*"}`, true},
		{`{"Variable": "$.n", "StringMatches": "*"}`, false},
		// Type tests, both ways.
		{`{"Variable": "$.nil", "IsNull": true}`, true},
		{`{"Variable": "$.empty", "IsNull": true}`, false},
		{`{"Variable": "$.zero", "IsNull": false}`, true},
		{`{"Variable": "$.nil", "IsPresent": true}`, true},
		{`{"Variable": "$.missing", "IsPresent": true}`, false},
		{`{"Variable": "$.missing", "IsPresent": false}`, true},
		{`{"Variable": "$.obj.a", "IsPresent": true}`, true},
		{`{"Variable": "$.obj.b", "IsPresent": false}`, true},
		{`{"Variable": "$.arr[1]", "IsPresent": true}`, true},
		{`{"Variable": "$unset", "IsPresent": false}`, true},
		{`{"Variable": "$limit", "IsPresent": true}`, true},
		{`{"Variable": "$.f", "IsNumeric": true}`, true},
		{`{"Variable": "$.s", "IsNumeric": true}`, false},
		{`{"Variable": "$.s", "IsNumeric": false}`, true},
		{`{"Variable": "$.s", "IsString": true}`, true},
		{`{"Variable": "$.arr", "IsString": true}`, false},
		{`{"Variable": "$.no", "IsBoolean": true}`, true},
		{`{"Variable": "$.nil", "IsBoolean": true}`, false},
		{`{"Variable": "$.tOff", "IsTimestamp": true}`, true},
		{`{"Variable": "$.notT", "IsTimestamp": true}`, false},
		{`{"Variable": "$.n", "IsTimestamp": false}`, true},
		// Combinations.
		{`{"And": [{"Variable": "$.n", "NumericGreaterThanEquals": 3}, {"Variable": "$.n", "NumericLessThan": 4}]}`, true},
		{`{"And": [{"Variable": "$.n", "NumericGreaterThanEquals": 3}, {"Variable": "$.s", "StringEquals": "x"}]}`, false},
		{`{"Or": [{"Variable": "$.s", "StringEquals": "x"}, {"Variable": "$.s", "StringEquals": "b"}]}`, true},
		{`{"Or": [{"Variable": "$.s", "StringEquals": "x"}, {"Variable": "$.s", "StringEquals": "y"}]}`, false},
		{`{"Not": {"Variable": "$.s", "StringEquals": "x"}}`, true},
		{`{"Not": {"Not": {"Variable": "$.s", "StringEquals": "x"}}}`, false},
		{`{"And": [{"Or": [{"Variable": "$.no", "BooleanEquals": true}, {"Variable": "$.yes", "BooleanEquals": true}]}, {"Not": {"Variable": "$.nil", "IsPresent": false}}]}`, true},
		// Short circuit: the missing path after the deciding child is never read.
		{`{"And": [{"Variable": "$.s", "StringEquals": "x"}, {"Variable": "$.missing", "StringEquals": "x"}]}`, false},
		{`{"Or": [{"Variable": "$.s", "StringEquals": "b"}, {"Variable": "$.missing", "StringEquals": "x"}]}`, true},
	}
	for _, tt := range tests {
		r := mustRule(t, withNext(t, tt.rule))
		got, err := r.Evaluate(env)
		if err != nil {
			t.Errorf("%s: unexpected error %v", tt.rule, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s = %v, want %v", tt.rule, got, tt.want)
		}
	}
}

func TestEvaluateMissingPath(t *testing.T) {
	env := &jsonpath.Env{Input: value.MustParse(`{"s": "b", "n": 1}`)}
	tests := []struct {
		rule, cause string
	}{
		{`{"Variable": "$.missing", "StringEquals": "x"}`, "Invalid path '$.missing': The choice state's condition path references an invalid value."},
		{`{"Variable": "$.missing", "IsNull": true}`, "Invalid path '$.missing': The choice state's condition path references an invalid value."},
		{`{"Variable": "$.missing", "IsTimestamp": false}`, "Invalid path '$.missing': The choice state's condition path references an invalid value."},
		{`{"Variable": "$unset", "NumericEquals": 1}`, "Invalid path '$unset': The choice state's condition path references an invalid value."},
		{`{"Variable": "$.n", "NumericEqualsPath": "$.other"}`, "Invalid path '$.other': The choice state's condition path references an invalid value."},
		{`{"Variable": "$.missing", "NumericEqualsPath": "$.other"}`, "Invalid path '$.missing': The choice state's condition path references an invalid value."},
		{`{"Not": {"Variable": "$.missing", "BooleanEquals": true}}`, "Invalid path '$.missing': The choice state's condition path references an invalid value."},
		{`{"And": [{"Variable": "$.s", "StringEquals": "b"}, {"Variable": "$.gone", "StringEquals": "x"}]}`, "Invalid path '$.gone': The choice state's condition path references an invalid value."},
		{`{"Or": [{"Variable": "$.s", "StringEquals": "a"}, {"Variable": "$.gone", "StringEquals": "x"}]}`, "Invalid path '$.gone': The choice state's condition path references an invalid value."},
	}
	for _, tt := range tests {
		r := mustRule(t, withNext(t, tt.rule))
		got, err := r.Evaluate(env)
		var fe *failure.Error
		if !errors.As(err, &fe) {
			t.Errorf("%s = %v, %v; want a failure", tt.rule, got, err)
			continue
		}
		if got || fe.Name != failure.Runtime || fe.Cause != tt.cause {
			t.Errorf("%s = %v, %s: %s\nwant false, %s: %s", tt.rule, got, fe.Name, fe.Cause, failure.Runtime, tt.cause)
		}
	}
}

// withNext makes a rule top-level by giving it a Next.
func withNext(t *testing.T, src string) string {
	t.Helper()
	o := value.MustParse(src).(*value.Object)
	return value.String(o.With("Next", "Target"))
}

func TestZeroRuleDoesNotPanic(t *testing.T) {
	for _, r := range []*Rule{{}, {kind: kindNot}, {kind: kindAnd}} {
		_ = r.String()
		if _, err := r.Evaluate(&jsonpath.Env{}); r.kind != kindAnd && err == nil {
			t.Errorf("%v: a hand-made rule evaluated without error", r)
		}
	}
}
