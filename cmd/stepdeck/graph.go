package main

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/ui/components/graph"
)

type graphOptions struct {
	stateMachine string
	watch        bool
	width        int
	history      string
	selected     string
	outline      bool
	color        string
}

func newGraphCommand() *cobra.Command {
	var o graphOptions
	cmd := &cobra.Command{
		Use:   "graph PATH",
		Short: "Draw a state machine definition as a graph",
		Long: `Draw a state machine definition as a graph of boxes and lines. With --history, paint each
state with what an execution did there: running, succeeded, failed, caught, waiting for a
callback, aborted. When the graph is wider than --width it is printed as an outline.

PATH is an ASL file (JSON or YAML), a SAM or CloudFormation template, a CDK cloud
assembly or a folder; --state-machine picks one when it holds several. The references a
template's definition makes to deployed resources (placeholders) are listed on stderr.
With --watch the graph is drawn again on every save, and a definition that no longer
parses shows its problems, placed at their line and column, until it is fixed.

Colour is used only when stdout is a terminal and NO_COLOR is not set; markers (✓ ✗ ● ↯ ⧗ ■)
show the statuses either way. Exit status 2 for a file that cannot be read or is not valid.`,
		Example: `  stepdeck graph flow.asl.json
  stepdeck graph flow.asl.json --width 100
  stepdeck run flow.asl.json -o json > run.json; stepdeck graph flow.asl.json --history run.json
  aws stepfunctions get-execution-history --execution-arn ARN > h.json; stepdeck graph flow.asl.json --history h.json
  stepdeck graph template.yaml --state-machine SignOffMachine
  stepdeck graph --watch statemachine/sign-off.asl.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !o.watch {
				return drawGraph(cmd.OutOrStdout(), cmd.ErrOrStderr(), args[0], o)
			}
			return watchPaths(cmd.Context(), args, cmd.OutOrStdout(), func(w io.Writer) {
				if err := drawGraph(w, w, args[0], o); err != nil {
					fmt.Fprintln(w, "stepdeck:", err)
				}
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.width, "width", 0, "maximum width in columns (default: $COLUMNS on a terminal, else unlimited)")
	f.StringVar(&o.history, "history", "", "paint statuses from this execution history (GetExecutionHistory JSON, or stepdeck run -o json output)")
	f.StringVar(&o.selected, "select", "", "draw this state as selected")
	f.BoolVar(&o.outline, "outline", false, "print the outline (an indented list) instead of the graph")
	f.StringVar(&o.color, "color", "auto", "colour: auto, always or never")
	f.StringVar(&o.stateMachine, "state-machine", "", "the state machine to draw when PATH holds several (its name or logical id)")
	f.BoolVar(&o.watch, "watch", false, "draw again whenever a source file changes (Ctrl-C to stop)")
	return cmd
}

func drawGraph(out, errOut io.Writer, file string, o graphOptions) error {
	m, err := pickMachine(file, o.stateMachine)
	if err != nil {
		return err
	}
	// The graph is drawn whatever the declared type: an EXPRESS machine's type-only
	// problems are validate's to report.
	def, err := parseMachine(m, "STANDARD")
	if err != nil {
		return err
	}
	writePlaceholders(errOut, m, true)
	if o.width < 0 {
		return usageError("--width must not be negative")
	}
	tty := false
	if f, ok := out.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	opts := graph.Options{Width: o.width, Selected: o.selected}
	if opts.Width == 0 && tty {
		if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
			opts.Width = n
		}
	}
	switch o.color {
	case "auto":
		opts.Color = tty && os.Getenv("NO_COLOR") == ""
	case "always":
		opts.Color = true
	case "never":
	default:
		return usageError("--color must be auto, always or never, not %q", o.color)
	}
	if o.outline {
		opts.Mode = graph.OutlineOnly
	}
	var statuses map[string]graph.Status
	if o.history != "" {
		hdata, err := os.ReadFile(o.history)
		if err != nil {
			return usageError("%v", err)
		}
		events, err := graph.ParseHistory(hdata)
		if err != nil {
			return usageError("%s: %v", o.history, err)
		}
		opts.Painting = graph.Paint(def, events)
		statuses = opts.Painting.States
	}
	if o.selected != "" && !graph.HasState(def, o.selected) {
		return usageError("--select: the definition has no state named %q", o.selected)
	}
	_, err = fmt.Fprintln(out, graph.Render(def, statuses, opts))
	return err
}
