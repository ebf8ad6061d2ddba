// Package expr evaluates one expression as a state would, in either query language:
// JSONata with Step Functions' functions and $states bound, or a JSONPath or an intrinsic
// function. It is what `stepdeck eval` runs, and what the debugger's conditions, watches
// and prompt run against a stopped state.
package expr

import (
	"errors"
	"fmt"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/intrinsic"
	"github.com/stepdeck/stepdeck/interpreter/jsonata"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Eval evaluates text in lang ("jsonata" or "jsonpath"). vars are the workflow
// variables; a "context" entry is the context object ($states.context, $$).
func Eval(lang, text string, input value.Value, hasInput bool, vars map[string]value.Value) (value.Value, error) {
	switch lang {
	case "jsonata", "":
		return JSONata(text, input, hasInput, vars)
	case "jsonpath":
		return JSONPath(text, input, vars)
	}
	return nil, fmt.Errorf("the expression language must be jsonata or jsonpath, not %q", lang)
}

// JSONata evaluates a JSONata expression as a state would: it binds the input as a JSONata state sees it, $states.input (and
// $states.context to the "context" binding), and also to $, as plain JSONata does.
func JSONata(expr string, input value.Value, hasInput bool, vars map[string]value.Value) (value.Value, error) {
	e, err := jsonata.Compile(expr)
	if err != nil {
		return nil, err
	}
	states := value.NewObject(2)
	if hasInput {
		states.Set("input", input)
	} else {
		input = jsonata.Undefined
	}
	if c, ok := vars["context"]; ok {
		states.Set("context", c)
	}
	bindings := make(map[string]value.Value, len(vars)+1)
	for k, v := range vars {
		bindings[k] = v
	}
	bindings["states"] = states
	v, err := e.Evaluate(input, bindings, &jsonata.Options{Functions: jsonata.StepFunctions(nil)})
	var je *jsonata.Error
	if errors.As(err, &je) && je.Code == "T1006" && je.Token == "eval" {
		// Step Functions removes $eval; JSONata alone would call it a non-function.
		return nil, fmt.Errorf("T1006: $eval is not available in Step Functions (use $parse to read JSON text), at position %d", je.Position)
	}
	return v, err
}

// JSONPath evaluates a JSONPath ($.a, $$ for the "context" variable, $name for a
// variable) or an intrinsic function (States.Format(...)) against input.
func JSONPath(expr string, input value.Value, vars map[string]value.Value) (value.Value, error) {
	env := &jsonpath.Env{Input: input, Vars: jsonpath.VarMap(vars)}
	if c, ok := vars["context"]; ok {
		env.Context = c
	}
	if intrinsic.IsCall(expr) {
		call, err := intrinsic.Parse(expr)
		if err != nil {
			return nil, err
		}
		v, err := call.Eval(env)
		var fe *failure.Error
		if errors.As(err, &fe) {
			return nil, fmt.Errorf("%s: %s", fe.Name, fe.Cause)
		}
		return v, err
	}
	p, err := jsonpath.Compile(expr)
	if err != nil {
		return nil, err
	}
	return p.Eval(env)
}

// Check reports a syntax error in text without evaluating it.
func Check(lang, text string) error {
	switch lang {
	case "jsonata", "":
		_, err := jsonata.Compile(text)
		return err
	case "jsonpath":
		if intrinsic.IsCall(text) {
			_, err := intrinsic.Parse(text)
			return err
		}
		_, err := jsonpath.Compile(text)
		return err
	}
	return fmt.Errorf("the expression language must be jsonata or jsonpath, not %q", lang)
}
