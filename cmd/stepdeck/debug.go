package main

import (
	"context"
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/debug"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/interpreter/source"
	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/pages"
)

type debugOptions struct {
	run         runOptions
	breakpoints []string
	onRetry     bool
	deployed    deployedOptions
}

func newDebugCommand() *cobra.Command {
	var o debugOptions
	cmd := &cobra.Command{
		Use:   "debug PATH | --state-machine-arn ARN",
		Short: "Step through a state machine definition in the TUI, with breakpoints",
		Long: `Open the terminal UI in debugger mode on a definition: the execution starts paused
before its first state. Step (n), step over a Parallel or Map (o), continue to the next
breakpoint (g), set breakpoints on the graph (b), edit a state's input before it runs (e),
skip a Wait or retry delay (w), answer tasks by hand (a, x), restart at a state (R).
Tasks run on the mocks, handlers and Lambda endpoint given; any other task waits for an
answer by hand. PATH is any source run takes; --state-machine picks one of several.

With --state-machine-arn instead of PATH, a machine deployed on AWS is stepped through:
its definition is read from AWS, and each Task's real integration runs through the
TestState API with --role-arn (default: the machine's role), except the states named in
--by-hand, which wait for an answer, and what a mock config covers. The region is the
ARN's; --profile and --endpoint pick the account or an endpoint.`,
		Example: `  stepdeck debug flow.asl.json --input @input.json
  stepdeck debug flow.asl.json --mock-config MockConfigFile.json --test-case HappyPath --break Charge
  stepdeck debug --state-machine-arn arn:aws:states:eu-west-1:123456789012:stateMachine:orders --profile dev --by-hand Approve`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.deployed.arn != "" {
				if len(args) > 0 {
					return usageError("give PATH or --state-machine-arn, not both")
				}
				return debugDeployed(cmd.Context(), o)
			}
			if len(args) != 1 {
				return usageError("debug takes a PATH (or --state-machine-arn ARN)")
			}
			return debugDefinition(cmd.Context(), args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.run.input, "input", "{}", "execution input: JSON text, or @FILE to read it from a file")
	f.StringVar(&o.run.stateMachine, "state-machine", "", "the state machine to debug when PATH holds several (its name or logical id)")
	f.StringVar(&o.run.machineName, "state-machine-name", "", "state machine name, for the mock config (default: the file name)")
	f.Float64Var(&o.run.timeScale, "time-scale", 1, "multiply Wait and retry delays by this factor (0: no waiting)")
	f.StringVar(&o.run.mockConfig, "mock-config", os.Getenv(mock.EnvVar), "Step Functions Local mock config file; default $"+mock.EnvVar)
	f.StringVar(&o.run.testCase, "test-case", "", "the test case of the mock config to use")
	f.StringVar(&o.run.handlers, "handlers", "", "a JSON file mapping task resources to local commands")
	f.StringVar(&o.run.lambda, "lambda-endpoint", os.Getenv("LAMBDA_ENDPOINT"), "a Lambda-compatible endpoint for Lambda tasks; default $LAMBDA_ENDPOINT")
	f.StringVar(&o.run.region, "region", "us-east-1", "region of the Lambda endpoint's client")
	f.StringSliceVar(&o.breakpoints, "break", nil, "states to set breakpoints on (repeat or separate with commas)")
	f.BoolVar(&o.onRetry, "break-on-retry", false, "stop before each retry")
	f.StringVar(&o.deployed.arn, "state-machine-arn", "", "step through this machine deployed on AWS (tasks run through TestState)")
	f.StringVar(&o.deployed.roleArn, "role-arn", "", "with --state-machine-arn: the role TestState assumes (default: the machine's role)")
	f.StringVar(&o.deployed.profile, "profile", "", "with --state-machine-arn: the AWS profile")
	f.StringVar(&o.deployed.endpoint, "endpoint", "", "with --state-machine-arn: a Step Functions endpoint instead of AWS")
	f.StringSliceVar(&o.deployed.byHand, "by-hand", nil, "with --state-machine-arn: states answered by hand rather than through TestState")
	return cmd
}

// debugDeployed opens the debugger on a machine deployed on AWS.
func debugDeployed(ctx context.Context, o debugOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	s, api, err := newDeployedSession(ctx, o)
	if err != nil {
		return err
	}
	defer s.Close()
	c := common.New(api, false)
	app := ui.NewOn(c, "debugging "+o.deployed.arn+" through TestState", pages.NewDebugger(c, s, o.deployed.arn))
	_, err = tea.NewProgram(app, tea.WithContext(ctx)).Run()
	return err
}

// newDebugSession parses the file and starts a session paused before its first state.
func newDebugSession(file string, o debugOptions) (*debug.Session, error) {
	m, err := pickMachine(file, o.run.stateMachine)
	if err != nil {
		return nil, err
	}
	def, err := parseMachine(m, "STANDARD")
	if err != nil {
		return nil, err
	}
	_, input, err := readInput(o.run.input)
	if err != nil {
		return nil, usageError("%v", err)
	}
	if o.run.timeScale < 0 {
		return nil, usageError("--time-scale must not be negative")
	}
	machine := o.run.machineName
	if machine == "" {
		machine = m.Name
	}
	for _, b := range o.breakpoints {
		if def.Find(b) == nil {
			return nil, usageError("--break %s: the definition has no such state", b)
		}
	}
	newTasks, err := taskHandlersPerExecution(o.run, machine, debug.ByHand)
	if err != nil {
		return nil, usageError("%v", err)
	}
	s, err := debug.New(debug.Config{Definition: def, Source: string(m.Definition), Name: machine, Input: input, NewTasks: newTasks,
		TimeScale: o.run.timeScale, Breakpoints: o.breakpoints})
	if err != nil {
		return nil, err
	}
	s.BreakOn(true, o.onRetry)
	return s, nil
}

func debugDefinition(ctx context.Context, file string, o debugOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	s, err := newDebugSession(file, o)
	if err != nil {
		return err
	}
	defer s.Close()
	// The other screens (callbacks, machines) work on a throwaway local engine: the
	// debugger's execution lives only in this process.
	dir, err := os.MkdirTemp("", "stepdeck-debug-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	api, closeFn, err := client.NewLocal(ctx, client.LocalOptions{DataDir: dir, TimeScale: o.run.timeScale})
	if err != nil {
		return fmt.Errorf("starting the local engine: %w", err)
	}
	defer closeFn()
	c := common.New(api, false)
	c.Local = true
	app := ui.NewOn(c, "local debugger", pages.NewDebugger(c, s, file))
	prog := tea.NewProgram(app, tea.WithContext(ctx))
	// A save of the file reloads the definition where the debugger stands.
	if stop, err := watchDebugged(file, o, prog.Send); err == nil {
		defer stop()
	}
	_, err = prog.Run()
	return err
}

// watchDebugged reads the debugged file again after each save and sends its new
// definition (or why it cannot be read) to the UI.
func watchDebugged(file string, o debugOptions, send func(tea.Msg)) (stop func(), err error) {
	w, err := source.NewWatcher()
	if err != nil {
		return nil, err
	}
	if ms, err := source.Load(file); err == nil {
		w.Add(file, ms)
	} else {
		w.Add(file, nil)
	}
	go func() {
		for range w.Changes() {
			m, err := pickMachine(file, o.run.stateMachine)
			if err != nil {
				send(pages.DefinitionChangedMsg{Err: err})
				continue
			}
			def, err := parseMachine(m, "STANDARD")
			send(pages.DefinitionChangedMsg{Definition: def, Source: string(m.Definition), Err: err})
		}
	}()
	return func() { w.Close() }, nil
}

// localDebugStarter starts debugger sessions from the TUI on the local engine's terms:
// a machine the mock config covers has its tasks answered by the test case; anything
// else waits for an answer by hand.
func localDebugStarter(mocks *mock.Config, testCase string, timeScale float64) func(*asl.Definition, string, value.Value) (*debug.Session, error) {
	return func(def *asl.Definition, machine string, input value.Value) (*debug.Session, error) {
		newTasks := func() *engine.Registry { return &engine.Registry{Default: debug.ByHand} }
		if mocks != nil && testCase != "" {
			if tc, err := mocks.TestCase(machine, testCase); err == nil {
				newTasks = func() *engine.Registry { return &engine.Registry{Default: tc.ForExecution().Handler(debug.ByHand)} }
			}
		}
		return debug.New(debug.Config{Definition: def, Name: machine, Input: input, NewTasks: newTasks, TimeScale: timeScale})
	}
}
