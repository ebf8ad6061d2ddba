package service

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// externalPlan says how each task of an external case is served locally.
type externalPlan struct {
	// functions are the case's Lambda functions, played by the fake endpoint.
	functions map[string]lambdaBehaviour
	// mockFile is a MockConfigFile.json with one test case (mockTestCase) answering the
	// service tasks from the recorded responses; nil when no task needs a mock.
	mockFile []byte
	// calls are the recorded calls of the mocked states, by state: a submitted callback
	// task is answered with what its recorded call got.
	calls   map[string][]*recordedCall
	workers []extWorker
	others  []extMachine
	den     *denormalizer
	// heartbeatFirst: the recording's callback worker sent a heartbeat before its answer.
	heartbeatFirst bool
	// s3 holds the objects a distributed Map's ItemReader reads; nil when none does.
	s3 *fakeS3
}

// mockTestCase is the test case the generated mock file holds, picked by "#TestCase" on
// the state machine ARN as Step Functions Local users do.
const mockTestCase = "Recorded"

// extWorker is an activity worker the recording ran: a state machine that polls with
// aws-sdk:sfn:getActivityTask.
type extWorker struct {
	activityArn string
	definition  json.RawMessage
}

// extMachine is a state machine the recording created besides the one it ran.
type extMachine struct {
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	Definition json.RawMessage `json:"definition"`
}

// How a Task resource is served.
const (
	byLambda  = "lambda"  // the fake Lambda endpoint
	byService = "service" // the service itself: activities, nested executions, aws-sdk:sfn
	byMock    = "mock"    // the mock file, from the recorded responses
)

func servedBy(resource string) string {
	switch {
	case strings.HasPrefix(resource, "arn:aws:states:::lambda:invoke"), strings.HasPrefix(resource, "arn:aws:lambda:"):
		return byLambda
	case strings.Contains(resource, ":activity:"), strings.HasPrefix(resource, "arn:aws:states:::states:"),
		strings.HasPrefix(resource, "arn:aws:states:::aws-sdk:sfn:"):
		return byService
	}
	return byMock
}

// taskState is a Task state of a definition.
type taskState struct{ name, resource string }

// definitionTasks lists every Task state of a definition, nested ones included.
func definitionTasks(def json.RawMessage) ([]taskState, error) {
	v, err := value.Parse(def)
	if err != nil {
		return nil, err
	}
	var out []taskState
	var walk func(v value.Value)
	walk = func(v value.Value) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case *value.Object:
			if states, ok := x.Get("States"); ok {
				if so, ok := states.(*value.Object); ok {
					for i := range so.Len() {
						name, st := so.At(i)
						o, _ := st.(*value.Object)
						if o == nil {
							continue
						}
						typ, _ := o.Get("Type")
						res, _ := o.Get("Resource")
						if r, isText := res.(string); typ == "Task" && isText {
							out = append(out, taskState{name, r})
						}
					}
				}
			}
			for i := range x.Len() {
				_, e := x.At(i)
				walk(e)
			}
		}
	}
	walk(v)
	return out, nil
}

// planExternal decides how to serve a case, or says why it cannot be served (the
// reason's words before the first colon are its category).
func planExternal(c *conformance.Case, behaviours map[string]lambdaBehaviour, unplayable map[string]error) (*externalPlan, string) {
	if !c.HasDefinition() || len(c.Definition) == 0 {
		return nil, "no definition: the state machine was deployed outside the recorded test (CloudFormation)"
	}
	if servedByService(c) {
		return nil, "needs only Step Functions: TestConformanceThroughService runs it"
	}
	if c.StateMachine.Type == "EXPRESS" && c.Execution.API != "StartSyncExecution" {
		return nil, "EXPRESS started asynchronously: AWS shows its result only in CloudWatch Logs, which the service does not emulate"
	}
	p := &externalPlan{functions: map[string]lambdaBehaviour{}, calls: map[string][]*recordedCall{}, den: newDenormalizer(c)}
	if def := string(c.Definition); strings.Contains(def, `"ItemReader"`) || strings.Contains(def, `"ResultWriter"`) {
		// A distributed Map reads or writes S3 objects: the setup put them there.
		s3, err := newFakeS3(c.SetupCalls, time.Now())
		if err != nil {
			return nil, "unreadable S3 setup: " + err.Error()
		}
		p.s3 = s3
	}
	if len(c.Lambdas) > 0 && string(c.Lambdas) != "null" {
		var fns []caseLambdaFunction
		if err := json.Unmarshal(c.Lambdas, &fns); err != nil {
			return nil, fmt.Sprintf("unreadable lambdas: %v", err)
		}
		for _, f := range fns {
			file := handlerName(f.HandlerFile)
			b, ok := behaviours[file]
			if !ok {
				why := "lambda_handlers.json does not describe it"
				if err := unplayable[file]; err != nil {
					why = err.Error()
				}
				return nil, fmt.Sprintf("Lambda handler not playable: %s: %s", file, why)
			}
			p.functions[f.Name] = b
		}
	}
	if len(c.OtherStateMachines) > 0 && string(c.OtherStateMachines) != "null" {
		if err := json.Unmarshal(c.OtherStateMachines, &p.others); err != nil {
			return nil, fmt.Sprintf("unreadable other_state_machines: %v", err)
		}
		for _, o := range p.others {
			tasks, err := definitionTasks(o.Definition)
			if err != nil {
				return nil, fmt.Sprintf("unreadable definition of %s: %v", o.Name, err)
			}
			for _, t := range tasks {
				if servedBy(t.resource) == byMock {
					return nil, fmt.Sprintf("nested service call: state machine %s calls %s, whose responses the recording does not hold", o.Name, t.resource)
				}
			}
		}
	}
	var calls []setupCall
	if len(c.SetupCalls) > 0 && string(c.SetupCalls) != "null" {
		if err := json.Unmarshal(c.SetupCalls, &calls); err != nil {
			return nil, fmt.Sprintf("unreadable setup_calls: %v", err)
		}
	}
	for _, call := range calls {
		// The other fixtures made queues, topics, buckets and tables for real services;
		// the mocks stand in for those services, and the recording answers callbacks.
		if call.Op == "sfn_activity_consumer" {
			p.workers = append(p.workers, extWorker{call.Kwargs.Kwargs.ActivityArn, call.Kwargs.Kwargs.Template})
		}
		if strings.Contains(call.Op, "heartbeat") {
			p.heartbeatFirst = true
		}
	}
	tasks, err := definitionTasks(c.Definition)
	if err != nil {
		return nil, fmt.Sprintf("unreadable definition: %v", err)
	}
	mocked := map[string]bool{}
	for _, t := range tasks {
		if servedBy(t.resource) == byMock {
			mocked[t.name] = true
		}
	}
	if len(mocked) == 0 {
		return p, ""
	}
	if !c.HasHistory() {
		return nil, "no history: the service responses to mock are only in the history, which this recording lacks"
	}
	events, err := parseRecordedEvents(c.Expected.Events)
	if err != nil {
		return nil, fmt.Sprintf("unreadable recorded events: %v", err)
	}
	all := recordedTaskCalls(events)
	responses := value.NewObject(len(mocked))
	testCase := value.NewObject(len(mocked))
	states := make([]string, 0, len(mocked))
	for s := range mocked {
		states = append(states, s)
	}
	sort.Strings(states)
	for i, state := range states {
		rec := all[state]
		if len(rec) == 0 {
			continue // never called in the recording
		}
		set := value.NewObject(len(rec))
		for n, call := range rec {
			entry, why := p.mockEntry(call)
			if why != "" {
				return nil, fmt.Sprintf("unmockable call: state %s, call %d: %s", state, n, why)
			}
			set.Set(fmt.Sprint(n), entry)
		}
		name := fmt.Sprintf("Recorded%d", i)
		responses.Set(name, set)
		testCase.Set(state, name)
		p.calls[state] = rec
	}
	if testCase.Len() > 0 {
		p.mockFile = value.Marshal(value.ObjectOf(
			"StateMachines", value.ObjectOf(c.StateMachine.Name, value.ObjectOf("TestCases", value.ObjectOf(mockTestCase, testCase))),
			"MockedResponses", responses))
	}
	return p, ""
}

// mockEntry is the mock file's entry for one recorded call.
func (p *externalPlan) mockEntry(call *recordedCall) (*value.Object, string) {
	switch call.outcome {
	case "TaskSucceeded":
		return value.ObjectOf("Return", payloadOf(p.den.value(call.output))), ""
	case "TaskSubmitted":
		return value.ObjectOf("WaitForCallback", true, "Return", payloadOf(p.den.value(call.output))), ""
	case "TaskFailed":
		if call.error == nil {
			return nil, "the recorded failure has no error name"
		}
		cause := ""
		if call.cause != nil {
			cause = p.den.text(*call.cause)
		}
		return value.ObjectOf("Throw", value.ObjectOf("Error", *call.error, "Cause", cause)), ""
	case "":
		return nil, "the recorded call never ended"
	}
	return nil, fmt.Sprintf("a %s outcome cannot be mocked", call.outcome)
}
