package service

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func parentDef(suffix string) string {
	return `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution` + suffix + `",
		"Parameters":{"StateMachineArn.$":"$.sm","Input.$":"$.in","Name.$":"$.name"},"End":true}}}`
}

const childOK = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"Arg1":"argument1"},"End":true}}}`
const childFail = `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"SomeFailure","Cause":"it failed"}}}`

func parentInput(sm string, in any, name string) string {
	return value.String(value.ObjectOf("sm", sm, "in", in, "name", name))
}

func outputOf(t *testing.T, d *sfn.DescribeExecutionOutput) *value.Object {
	t.Helper()
	v, err := value.ParseString(aws.ToString(d.Output))
	if err != nil {
		t.Fatalf("output %q: %v", aws.ToString(d.Output), err)
	}
	o, ok := v.(*value.Object)
	if !ok {
		t.Fatalf("output %s is not an object", aws.ToString(d.Output))
	}
	return o
}

func TestNestedStart(t *testing.T) {
	s := newService(t, "", Config{})
	child := createMachine(t, s, "child", childOK, "")
	parent := createMachine(t, s, "parent", parentDef(""), "")
	ex := start(t, s, parent, parentInput(child, nil, "kid"))
	d := waitFor(t, s, ex)
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("parent %s: %s %s", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	o := outputOf(t, d)
	childArn, _ := o.Get("ExecutionArn")
	if want := s.loc.Execution("child", "kid"); childArn != want {
		t.Errorf("ExecutionArn = %v, want %s", childArn, want)
	}
	for _, k := range []string{"StartDate", "SdkHttpMetadata", "SdkResponseMetadata"} {
		if !o.Has(k) {
			t.Errorf("the response lacks %s: %s", k, aws.ToString(d.Output))
		}
	}
	cd := waitFor(t, s, childArn.(string))
	if cd.Status != types.ExecutionStatusSucceeded || aws.ToString(cd.Input) != "{}" {
		t.Errorf("child: %s input %s", cd.Status, aws.ToString(cd.Input))
	}
	if got := eventTypes(t, s, ex); got != "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited ExecutionSucceeded" {
		t.Errorf("history: %s", got)
	}
}

func TestNestedSync(t *testing.T) {
	s := newService(t, "", Config{})
	child := createMachine(t, s, "child", childOK, "")
	for _, tc := range []struct {
		suffix  string
		parsed  bool
		childIn any
	}{{".sync", false, nil}, {".sync:2", true, value.ObjectOf("a", int64(1))}} {
		parent := createMachine(t, s, "parent"+strings.ReplaceAll(tc.suffix, ":", "-")[1:], parentDef(tc.suffix), "")
		ex := start(t, s, parent, parentInput(child, tc.childIn, "kid"+tc.suffix[1:2]+strings.ReplaceAll(tc.suffix, ":", "")[1:]))
		d := waitFor(t, s, ex)
		if d.Status != types.ExecutionStatusSucceeded {
			t.Fatalf("%s: parent %s: %s %s", tc.suffix, d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
		}
		o := outputOf(t, d)
		out, _ := o.Get("Output")
		status, _ := o.Get("Status")
		if status != "SUCCEEDED" {
			t.Errorf("%s: Status = %v", tc.suffix, status)
		}
		if tc.parsed {
			if !value.Equal(out, value.ObjectOf("Arg1", "argument1")) {
				t.Errorf("%s: Output = %v, want the parsed object", tc.suffix, out)
			}
			if in, _ := o.Get("Input"); !value.Equal(in, tc.childIn) {
				t.Errorf("%s: Input = %v", tc.suffix, in)
			}
		} else if out != `{"Arg1":"argument1"}` {
			t.Errorf("%s: Output = %v, want the JSON text", tc.suffix, out)
		}
		if got := eventTypes(t, s, ex); got != "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded" {
			t.Errorf("%s: history: %s", tc.suffix, got)
		}
	}
}

func TestNestedSyncChildFails(t *testing.T) {
	s := newService(t, "", Config{})
	child := createMachine(t, s, "child", childFail, "")
	parent := createMachine(t, s, "parent", parentDef(".sync"), "")
	ex := start(t, s, parent, parentInput(child, nil, "kid"))
	d := waitFor(t, s, ex)
	if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "States.TaskFailed" {
		t.Fatalf("parent %s %s", d.Status, aws.ToString(d.Error))
	}
	cause := value.MustParse(aws.ToString(d.Cause)).(*value.Object)
	if e, _ := cause.Get("Error"); e != "SomeFailure" {
		t.Errorf("cause %s", aws.ToString(d.Cause))
	}
	if st, _ := cause.Get("Status"); st != "FAILED" {
		t.Errorf("cause %s", aws.ToString(d.Cause))
	}
}

func TestNestedNoSuchMachine(t *testing.T) {
	s := newService(t, "", Config{})
	parent := createMachine(t, s, "parent", parentDef(""), "")
	missing := s.loc.StateMachine("nope")
	ex := start(t, s, parent, parentInput(missing, nil, "kid"))
	d := waitFor(t, s, ex)
	if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "StepFunctions.StateMachineDoesNotExistException" ||
		!strings.HasPrefix(aws.ToString(d.Cause), "State Machine Does Not Exist: '"+missing+"' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: ") {
		t.Errorf("parent %s %s %s", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
}

func TestNestedWaitForTaskToken(t *testing.T) {
	s := newService(t, "", Config{})
	child := createMachine(t, s, "child", waitDef, "")
	def := `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.waitForTaskToken",
		"Parameters":{"StateMachineArn":"` + child + `","Name":"kid","Input":{"token.$":"$$.Task.Token"}},"End":true}}}`
	parent := createMachine(t, s, "parent", def, "")
	ex := start(t, s, parent, `{}`)
	// The child holds the token in its input, as the one who will answer it.
	var childIn *value.Object
	for i := 0; childIn == nil && i < 1000; i++ {
		if cd, err := s.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(s.loc.Execution("child", "kid"))}); err == nil {
			childIn = value.MustParse(aws.ToString(cd.Input)).(*value.Object)
		} else {
			time.Sleep(time.Millisecond)
		}
	}
	if childIn == nil {
		t.Fatal("the child never started")
	}
	tokV, _ := childIn.Get("token")
	tok, _ := tokV.(string)
	if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(`{"from":"child"}`)}); err != nil {
		t.Fatal(err)
	}
	d := waitFor(t, s, ex)
	if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"from":"child"}` {
		t.Errorf("parent %s %s", d.Status, aws.ToString(d.Output))
	}
	if got := eventTypes(t, s, ex); got != "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded" {
		t.Errorf("history: %s", got)
	}
}

// A parent waiting on a child (.sync) across a restart is answered when the child ends.
func TestNestedSyncRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stepdeck.db")
	st := openStore(t, path)
	s, err := New(Config{Store: st, TimeScale: 1, Clock: engine.NewVirtualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	cb := createMachine(t, s, "child", callbackDef, "")
	parent := createMachine(t, s, "parent", parentDef(".sync"), "")
	ex := start(t, s, parent, parentInput(cb, nil, "kid"))
	childArn := s.loc.Execution("child", "kid")
	tok := s.tokenFor(childArn)
	for i := 0; tok == "" && i < 1000; i++ {
		time.Sleep(time.Millisecond)
		tok = s.tokenFor(childArn)
	}
	s.Close()
	st.Close()

	s2 := newService(t, path, Config{})
	if _, err := s2.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(`"done"`)}); err != nil {
		t.Fatal(err)
	}
	d := waitFor(t, s2, ex)
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("parent %s %s", d.Status, aws.ToString(d.Cause))
	}
	if out, _ := outputOf(t, d).Get("Output"); out != `"done"` {
		t.Errorf("Output = %v", out)
	}
}

// Stopping a parent that waits on its child (.sync) stops the child too.
func TestNestedSyncParentStopped(t *testing.T) {
	s := newService(t, "", Config{})
	cb := createMachine(t, s, "child", callbackDef, "")
	parent := createMachine(t, s, "parent", parentDef(".sync"), "")
	ex := start(t, s, parent, parentInput(cb, nil, "kid"))
	childArn := s.loc.Execution("child", "kid")
	for i := 0; s.tokenFor(childArn) == "" && i < 1000; i++ {
		time.Sleep(time.Millisecond)
	}
	if _, err := s.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(ex)}); err != nil {
		t.Fatal(err)
	}
	if d := waitFor(t, s, childArn); d.Status != types.ExecutionStatusAborted {
		t.Errorf("child %s, want ABORTED", d.Status)
	}
	if d := waitFor(t, s, ex); d.Status != types.ExecutionStatusAborted {
		t.Errorf("parent %s, want ABORTED", d.Status)
	}
}
