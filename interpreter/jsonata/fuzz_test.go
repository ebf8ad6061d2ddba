package jsonata

import (
	"errors"
	"testing"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

var fuzzSeeds = []string{
	`$sum(Account.Order.Product.(Price * Quantity))`,
	`Account.Order[0].Product[Price > 30]{$."Product Name": Price}`,
	`($f := function($n){$n <= 1 ? 1 : $n * $f($n - 1)}; $f(5))`,
	`a.b.%.c`, `a@$x.b#$i[$i > 0]`, `**[*]`, `$[0][]`, `[1..5]^(>$)`,
	`| a | {"x": 1}, ["y"] |`, `$match("abc", /b(c)?/i)`, `$replace("aaa", /a/, "$0$$")`,
	`"a" & 1 & true & null`, `$string({"a": [1, 2.5, "x"]}, true)`, `/* c */ 1`,
	`$f(?, 2)`, `a ~> $uppercase()`, `$x := [1,2]; $x[1]`, `{"a": 1}.*`, `$formatNumber(1234.5, "#,##0.00")`,
	`$fromMillis(0, "[Y0001]-[M01]-[D01]")`, `function($x)<n-:n>{$x}(2)`, "`a b`",
	`1 ? 2 : 3 ?: 4 ?? 5`, `$sort([3,1,2], λ($a,$b){$a > $b})`, `$split("a,b", ",", 1)`,
}

// FuzzCompile: no input makes the parser panic or hang, and what compiles prints back
// to something that compiles.
func FuzzCompile(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Compile(src)
		if err != nil {
			var je *Error
			if !errors.As(err, &je) || je.Code == "" {
				t.Fatalf("Compile(%q): error without a code: %v", src, err)
			}
			return
		}
		_ = e.String()
	})
}

// FuzzEvaluate: evaluation never panics and the deadline holds, whatever the expression.
func FuzzEvaluate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, `{"a": {"b": [1, {"c": 2}], "x": "s"}, "Account": {"Order": [{"Product": [{"Price": 2, "Quantity": 3}]}]}}`)
	}
	f.Add(`($f := function(){$f()}; $f())`, `null`)
	f.Add(`[1..10000000].$string()`, `[]`)
	f.Fuzz(func(t *testing.T, src, input string) {
		e, err := Compile(src)
		if err != nil {
			return
		}
		in, err := value.ParseString(input)
		if err != nil {
			in = nil
		}
		start := time.Now()
		_, err = e.Evaluate(in, map[string]value.Value{"v": value.ObjectOf("k", 1.0)}, &Options{
			Deadline: start.Add(200 * time.Millisecond),
			MaxDepth: 500,
			Now:      func() time.Time { return time.UnixMilli(0) },
			Rand:     func() float64 { return 0.5 },
		})
		// The bound is loose on purpose: this checks that evaluation stops, not how fast
		// a loaded machine under -race allocates (a 1e7-item range takes seconds there).
		if took := time.Since(start); took > 20*time.Second {
			t.Fatalf("%q took %v despite a 200ms deadline", src, took)
		}
		var je *Error
		if err != nil && !errors.Is(err, ErrUndefined) && !errors.Is(err, ErrFunction) && !errors.As(err, &je) {
			t.Fatalf("%q: error is not a *jsonata.Error: %v", src, err)
		}
		if je != nil && je.Code == "U1000" {
			t.Fatalf("%q: internal error: %v", src, err)
		}
	})
}
