// Package jsonpath implements JSONPath as Step Functions uses it: Jayway semantics for
// selection, reference paths for ResultPath, the context object ($$) and variables ($name).
//
// CONTRACT (other packages code against these signatures; the bodies are being written):
package jsonpath

import (
	"errors"

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
	// Variable looks up a workflow variable by name; nil means no variables are set.
	Variable func(name string) (value.Value, bool)
}

// Path is a compiled JSONPath. It is safe for concurrent use.
type Path struct {
	src      string
	root     Root
	variable string
}

// Compile parses a path that starts with $, $$ or $name.
func Compile(src string) (*Path, error) { return nil, errors.New("jsonpath: not implemented") }

// String returns the source text of the path.
func (p *Path) String() string { return p.src }

// Root returns the document the path starts from.
func (p *Path) Root() Root { return p.root }

// Variable returns the variable name for a RootVariable path.
func (p *Path) Variable() string { return p.variable }

// IsDefinite reports whether the path selects at most one node (no wildcard, slice,
// filter, deep scan or union). An indefinite path always yields an array.
func (p *Path) IsDefinite() bool { return true }

// Normalized returns the path in Jayway's bracket form, as AWS prints it in causes:
// $['a']['b'][0].
func (p *Path) Normalized() string { return "" }

// Eval evaluates the path. A definite path that selects nothing returns a *NotFoundError.
func (p *Path) Eval(env *Env) (value.Value, error) { return nil, errors.New("jsonpath: not implemented") }

// NotFoundError says a definite path selected nothing.
type NotFoundError struct {
	Path string // the source text
	Msg  string // Jayway's message, e.g. "No results for path: $['x']"
}

func (e *NotFoundError) Error() string { return e.Msg }

// Reference is a compiled reference path (ResultPath): $ followed by names and indexes.
type Reference struct{ src string }

// CompileReference parses a reference path.
func CompileReference(src string) (*Reference, error) {
	return nil, errors.New("jsonpath: not implemented")
}

func (r *Reference) String() string { return r.src }

// Set returns a copy of doc with v placed at the reference, creating missing objects
// on the way, as ResultPath does. doc is not modified.
func (r *Reference) Set(doc, v value.Value) (value.Value, error) {
	return nil, errors.New("jsonpath: not implemented")
}
