package choice

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// fakePath is a tiny stand-in for jsonpath: a root ($, $$ or $name) then .name and
// [index] steps. It lets the rule logic be tested while the real package is being
// written, and checks that Choice depends only on the path contract.
type fakePath struct {
	src   string
	root  jsonpath.Root
	name  string
	steps []any // string keys and int indexes
}

func fakeCompile(src string) (path, error) {
	p := &fakePath{src: src}
	rest := ""
	switch {
	case strings.HasPrefix(src, "$$"):
		p.root, rest = jsonpath.RootContext, src[2:]
	case strings.HasPrefix(src, "$"):
		rest = src[1:]
		n := strings.IndexAny(rest, ".[")
		if n < 0 {
			n = len(rest)
		}
		if n > 0 {
			p.root, p.name = jsonpath.RootVariable, rest[:n]
		}
		rest = rest[n:]
	default:
		return nil, errors.New("a path starts with $")
	}
	for rest != "" {
		switch rest[0] {
		case '.':
			n := strings.IndexAny(rest[1:], ".[")
			if n < 0 {
				n = len(rest) - 1
			}
			if n == 0 {
				return nil, errors.New("empty name")
			}
			p.steps = append(p.steps, rest[1:1+n])
			rest = rest[1+n:]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, errors.New("unclosed [")
			}
			i, err := strconv.Atoi(rest[1:end])
			if err != nil {
				return nil, errors.New("bad index")
			}
			p.steps = append(p.steps, i)
			rest = rest[end+1:]
		default:
			return nil, errors.New("unexpected " + rest[:1])
		}
	}
	return p, nil
}

func (p *fakePath) String() string { return p.src }

func (p *fakePath) Eval(env *jsonpath.Env) (value.Value, error) {
	var v value.Value
	switch p.root {
	case jsonpath.RootInput:
		v = env.Input
	case jsonpath.RootContext:
		v = env.Context
	default:
		ok := false
		if env.Variable != nil {
			v, ok = env.Variable(p.name)
		}
		if !ok {
			return nil, &jsonpath.NotFoundError{Path: p.src, Msg: "no variable " + p.name}
		}
	}
	for _, s := range p.steps {
		switch k := s.(type) {
		case string:
			o, ok := v.(*value.Object)
			if !ok {
				return nil, &jsonpath.NotFoundError{Path: p.src, Msg: "not an object"}
			}
			if v, ok = o.Get(k); !ok {
				return nil, &jsonpath.NotFoundError{Path: p.src, Msg: "no " + k}
			}
		case int:
			a, ok := v.([]any)
			if !ok || k < 0 || k >= len(a) {
				return nil, &jsonpath.NotFoundError{Path: p.src, Msg: "no index"}
			}
			v = a[k]
		}
	}
	return v, nil
}

// realJSONPath reports whether the jsonpath package is implemented yet.
func realJSONPath() bool {
	p, err := jsonpath.Compile("$.a")
	if err != nil {
		return false
	}
	v, err := p.Eval(&jsonpath.Env{Input: value.ObjectOf("a", int64(1))})
	return err == nil && value.Equal(v, int64(1))
}

// compiler picks the real jsonpath when it works, else the fake, and says which.
func compiler(tb testing.TB) func(string) (path, error) {
	tb.Helper()
	if realJSONPath() {
		return compileJSONPath
	}
	tb.Log("jsonpath is not implemented yet: using the test stand-in for paths")
	return fakeCompile
}

// mustRule parses JSON text as a top-level rule or fails the test.
func mustRule(tb testing.TB, src string, compile func(string) (path, error)) *Rule {
	tb.Helper()
	o, ok := value.MustParse(src).(*value.Object)
	if !ok {
		tb.Fatalf("%s is not an object", src)
	}
	r, probs := parseWith(o, true, compile)
	if len(probs) > 0 {
		tb.Fatalf("Parse(%s): %v", src, probs)
	}
	return r
}
