package service

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/interpreter/store"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

var ctx = context.Background()

func openStore(t testing.TB, path string) *store.Store {
	t.Helper()
	st, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func newService(t testing.TB, path string, cfg Config) *Service {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "stepdeck.db")
	}
	cfg.Store = openStore(t, path)
	if cfg.Clock == nil {
		cfg.Clock = engine.NewVirtualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	}
	if cfg.TimeScale == 0 {
		cfg.TimeScale = 1
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		cfg.Store.Close()
	})
	return s
}

func createMachine(t testing.TB, s *Service, name, def string, typ types.StateMachineType) string {
	t.Helper()
	out, err := s.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(def),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), Type: typ})
	if err != nil {
		t.Fatalf("CreateStateMachine: %v", err)
	}
	return aws.ToString(out.StateMachineArn)
}

// waitFor polls DescribeExecution until the execution leaves RUNNING.
func waitFor(t testing.TB, s *Service, execArn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		d, err := s.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(execArn)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			return d
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s did not finish", execArn)
	return nil
}

func eventTypes(t *testing.T, s *Service, execArn string) string {
	t.Helper()
	h, err := s.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(execArn), MaxResults: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, e := range h.Events {
		parts = append(parts, string(e.Type))
	}
	return strings.Join(parts, " ")
}

const waitDef = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"Next":"P"},"P":{"Type":"Pass","Result":{"done":true},"ResultPath":"$.r","End":true}}}`

func TestStartDescribeHistory(t *testing.T) {
	s := newService(t, "", Config{})
	m := createMachine(t, s, "waiter", waitDef, "")
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Name: aws.String("e1"), Input: aws.String(`{"a": 1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.ExecutionArn); got != "arn:aws:states:us-east-1:123456789012:execution:waiter:e1" {
		t.Errorf("executionArn = %s", got)
	}
	d := waitFor(t, s, aws.ToString(out.ExecutionArn))
	if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"a":1,"r":{"done":true}}` {
		t.Errorf("describe = %s %s", d.Status, aws.ToString(d.Output))
	}
	if got := eventTypes(t, s, aws.ToString(out.ExecutionArn)); got != "ExecutionStarted WaitStateEntered WaitStateExited PassStateEntered PassStateExited ExecutionSucceeded" {
		t.Errorf("history: %s", got)
	}
	// Paging and reverse order.
	page, err := s.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: out.ExecutionArn, MaxResults: 4, ReverseOrder: true})
	if err != nil || len(page.Events) != 4 || page.Events[0].Id != 6 || page.NextToken == nil {
		t.Fatalf("first reverse page: %v %+v", err, page)
	}
	rest, err := s.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: out.ExecutionArn, MaxResults: 4, ReverseOrder: true, NextToken: page.NextToken})
	if err != nil || len(rest.Events) != 2 || rest.Events[1].Id != 1 || rest.NextToken != nil {
		t.Fatalf("second reverse page: %v %+v", err, rest)
	}
}

func TestStartExecutionRules(t *testing.T) {
	s := newService(t, "", Config{})
	m := createMachine(t, s, "approval", callbackDef, "")
	start := func(name, input string) error {
		_, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Name: aws.String(name), Input: aws.String(input)})
		return err
	}
	if err := start("same", `{}`); err != nil {
		t.Fatal(err)
	}
	if err := start("same", `{}`); err != nil {
		t.Errorf("a repeated start with the same input while running should be idempotent: %v", err)
	}
	var exists *types.ExecutionAlreadyExists
	if err := start("same", `{"other":1}`); !errors.As(err, &exists) {
		t.Errorf("different input: %v, want ExecutionAlreadyExists", err)
	}
	var badInput *types.InvalidExecutionInput
	if err := start("x", `{'not': 'json'`); !errors.As(err, &badInput) {
		t.Errorf("bad input: %v", err)
	}
	var badName *types.InvalidName
	if err := start("a b", `{}`); !errors.As(err, &badName) {
		t.Errorf("bad name: %v", err)
	}
	var noMachine *types.StateMachineDoesNotExist
	_, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m + "x")})
	if !errors.As(err, &noMachine) || !strings.Contains(err.Error(), "State Machine Does Not Exist: '"+m+"x'") {
		t.Errorf("missing machine: %v", err)
	}
	var badArn *types.InvalidArn
	if _, err := s.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String("nope")}); !errors.As(err, &badArn) {
		t.Errorf("bad arn: %v", err)
	}
}

const callbackDef = `{"StartAt":"Approve","States":{"Approve":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
	"Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}`

// tokenOf reads the task token from the TaskScheduled event, as the UI does against AWS.
func tokenOf(t *testing.T, s *Service, execArn string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		h, err := s.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(execArn)})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range h.Events {
			if e.TaskScheduledEventDetails != nil {
				p := value.MustParse(aws.ToString(e.TaskScheduledEventDetails.Parameters)).(*value.Object)
				body, _ := p.Get("MessageBody")
				tok, _ := body.(*value.Object).Get("token")
				return tok.(string)
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("no TaskScheduled event")
	return ""
}

func TestCallbacks(t *testing.T) {
	s := newService(t, "", Config{})
	m := createMachine(t, s, "approval", callbackDef, "")
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
	if err != nil {
		t.Fatal(err)
	}
	tok := tokenOf(t, s, aws.ToString(out.ExecutionArn))
	if len(tok) < 43 {
		t.Errorf("token %q carries fewer than 256 bits", tok)
	}
	if _, err := s.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(tok)}); err != nil {
		t.Errorf("heartbeat: %v", err)
	}
	var badOutput *types.InvalidOutput
	if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String("{")}); !errors.As(err, &badOutput) {
		t.Errorf("bad output: %v", err)
	}
	var badToken *types.InvalidToken
	if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String("nope"), Output: aws.String("{}")}); !errors.As(err, &badToken) {
		t.Errorf("unknown token: %v", err)
	}
	if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(`{"approved":true}`)}); err != nil {
		t.Fatal(err)
	}
	d := waitFor(t, s, aws.ToString(out.ExecutionArn))
	if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"approved":true}` {
		t.Errorf("describe = %s %s", d.Status, aws.ToString(d.Output))
	}
	var timedOut *types.TaskTimedOut
	if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(`{}`)}); !errors.As(err, &timedOut) {
		t.Errorf("second answer: %v, want TaskTimedOut", err)
	}
	if got := eventTypes(t, s, aws.ToString(out.ExecutionArn)); got != "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited ExecutionSucceeded" {
		t.Errorf("history: %s", got)
	}
}

func TestRestartResumesWaitingExecutions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stepdeck.db")
	st := openStore(t, path)
	s, err := New(Config{Store: st, TimeScale: 1, Clock: engine.NewVirtualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	m := createMachine(t, s, "approval", callbackDef, "")
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
	if err != nil {
		t.Fatal(err)
	}
	tok := tokenOf(t, s, aws.ToString(out.ExecutionArn))
	s.Close()
	st.Close()

	s2 := newService(t, path, Config{})
	if _, err := s2.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: aws.String(tok), Error: aws.String("Rejected"), Cause: aws.String("no")}); err != nil {
		t.Fatalf("the token should survive a restart: %v", err)
	}
	d := waitFor(t, s2, aws.ToString(out.ExecutionArn))
	if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "Rejected" {
		t.Errorf("describe = %s %s", d.Status, aws.ToString(d.Error))
	}
	if got := eventTypes(t, s2, aws.ToString(out.ExecutionArn)); got != "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskFailed ExecutionFailed" {
		t.Errorf("history: %s", got)
	}
}

func TestMachinesAndSyncExpress(t *testing.T) {
	s := newService(t, "", Config{})
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
	a := createMachine(t, s, "m", def, "")
	if again := createMachine(t, s, "m", def, ""); again != a {
		t.Errorf("an identical create should return the same ARN")
	}
	var exists *types.StateMachineAlreadyExists
	if _, err := s.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("m"), RoleArn: aws.String("r"),
		Definition: aws.String(`{"StartAt":"Q","States":{"Q":{"Type":"Succeed"}}}`)}); !errors.As(err, &exists) {
		t.Errorf("a different definition under the same name: %v", err)
	}
	var bad *types.InvalidDefinition
	if _, err := s.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("bad"), RoleArn: aws.String("r"),
		Definition: aws.String(`{"States":{}}`)}); !errors.As(err, &bad) ||
		err.Error() == "" || !strings.Contains(*bad.Message, "These fields are required: [StartAt] at /") {
		t.Errorf("bad definition: %v", err)
	}
	up, err := s.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(a), Definition: aws.String(`{"StartAt":"Q","States":{"Q":{"Type":"Succeed"}}}`)})
	if err != nil || up.RevisionId == nil {
		t.Fatalf("update: %v", err)
	}
	list, err := s.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil || len(list.StateMachines) != 1 {
		t.Fatalf("list: %v %+v", err, list)
	}
	ex := createMachine(t, s, "fast", `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":7,"End":true}}}`, types.StateMachineTypeExpress)
	res, err := s.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(ex), Input: aws.String(`{}`)})
	if err != nil || res.Status != types.SyncExecutionStatusSucceeded || aws.ToString(res.Output) != "7" {
		t.Fatalf("sync: %v %+v", err, res)
	}
	if !strings.Contains(aws.ToString(res.ExecutionArn), ":express:fast:") {
		t.Errorf("express ARN %s", aws.ToString(res.ExecutionArn))
	}
	var notSupported *types.StateMachineTypeNotSupported
	if _, err := s.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(a)}); !errors.As(err, &notSupported) {
		t.Errorf("sync on STANDARD: %v", err)
	}
	if _, err := s.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(a)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(a)}); err != nil {
		t.Errorf("deleting a missing machine should succeed: %v", err)
	}
}

func TestStopAndList(t *testing.T) {
	s := newService(t, "", Config{})
	m := createMachine(t, s, "approval", callbackDef, "")
	var arns []string
	for _, n := range []string{"a", "b", "c"} {
		out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Name: aws.String(n)})
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, aws.ToString(out.ExecutionArn))
	}
	if _, err := s.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(arns[1]), Error: aws.String("E"), Cause: aws.String("C")}); err != nil {
		t.Fatal(err)
	}
	d := waitFor(t, s, arns[1])
	if d.Status != types.ExecutionStatusAborted || aws.ToString(d.Error) != "E" {
		t.Errorf("stopped: %s %s", d.Status, aws.ToString(d.Error))
	}
	running, err := s.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(m), StatusFilter: types.ExecutionStatusRunning})
	if err != nil || len(running.Executions) != 2 {
		t.Fatalf("running: %v %d", err, len(running.Executions))
	}
	all, err := s.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(m), MaxResults: 2})
	if err != nil || len(all.Executions) != 2 || all.NextToken == nil {
		t.Fatalf("page: %v %+v", err, all)
	}
	var tooMany *types.ValidationException
	if _, err := s.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(m), MaxResults: 1001}); !errors.As(err, &tooMany) {
		t.Errorf("maxResults 1001: %v", err)
	}
}

func TestMockedTestCase(t *testing.T) {
	cfg, err := mock.Parse([]byte(`{"StateMachines":{"orders":{"TestCases":{"Wait":{"Charge":"Slow"},"Ok":{"Charge":"Fine"}}}},
		"MockedResponses":{"Fine":{"0":{"Return":{"Payload":{"ok":true}}}},"Slow":{"0":{"WaitForCallback":true,"Return":{"MessageId":"m-1"}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	s := newService(t, "", Config{Mocks: Mocks(cfg)})
	def := `{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"Parameters":{"FunctionName":"f","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}`
	m := createMachine(t, s, "orders", def, "")
	ok, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m + "#Ok")})
	if err != nil {
		t.Fatal(err)
	}
	if d := waitFor(t, s, aws.ToString(ok.ExecutionArn)); aws.ToString(d.Output) != `{"Payload":{"ok":true}}` {
		t.Errorf("mocked output = %s", aws.ToString(d.Output))
	}
	// A mock that waits for its callback: the execution waits for a person, with the
	// service response recorded in TaskSubmitted.
	w, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m + "#Wait")})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(eventTypes(t, s, aws.ToString(w.ExecutionArn)), "TaskSubmitted") {
		if time.Now().After(deadline) {
			t.Fatalf("no TaskSubmitted: %s", eventTypes(t, s, aws.ToString(w.ExecutionArn)))
		}
		time.Sleep(5 * time.Millisecond)
	}
	var bad *types.ValidationException
	if _, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m + "#Nope")}); !errors.As(err, &bad) {
		t.Errorf("unknown test case: %v", err)
	}
}

func TestRestartRearmsTimers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stepdeck.db")
	st := openStore(t, path)
	s, err := New(Config{Store: st, TimeScale: 1, Clock: engine.RealClock{}})
	if err != nil {
		t.Fatal(err)
	}
	m := createMachine(t, s, "w", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}`, "")
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	st.Close()
	// Nothing but the restored timer can end the execution: no call goes through the loop.
	s2 := newService(t, path, Config{Clock: engine.RealClock{}})
	if d := waitFor(t, s2, aws.ToString(out.ExecutionArn)); d.Status != types.ExecutionStatusSucceeded {
		t.Errorf("status %s", d.Status)
	}
}

// The parsed definitions kept stay bounded however many distinct ones are seen.
func TestDefinitionCacheIsBounded(t *testing.T) {
	s := newService(t, "", Config{})
	for i := 0; i < maxCachedDefinitions+50; i++ {
		text := fmt.Sprintf(`{"StartAt":"P","States":{"P":{"Type":"Pass","Result":%d,"End":true}}}`, i)
		if _, _, err := s.definition(text, "STANDARD"); err != nil {
			t.Fatal(err)
		}
	}
	s.defsMu.Lock()
	n := len(s.defs)
	s.defsMu.Unlock()
	if n > maxCachedDefinitions {
		t.Errorf("%d definitions kept, more than %d", n, maxCachedDefinitions)
	}
}
