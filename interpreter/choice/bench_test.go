package choice

import (
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func benchRule(b *testing.B, rule, input string, want bool) {
	r := mustRule(b, rule)
	env := &jsonpath.Env{Input: value.MustParse(input)}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got, err := r.Evaluate(env)
		if err != nil || got != want {
			b.Fatalf("got %v, %v", got, err)
		}
	}
}

func BenchmarkNumericLessThan(b *testing.B) {
	benchRule(b, `{"Variable": "$.order.total", "NumericLessThan": 100, "Next": "A"}`, `{"order": {"id": "x", "total": 42}}`, true)
}

func BenchmarkTimestampLessThan(b *testing.B) {
	benchRule(b, `{"Variable": "$.at", "TimestampLessThan": "2030-01-01T00:00:00Z", "Next": "A"}`, `{"at": "2024-06-01T12:00:00.250+02:00"}`, true)
}

func BenchmarkStringMatches(b *testing.B) {
	benchRule(b, `{"Variable": "$.file", "StringMatches": "logs/*/app-*.txt", "Next": "A"}`, `{"file": "logs/2024/06/app-server-1.txt"}`, true)
}

func BenchmarkAndOfThree(b *testing.B) {
	benchRule(b, `{"And": [{"Variable": "$.a", "IsPresent": true}, {"Variable": "$.b", "StringEqualsPath": "$.c"}, {"Not": {"Variable": "$.n", "NumericGreaterThan": 10}}], "Next": "A"}`,
		`{"a": 1, "b": "x", "c": "x", "n": 3}`, true)
}

// TestEvaluateDoesNotAllocate holds the promise the benchmarks measure: a simple
// comparison against a definite path costs no allocation.
func TestEvaluateDoesNotAllocate(t *testing.T) {
	r := mustRule(t, `{"Variable": "$.order.total", "NumericLessThan": 100, "Next": "A"}`)
	env := &jsonpath.Env{Input: value.MustParse(`{"order": {"total": 42}}`)}
	if n := testing.AllocsPerRun(100, func() { _, _ = r.Evaluate(env) }); n != 0 {
		t.Errorf("Evaluate allocates %v times per run", n)
	}
}
