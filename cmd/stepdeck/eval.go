package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/interpreter/expr"
	"github.com/stepdeck/stepdeck/interpreter/jsonata"
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
				result, err = expr.JSONata(args[0], input, hasInput, vars)
			case "jsonpath":
				result, err = expr.JSONPath(args[0], input, vars)
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
