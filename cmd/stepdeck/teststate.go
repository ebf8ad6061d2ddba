package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/awsjson"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/service"
	"github.com/stepdeck/stepdeck/interpreter/store"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

type testStateOptions struct {
	state, input, variables, context, roleArn, level, output string
	mockResult, mockError, mockCause, fieldValidation        string
	retryCount, mapFailures                                  int32
	errorCausedByState, itemReaderData                       string
	revealSecrets                                            bool
	handlers, lambda                                         string
	stateMachine                                             string
}

func newTestStateCommand() *cobra.Command {
	var o testStateOptions
	cmd := &cobra.Command{
		Use:   "test-state FILE [--state NAME]",
		Short: "Run one state in isolation and show every stage of its data flow, as AWS's TestState does",
		Long: `Run one state on its own, with an input, variables, a context object and a mocked result or
error, and print what each stage made of the data: the input, after InputPath, after
Parameters (or Arguments), the result, after ResultSelector, after ResultPath, the output
(after OutputPath or Output), the variables after Assign, and the next state, or the
error and what Retry or Catch does with it. It answers as AWS's TestState API does, with
the local service's implementation of it.

FILE is one state's JSON, or a whole definition with --state NAME to pick the state: an
ASL file (JSON or YAML), a SAM or CloudFormation template, a CDK cloud assembly or a
folder, with --state-machine NAME when it holds several machines.
A Task, Map or Parallel needs a mocked result (--mock-result) or error (--mock-error):
test-state calls no service. --output json prints TestState's answer as the API does.
Exit status 0 when the state succeeds (or its error is caught), 1 when it fails or would
be retried, 2 for bad input.`,
		Example: `  stepdeck test-state flow.asl.json --state Charge --input '{"id":7}' --mock-result '{"Payload":{"total":12}}'
  stepdeck test-state flow.asl.json --state Charge --mock-error Lambda.TooManyRequestsException --retry-count 1
  stepdeck test-state choice.json --input @order.json --variables '{"limit":100}'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return testState(cmd.Context(), cmd.OutOrStdout(), args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.state, "state", "", "the state to test, when FILE is a whole definition")
	f.StringVar(&o.stateMachine, "state-machine", "", "the state machine of FILE when it holds several (its name or logical id)")
	f.StringVar(&o.input, "input", "{}", "the state's input: JSON text, or @FILE")
	f.StringVar(&o.variables, "variables", "", "workflow variables before the state runs: a JSON object, or @FILE")
	f.StringVar(&o.context, "context", "", "the context object ($$), or the parts of it to set: a JSON object, or @FILE")
	f.StringVar(&o.mockResult, "mock-result", "", "the mocked result of a Task (or the results of a Map or Parallel): JSON, or @FILE")
	f.StringVar(&o.mockError, "mock-error", "", "the mocked error name of a Task, Map or Parallel")
	f.StringVar(&o.mockCause, "mock-cause", "", "the mocked error's cause")
	f.StringVar(&o.fieldValidation, "mock-field-validation", "", "how a mocked result is checked against the API's response shape: STRICT, PRESENT or NONE")
	f.Int32Var(&o.retryCount, "retry-count", -1, "how many retries have happened already ($$.State.RetryCount; TestState's retrierRetryCount)")
	f.Int32Var(&o.mapFailures, "map-iteration-failure-count", -1, "how many iterations of a mocked Map failed")
	f.StringVar(&o.errorCausedByState, "error-caused-by-state", "", "the state inside a Parallel or Map that raised the mocked error")
	f.StringVar(&o.itemReaderData, "map-item-reader-data", "", "the items a Map's ItemReader would read: JSON text")
	f.StringVar(&o.roleArn, "role-arn", "", "the execution role the context object shows (default, for a Task run by --handlers or --lambda-endpoint: a placeholder role)")
	f.StringVar(&o.handlers, "handlers", "", "run an unmocked Task with a local command: a JSON file mapping resources to commands, as for run")
	f.StringVar(&o.lambda, "lambda-endpoint", os.Getenv("LAMBDA_ENDPOINT"), "run an unmocked Lambda Task on a Lambda-compatible endpoint, as for run; default $LAMBDA_ENDPOINT")
	f.BoolVar(&o.revealSecrets, "reveal-secrets", false, "ask for secrets in HTTP task data (refused with a mock, as on AWS)")
	f.StringVar(&o.level, "inspection-level", "DEBUG", "INFO (result only), DEBUG (every stage) or TRACE (DEBUG, and HTTP request and response)")
	f.StringVarP(&o.output, "output", "o", "text", "output format: text or json")
	return cmd
}

// jsonArg reads a flag that holds JSON text or @FILE, as text; "" stays unset.
func jsonArg(name, spec string) (*string, error) {
	if spec == "" {
		return nil, nil
	}
	text := spec
	if file, ok := strings.CutPrefix(spec, "@"); ok {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, usageError("--%s: %v", name, err)
		}
		text = string(data)
	}
	if _, err := value.ParseString(text); err != nil {
		return nil, usageError("--%s is not valid JSON: %v", name, err)
	}
	return &text, nil
}

// testStateSource reads FILE: a JSON file that is one state or a definition as it is;
// any other source (YAML, a template, a cloud assembly, a folder) through the source
// loader, for the definition of the machine it holds.
func testStateSource(file, stateMachine string) ([]byte, error) {
	st, err := os.Stat(file)
	if err != nil {
		return nil, usageError("%v", err)
	}
	if !st.IsDir() && strings.HasSuffix(strings.ToLower(file), ".json") && stateMachine == "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, usageError("%v", err)
		}
		if doc, err := value.Parse(data); err != nil || !isTemplateJSON(doc) {
			return data, nil
		}
	}
	m, err := pickMachine(file, stateMachine)
	if err != nil {
		return nil, err
	}
	return m.Definition, nil
}

// isTemplateJSON tells a CloudFormation template from a state or a definition.
func isTemplateJSON(doc value.Value) bool {
	obj, ok := doc.(*value.Object)
	if !ok {
		return false
	}
	_, res := obj.Get("Resources")
	_, states := obj.Get("States")
	return res && !states
}

// testStateInput builds the TestState request from the command line.
func testStateInput(file string, o testStateOptions) (*sfn.TestStateInput, string, error) {
	data, err := testStateSource(file, o.stateMachine)
	if err != nil {
		return nil, "", err
	}
	doc, err := value.Parse(data)
	if err != nil {
		return nil, "", usageError("%s is not valid JSON: %v", file, err)
	}
	obj, ok := doc.(*value.Object)
	if !ok {
		return nil, "", usageError("%s is not a JSON object: it should hold one state, or a definition", file)
	}
	level := types.InspectionLevel(strings.ToUpper(o.level))
	switch level {
	case types.InspectionLevelInfo, types.InspectionLevelDebug, types.InspectionLevelTrace:
	default:
		return nil, "", usageError("--inspection-level must be INFO, DEBUG or TRACE, not %q", o.level)
	}
	in := &sfn.TestStateInput{Definition: aws.String(string(data)), InspectionLevel: level, RevealSecrets: o.revealSecrets}
	name := o.state
	stateObj := obj
	if _, isMachine := obj.Get("States"); isMachine {
		if o.state == "" {
			return nil, "", usageError("%s is a whole definition: pick the state with --state NAME", file)
		}
		in.StateName = aws.String(o.state)
		if stateObj = rawState(obj, o.state); stateObj == nil {
			return nil, "", usageError("%s has no state %q", file, o.state)
		}
	} else if o.state != "" {
		return nil, "", usageError("--state picks a state from a definition, but %s holds a single state", file)
	}
	if name == "" {
		name = "the state"
	}
	inputText, _, err := readInput(o.input)
	if err != nil {
		return nil, "", usageError("--input: %v", err)
	}
	in.Input = aws.String(inputText)
	if in.Variables, err = jsonArg("variables", o.variables); err != nil {
		return nil, "", err
	}
	if in.Context, err = jsonArg("context", o.context); err != nil {
		return nil, "", err
	}
	if o.roleArn != "" {
		in.RoleArn = aws.String(o.roleArn)
	}
	result, err := jsonArg("mock-result", o.mockResult)
	if err != nil {
		return nil, "", err
	}
	if result != nil || o.mockError != "" || o.mockCause != "" {
		in.Mock = &types.MockInput{Result: result, FieldValidationMode: types.MockResponseValidationMode(strings.ToUpper(o.fieldValidation))}
		if o.mockError != "" || o.mockCause != "" {
			in.Mock.ErrorOutput = &types.MockErrorOutput{}
			if o.mockError != "" {
				in.Mock.ErrorOutput.Error = aws.String(o.mockError)
			}
			if o.mockCause != "" {
				in.Mock.ErrorOutput.Cause = aws.String(o.mockCause)
			}
		}
	} else if typ, _ := stateObj.Get("Type"); typ == "Task" && in.RoleArn == nil {
		if o.handlers == "" && o.lambda == "" {
			return nil, "", usageError("%s is a Task: give it a mocked result (--mock-result JSON) or error (--mock-error NAME), or run it locally with --handlers or --lambda-endpoint", name)
		}
		// TestState runs a real task only with a role; locally, any role will do.
		in.RoleArn = aws.String(arn.Local.Role("stepdeck-test-state"))
	}
	sc := &types.TestStateConfiguration{}
	set := false
	if o.retryCount >= 0 {
		sc.RetrierRetryCount, set = aws.Int32(o.retryCount), true
	}
	if o.mapFailures >= 0 {
		sc.MapIterationFailureCount, set = aws.Int32(o.mapFailures), true
	}
	if o.errorCausedByState != "" {
		sc.ErrorCausedByState, set = aws.String(o.errorCausedByState), true
	}
	if o.itemReaderData != "" {
		sc.MapItemReaderData, set = aws.String(o.itemReaderData), true
	}
	if set {
		in.StateConfiguration = sc
	}
	return in, name, nil
}

// callTestState runs the request on a local service of its own, in a store that lives
// only for the call: TestState stores nothing, but the service needs one.
func callTestState(ctx context.Context, in *sfn.TestStateInput, handlers *engine.Registry) (*sfn.TestStateOutput, error) {
	dir, err := os.MkdirTemp("", "stepdeck-test-state-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(filepath.Join(dir, "stepdeck.db"), store.Options{NoSync: true})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	svc, err := service.New(service.Config{Store: st, Clock: engine.NewVirtualClock(time.Now().UTC()), TimeScale: 0, Handlers: handlers})
	if err != nil {
		return nil, err
	}
	defer svc.Close()
	return svc.TestState(ctx, in)
}

func testState(ctx context.Context, w io.Writer, file string, o testStateOptions) error {
	if o.output != "text" && o.output != "json" {
		return usageError("--output must be text or json, not %q", o.output)
	}
	in, name, err := testStateInput(file, o)
	if err != nil {
		return err
	}
	handlers, err := taskHandlers(runOptions{handlers: o.handlers, lambda: o.lambda, region: arn.Local.Region}, "", nil)
	if err != nil {
		return usageError("%v", err)
	}
	out, err := callTestState(ctx, in, handlers)
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return usageError("%s: %s", ae.ErrorCode(), ae.ErrorMessage())
		}
		return err
	}
	if o.output == "json" {
		doc, err := awsjson.Marshal(out)
		if err != nil {
			return err
		}
		var pretty json.RawMessage = doc
		b, err := json.MarshalIndent(pretty, "", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintln(w, string(b))
	} else {
		writeTestStateText(w, name, out)
	}
	switch out.Status {
	case types.TestExecutionStatusSucceeded, types.TestExecutionStatusCaughtError:
		return nil
	}
	return &exitError{code: 1}
}

// writeTestStateText prints the answer: the outcome, then each stage in order.
func writeTestStateText(w io.Writer, name string, out *sfn.TestStateOutput) {
	head := fmt.Sprintf("%s: %s", quoteName(name), out.Status)
	if out.NextState != nil {
		head += fmt.Sprintf(", next state %q", aws.ToString(out.NextState))
	}
	fmt.Fprintln(w, head)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(label string, v *string) {
		if v != nil {
			fmt.Fprintf(tw, "  %s\t%s\n", label, compactJSON(*v))
		}
	}
	if d := out.InspectionData; d != nil {
		row("input", d.Input)
		row("after InputPath", d.AfterInputPath)
		row("after ItemsPath", d.AfterItemsPath)
		row("after Parameters", d.AfterParameters)
		row("after Arguments", d.AfterArguments)
		row("result", d.Result)
		row("after ResultSelector", d.AfterResultSelector)
		row("after ResultPath", d.AfterResultPath)
	}
	row("output", out.Output)
	if d := out.InspectionData; d != nil {
		row("variables after Assign", d.Variables)
		if d.MaxConcurrency != nil {
			fmt.Fprintf(tw, "  MaxConcurrency\t%d\n", *d.MaxConcurrency)
		}
		if d.ToleratedFailureCount != nil {
			fmt.Fprintf(tw, "  ToleratedFailureCount\t%d\n", *d.ToleratedFailureCount)
		}
		if d.ToleratedFailurePercentage != nil {
			fmt.Fprintf(tw, "  ToleratedFailurePercentage\t%g\n", *d.ToleratedFailurePercentage)
		}
	}
	if out.Error != nil {
		fmt.Fprintf(tw, "  error\t%s\n", aws.ToString(out.Error))
	}
	if out.Cause != nil {
		fmt.Fprintf(tw, "  cause\t%s\n", aws.ToString(out.Cause))
	}
	if d := out.InspectionData; d != nil && d.ErrorDetails != nil {
		e := d.ErrorDetails
		switch {
		case e.CatchIndex != nil:
			fmt.Fprintf(tw, "  caught by\tCatch[%d]\n", *e.CatchIndex)
		case e.RetryIndex != nil:
			line := fmt.Sprintf("Retry[%d]", *e.RetryIndex)
			if e.RetryBackoffIntervalSeconds != nil {
				line += fmt.Sprintf(", after %d s", *e.RetryBackoffIntervalSeconds)
			}
			fmt.Fprintf(tw, "  retried by\t%s\n", line)
		}
	}
	tw.Flush()
}

// rawState finds a state as written, in the machine or inside any Parallel branch or
// Map processor.
func rawState(scope *value.Object, name string) *value.Object {
	states, _ := scope.Get("States")
	so, _ := states.(*value.Object)
	if so == nil {
		return nil
	}
	if st, ok := so.Get(name); ok {
		o, _ := st.(*value.Object)
		return o
	}
	for _, k := range so.Keys() {
		v, _ := so.Get(k)
		st, _ := v.(*value.Object)
		if st == nil {
			continue
		}
		var inner []any
		if b, ok := st.Get("Branches"); ok {
			inner, _ = b.([]any)
		}
		for _, key := range []string{"ItemProcessor", "Iterator"} {
			if p, ok := st.Get(key); ok {
				inner = append(inner, p)
			}
		}
		for _, in := range inner {
			if io, ok := in.(*value.Object); ok {
				if found := rawState(io, name); found != nil {
					return found
				}
			}
		}
	}
	return nil
}

func quoteName(name string) string {
	if name == "the state" {
		return "The state"
	}
	return fmt.Sprintf("%q", name)
}

// compactJSON prints JSON text on one line; other text as it is.
func compactJSON(s string) string {
	if v, err := value.ParseString(s); err == nil {
		return value.String(v)
	}
	return s
}
