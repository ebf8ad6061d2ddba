package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/ids"
	"github.com/stepdeck/stepdeck/interpreter/localtask"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

type runOptions struct {
	stateMachine string // which machine of a source that holds several
	typeGiven    bool   // --type was given: it overrides the source's type
	input        string
	typ          string
	machineName  string
	name         string
	timeScale    float64
	output       string
	account      string
	region       string
	roleArn      string
	history      bool
	mockConfig   string
	testCase     string
	handlers     string
	lambda       string
}

func newRunCommand() *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run PATH",
		Short: "Run a state machine definition on the local engine",
		Long: `Run a state machine definition on the local engine, headless, and print its history and
result. Exit status: 0 when the execution succeeded, 1 when it did not, 2 for a bad
definition or bad input.

PATH is an ASL file (JSON or YAML), a SAM or CloudFormation template, a CDK cloud
assembly or a folder; --state-machine picks one when it holds several. A template's
machine runs under its name (Name, StateMachineName, else its logical id) and type, and
its references to deployed resources are placeholders (a function's ARN becomes
arn:aws:lambda:us-east-1:123456789012:function:LOGICAL_ID) that --handlers can name.`,
		Example: `  stepdeck run flow.asl.json --input '{"orderId": 42}'
  stepdeck run flow.asl.json --input @input.json --output json | jq .execution.status
  stepdeck run flow.asl.json --time-scale 0      # Wait states pass at once
  stepdeck run template.yaml --state-machine SignOffMachine --mock-config mocks.json --test-case HappyPath`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.typeGiven = cmd.Flags().Changed("type")
			return runDefinition(cmd.Context(), cmd.OutOrStdout(), args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.input, "input", "{}", "execution input: JSON text, or @FILE to read it from a file")
	f.StringVar(&o.typ, "type", "STANDARD", "state machine type: STANDARD or EXPRESS (default: the type a template declares)")
	f.StringVar(&o.stateMachine, "state-machine", "", "the state machine to run when PATH holds several (its name or logical id)")
	f.StringVar(&o.machineName, "state-machine-name", "", "state machine name (default: the template's name for it, else the file name)")
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
	if t := strings.ToUpper(o.typ); t != "STANDARD" && t != "EXPRESS" {
		return usageError("--type must be STANDARD or EXPRESS, not %q", o.typ)
	}
	m, err := pickMachine(file, o.stateMachine)
	if err != nil {
		return err
	}
	t, err := machineType(m, o.typ, o.typeGiven)
	if err != nil {
		return err
	}
	typ := types.StateMachineType(t)
	def, err := parseMachine(m, t)
	if err != nil {
		return err
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
		machine = m.Name
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
		role = m.RoleArn
	}
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
	result := &resultWriter{w: out, json: o.output == "json", withEvents: record}
	result.start()
	runner := &engine.Runner{Clock: clock, Handlers: reg, OnEvents: func(res *engine.Result) {
		result.events(res.Events)
		x.History = nil // printed: a long run keeps none of its events
	}}
	if err := runner.Run(ctx, x); err != nil {
		return &exitError{code: 1, err: err}
	}
	if err := result.finish(x); err != nil {
		return err
	}
	if x.Status != types.ExecutionStatusSucceeded {
		return &exitError{code: 1}
	}
	return nil
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
