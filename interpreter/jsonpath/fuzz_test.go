package jsonpath

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

var fuzzSeeds = []string{
	"$", "$$", "$v", "$.a.b", "$['a']", `$["a\"b"]`, "$.a[0]", "$.a[-1]", "$.a[0,2]", "$.a[1:3]", "$.a[:2]",
	"$.a[-2:]", "$.*", "$[*]", "$..a", "$..*", "$..[0]", "$['a','b']", "$.a[?(@.b < 10)]", "$.a[?(@.b)]",
	"$.a[?(!@.b && @.c || $.d == 'x')]", "$.a[?(@.b =~ /x.*/i)]", "$.a[?(@.b in [1,2])]", "$.a[?(@.b nin ['x'])]",
	"$.a[?(@.b subsetof [1])]", "$.a[?(@.b size 2)]", "$.a[?(@.b empty true)]", "$.a[?(@.b.length() > 1)]",
	"$.a[?(@.b == {\"k\":[1]})]", "$.a.length()", "$[?(@ == 1)]", "$..[?(@.x)]", "$.a[?(@.b contains 'x')]",
}

// FuzzCompile: no input makes Compile panic, and a compiled path's normalized form
// compiles to a path with the same normalized form.
func FuzzCompile(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, opts := range []Options{{}, {Functions: true}} {
			p, err := CompileWith(src, opts)
			if err != nil {
				var se *SyntaxError
				if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(src) {
					t.Fatalf("CompileWith(%q): bad error %#v", src, err)
				}
				continue
			}
			norm := p.Normalized()
			if !representable(p) {
				continue
			}
			q, err := CompileWith(norm, opts)
			if err != nil {
				t.Fatalf("%q normalizes to %q, which does not compile: %v", src, norm, err)
			}
			if q.Normalized() != norm || q.IsDefinite() != p.IsDefinite() || q.Root() != p.Root() || q.Variable() != p.Variable() {
				t.Fatalf("%q normalizes to %q, which normalizes to %q", src, norm, q.Normalized())
			}
		}
		_, _ = CompileReference(src)
	})
}

// representable reports whether every name can be quoted: a name written in dot
// notation may hold both quote characters or end in a backslash, which no bracket
// form can carry (Jayway prints such names unquotable too).
func representable(p *Path) bool {
	ok := true
	var visit func([]step)
	visit = func(steps []step) {
		for _, s := range steps {
			for _, n := range s.names {
				if (hasUnescaped(n, '\'') && hasUnescaped(n, '"')) || trailingBackslashes(n) != "" {
					ok = false
				}
			}
			if s.kind == kFilter {
				visitExpr(s.filter, visit)
			}
		}
	}
	visit(p.steps)
	return ok
}

func visitExpr(e expr, visit func([]step)) {
	switch x := e.(type) {
	case orExpr:
		visitExpr(x.l, visit)
		visitExpr(x.r, visit)
	case andExpr:
		visitExpr(x.l, visit)
		visitExpr(x.r, visit)
	case notExpr:
		visitExpr(x.x, visit)
	case relExpr:
		visit(x.l.steps)
		visit(x.r.steps)
	}
}

// randomDoc builds a small document from a seed, over a few keys so that paths hit.
func randomDoc(r *rand.Rand, depth int) value.Value {
	keys := []string{"a", "b", "c", "x"}
	switch n := r.IntN(9); {
	case depth > 4 || n == 0:
		return nil
	case n == 1:
		return r.IntN(2) == 0
	case n == 2:
		return int64(r.IntN(5) - 1)
	case n == 3:
		return float64(r.IntN(40)) / 4
	case n == 4:
		return keys[r.IntN(len(keys))]
	case n <= 6:
		out := make([]any, r.IntN(4))
		for i := range out {
			out[i] = randomDoc(r, depth+1)
		}
		return out
	}
	o := value.NewObject(0)
	for i := r.IntN(4); i > 0; i-- {
		o.Set(keys[r.IntN(len(keys))], randomDoc(r, depth+1))
	}
	return o
}

// FuzzEval: evaluating any path on any document returns a result or one of the
// package's errors, never panics, and keeps Jayway's shape rules.
func FuzzEval(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, uint64(i))
	}
	f.Fuzz(func(t *testing.T, src string, seed uint64) {
		p, err := CompileWith(src, Options{Functions: true})
		if err != nil {
			return
		}
		doc := randomDoc(rand.New(rand.NewPCG(seed, seed>>7)), 0)
		before := value.String(doc)
		env := &Env{Input: doc, Context: doc, Vars: everyName{doc}}
		got, err := p.Eval(env)
		if value.String(doc) != before {
			t.Fatalf("Eval changed the document")
		}
		if err != nil {
			var nf *NotFoundError
			var ip *InvalidPathError
			if !errors.As(err, &nf) && !errors.As(err, &ip) {
				t.Fatalf("%q on %s: unexpected error type %T: %v", src, before, err, err)
			}
			if nf != nil && !p.IsDefinite() {
				t.Fatalf("%q on %s: indefinite path gave NotFoundError %v", src, before, err)
			}
			return
		}
		_, isArray := got.([]any)
		endsInFunc := len(p.steps) > 0 && p.steps[len(p.steps)-1].kind == kFunc
		if !p.IsDefinite() && !endsInFunc && !isArray {
			t.Fatalf("%q on %s: indefinite path gave %s", src, before, value.String(got))
		}
		if r, err := CompileReference(src); err == nil && p.Root() == RootInput && !strings.Contains(src, "()") {
			out, err := r.Set(doc, "mark")
			if value.String(doc) != before {
				t.Fatalf("Set changed the document")
			}
			if err == nil {
				if v, err := r.Path().Eval(&Env{Input: out}); err != nil || v != "mark" {
					t.Fatalf("%q: after Set on %s, reading back gave %v, %v", src, before, value.String(v), err)
				}
			}
		}
	})
}

// everyName is a variable of every name, all with the same value.
type everyName struct{ v value.Value }

func (e everyName) Get(string) (value.Value, bool) { return e.v, true }
