package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

func newValidateCommand() *cobra.Command {
	var typ string
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check state machine definitions",
		Long: `Check state machine definitions as CreateStateMachine would, and print every problem with
its line and column in the file, its code, message and location (a JSON pointer into the
definition): "flow.json:4:17: ERROR CODE: message at /States/A/Next". Exit status 1 when
any definition has an error, 2 when a file cannot be read.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			typ = strings.ToUpper(typ)
			if typ != "STANDARD" && typ != "EXPRESS" {
				return usageError("--type must be STANDARD or EXPRESS, not %q", typ)
			}
			out := cmd.OutOrStdout()
			failed := false
			for _, file := range args {
				data, err := os.ReadFile(file)
				if err != nil {
					return usageError("%v", err)
				}
				_, err = asl.ParseFor(data, typ)
				var de *asl.Error
				if errors.As(err, &de) {
					failed = true
					for _, d := range de.Diagnostics {
						where := file
						if d.Line > 0 {
							// file:line:column, as compilers print it: editors jump there.
							where = fmt.Sprintf("%s:%d:%d", file, d.Line, d.Column)
						}
						line := fmt.Sprintf("%s: %s %s: %s", where, d.Severity, d.Code, d.Message)
						if d.Location != "" {
							line += " at " + d.Location
						}
						if d.Detail != "" {
							line += " (" + d.Detail + ")"
						}
						fmt.Fprintln(out, line)
					}
					continue
				}
				fmt.Fprintf(out, "%s: OK\n", file)
			}
			if failed {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&typ, "type", "STANDARD", "state machine type: STANDARD or EXPRESS (EXPRESS forbids callbacks, .sync, activities and distributed Maps)")
	return cmd
}
