// Command stepdeck is a terminal UI for AWS Step Functions with a local engine built in.
// This file wires the commands; the work happens in the packages they call.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
)

// exitError carries a process exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

// usageError makes bad input exit with status 2.
func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

func newRootCommand() *cobra.Command {
	var tui tuiOptions
	root := &cobra.Command{
		Use:   "stepdeck",
		Short: "A terminal UI for AWS Step Functions, with a local Step Functions engine built in",
		Long: `stepdeck draws state machines, follows executions and answers callbacks, against real
AWS or against the local Step Functions engine built into this binary.

Run with no command on a terminal to open the terminal UI (stepdeck tui), on the local
engine with the bundled examples, or on AWS with --profile/--region/--endpoint.
stepdeck PATH... opens it on the local engine with the state machines of those files:
ASL (JSON or YAML), SAM or CloudFormation templates, CDK cloud assemblies, folders.
Other commands:
  stepdeck tui [PATH...]   open the terminal UI (the default on a terminal)
  stepdeck run PATH        run a state machine definition locally and print its history
  stepdeck validate PATH   check definitions and print AWS-style diagnostics
  stepdeck graph PATH      draw a state machine, with an execution's statuses
  stepdeck timeline        draw an execution history as a timeline (Gantt chart)
  stepdeck eval EXPR       evaluate JSONata, JSONPath or an intrinsic against stdin
  stepdeck serve           serve the local engine over the Step Functions HTTP API
  stepdeck replay          re-run a recorded execution against a changed definition
  stepdeck debug PATH      step through a definition in the terminal UI, with breakpoints`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// stepdeck PATH... opens the UI on those files (see stepdeck tui).
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			// Only a person at a terminal gets the UI; scripts and CI keep the help.
			if !term.IsTerminal(os.Stdin.Fd()) || !term.IsTerminal(os.Stdout.Fd()) {
				if len(args) > 0 {
					return usageError("unknown command %q: the UI (stepdeck PATH...) needs a terminal; stepdeck --help lists the commands", args[0])
				}
				return cmd.Help()
			}
			tui.paths = args
			return runTUI(cmd.Context(), tui)
		},
	}
	addTUIFlags(root, &tui)
	root.AddCommand(newRunCommand(), newValidateCommand(), newEvalCommand(), newServeCommand(), newReplayCommand(), newTestStateCommand())
	root.AddCommand(newGraphCommand(), newTimelineCommand(), newTUICommand(), newDebugCommand())
	return root
}

func main() {
	err := newRootCommand().Execute()
	if err == nil {
		return
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(os.Stderr, "stepdeck:", ee.err)
		}
		os.Exit(ee.code)
	}
	fmt.Fprintln(os.Stderr, "stepdeck:", err)
	os.Exit(2)
}
