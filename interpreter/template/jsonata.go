package template

import (
	"errors"
	"fmt"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/jsonata"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// In the JSONata query language a field's value is a template too: any string of the
// form "{% expression %}", at any depth, is a JSONata expression; everything else is
// literal. A JSONata template is evaluated with bindings ($states and the variables)
// instead of paths.

// IsExpression reports whether s is a "{% ... %}" expression.
func IsExpression(s string) bool {
	return strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}") && len(s) >= 4
}

func expressionText(s string) string { return strings.TrimSpace(s[2 : len(s)-2]) }

// CompileJSONata compiles the value of a JSONata-language field. field names it in
// messages and in EvaluationFailed events ("Output", "Arguments", "Assign").
func CompileJSONata(v value.Value, field string) (*Template, []Problem) {
	var probs []Problem
	n := compileJSONata(v, "", field, &probs)
	if len(probs) > 0 {
		return nil, probs
	}
	return &Template{root: n}, nil
}

func compileJSONata(v value.Value, at, location string, probs *[]Problem) node {
	switch x := v.(type) {
	case string:
		if !IsExpression(x) {
			return node{kind: literal, lit: x}
		}
		src := expressionText(x)
		e, err := jsonata.Compile(src)
		if err != nil {
			*probs = append(*probs, Problem{Path: at, Message: fmt.Sprintf("The JSONata expression '%s' specified for the field '%s' is not valid", src, location), Detail: err.Error()})
			return node{}
		}
		return node{kind: jsonataExpr, expr: e, srcExpr: src, srcKey: location}
	case *value.Object:
		n := node{kind: object}
		dynamic := false
		for i := 0; i < x.Len(); i++ {
			k, fv := x.At(i)
			c := compileJSONata(fv, at+"/"+escapePointer(k), location+"/"+k, probs)
			dynamic = dynamic || c.kind != literal
			n.fields = append(n.fields, field{key: k, val: c})
		}
		if !dynamic {
			return node{kind: literal, lit: x}
		}
		return n
	case []any:
		n := node{kind: array}
		dynamic := false
		for i, e := range x {
			c := compileJSONata(e, fmt.Sprintf("%s/%d", at, i), fmt.Sprintf("%s/%d", location, i), probs)
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

// JSONataEnv is what JSONata expressions of a state can see.
type JSONataEnv struct {
	// Bindings are the variables by name (without $), including "states".
	Bindings map[string]value.Value
	Options  *jsonata.Options
}

// EvalJSONata builds the value of a JSONata template. Failures are
// States.QueryEvaluationError with the field's location, worded as AWS words them.
func (t *Template) EvalJSONata(env *JSONataEnv) (value.Value, error) {
	return evalJ(&t.root, env)
}

// Expression returns the source of a template that is one expression, or "".
func (t *Template) Expression() string {
	if t.root.kind == jsonataExpr {
		return t.root.srcExpr
	}
	return ""
}

// Location is the field a single-expression template was compiled for.
func (t *Template) Location() string { return t.root.srcKey }

func evalJ(n *node, env *JSONataEnv) (value.Value, error) {
	return walk(n, func(n *node) (value.Value, error) {
		if n.kind != jsonataExpr {
			return nil, nil
		}
		v, err := n.expr.Evaluate(nil, env.Bindings, env.Options)
		if errors.Is(err, jsonata.ErrUndefined) {
			return nil, QueryError(n.srcExpr, n.srcKey, "returned nothing (undefined).")
		}
		if errors.Is(err, jsonata.ErrFunction) {
			return nil, QueryError(n.srcExpr, n.srcKey, "returned an unsupported result type.")
		}
		if err != nil {
			return nil, QueryError(n.srcExpr, n.srcKey, "threw an error during evaluation. "+err.Error())
		}
		if !isJSON(v) {
			return nil, QueryError(n.srcExpr, n.srcKey, "returned an unsupported result type.")
		}
		return v, nil
	})
}

// isJSON reports whether v is plain JSON (a JSONata function is not).
func isJSON(v value.Value) bool {
	switch x := v.(type) {
	case nil, bool, int64, float64, string:
		return true
	case []any:
		for _, e := range x {
			if !isJSON(e) {
				return false
			}
		}
		return true
	case *value.Object:
		for i := 0; i < x.Len(); i++ {
			if _, e := x.At(i); !isJSON(e) {
				return false
			}
		}
		return true
	}
	return false
}

// QueryError is a States.QueryEvaluationError about an expression in a field.
func QueryError(expr, location, what string) *failure.Error {
	return &failure.Error{Name: failure.QueryEvaluationError, Location: location,
		Cause: fmt.Sprintf("The JSONata expression '%s' specified for the field '%s' %s", expr, location, what)}
}
