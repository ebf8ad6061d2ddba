package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/source"
)

type validateOptions struct {
	typ          string
	typeGiven    bool
	stateMachine string
}

func newValidateCommand() *cobra.Command {
	var o validateOptions
	var watch bool
	cmd := &cobra.Command{
		Use:   "validate PATH...",
		Short: "Check state machine definitions",
		Long: `Check state machine definitions as CreateStateMachine would, and print every problem with
its code, message and location: a line and column in the source file, and a JSON pointer
into the definition.

PATH is an ASL file (JSON or YAML), a SAM or CloudFormation template, a CDK cloud
assembly (cdk.out) or a folder holding any of these; every state machine found is checked,
or only the one --state-machine names. For a template, the references that stand in for
deployed resources (placeholders) are listed. With --watch, check again on every save.

Exit status 1 when any definition has an error, 2 when a path cannot be read.`,
		Example: `  stepdeck validate flow.asl.json
  stepdeck validate template.yaml --state-machine SignOffMachine
  stepdeck validate cdk.out
  stepdeck validate --watch template.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.typeGiven = cmd.Flags().Changed("type")
			if t := strings.ToUpper(o.typ); t != "STANDARD" && t != "EXPRESS" {
				return usageError("--type must be STANDARD or EXPRESS, not %q", o.typ)
			}
			out := cmd.OutOrStdout()
			if watch {
				return watchPaths(cmd.Context(), args, out, func(w io.Writer) {
					if err := validatePaths(w, args, o); err != nil && !isDefinitionFailure(err) {
						fmt.Fprintln(w, "stepdeck:", err)
					}
				})
			}
			return validatePaths(out, args, o)
		},
	}
	cmd.Flags().StringVar(&o.typ, "type", "STANDARD", "state machine type: STANDARD or EXPRESS (EXPRESS forbids callbacks, .sync, activities and distributed Maps); default: the type a template declares")
	cmd.Flags().StringVar(&o.stateMachine, "state-machine", "", "check only this state machine of a template (its name or logical id)")
	cmd.Flags().BoolVar(&watch, "watch", false, "check again whenever a source file changes (Ctrl-C to stop)")
	return cmd
}

// isDefinitionFailure tells the exit status of a definition with errors from others.
func isDefinitionFailure(err error) bool {
	var ee *exitError
	return errors.As(err, &ee) && ee.code == 1 && ee.err == nil
}

// validatePaths checks every machine of every path and prints what it finds.
func validatePaths(out io.Writer, paths []string, o validateOptions) error {
	failed := false
	for _, path := range paths {
		ms, err := source.Load(path)
		var se *source.Error
		switch {
		case err != nil && errors.As(err, &se):
			// A source that does not parse: its syntax errors, placed in the file.
			failed = true
			fmt.Fprintf(out, "%v\n", err)
			if len(ms) == 0 {
				continue
			}
		case err != nil:
			return usageError("%v", err)
		}
		if o.stateMachine != "" {
			m, err := choose(path, ms, o.stateMachine)
			if err != nil {
				return err
			}
			ms = []*source.Machine{m}
		}
		if len(ms) == 0 {
			fmt.Fprintf(out, "%s: no state machine found\n", path)
			failed = true
		}
		for _, m := range ms {
			typ, err := machineType(m, o.typ, o.typeGiven)
			if err != nil {
				return err
			}
			_, err = asl.ParseFor(m.Definition, typ)
			var de *asl.Error
			if errors.As(err, &de) {
				failed = true
				fmt.Fprintf(out, "%s: %d problem(s)\n", machineLabel(m), len(de.Diagnostics))
				writeDiagnostics(out, m, de.Diagnostics)
			} else if err != nil {
				return err
			} else {
				fmt.Fprintf(out, "%s: OK\n", machineLabel(m))
			}
			writePlaceholders(out, m, false)
		}
	}
	if failed {
		return &exitError{code: 1}
	}
	return nil
}
