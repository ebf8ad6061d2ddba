package jsonata

import "testing"

// The printed tree is the oracle for how an expression parses: precedence, paths,
// predicates and bindings show up in it.
func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{`a.b.c`, `a.b.c`},
		{`1 + 2 * 3`, `1 + (2 * 3)`},
		{`(1 + 2) * 3`, `(1 + 2) * 3`},
		{`a[0].b[x > 1]`, `a[0].b[x > 1]`},
		{`a.b[]`, `a.b[]`},
		{`$x := 5`, `$x := 5`},
		{`a ? b : c`, `a ? b : c`},
		{`function($x, $y)<nn:n>{$x + $y}`, `function($x, $y)<nn:n>{$x + $y}`},
		{`λ($x){$x}`, `function($x){$x}`},
		{`$f(?, 2)`, `$f(?, 2)`},
		{`a ~> $uppercase()`, `a ~> $uppercase()`},
		{`Account.Order^(>Price)`, `Account.Order^(>Price)`},
		{`a@$x.b#$i`, `a@$x.b#$i`},
		{`{"k": v}`, `{"k": v}`},
		{`a{k: v}`, `a{k: v}`},
		{`-x`, `-x`},
		{`-5`, `-5`},
		{`"a" & 'b'`, `"a" & "b"`},
		{`/ab+c/i`, `/ab+c/i`},
		{"`a b`.c", "`a b`.c"},
		{`| a | {"x": 1}, ["y"] |`, `|a|{"x": 1}, ["y"]|`},
		{`a ?: b ?? c`, `a ?: (b ?? c)`},
		{`[1..3]`, `[1 .. 3]`},
		{`**.a`, `**.a`},
		{`a.b.%.c`, `a.b.%.c`},
	}
	for _, tt := range tests {
		e, err := Compile(tt.in)
		if err != nil {
			t.Errorf("Compile(%q): %v", tt.in, err)
			continue
		}
		if got := e.String(); got != tt.want {
			t.Errorf("Compile(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Printing and parsing again gives the same tree.
func TestStringRoundTrip(t *testing.T) {
	for _, src := range []string{
		`$sum(Account.Order.Product.(Price * Quantity))`,
		`Account.Order[0].Product[$.Price > 30]{$."Product Name": Price}`,
		`($f := function($n){$n <= 1 ? 1 : $n * $f($n - 1)}; $f(5))`,
		`Phone[type = "mobile"].number ~> $join(", ")`,
		`Account.Order#$i.Product@$p.{"i": $i, "p": $p.Price}`,
		`$map([1, 2, 3], λ($v, $i){$v * $i})`,
	} {
		e := MustCompile(src)
		again, err := Compile(e.String())
		if err != nil {
			t.Errorf("%q printed as %q which does not parse: %v", src, e.String(), err)
			continue
		}
		if again.String() != e.String() {
			t.Errorf("%q: printed %q, reprinted %q", src, e.String(), again.String())
		}
	}
}
