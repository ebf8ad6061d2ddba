package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/intrinsic"
	"github.com/stepdeck/stepdeck/interpreter/jsonata"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func newEvalCommand() *cobra.Command {
	var lang, bindings string
	cmd := &cobra.Command{
		Use:   "eval EXPRESSION",
		Short: "Evaluate a JSONata expression, a JSONPath or an intrinsic function against stdin",
		Long: `Evaluate an expression against the JSON document on standard input, as a state would.

  --lang jsonata (default)  a JSONata expression, with Step Functions' functions
                            ($partition, $range, $hash, $random, $uuid, $parse; no $eval);
                            the input is $states.input, as in a state (and $, as in
                            plain JSONata); a "context" binding is $states.context
  --lang jsonpath           a JSONPath ($.a.b, $$ for --bindings' "context" if given,
                            $name for a variable) or an intrinsic function (States.Format(...))

Empty stdin means no input. --bindings is a JSON object of variables. The result prints as
JSON with exit status 0; an undefined result prints nothing (exit 0). An evaluation error
prints its code first on stderr (T2001: ..., with the position) and exits 1; bad usage
exits 2.`,
		Example: `  echo '{"a":[1,2,3]}' | stepdeck eval '$sum($states.input.a)'
  echo '{"a":{"b":1}}' | stepdeck eval --lang jsonpath '$.a.b'
  stepdeck eval --lang jsonpath "States.MathAdd(1, 2)" < /dev/null`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := io.ReadAll(cmd.InOrStdin())
			if err != nil {
				return usageError("reading stdin: %v", err)
			}
			var input value.Value
			hasInput := strings.TrimSpace(string(data)) != ""
			if hasInput {
				if input, err = value.Parse(data); err != nil {
					return usageError("stdin is not valid JSON: %v", err)
				}
			}
			vars := map[string]value.Value{}
			if bindings != "" {
				b, err := value.ParseString(bindings)
				o, isObj := b.(*value.Object)
				if err != nil || !isObj {
					return usageError("--bindings must be a JSON object of variables")
				}
				for i := 0; i < o.Len(); i++ {
					k, v := o.At(i)
					vars[strings.TrimPrefix(k, "$")] = v
				}
			}
			var result value.Value
			switch lang {
			case "jsonata":
				result, err = evalJSONata(args[0], input, hasInput, vars)
			case "jsonpath":
				result, err = evalJSONPath(args[0], input, vars)
			default:
				return usageError("--lang must be jsonata or jsonpath, not %q", lang)
			}
			if errors.Is(err, jsonata.ErrUndefined) {
				return nil
			}
			if err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), err)
				return &exitError{code: 1}
			}
			fmt.Fprintln(cmd.OutOrStdout(), value.String(result))
			return nil
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "jsonata", "the expression language: jsonata or jsonpath")
	cmd.Flags().StringVar(&bindings, "bindings", "", "a JSON object of variables, e.g. '{\"x\": 1}'")
	return cmd
}

// evalJSONata binds the input as a JSONata state sees it, $states.input (and
// $states.context to the "context" binding), and also to $, as plain JSONata does.
func evalJSONata(expr string, input value.Value, hasInput bool, vars map[string]value.Value) (value.Value, error) {
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

func evalJSONPath(expr string, input value.Value, vars map[string]value.Value) (value.Value, error) {
	env := &jsonpath.Env{Input: input, Variable: func(n string) (value.Value, bool) {
		v, ok := vars[n]
		return v, ok
	}}
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
