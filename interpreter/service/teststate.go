package service

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/template"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// TestState runs one state the way the engine runs it inside an execution: the state is
// put in a machine of its own whose every transition target is a stub, so the first
// stub entered names nextState and carries the state's output. A mock stands in for the
// task's service call (and for the whole of a Map or Parallel, whose work TestState does
// not run). Nothing is stored.

// testStateName is what AWS calls a state given on its own; the machine and execution
// the state runs in have names of their own, which the context object shows.
const (
	testStateName     = "StateName"
	testMachineName   = "TestStateMachine"
	testExecutionName = "test-state"
)

// mockResource is where a Map or Parallel's mocked result comes from once the state is
// rewritten as a Task.
const mockResource = "arn:aws:lambda:us-east-1:123456789012:function:stepdeck-teststate-mock"

var errRetriable = errors.New("the state would be retried")

func (s *Service) TestState(ctx context.Context, in *sfn.TestStateInput, _ ...func(*sfn.Options)) (*sfn.TestStateOutput, error) {
	docV, err := value.ParseString(aws.ToString(in.Definition))
	if err != nil {
		return nil, errInvalidDefinition(fmt.Sprintf("Invalid State Machine Definition: '%v'", err))
	}
	doc, ok := docV.(*value.Object)
	if !ok {
		return nil, errInvalidDefinition("Invalid State Machine Definition: 'The definition must be a JSON object'")
	}
	name := testStateName
	var st *value.Object
	var queryLanguage value.Value
	if in.StateName != nil {
		sv := findState(doc, aws.ToString(in.StateName))
		if sv == nil {
			return nil, errValidation("State not found in definition")
		}
		name, st = aws.ToString(in.StateName), sv
		queryLanguage, _ = doc.Get("QueryLanguage")
	} else {
		st = doc
	}
	typ, _ := get[string](st, "Type")
	mock := in.Mock
	if mock != nil && mock.Result != nil && mock.ErrorOutput != nil {
		return nil, errValidation("A test mock should have only one of the following fields: [result, errorOutput].")
	}
	switch {
	case mock != nil && typ != "Task" && typ != "Map" && typ != "Parallel":
		return nil, errValidation("State type '%s' is not supported when a mock is specified", typ)
	case mock == nil && (typ == "Map" || typ == "Parallel"):
		return nil, errInvalidDefinition("TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]")
	case mock != nil && in.RevealSecrets:
		return nil, errValidation("TestState does not support RevealSecrets when a mock is specified.")
	case mock == nil && typ == "Task" && in.RoleArn == nil:
		return nil, errValidation("RoleArn must be specified when testing a Task state")
	case mock == nil && in.StateConfiguration != nil && in.StateConfiguration.MapIterationFailureCount != nil:
		return nil, errValidation("TestState does not support MapIterationFailureCount when a mock is not specified.")
	}
	var mocked value.Value
	if mock != nil && mock.Result != nil {
		if mocked, err = value.ParseString(*mock.Result); err != nil {
			return nil, errValidation("Mocked result must be valid JSON: %v", err)
		}
		if _, isArray := mocked.([]any); (typ == "Map" || typ == "Parallel") && !isArray {
			return nil, errValidation("Mocked result must be an array.")
		}
	}
	text, input, err := readInput(in.Input)
	if err != nil {
		return nil, err
	}
	// A Map told that some of its iterations failed fails as a whole once they pass
	// its tolerated count or percentage.
	var mapFailure *failure.Error
	if sc := in.StateConfiguration; sc != nil && sc.MapIterationFailureCount != nil && typ == "Map" {
		items, isArray := mocked.([]any)
		n := int(*sc.MapIterationFailureCount)
		if isArray && n > len(items) {
			return nil, errValidation("Map iteration failure count must be less than or equal to the number of Map iterations")
		}
		// With neither limit set, AWS lets any number of iterations fail.
		count, hasCount := get[int64](st, "ToleratedFailureCount")
		pct, hasPct := number(st, "ToleratedFailurePercentage")
		exceeded := hasCount && n > int(count)
		if hasPct && len(items) > 0 && float64(n)*100/float64(len(items)) > pct {
			exceeded = true
		}
		if exceeded {
			mapFailure = &failure.Error{Name: "States.ExceedToleratedFailureThreshold", Cause: "The specified tolerated failure threshold was exceeded"}
		}
	}

	orig := st
	st = st.Clone()
	_, hasResult := st.Get("Result")
	if typ == "Map" || typ == "Parallel" {
		st = asMockedTask(st)
	}
	retryCount := int64(0)
	if sc := in.StateConfiguration; sc != nil && sc.RetrierRetryCount != nil {
		retryCount = int64(*sc.RetrierRetryCount)
		// A retrier that has used up its attempts no longer applies: the error
		// goes on to Catch or fails the state.
		if mock != nil && mock.ErrorOutput != nil {
			if i, r := matchRule(orig, "Retry", aws.ToString(mock.ErrorOutput.Error)); r != nil {
				max := int64(3)
				if n, ok := get[int64](r, "MaxAttempts"); ok {
					max = n
				}
				if retryCount >= max {
					rules, _ := get[[]any](st, "Retry")
					st.Set("Retry", append(append([]any{}, rules[:i]...), rules[i+1:]...))
				}
			}
		}
	}
	machine := value.ObjectOf("StartAt", name)
	if queryLanguage != nil {
		machine.Set("QueryLanguage", queryLanguage)
	}
	states := value.ObjectOf(name, st)
	for _, target := range targets(st) {
		if target != name && !states.Has(target) {
			states.Set(target, value.ObjectOf("Type", "Pass", "End", true))
		}
	}
	machine.Set("States", states)
	def, err := asl.Parse([]byte(value.String(machine)))
	if err != nil {
		return nil, definitionError(err)
	}

	reg := &engine.Registry{}
	calls := 0
	runCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	var stopped error
	reg.Default = func(hctx context.Context, call *engine.TaskCall) (value.Value, error) {
		calls++
		if calls > 1 {
			// TestState stops where a retrier would wait: the state is RETRIABLE.
			stopped = errRetriable
			cancel()
			return nil, errRetriable
		}
		switch {
		case mapFailure != nil:
			return nil, mapFailure
		case mock != nil && mock.ErrorOutput != nil:
			return nil, &failure.Error{Name: aws.ToString(mock.ErrorOutput.Error), Cause: aws.ToString(mock.ErrorOutput.Cause)}
		case mock != nil:
			return mocked, nil
		}
		return s.cfg.Handlers.Serve(hctx, call)
	}
	now := s.clock.Now()
	// AWS runs the state as an EXPRESS execution whose ARN has no trailing id.
	execArn := strings.Replace(s.loc.Execution(testMachineName, testExecutionName), ":execution:", ":express:", 1)
	meta := engine.Meta{ExecutionArn: execArn, Name: testExecutionName,
		StateMachineArn: s.loc.StateMachine(testMachineName), StateMachineName: testMachineName, RoleArn: aws.ToString(in.RoleArn),
		Region: s.loc.Region, Type: types.StateMachineTypeExpress, StartTime: now, Input: text, Sync: true}
	stages := map[string]value.Value{}
	flow := func(s engine.FlowStage) {
		if key := inspectionKeys[s.Name]; key != "" && s.State == name && s.Err == nil {
			stages[key] = s.Value
		}
	}
	opts := engine.Options{RecordHistory: true, HistoryLimit: engine.MaxHistoryEvents, Flow: flow}
	if in.Context != nil {
		c, err := value.ParseString(*in.Context)
		o, isObject := c.(*value.Object)
		if err != nil || !isObject {
			return nil, errValidation("Invalid Context object provided: the context must be a JSON object")
		}
		opts.Context = o
	}
	if in.RoleArn == nil {
		// Without a role the context object shows none, as on AWS.
		if opts.Context == nil {
			opts.Context = value.NewObject(1)
		}
		ex, _ := get[*value.Object](opts.Context, "Execution")
		if ex == nil {
			ex = value.NewObject(1)
		} else {
			ex = ex.Clone()
		}
		if !ex.Has("RoleArn") {
			ex.Set("RoleArn", nil)
		}
		opts.Context.Set("Execution", ex)
	}
	if in.StateName != nil {
		// AWS runs a state picked from a machine under the name it gives any state
		// tested on its own, and its context object says so.
		if opts.Context == nil {
			opts.Context = value.NewObject(1)
		}
		if _, given := opts.Context.Get("State"); !given {
			opts.Context.Set("State", value.ObjectOf("Name", testStateName))
		}
	}
	if in.Variables != nil {
		v, err := value.ParseString(*in.Variables)
		o, isObject := v.(*value.Object)
		if err != nil || !isObject {
			return nil, errValidation("Invalid variables provided: the variables must be a JSON object")
		}
		opts.Variables = o
	}
	x := engine.New(def, meta, input, opts)
	var events []history.Event
	r := &engine.Runner{Clock: engine.NewVirtualClock(now), Handlers: reg, OnEvents: func(res *engine.Result) { events = append(events, res.Events...) }}
	if err := r.Run(runCtx, x); err != nil && stopped == nil {
		return nil, errValidation("The state did not finish: %v", err)
	}
	if st := def.States[name]; st != nil && st.Type == asl.Fail && !st.IsJSONata() {
		// A Fail state has no InputPath, yet AWS reports the input as having passed one.
		stages["afterInputPath"] = input
	}
	out := testStateResult(in, name, events, x, stopped != nil)
	if in.InspectionLevel == types.InspectionLevelDebug || in.InspectionLevel == types.InspectionLevelTrace {
		out.InspectionData = inspectionData(text, stages, typ, hasResult)
		// The variables after the state: those given, with what its Assign set.
		if vars := variablesAfter(opts.Variables, events, name); vars.Len() > 0 {
			out.InspectionData.Variables = aws.String(value.String(vars))
		}
		if typ == "Map" {
			// ItemsPath on the effective input; a path into the context object is
			// not evaluated here.
			if ip, ok := get[string](orig, "ItemsPath"); ok && !strings.HasPrefix(ip, "$$") {
				if eff, ok := stages["afterInputPath"]; ok {
					if p, err := jsonpath.Compile(ip); err == nil {
						if v, err := p.EvalDocument(eff); err == nil {
							out.InspectionData.AfterItemsPath = aws.String(value.String(v))
						}
					}
				}
			}
			mc, _ := mapSetting(orig, "MaxConcurrency", input)
			out.InspectionData.MaxConcurrency = aws.Int32(int32(mc))
			if n, ok := mapSetting(orig, "ToleratedFailureCount", input); ok {
				out.InspectionData.ToleratedFailureCount = aws.Int32(int32(n))
			}
			if p, ok := mapSetting(orig, "ToleratedFailurePercentage", input); ok {
				out.InspectionData.ToleratedFailurePercentage = aws.Float32(float32(p))
			}
		}
		if out.Status != types.TestExecutionStatusSucceeded && out.Error != nil {
			out.InspectionData.ErrorDetails = errorDetails(orig, aws.ToString(out.Error), out.Status, retryCount)
		}
	}
	return out, nil
}

// variablesAfter is the workflow variables once the tested state has run: the ones it
// was given, and the ones its Exited event says it assigned.
func variablesAfter(given *value.Object, events []history.Event, name string) *value.Object {
	vars := value.NewObject(0)
	if given != nil {
		vars = given.Clone()
	}
	for i := range events {
		d, ok := events[i].Details.(*types.StateExitedEventDetails)
		if !ok || d == nil || !history.IsExited(events[i].Type) || aws.ToString(d.Name) != name {
			continue
		}
		names := make([]string, 0, len(d.AssignedVariables))
		for k := range d.AssignedVariables {
			names = append(names, k)
		}
		sort.Strings(names) // the event keeps them in a map: print them in one order
		for _, k := range names {
			if v, err := value.ParseString(d.AssignedVariables[k]); err == nil {
				vars.Set(k, v)
			}
		}
	}
	return vars
}

// inspectionKeys names the stages of a state's data flow as TestState's inspection
// data does.
var inspectionKeys = map[string]string{"InputPath": "afterInputPath", "Parameters": "afterParameters", "Arguments": "afterArguments",
	"Result": "result", "ResultSelector": "afterResultSelector", "ResultPath": "afterResultPath"}

// inspectionData reports the steps AWS reports for the state's type: a mocked Map or
// Parallel ran none of its own input processing here, and a Pass with a Result reports
// that result in place of its input processing.
func inspectionData(input string, stages map[string]value.Value, typ string, hasResult bool) *types.InspectionData {
	keep := func(stage string) *string {
		v, ok := stages[stage]
		if !ok {
			return nil
		}
		switch {
		case typ == "Parallel" && stage != "afterResultSelector" && stage != "afterResultPath",
			typ == "Map" && stage != "afterInputPath" && stage != "afterResultSelector" && stage != "afterResultPath",
			typ == "Pass" && hasResult && (stage == "afterInputPath" || stage == "afterParameters"):
			return nil
		}
		return aws.String(value.String(v))
	}
	return &types.InspectionData{Input: aws.String(input), AfterInputPath: keep("afterInputPath"), AfterParameters: keep("afterParameters"),
		AfterArguments: keep("afterArguments"), Result: keep("result"), AfterResultSelector: keep("afterResultSelector"),
		AfterResultPath: keep("afterResultPath")}
}

// testStateResult reads TestState's answer off the history the run made.
func testStateResult(in *sfn.TestStateInput, name string, events []history.Event, x *engine.Execution, retriable bool) *sfn.TestStateOutput {
	out := &sfn.TestStateOutput{}
	var errName, cause *string
	failed := false
	for _, ev := range events {
		switch d := ev.Details.(type) {
		case *types.StateEnteredEventDetails:
			if n := aws.ToString(d.Name); n != name && out.NextState == nil {
				out.NextState, out.Output = aws.String(n), d.Input
			}
		case *types.TaskFailedEventDetails:
			errName, cause, failed = d.Error, d.Cause, true
		case *types.LambdaFunctionFailedEventDetails:
			errName, cause, failed = d.Error, d.Cause, true
		case *types.ExecutionFailedEventDetails:
			if !retriable {
				errName, cause, failed = d.Error, d.Cause, true
			}
		}
	}
	switch {
	case retriable:
		out.Status, out.NextState, out.Output = types.TestExecutionStatusRetriable, nil, nil
	case out.NextState != nil && failed:
		out.Status = types.TestExecutionStatusCaughtError
	case out.NextState != nil:
		out.Status = types.TestExecutionStatusSucceeded
	case x.Status == types.ExecutionStatusSucceeded:
		out.Status, out.Output = types.TestExecutionStatusSucceeded, aws.String(x.OutputText())
	default:
		out.Status = types.TestExecutionStatusFailed
		errName, cause = nil, nil
		if x.HasError {
			errName = aws.String(x.Error)
		}
		if x.HasCause {
			cause = aws.String(x.Cause)
		}
	}
	if out.Status != types.TestExecutionStatusSucceeded {
		out.Error, out.Cause = errName, cause
	}
	return out
}

// asMockedTask rewrites a Map or Parallel as a Task whose result is the mock, keeping
// what happens to the state's input and result around it.
func asMockedTask(st *value.Object) *value.Object {
	t := value.ObjectOf("Type", "Task", "Resource", mockResource)
	for _, k := range []string{"Comment", "QueryLanguage", "InputPath", "Parameters", "Arguments", "ResultSelector", "ResultPath",
		"OutputPath", "Output", "Assign", "Retry", "Catch", "Next", "End"} {
		if v, ok := st.Get(k); ok {
			t.Set(k, v)
		}
	}
	return t
}

// targets lists the states a state may go to next.
func targets(st *value.Object) []string {
	var out []string
	add := func(v value.Value, ok bool) {
		if s, isString := v.(string); ok && isString {
			out = append(out, s)
		}
	}
	add(st.Get("Next"))
	add(st.Get("Default"))
	for _, list := range []string{"Choices", "Catch"} {
		items, _ := get[[]any](st, list)
		for _, it := range items {
			if o, ok := it.(*value.Object); ok {
				add(o.Get("Next"))
			}
		}
	}
	return out
}

// get reads a field of a given type from an object that may be nil.
func get[T any](o *value.Object, key string) (T, bool) {
	var zero T
	if o == nil {
		return zero, false
	}
	v, ok := o.Get(key)
	if !ok {
		return zero, false
	}
	t, ok := v.(T)
	return t, ok
}

// findState looks a state up by name anywhere in a machine: top level, branches and
// item processors.
func findState(scope *value.Object, name string) *value.Object {
	states, _ := get[*value.Object](scope, "States")
	if states == nil {
		return nil
	}
	if st, _ := get[*value.Object](states, name); st != nil {
		return st
	}
	for _, k := range states.Keys() {
		st, _ := get[*value.Object](states, k)
		var inner []*value.Object
		branches, _ := get[[]any](st, "Branches")
		for _, b := range branches {
			if o, ok := b.(*value.Object); ok {
				inner = append(inner, o)
			}
		}
		for _, f := range []string{"ItemProcessor", "Iterator"} {
			if o, _ := get[*value.Object](st, f); o != nil {
				inner = append(inner, o)
			}
		}
		for _, sc := range inner {
			if found := findState(sc, name); found != nil {
				return found
			}
		}
	}
	return nil
}

func number(o *value.Object, key string) (float64, bool) {
	v, ok := o.Get(key)
	if !ok {
		return 0, false
	}
	return value.ToFloat(v)
}

// matchRule finds the first retrier or catcher (field "Retry" or "Catch") of a state
// that an error matches.
func matchRule(st *value.Object, field, errName string) (int, *value.Object) {
	rules, _ := get[[]any](st, field)
	for i, r := range rules {
		o, _ := r.(*value.Object)
		names, _ := get[[]any](o, "ErrorEquals")
		for _, n := range names {
			if n == errName || n == "States.ALL" || (n == "States.TaskFailed" && errName != "States.Timeout") {
				return i, o
			}
		}
	}
	return -1, nil
}

// errorDetails says which retrier or catcher took the error, as TestState reports it:
// for a retry, the wait before it (IntervalSeconds × BackoffRate^retries, at most
// MaxDelaySeconds).
func errorDetails(st *value.Object, errName string, status types.TestExecutionStatus, retries int64) *types.InspectionErrorDetails {
	switch status {
	case types.TestExecutionStatusCaughtError:
		if i, _ := matchRule(st, "Catch", errName); i >= 0 {
			return &types.InspectionErrorDetails{CatchIndex: aws.Int32(int32(i))}
		}
	case types.TestExecutionStatusRetriable, types.TestExecutionStatusFailed:
		i, r := matchRule(st, "Retry", errName)
		if i < 0 {
			return nil
		}
		d := &types.InspectionErrorDetails{RetryIndex: aws.Int32(int32(i))}
		if status == types.TestExecutionStatusRetriable {
			interval, rate := 1.0, 2.0
			if v, ok := number(r, "IntervalSeconds"); ok {
				interval = v
			}
			if v, ok := number(r, "BackoffRate"); ok {
				rate = v
			}
			wait := interval * math.Pow(rate, float64(retries))
			if v, ok := number(r, "MaxDelaySeconds"); ok && wait > v {
				wait = v
			}
			d.RetryBackoffIntervalSeconds = aws.Int32(int32(wait))
		}
		return d
	}
	return nil
}

// mapSetting reads a Map's number setting for the inspection data: a number, or a
// JSONata expression evaluated against the state's input.
func mapSetting(st *value.Object, key string, input value.Value) (float64, bool) {
	v, ok := st.Get(key)
	if !ok {
		return 0, false
	}
	if text, isText := v.(string); isText {
		t, probs := template.CompileJSONata(text, key)
		if len(probs) > 0 {
			return 0, false
		}
		out, err := t.EvalJSONata(&template.JSONataEnv{Bindings: map[string]value.Value{"states": value.ObjectOf("input", input)}})
		if err != nil {
			return 0, false
		}
		v = out
	}
	return value.ToFloat(v)
}
