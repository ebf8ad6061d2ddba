package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/interpreter/replay"
	"github.com/stepdeck/stepdeck/ui/components/graph"
)

func newReplayCommand() *cobra.Command {
	var historyFile, definitionFile, stateMachine string
	cmd := &cobra.Command{
		Use:   "replay --history FILE --definition FILE",
		Short: "Re-run a recorded execution against a definition and find where it departs",
		Long: `Re-run a recorded execution (AWS or local) against a definition, locally, with every task's
result taken from the recorded history, and print the first state where the new run departs
from the recorded one. Exit status 0 when it does not depart, 1 when it does, 2 for bad files.

The history is the JSON of GetExecutionHistory ({"events": [...]}, as the AWS CLI prints it),
the output of 'stepdeck run -o json', or a bare array of events.`,
		Example: `  aws stepfunctions get-execution-history --execution-arn ARN > recorded.json
  stepdeck replay --history recorded.json --definition flow.asl.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if historyFile == "" || definitionFile == "" {
				return usageError("both --history and --definition are needed")
			}
			data, err := os.ReadFile(historyFile)
			if err != nil {
				return usageError("%v", err)
			}
			events, err := graph.ParseHistory(data)
			if err != nil {
				return usageError("%s: %v", historyFile, err)
			}
			m, err := pickMachine(definitionFile, stateMachine)
			if err != nil {
				return err
			}
			def, err := parseMachine(m, "STANDARD")
			if err != nil {
				return err
			}
			res, err := replay.Run(cmd.Context(), def, events)
			if err != nil {
				return usageError("%v", err)
			}
			out := cmd.OutOrStdout()
			if res.Divergence == nil {
				fmt.Fprintf(out, "no divergence: the replay visits the same states with the same data and ends %s\n", res.Execution.Status)
				return nil
			}
			fmt.Fprintf(out, "divergence: %s\n", res.Divergence)
			return &exitError{code: 1}
		},
	}
	cmd.Flags().StringVar(&historyFile, "history", "", "the recorded execution history (JSON)")
	cmd.Flags().StringVar(&definitionFile, "definition", "", "the definition to replay it on: an ASL file, a template, a cloud assembly or a folder")
	cmd.Flags().StringVar(&stateMachine, "state-machine", "", "the state machine of --definition when it holds several (its name or logical id)")
	return cmd
}
