package intrinsic

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// TestMain swaps in a small path evaluator while the jsonpath package has no
// implementation, so the functions can be tested with path arguments; once
// jsonpath.Compile works, the tests run against it.
func TestMain(m *testing.M) {
	if _, err := jsonpath.Compile("$.a"); err != nil {
		compilePath = compileFakePath
		fmt.Fprintln(os.Stderr, "intrinsic tests: jsonpath.Compile is not available, using a minimal test path evaluator")
	}
	os.Exit(m.Run())
}

// fakePath handles $, $$ and $name followed by .name and [index] steps.
type fakePath struct {
	src   string
	root  jsonpath.Root
	name  string
	steps []any // string keys and int indexes
}

func compileFakePath(src string) (pathExpr, error) {
	p := &fakePath{src: src}
	rest := src
	switch {
	case strings.HasPrefix(rest, "$$"):
		p.root, rest = jsonpath.RootContext, rest[2:]
	case strings.HasPrefix(rest, "$"):
		rest = rest[1:]
		i := strings.IndexAny(rest, ".[")
		if i < 0 {
			i = len(rest)
		}
		if i > 0 {
			p.root, p.name = jsonpath.RootVariable, rest[:i]
		}
		rest = rest[i:]
	default:
		return nil, errors.New("a path starts with $")
	}
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			i := strings.IndexAny(rest, ".[")
			if i < 0 {
				i = len(rest)
			}
			if i == 0 {
				return nil, errors.New("empty name")
			}
			p.steps = append(p.steps, rest[:i])
			rest = rest[i:]
		case '[':
			j := strings.IndexByte(rest, ']')
			if j < 0 {
				return nil, errors.New("missing ]")
			}
			n, err := strconv.Atoi(rest[1:j])
			if err != nil {
				return nil, errors.New("bad index")
			}
			p.steps = append(p.steps, n)
			rest = rest[j+1:]
		default:
			return nil, fmt.Errorf("unexpected %q", rest[0])
		}
	}
	return p, nil
}

func (p *fakePath) String() string      { return p.src }
func (p *fakePath) Root() jsonpath.Root { return p.root }
func (p *fakePath) Variable() string    { return p.name }

func (p *fakePath) Eval(env *jsonpath.Env) (value.Value, error) {
	var doc value.Value
	switch p.root {
	case jsonpath.RootInput:
		doc = env.Input
	case jsonpath.RootContext:
		doc = env.Context
	default:
		ok := false
		if env.Variable != nil {
			doc, ok = env.Variable(p.name)
		}
		if !ok {
			return nil, fmt.Errorf("the variable %s is not set", p.name)
		}
	}
	for _, s := range p.steps {
		switch k := s.(type) {
		case string:
			o, _ := doc.(*value.Object)
			v, ok := o.Get(k)
			if !ok {
				return nil, &jsonpath.NotFoundError{Path: p.src, Msg: "No results for path: " + p.src}
			}
			doc = v
		case int:
			a, _ := doc.([]any)
			if k >= len(a) {
				return nil, &jsonpath.NotFoundError{Path: p.src, Msg: "No results for path: " + p.src}
			}
			doc = a[k]
		}
	}
	return doc, nil
}
