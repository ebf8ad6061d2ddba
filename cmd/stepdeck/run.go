package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/ids"
	"github.com/stepdeck/stepdeck/interpreter/localtask"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

type runOptions struct {
	input       string
	typ         string
	machineName string
	name        string
	timeScale   float64
	output      string
	account     string
	region      string
	roleArn     string
	history     bool
	mockConfig  string
	testCase    string
	handlers    string
	lambda      string
}

func newRunCommand() *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run FILE",
		Short: "Run a state machine definition on the local engine",
		Long: `Run a state machine definition on the local engine, headless, and print its history and
result. Exit status: 0 when the execution succeeded, 1 when it did not, 2 for a bad
definition or bad input.`,
		Example: `  stepdeck run flow.asl.json --input '{"orderId": 42}'
  stepdeck run flow.asl.json --input @input.json --output json | jq .execution.status
  stepdeck run flow.asl.json --time-scale 0      # Wait states pass at once`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDefinition(cmd.Context(), cmd.OutOrStdout(), args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.input, "input", "{}", "execution input: JSON text, or @FILE to read it from a file")
	f.StringVar(&o.typ, "type", "STANDARD", "state machine type: STANDARD or EXPRESS")
	f.StringVar(&o.machineName, "state-machine-name", "", "state machine name (default: the file name)")
	f.StringVar(&o.name, "name", "", "execution name (default: a random UUID)")
	f.Float64Var(&o.timeScale, "time-scale", 1, "multiply Wait and retry delays by this factor (0: no waiting)")
	f.StringVarP(&o.output, "output", "o", "text", "output format: text or json")
	f.StringVar(&o.account, "account", arn.Local.Account, "account id used in ARNs")
	f.StringVar(&o.region, "region", arn.Local.Region, "region used in ARNs")
	f.StringVar(&o.roleArn, "role-arn", "", "execution role ARN (default: a placeholder role in --account)")
	f.BoolVar(&o.history, "history", false, "record and print the history of an EXPRESS execution too")
	f.StringVar(&o.mockConfig, "mock-config", os.Getenv(mock.EnvVar), "Step Functions Local mock config file (MockConfigFile.json); default $"+mock.EnvVar)
	f.StringVar(&o.testCase, "test-case", "", "the test case of the mock config to run")
	f.StringVar(&o.handlers, "handlers", "", "a JSON file mapping task resources to local commands")
	f.StringVar(&o.lambda, "lambda-endpoint", os.Getenv("LAMBDA_ENDPOINT"), "a Lambda-compatible endpoint (e.g. sam local start-lambda) for Lambda tasks; default $LAMBDA_ENDPOINT")
	return cmd
}

// readInput reads --input and checks it as StartExecution does.
func readInput(spec string) (string, value.Value, error) {
	text := spec
	if file, ok := strings.CutPrefix(spec, "@"); ok {
		data, err := os.ReadFile(file)
		if err != nil {
			return "", nil, err
		}
		text = string(data)
	}
	if len(text) > engine.MaxPayloadBytes {
		return "", nil, fmt.Errorf("the input is %d bytes, over the limit of %d bytes", len(text), engine.MaxPayloadBytes)
	}
	if !utf8.ValidString(text) {
		return "", nil, errors.New("the input is not valid UTF-8")
	}
	v, err := value.ParseString(text)
	if err != nil {
		return "", nil, fmt.Errorf("the input is not valid JSON: %v", err)
	}
	return text, v, nil
}

func runDefinition(ctx context.Context, out io.Writer, file string, o runOptions) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return usageError("%v", err)
	}
	typ := types.StateMachineType(strings.ToUpper(o.typ))
	if typ != types.StateMachineTypeStandard && typ != types.StateMachineTypeExpress {
		return usageError("--type must be STANDARD or EXPRESS, not %q", o.typ)
	}
	def, err := asl.ParseFor(data, string(typ))
	if err != nil {
		var de *asl.Error
		if errors.As(err, &de) {
			return usageError("%s is not a valid definition:\n%s", file, strings.TrimRight(de.Report(), "\n"))
		}
		return usageError("%v", err)
	}
	inputText, input, err := readInput(o.input)
	if err != nil {
		return usageError("%v", err)
	}
	if o.output != "text" && o.output != "json" {
		return usageError("--output must be text or json, not %q", o.output)
	}
	if o.timeScale < 0 {
		return usageError("--time-scale must not be negative")
	}
	machine := o.machineName
	if machine == "" {
		machine = machineNameFromFile(file)
	}
	name := o.name
	if name == "" {
		name = ids.UUID()
	}
	for _, n := range []string{machine, name} {
		if !arn.ValidName(n) {
			return usageError("invalid name %q: 1 to 80 characters, no whitespace, brackets, wildcards or any of \"#%%\\^|~`$&,;:/", n)
		}
	}
	loc := arn.Location{Partition: "aws", Region: o.region, Account: o.account}
	role := o.roleArn
	if role == "" {
		role = loc.Role("stepdeck-local-execution")
	}
	execArn := loc.Execution(machine, name)
	if typ == types.StateMachineTypeExpress {
		execArn = loc.ExpressExecution(machine, name, ids.UUID())
	}
	record := typ == types.StateMachineTypeStandard || o.history
	opts := engine.Options{RecordHistory: record, TimeScale: o.timeScale, Rand: rand.Float64, NewToken: ids.TaskToken}
	if typ == types.StateMachineTypeStandard {
		opts.HistoryLimit = engine.MaxHistoryEvents
	}
	clock := engine.RealClock{}
	meta := engine.Meta{ExecutionArn: execArn, Name: name, StateMachineArn: loc.StateMachine(machine), StateMachineName: machine,
		RoleArn: role, Region: loc.Region, Type: typ, StartTime: clock.Now(), Input: inputText}
	x := engine.New(def, meta, input, opts)

	reg, err := taskHandlers(o, machine, nil)
	if err != nil {
		return usageError("%v", err)
	}
	ctx, cancel := signal.NotifyContext(ctx, os.Interrupt)
	defer cancel()
	runner := &engine.Runner{Clock: clock, Handlers: reg}
	if err := runner.Run(ctx, x); err != nil {
		return &exitError{code: 1, err: err}
	}
	if o.output == "json" {
		err = writeJSONResult(out, x, record)
	} else {
		err = writeTextResult(out, x, record)
	}
	if err != nil {
		return err
	}
	if x.Status != types.ExecutionStatusSucceeded {
		return &exitError{code: 1}
	}
	return nil
}

func machineNameFromFile(file string) string {
	base := filepath.Base(file)
	for {
		ext := filepath.Ext(base)
		if ext == "" || ext == base {
			break
		}
		base = strings.TrimSuffix(base, ext)
	}
	var b strings.Builder
	for _, r := range base {
		if arn.ValidName(string(r)) {
			b.WriteRune(r)
		} else {
			b.WriteRune('-')
		}
	}
	if b.Len() == 0 {
		return "local"
	}
	s := b.String()
	if utf8.RuneCountInString(s) > 80 {
		s = string([]rune(s)[:80])
	}
	return s
}

// taskHandlers builds what runs Task states: command handlers, a Lambda endpoint, and
// in front of them the mocks of a test case. fallback, when set, serves what none of
// them does.
func taskHandlers(o runOptions, machine string, fallback engine.Handler) (*engine.Registry, error) {
	newReg, err := taskHandlersPerExecution(o, machine, fallback)
	if err != nil {
		return nil, err
	}
	return newReg(), nil
}

// taskHandlersPerExecution reads the handlers and mocks once, and returns what makes the
// registry of one execution: mocks count each execution's invocations from 0.
func taskHandlersPerExecution(o runOptions, machine string, fallback engine.Handler) (func() *engine.Registry, error) {
	reg := &engine.Registry{Default: fallback}
	if o.lambda != "" {
		l, err := localtask.NewLambda(o.lambda, o.region)
		if err != nil {
			return nil, err
		}
		l.Register(reg)
	}
	if o.handlers != "" {
		cmds, err := localtask.LoadCommands(o.handlers)
		if err != nil {
			return nil, err
		}
		cmds.Register(reg)
	}
	if o.testCase != "" && o.mockConfig == "" {
		return nil, errors.New("--test-case needs a mock config (--mock-config or $" + mock.EnvVar + ")")
	}
	if o.testCase == "" || machine == "" {
		return func() *engine.Registry { return reg }, nil
	}
	cfg, err := mock.Load(o.mockConfig)
	if err != nil {
		return nil, err
	}
	tc, err := cfg.TestCase(machine, o.testCase)
	if err != nil {
		return nil, err
	}
	return func() *engine.Registry { return &engine.Registry{Default: tc.ForExecution().Handler(reg.Serve)} }, nil
}
