package mock

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func call(state, resource string) *engine.TaskCall {
	return &engine.TaskCall{StateName: state, Resource: resource, Input: value.ObjectOf("in", int64(1))}
}

func TestHandlerResponses(t *testing.T) {
	src := `{"StateMachines":{"M":{"TestCases":{"T":{"Charge":"Flaky","Ask":"Approval","Quick":"QuickAnswer"}}}},
	  "MockedResponses":{
	    "Flaky":{"0":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"busy"}},"1":{"Return":{"StatusCode":200}}},
	    "Approval":{"0":{"WaitForCallback":true,"Return":{"MessageId":"m-1"}}},
	    "QuickAnswer":{"0":{"Return":{"approved":true}}}}}`
	tc := mustCase(t, src, "M", "T")
	h := tc.ForExecution().Handler(nil)
	ctx := context.Background()

	_, err := h(ctx, call("Charge", "arn:aws:states:::lambda:invoke"))
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Name != "Lambda.TooManyRequestsException" || fe.Cause != "busy" {
		t.Errorf("first call: err = %v, want the mocked Throw", err)
	}
	out, err := h(ctx, call("Charge", "arn:aws:states:::lambda:invoke"))
	if err != nil || value.String(out) != `{"StatusCode":200}` {
		t.Errorf("second call = %s, %v; want the mocked Return", value.String(out), err)
	}
	_, err = h(ctx, call("Charge", "arn:aws:states:::lambda:invoke"))
	if !errors.As(err, &fe) || fe.Name != failure.Runtime || !strings.Contains(fe.Cause, "invocation 2 has no entry") {
		t.Errorf("third call: err = %v, want a States.Runtime naming the uncovered invocation", err)
	}

	c := call("Ask", "arn:aws:states:::sqs:sendMessage.waitForTaskToken")
	c.Token = "tok"
	_, err = h(ctx, c)
	var w *engine.CallbackWait
	if !errors.As(err, &w) || value.String(w.Output) != `{"MessageId":"m-1"}` || w.Token != "tok" {
		t.Errorf("WaitForCallback: err = %v, want a *CallbackWait with the Return and the token", err)
	}

	out, err = h(ctx, call("Quick", "arn:aws:states:::sqs:sendMessage.waitForTaskToken"))
	if err != nil || value.String(out) != `{"approved":true}` {
		t.Errorf("mocked .waitForTaskToken without WaitForCallback = %s, %v; want its Return at once", value.String(out), err)
	}

	_, err = h(ctx, call("Unmocked", "arn:aws:states:::sns:publish"))
	if !errors.As(err, &fe) || fe.Name != failure.Runtime || !strings.Contains(fe.Cause, "'Unmocked' is not mocked in test case 'T' of state machine 'M'") ||
		!strings.Contains(fe.Cause, "arn:aws:states:::sns:publish") {
		t.Errorf("unmocked without fallback: err = %v", err)
	}
}

func TestHandlerWaitNeedsCallbackResource(t *testing.T) {
	src := `{"StateMachines":{"M":{"TestCases":{"T":{"S":"W"}}}},"MockedResponses":{"W":{"0":{"WaitForCallback":true}}}}`
	h := mustCase(t, src, "M", "T").ForExecution().Handler(nil)
	_, err := h(context.Background(), call("S", "arn:aws:states:::lambda:invoke"))
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Name != failure.Runtime || !strings.Contains(fe.Cause, "not a .waitForTaskToken integration") {
		t.Errorf("err = %v", err)
	}
	var w *engine.CallbackWait
	if errors.As(err, &w) {
		t.Error("a non-callback resource was told to wait")
	}
}

func TestHandlerFallback(t *testing.T) {
	src := `{"StateMachines":{"M":{"TestCases":{"T":{"S":"R"}}}},"MockedResponses":{"R":{"0":{"Return":"mocked"}}}}`
	inv := mustCase(t, src, "M", "T").ForExecution()
	var fellBack []string
	h := inv.Handler(func(ctx context.Context, c *engine.TaskCall) (value.Value, error) {
		fellBack = append(fellBack, c.StateName)
		return "real", nil
	})
	for _, s := range []string{"S", "Other", "Other"} {
		if _, err := h(context.Background(), call(s, "arn:aws:states:::lambda:invoke")); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(fellBack, ",") != "Other,Other" {
		t.Errorf("fallback saw %v", fellBack)
	}
	if got := inv.Counts(); len(got) != 1 || got["S"] != 1 {
		t.Errorf("Counts = %v; unmocked states are not counted", got)
	}
}

func TestInvocationsConcurrent(t *testing.T) {
	src := `{"StateMachines":{"M":{"TestCases":{"T":{"S":"R"}}}},"MockedResponses":{"R":{"0-99":{"Return":1}}}}`
	inv := mustCase(t, src, "M", "T").ForExecution()
	h := inv.Handler(nil)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Go(func() {
			if _, err := h(context.Background(), call("S", "r")); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := inv.Counts()["S"]; n != 100 {
		t.Errorf("count = %d, want 100", n)
	}
	// The 101st call finds no entry: every index was handed out exactly once.
	if _, err := h(context.Background(), call("S", "r")); err == nil {
		t.Error("call 101 succeeded; some index was handed out twice")
	}
}

func TestResume(t *testing.T) {
	src := `{"StateMachines":{"M":{"TestCases":{"T":{"S":"R"}}}},"MockedResponses":{"R":{"0":{"Return":"first"},"1":{"Return":"second"}}}}`
	tc := mustCase(t, src, "M", "T")
	a := tc.ForExecution()
	if _, _, err := a.Next("S"); err != nil {
		t.Fatal(err)
	}
	b := tc.Resume(a.Counts())
	r, _, err := b.Next("S")
	if err != nil || r.Return != "second" {
		t.Errorf("after Resume: %v, %v; want the second response", r, err)
	}
	// Executions count apart.
	r, _, _ = tc.ForExecution().Next("S")
	if r.Return != "first" {
		t.Errorf("a new execution got %v, want the first response", r.Return)
	}
}

// runMocked runs a definition through the engine with the test case's handler for
// every resource.
func runMocked(t *testing.T, def, input string, tc *TestCase) *engine.Execution {
	t.Helper()
	d, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatalf("definition: %v", err)
	}
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	meta := engine.Meta{ExecutionArn: "arn:aws:states:us-east-1:111111111111:execution:M:e", Name: "e",
		StateMachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:M", StateMachineName: "M",
		RoleArn: "arn:aws:iam::111111111111:role/r", Region: "us-east-1", Type: types.StateMachineTypeStandard,
		StartTime: start, Input: input}
	x := engine.New(d, meta, value.MustParse(input), engine.Options{RecordHistory: true, TimeScale: 1,
		NewToken: func() string { return "token" }})
	reg := &engine.Registry{}
	reg.Handle("*", tc.ForExecution().Handler(nil))
	if err := (&engine.Runner{Clock: engine.NewVirtualClock(start), Handlers: reg}).Run(context.Background(), x); err != nil {
		t.Fatalf("run: %v", err)
	}
	return x
}

func TestThroughEngineRetriesConsumeIndexes(t *testing.T) {
	mocks := `{"StateMachines":{"M":{"TestCases":{"T":{"Charge":"Flaky"}}}},
	  "MockedResponses":{"Flaky":{
	    "0-1":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"busy"}},
	    "2":{"Return":{"StatusCode":200,"Payload":{"ok":true,"n":7}}}}}}`
	def := `{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
	  "Parameters":{"FunctionName":"charge","Payload.$":"$"},
	  "ResultSelector":{"n.$":"$.Payload.n"},"ResultPath":"$.charge",
	  "Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"MaxAttempts":3}],"End":true}}}`
	x := runMocked(t, def, `{"order":1}`, mustCase(t, mocks, "M", "T"))
	if x.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s: %s %s", x.Status, x.Error, x.Cause)
	}
	if got := value.String(x.Output); got != `{"order":1,"charge":{"n":7}}` {
		t.Errorf("output = %s; the Return is the raw service response, then ResultSelector and ResultPath apply", got)
	}
	failed := 0
	for _, ev := range x.History {
		if ev.Type == types.HistoryEventTypeTaskFailed {
			failed++
		}
	}
	if failed != 2 {
		t.Errorf("%d TaskFailed events, want 2 (invocations 0 and 1 throw)", failed)
	}
}

func TestThroughEngineMapIterationsConsumeIndexes(t *testing.T) {
	mocks := `{"StateMachines":{"M":{"TestCases":{"T":{"Double":"Seq"}}}},
	  "MockedResponses":{"Seq":{"0":{"Return":"a"},"1":{"Return":"b"},"2":{"Return":"c"}}}}`
	def := `{"StartAt":"Each","States":{"Each":{"Type":"Map","MaxConcurrency":1,"End":true,
	  "ItemProcessor":{"StartAt":"Double","States":{"Double":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}`
	x := runMocked(t, def, `[1,2,3]`, mustCase(t, mocks, "M", "T"))
	if x.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s: %s %s", x.Status, x.Error, x.Cause)
	}
	if got := value.String(x.Output); got != `["a","b","c"]` {
		t.Errorf("output = %s, want the responses in call order", got)
	}
}

func TestThroughEngineUncoveredInvocationFails(t *testing.T) {
	mocks := `{"StateMachines":{"M":{"TestCases":{"T":{"Loop":"Once"}}}},"MockedResponses":{"Once":{"0":{"Return":{}}}}}`
	def := `{"StartAt":"Loop","States":{"Loop":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Again"},
	  "Again":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"Loop"},"Done":{"Type":"Succeed"}}}`
	x := runMocked(t, def, `{}`, mustCase(t, mocks, "M", "T"))
	if x.Status != types.ExecutionStatusFailed || x.Error != failure.Runtime || !strings.Contains(x.Cause, "invocation 1 has no entry") {
		t.Errorf("status %s, error %s, cause %s", x.Status, x.Error, x.Cause)
	}
}

func BenchmarkHandler(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"StateMachines":{"M":{"TestCases":{"T":{"S":"R"}}}},"MockedResponses":{"R":{`)
	for i := range 1000 {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, `"%d":{"Return":{"i":%d}}`, i, i)
	}
	sb.WriteString(`}}}`)
	c, err := Parse([]byte(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	tc, _ := c.TestCase("M", "T")
	ctx := context.Background()
	cl := call("S", "r")
	b.ReportAllocs()
	for b.Loop() {
		h := tc.ForExecution().Handler(nil)
		for range 10 {
			if _, err := h(ctx, cl); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkParse(b *testing.B) {
	data := []byte(orderFlow)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
