package jsonpath

import (
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

var smallDoc = value.MustParse(`{"a":{"b":"x","c":[1,2,3]},"i":7,"name":"order-1","items":[{"id":1,"p":3},{"id":2,"p":12}]}`)

// The engine evaluates a few simple paths per state transition: they must not allocate.
func TestSimplePathsDoNotAllocate(t *testing.T) {
	env := &Env{Input: smallDoc}
	for _, src := range []string{"$", "$.a.b", "$.i", "$.a.c[1]", "$['a']['c'][-1]"} {
		p := MustCompile(src)
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := p.Eval(env); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per Eval, want 0", src, allocs)
		}
	}
}

func benchEval(b *testing.B, src string) {
	p := MustCompile(src)
	env := &Env{Input: smallDoc}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Eval(env); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvalDotPath(b *testing.B)  { benchEval(b, "$.a.b") }
func BenchmarkEvalTopField(b *testing.B) { benchEval(b, "$.i") }
func BenchmarkEvalIndex(b *testing.B)    { benchEval(b, "$.a.c[1]") }
func BenchmarkEvalWildcard(b *testing.B) { benchEval(b, "$.items[*].id") }
func BenchmarkEvalFilter(b *testing.B)   { benchEval(b, "$.items[?(@.p > 10)].id") }
func BenchmarkEvalDeepScan(b *testing.B) { benchEval(b, "$..id") }

func BenchmarkEvalMiss(b *testing.B) {
	p := MustCompile("$.nope")
	env := &Env{Input: smallDoc}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Eval(env); err == nil {
			b.Fatal("no error")
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile("$.store.book[?(@.price < 10)].title"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReferenceSet(b *testing.B) {
	r := MustCompileReference("$.result.value")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Set(smallDoc, int64(1)); err != nil {
			b.Fatal(err)
		}
	}
}
