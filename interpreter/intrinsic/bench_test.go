package intrinsic

import (
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func benchEval(b *testing.B, src, input string) {
	c, err := Parse(src)
	if err != nil {
		b.Fatal(err)
	}
	env := &jsonpath.Env{Input: value.MustParse(input)}
	if _, err := c.Eval(env); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Eval(env); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvalMathAdd(b *testing.B) {
	benchEval(b, "States.MathAdd($.i, 1)", `{"i":41}`)
}

func BenchmarkEvalFormat(b *testing.B) {
	benchEval(b, "States.Format('Hello {}, you have {} items', $.name, States.ArrayLength($.items))",
		`{"name":"Ada","items":[1,2,3]}`)
}

func BenchmarkEvalArrayUnique(b *testing.B) {
	benchEval(b, "States.ArrayUnique($.a)", `{"a":[1,2,3,1,2,3,"a","b",{"k":1},{"k":1}]}`)
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("States.Format('Hello {}, you have {} items', $.name, States.ArrayLength($.items))"); err != nil {
			b.Fatal(err)
		}
	}
}
