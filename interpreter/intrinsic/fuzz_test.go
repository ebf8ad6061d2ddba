package intrinsic

import (
	"errors"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

var fuzzSeeds = []string{
	"States.Format('Hello {}, {}', $.name, States.ArrayLength($.items))",
	`States.Format('\{\}\\\'', 'x')`,
	"States.Array(1, -2.5, 1e3, true, false, null, '')",
	"States.ArrayRange(0, 10, 3)",
	"States.StringSplit('a,b', ',')",
	"States.JsonMerge($.a, $.b, false)",
	"States.MathRandom(1, 9, 2)",
	"States.Hash('x', 'SHA-1')",
	"States.UUID()",
	"States.Array($[?(@.a, 1)], $$.x)",
	"States.Array(1",
	"States.Array('a\\",
}

// FuzzParse checks that Parse never panics and that whatever it accepts prints to a
// text that parses back to the same print.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		c, err := Parse(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T is not a *SyntaxError", src, err)
			}
			_ = se.Error()
			return
		}
		printed := c.String()
		c2, err := Parse(printed)
		if err != nil {
			t.Fatalf("Parse(%q) accepted, but its print %q fails: %v", src, printed, err)
		}
		if again := c2.String(); again != printed {
			t.Fatalf("print of %q is unstable: %q then %q", src, printed, again)
		}
	})
}

// FuzzEval calls every function with arguments made of literals and checks that Eval
// never panics, fails only with a *failure.Error, and returns a JSON value.
func FuzzEval(f *testing.F) {
	names := Names()
	f.Add(uint8(0), "'{} {}', 1, 'a'")
	f.Add(uint8(3), "'[1,2]', 2")
	f.Add(uint8(5), "1, 5, 2")
	f.Add(uint8(9), "'aGk=', 'MD5'")
	f.Add(uint8(12), "1.5, -2.5")
	f.Add(uint8(16), "'a,b,,c', ','")
	f.Fuzz(func(t *testing.T, fn uint8, args string) {
		src := names[int(fn)%len(names)] + "(" + args + ")"
		c, err := Parse(src)
		if err != nil {
			return
		}
		env := &jsonpath.Env{Input: value.MustParse(`{"a":[1,"x",{"k":null}],"s":"a,b","n":2.5}`)}
		v, err := c.Eval(env)
		if err != nil {
			var fe *failure.Error
			if !errors.As(err, &fe) || fe.Name == "" {
				t.Fatalf("%s: error %v (%T) is not a named *failure.Error", src, err, err)
			}
			return
		}
		if _, perr := value.Parse(value.Marshal(v)); perr != nil && value.KindOf(v) != value.KindNumber {
			t.Fatalf("%s: result %s does not parse back: %v", src, value.String(v), perr)
		}
	})
}
