package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/replay"
	"github.com/stepdeck/stepdeck/ui/components/graph"
)

func newReplayCommand() *cobra.Command {
	var histories []string
	var definitionFile, output, stateMachine string
	cmd := &cobra.Command{
		Use:   "replay --history FILE|DIR [--history ...] --definition PATH",
		Short: "Re-run recorded executions against a definition and report every difference",
		Long: `Re-run recorded executions (AWS or local) against a definition, locally, with every task's
result taken from the recorded history, and report how each new run departs from its
recording: what each Task sends (its parameters and resource), the variables each Assign
sets, the branch each Choice takes (and the rule that now matches), each state's output,
renamed and removed states, states not reached or newly entered, and how the execution
ends. Differences inside a Parallel branch or a Map iteration are reported there, with
each differing field as "path: recorded → replayed".

--history may be repeated, and may name a folder: every *.json file in it is replayed.
Exit status 0 when every history replays the same, 1 when any differs, 2 when a file
cannot be read.

A history is the JSON of GetExecutionHistory ({"events": [...]}, as the AWS CLI prints
it), the output of 'stepdeck run -o json', or a bare array of events.`,
		Example: `  aws stepfunctions get-execution-history --execution-arn ARN > recorded.json
  stepdeck replay --history recorded.json --definition flow.asl.json
  stepdeck replay --history recordings/ --definition flow.asl.json --output json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(histories) == 0 || definitionFile == "" {
				return usageError("both --history and --definition are needed")
			}
			if output != "text" && output != "json" {
				return usageError("--output must be text or json, not %q", output)
			}
			def, err := readReplayDefinition(definitionFile, stateMachine)
			if err != nil {
				return err
			}
			files, err := historyFiles(histories)
			if err != nil {
				return err
			}
			var reports []replayReport
			for _, f := range files {
				reports = append(reports, replayOne(cmd, def, f))
			}
			sum := summarize(reports)
			out := cmd.OutOrStdout()
			if output == "json" {
				enc := json.NewEncoder(out)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				if err := enc.Encode(struct {
					Histories []replayReport `json:"histories"`
					Summary   replaySummary  `json:"summary"`
				}{reports, sum}); err != nil {
					return err
				}
			} else {
				writeReplayText(out, reports, sum)
			}
			switch {
			case sum.Unreadable > 0:
				return &exitError{code: 2}
			case sum.Differ > 0:
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&histories, "history", nil, "a recorded execution history (JSON), or a folder of them; repeatable")
	cmd.Flags().StringVar(&definitionFile, "definition", "", "the definition to replay them on: an ASL file, a template, a cloud assembly or a folder")
	cmd.Flags().StringVar(&stateMachine, "state-machine", "", "the state machine of --definition when it holds several (its name or logical id)")
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	return cmd
}

// readReplayDefinition loads the definition from any source (an ASL file, a template,
// a cloud assembly, a folder), the machine --state-machine names when it holds several.
func readReplayDefinition(path, stateMachine string) (*asl.Definition, error) {
	m, err := pickMachine(path, stateMachine)
	if err != nil {
		return nil, err
	}
	return parseMachine(m, "STANDARD")
}

// historyFiles expands folders into the *.json files they hold, sorted by name.
func historyFiles(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, usageError("%v", err)
		}
		if !info.IsDir() {
			files = append(files, a)
			continue
		}
		found, err := filepath.Glob(filepath.Join(a, "*.json"))
		if err != nil {
			return nil, usageError("%v", err)
		}
		if len(found) == 0 {
			return nil, usageError("%s holds no *.json history", a)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, nil
}

// replayReport is one history's replay, as --output json prints it.
type replayReport struct {
	History string `json:"history"`
	// Error says why the history could not be replayed; the other fields are then empty.
	Error string `json:"error,omitempty"`
	Same  bool   `json:"same"`
	// Status is how the replay ended.
	Status      string              `json:"status,omitempty"`
	Differences []replay.Difference `json:"differences"`
}

type replaySummary struct {
	Histories  int `json:"histories"`
	Same       int `json:"same"`
	Differ     int `json:"differ"`
	Unreadable int `json:"unreadable"`
}

func replayOne(cmd *cobra.Command, def *asl.Definition, path string) replayReport {
	r := replayReport{History: path, Differences: []replay.Difference{}}
	data, err := os.ReadFile(path)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	events, err := graph.ParseHistory(data)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	res, err := replay.Run(cmd.Context(), def, events)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.Same, r.Status = res.Same(), string(res.Execution.Status)
	if !r.Same {
		r.Differences = res.Differences
	}
	return r
}

func summarize(reports []replayReport) replaySummary {
	s := replaySummary{Histories: len(reports)}
	for _, r := range reports {
		switch {
		case r.Error != "":
			s.Unreadable++
		case r.Same:
			s.Same++
		default:
			s.Differ++
		}
	}
	return s
}

func writeReplayText(w io.Writer, reports []replayReport, sum replaySummary) {
	single := len(reports) == 1
	for _, r := range reports {
		prefix, indent := "", ""
		if !single {
			prefix, indent = r.History+": ", "  "
		}
		switch {
		case r.Error != "":
			fmt.Fprintf(w, "%scannot replay: %s\n", prefix, r.Error)
		case r.Same:
			fmt.Fprintf(w, "%sno difference: the replay visits the same states, sends the same, and ends %s\n", prefix, r.Status)
		default:
			fmt.Fprintf(w, "%s%d difference%s:\n", prefix, len(r.Differences), plural(len(r.Differences)))
			for _, d := range r.Differences {
				fmt.Fprintf(w, "%s  %s\n", indent, strings.ReplaceAll(d.String(), "\n", "\n"+indent+"  "))
			}
		}
	}
	if !single {
		fmt.Fprintf(w, "%d histories: %d the same, %d differ, %d unreadable\n", sum.Histories, sum.Same, sum.Differ, sum.Unreadable)
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
