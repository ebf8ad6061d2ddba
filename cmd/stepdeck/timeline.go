package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/ui/components/graph"
	"github.com/stepdeck/stepdeck/ui/components/history"
	"github.com/stepdeck/stepdeck/ui/components/timeline"
)

type timelineOptions struct {
	history string
	width   int
	color   string
}

func newTimelineCommand() *cobra.Command {
	var o timelineOptions
	cmd := &cobra.Command{
		Use:   "timeline --history FILE",
		Short: "Draw an execution's history as a timeline (a Gantt chart)",
		Long: `Draw an execution on a time axis: one bar per state visit, Parallel branches and Map
iterations in lanes under their state (past 24 lanes, one row per state with a count), failed
attempts (x), retry waits (·), Wait states (░) and callback or activity waits (▒) drawn apart,
and the critical path (the chain of causes of the last event) marked with *.

The history is the output of GetExecutionHistory (aws stepfunctions get-execution-history)
or of stepdeck run --output json. Exit status 2 for a file that cannot be read or parsed.`,
		Example: `  stepdeck run flow.asl.json -o json > run.json; stepdeck timeline --history run.json
  aws stepfunctions get-execution-history --execution-arn ARN > h.json; stepdeck timeline --history h.json --width 120`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return drawTimeline(cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.history, "history", "", "the execution history (GetExecutionHistory JSON, or stepdeck run -o json output)")
	f.IntVar(&o.width, "width", 0, "width in columns (default: $COLUMNS on a terminal, else 100)")
	f.StringVar(&o.color, "color", "auto", "colour: auto, always or never")
	return cmd
}

func drawTimeline(cmd *cobra.Command, o timelineOptions) error {
	if o.history == "" {
		return usageError("--history is required: a GetExecutionHistory JSON file or stepdeck run -o json output")
	}
	if o.width < 0 {
		return usageError("--width must not be negative")
	}
	data, err := os.ReadFile(o.history)
	if err != nil {
		return usageError("%v", err)
	}
	events, err := graph.ParseHistory(data)
	if err != nil {
		return usageError("%s: %v", o.history, err)
	}
	if len(events) == 0 {
		return usageError("%s: the history has no events", o.history)
	}
	out := cmd.OutOrStdout()
	tty := false
	if f, ok := out.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	width := o.width
	if width == 0 {
		width = 100
		if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 && tty {
			width = n
		}
	}
	opts := timeline.Options{Width: width, Selected: -1, Cursor: -1}
	switch o.color {
	case "auto":
		opts.Color = tty && os.Getenv("NO_COLOR") == ""
	case "always":
		opts.Color = true
	case "never":
	default:
		return usageError("--color must be auto, always or never, not %q", o.color)
	}
	_, err = fmt.Fprintln(out, timeline.Print(events, history.States(events), opts))
	return err
}
