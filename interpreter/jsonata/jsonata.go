// Package jsonata is a native Go evaluator of JSONata 2.x, the query language of Step
// Functions' JSONata states, written to give the same results and errors as the
// reference implementation (jsonata-js).
//
// Compile an expression once and evaluate it many times:
//
//	e, err := jsonata.Compile(`$sum(Order.(Price * Quantity))`)
//	v, err := e.Evaluate(input, nil, nil)
//
// Values in and out are interpreter/value values. JSONata's undefined (no result) is
// reported as (nil, ErrUndefined); a JSON null result is (nil, nil). Numbers are doubles
// inside; results print as the reference prints them, integral numbers as int64.
package jsonata

import (
	"fmt"
	"sync"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// DefaultMaxDepth bounds nested evaluation when Options.MaxDepth is zero. It keeps a
// runaway recursion from exhausting memory while leaving room for deep, honest programs.
const DefaultMaxDepth = 20000

// Undefined stands for JSONata's undefined in the arguments and results of functions
// registered through Options.Functions.
var Undefined any = undefined

// Options are the per-evaluation settings; the zero value (or nil) is fine.
type Options struct {
	// Deadline, when not zero, stops the evaluation with error U1001 once passed.
	Deadline time.Time
	// MaxDepth bounds the nesting of evaluation (error U1001 beyond it).
	MaxDepth int
	// Functions adds functions by name (without the $) or replaces built-in ones; a
	// zero Function hides a built-in of that name.
	Functions map[string]Function
	// Now is the clock of $now and $millis; it is read once per evaluation.
	Now func() time.Time
	// Rand is the source of $random and $shuffle, returning values in [0, 1).
	Rand func() float64
}

// Function is a function written in Go and callable from expressions.
type Function struct {
	// Signature, such as "<n-n:n>", checks and adjusts arguments before Call sees them
	// (optional, "-" uses the context value, single values become arrays where "a" is
	// wanted). Empty means no checks.
	Signature string
	// Call receives arguments as interpreter/value values, or Undefined; it returns a
	// value, Undefined, or an error (return *Error to choose the code).
	Call func(args []value.Value) (value.Value, error)
}

var evaluators = sync.Pool{New: func() any { return new(evaluator) }}

type userFunc struct {
	f     Function
	sig   *signature
	arity int
}

// Expr is a compiled expression. It is immutable and safe for concurrent use.
type Expr struct {
	src  string
	root *node
}

// Compile parses an expression. Syntax errors are *Error with an S0xxx code.
func Compile(expr string) (*Expr, error) {
	root, err := parse(expr)
	if err != nil {
		return nil, err
	}
	return &Expr{src: expr, root: root}, nil
}

// MustCompile is Compile for expressions known to be valid; it panics otherwise.
func MustCompile(expr string) *Expr {
	e, err := Compile(expr)
	if err != nil {
		panic(err)
	}
	return e
}

// Source returns the text the expression was compiled from.
func (e *Expr) Source() string { return e.src }

// Evaluate runs the expression against input with the given variable bindings (names
// without the $). Pass Undefined as input for "no input" (nil is JSON null). Errors are
// *Error; an undefined result is ErrUndefined, a function ErrFunction. Without Options.Deadline nothing bounds
// the running time: callers evaluating untrusted expressions should set one.
func (e *Expr) Evaluate(input value.Value, bindings map[string]value.Value, opts *Options) (result value.Value, err error) {
	if opts == nil {
		opts = &Options{}
	}
	// Nothing of the evaluator outlives the call (functions leave as ""), so it is reused.
	ev := evaluators.Get().(*evaluator)
	*ev = evaluator{maxDepth: opts.MaxDepth, rand: opts.Rand}
	defer evaluators.Put(ev)
	if ev.maxDepth <= 0 {
		ev.maxDepth = DefaultMaxDepth
	}
	if !opts.Deadline.IsZero() {
		ev.deadline = opts.Deadline
		ev.timed = true
	}
	ev.clock = opts.Now
	if len(opts.Functions) > 0 {
		ev.funcs = make(map[string]*userFunc, len(opts.Functions))
		for name, f := range opts.Functions {
			if f.Call == nil {
				ev.funcs[name] = nil
				continue
			}
			uf := &userFunc{f: f, arity: 1}
			if f.Signature != "" {
				sig, err := parseSignature(f.Signature)
				if err != nil {
					return nil, fmt.Errorf("jsonata: function $%s: %w", name, err)
				}
				uf.sig = sig
				uf.arity = len(sig.params)
			}
			ev.funcs[name] = uf
		}
	}
	defer func() {
		if r := recover(); r != nil {
			result = nil
			err = &Error{Code: "U1000", Message: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	var in any = input
	if a, ok := input.([]any); ok {
		in = &seq{items: []any{a}, outerWrapper: true}
	}
	root := &ev.root
	root.names = ev.rootNames[:1]
	root.vals = ev.rootVals[:1]
	root.names[0], root.vals[0] = "$", in
	for name, v := range bindings {
		root.bind(name, v)
	}
	res, err := ev.eval(e.root, in, root)
	if err != nil {
		return nil, err
	}
	if isUndefined(res) {
		return nil, ErrUndefined
	}
	if isFunction(res) {
		return nil, ErrFunction
	}
	if s, ok := res.(*seq); ok && s.tupleStream {
		return exportValue(s), nil
	}
	return exportValue(res), nil
}

func callUser(uf *userFunc, c callCtx, args []any) (any, error) {
	out := make([]value.Value, len(args))
	for i, a := range args {
		if isUndefined(a) {
			out[i] = Undefined
		} else {
			out[i] = exportValue(a)
		}
	}
	r, err := uf.f.Call(out)
	if err != nil {
		if e, ok := err.(*Error); ok {
			if e.Position == 0 {
				e.Position = c.pos
			}
			return nil, e
		}
		return nil, &Error{Code: "D3137", Position: c.pos, Token: c.name, Message: err.Error()}
	}
	if r == nil {
		return nil, nil
	}
	return r, nil
}
