// Package jsonpath implements JSONPath as Step Functions uses it: Jayway semantics for
// selection, reference paths for ResultPath, the context object ($$) and variables ($name).
//
// Step Functions evaluates paths with the Java Jayway JsonPath library over Jackson
// nodes, so this package follows Jayway where it differs from other JSONPath dialects:
// a definite path yields one node or fails with Jayway's message, an indefinite one
// (wildcard, slice, union of indexes, filter, deep scan) always yields an array, a
// union of names at the end of a path yields an object, and an index past the end of
// an array yields null (Jackson's ArrayNode.get returns null there).
package jsonpath

import (
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Root says which document a path starts from.
type Root uint8

const (
	RootInput    Root = iota // $
	RootContext              // $$
	RootVariable             // $name
)

// Env holds the documents a path can start from.
type Env struct {
	Input   value.Value
	Context value.Value
	// Vars looks workflow variables up by name; nil means no variables are set. (An
	// interface, not a func: an engine builds an Env for every path it evaluates, and a
	// method value would be one more allocation each time.)
	Vars Variables
}

// Variables looks workflow variables up by name.
type Variables interface {
	Get(name string) (value.Value, bool)
}

// VarMap is a set of variables in a map.
type VarMap map[string]value.Value

// Get looks a variable up.
func (m VarMap) Get(name string) (value.Value, bool) {
	v, ok := m[name]
	return v, ok
}

// Path is a compiled JSONPath. It is safe for concurrent use.
type Path struct {
	src      string
	root     Root
	variable string
	steps    []step
	definite bool
	// simple is set when every step is a single name or a single index, so Eval can
	// walk the document without the general evaluator (and without allocating).
	simple bool
}

// Options widen what Compile accepts.
type Options struct {
	// Functions enables Jayway's trailing functions (length(), sum(), keys()...).
	// Step Functions does not support them: there `$.a.length()` names a property
	// called "length()", which is what Compile does.
	Functions bool
}

// Compile parses a path that starts with $, $$ or $name.
func Compile(src string) (*Path, error) { return CompileWith(src, Options{}) }

// CompileWith parses a path with the given options.
func CompileWith(src string, opts Options) (*Path, error) {
	p := &parser{src: src, opts: opts}
	return p.parsePath()
}

// MustCompile is Compile for paths written in code; it panics on a bad path.
func MustCompile(src string) *Path {
	p, err := Compile(src)
	if err != nil {
		panic(err)
	}
	return p
}

// String returns the source text of the path.
func (p *Path) String() string { return p.src }

// Root returns the document the path starts from.
func (p *Path) Root() Root { return p.root }

// Variable returns the variable name for a RootVariable path.
func (p *Path) Variable() string { return p.variable }

// IsDefinite reports whether the path selects at most one node (no wildcard, slice,
// filter, deep scan or union of indexes). An indefinite path always yields an array.
func (p *Path) IsDefinite() bool { return p.definite }

// Normalized returns the path in Jayway's bracket form, as AWS prints it in causes:
// $['a']['b'][0]. The root is kept ($$, $name) so the result compiles to the same path.
func (p *Path) Normalized() string {
	var b strings.Builder
	b.WriteString(rootText(p.root, p.variable))
	writeSteps(&b, p.steps)
	return b.String()
}

// Eval evaluates the path. A definite path that selects nothing returns a *NotFoundError.
func (p *Path) Eval(env *Env) (value.Value, error) {
	doc, err := p.document(env)
	if err != nil {
		return nil, err
	}
	return p.EvalDocument(doc)
}

// EvalDocument evaluates the path against doc, whatever its root says. It is meant for
// callers that already hold the document ($$ built once, a variable read once).
func (p *Path) EvalDocument(doc value.Value) (value.Value, error) {
	if p.simple {
		if v, ok := walkSimple(p.steps, doc); ok {
			return v, nil
		}
	}
	return p.evalGeneral(doc)
}

func (p *Path) document(env *Env) (value.Value, error) {
	if env == nil {
		env = &Env{}
	}
	switch p.root {
	case RootContext:
		return env.Context, nil
	case RootVariable:
		if env.Vars != nil {
			if v, ok := env.Vars.Get(p.variable); ok {
				return v, nil
			}
		}
		return nil, &UnknownVariableError{Path: p.src, Name: p.variable}
	}
	return env.Input, nil
}
