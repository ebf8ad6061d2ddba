// Package template compiles and evaluates the payload templates of the JSONPath query
// language: Parameters, ResultSelector, ItemSelector, Credentials and Assign. A key that
// ends in ".$" takes its value from a path ($, $$ or $variable) or an intrinsic function,
// and loses the suffix; everything else is copied as written.
package template

import (
	"errors"
	"fmt"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/intrinsic"
	"github.com/stepdeck/stepdeck/interpreter/jsonata"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Template is a compiled payload template. It is safe for concurrent use.
type Template struct {
	root node
}

// Problem is a compile error at a place inside the template, given as a JSON pointer
// relative to the template (e.g. "/a/b.$").
type Problem struct {
	Path    string
	Message string // worded as AWS words it
	Detail  string // what exactly is wrong, for people; may be empty
}

type nodeKind uint8

const (
	literal nodeKind = iota // a subtree with nothing to evaluate
	object
	array
	path
	call
	jsonataExpr
)

type node struct {
	kind    nodeKind
	lit     value.Value
	fields  []field // object
	items   []node  // array
	path    *jsonpath.Path
	call    *intrinsic.Call
	expr    *jsonata.Expr
	srcKey  string // the key as written, with ".$", for messages
	srcExpr string
}

type field struct {
	key string
	val node
}

// Compile compiles a template value from a definition. Every problem is reported.
func Compile(v value.Value) (*Template, []Problem) {
	var probs []Problem
	n := compile(v, "", &probs)
	if len(probs) > 0 {
		return nil, probs
	}
	return &Template{root: n}, nil
}

// IsStatic reports whether the template has nothing to evaluate.
func (t *Template) IsStatic() bool { return t.root.kind == literal }

func escapePointer(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

func compile(v value.Value, at string, probs *[]Problem) node {
	switch x := v.(type) {
	case *value.Object:
		n := node{kind: object}
		dynamic := false
		seen := make(map[string]string, x.Len())
		for i := 0; i < x.Len(); i++ {
			k, fv := x.At(i)
			where := at + "/" + escapePointer(k)
			name, isExpr := strings.CutSuffix(k, ".$")
			if prev, dup := seen[name]; dup {
				*probs = append(*probs, Problem{Path: where, Message: fmt.Sprintf("The field %q duplicates the field %q", k, prev)})
			}
			seen[name] = k
			if !isExpr {
				c := compile(fv, where, probs)
				dynamic = dynamic || c.kind != literal
				n.fields = append(n.fields, field{key: k, val: c})
				continue
			}
			dynamic = true
			s, ok := fv.(string)
			if !ok {
				*probs = append(*probs, Problem{Path: where, Message: fmt.Sprintf("The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", k), Detail: "the value is not a string"})
				continue
			}
			c, err := compileExpr(s)
			if err != nil {
				*probs = append(*probs, Problem{Path: where, Message: fmt.Sprintf("The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", k), Detail: err.Error()})
				continue
			}
			c.srcKey = k
			n.fields = append(n.fields, field{key: name, val: c})
		}
		if !dynamic {
			return node{kind: literal, lit: x}
		}
		return n
	case []any:
		n := node{kind: array}
		dynamic := false
		for i, e := range x {
			c := compile(e, fmt.Sprintf("%s/%d", at, i), probs)
			dynamic = dynamic || c.kind != literal
			n.items = append(n.items, c)
		}
		if !dynamic {
			return node{kind: literal, lit: x}
		}
		return n
	}
	return node{kind: literal, lit: v}
}

// compileExpr compiles the string value of a ".$" key.
func compileExpr(s string) (node, error) {
	switch {
	case strings.HasPrefix(s, "$"):
		p, err := jsonpath.Compile(s)
		if err != nil {
			return node{}, err
		}
		return node{kind: path, path: p, srcExpr: s}, nil
	case intrinsic.IsCall(s):
		c, err := intrinsic.Parse(s)
		if err != nil {
			return node{}, err
		}
		return node{kind: call, call: c, srcExpr: s}, nil
	}
	return node{}, errors.New("it must start with '$' or 'States.'")
}

// CompileExpr compiles a single path-or-intrinsic string, as used by Fail's ErrorPath
// and CausePath; field names it in messages.
func CompileExpr(field, s string) (*Template, error) {
	n, err := compileExpr(s)
	if err != nil {
		return nil, err
	}
	n.srcKey = field
	return &Template{root: n}, nil
}

// Eval builds the payload. Errors are *failure.Error values ready to be raised by the
// state (the engine adds the state prefix to the cause).
func (t *Template) Eval(env *jsonpath.Env) (value.Value, error) {
	return eval(&t.root, env)
}

func eval(n *node, env *jsonpath.Env) (value.Value, error) {
	return walk(n, func(n *node) (value.Value, error) {
		switch n.kind {
		case path:
			v, err := n.path.Eval(env)
			if err != nil {
				return nil, pathError(n, env, err)
			}
			return v, nil
		case call:
			return n.call.Eval(env)
		}
		return nil, nil
	})
}

// walk builds a template's value, asking leaf for every node that is evaluated (a
// path, an intrinsic call, a JSONata expression).
func walk(n *node, leaf func(*node) (value.Value, error)) (value.Value, error) {
	switch n.kind {
	case literal:
		return n.lit, nil
	case object:
		o := value.NewObject(len(n.fields))
		for i := range n.fields {
			v, err := walk(&n.fields[i].val, leaf)
			if err != nil {
				return nil, err
			}
			o.Set(n.fields[i].key, v)
		}
		return o, nil
	case array:
		a := make([]any, len(n.items))
		for i := range n.items {
			v, err := walk(&n.items[i], leaf)
			if err != nil {
				return nil, err
			}
			a[i] = v
		}
		return a, nil
	}
	return leaf(n)
}

// pathError words a failed path the way AWS does.
func pathError(n *node, env *jsonpath.Env, err error) error {
	var nf *jsonpath.NotFoundError
	if errors.As(err, &nf) {
		if n.srcKey == "" {
			return failure.Newf(failure.Runtime, "The JSONPath '%s' could not be found in the input '%s'", n.srcExpr, value.String(env.Input))
		}
		return failure.Newf(failure.Runtime, "The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'", n.srcExpr, n.srcKey, value.String(env.Input))
	}
	var fe *failure.Error
	if errors.As(err, &fe) {
		return fe
	}
	return failure.New(failure.Runtime, err.Error())
}
