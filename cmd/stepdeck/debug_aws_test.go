package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/interpreter/debug"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/server"
	"github.com/stepdeck/stepdeck/interpreter/service"
	"github.com/stepdeck/stepdeck/interpreter/store"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Stepping through a deployed machine: its definition comes from the endpoint, the
// Task's integration runs through the endpoint's TestState (here the local service
// over HTTP with a Lambda handler standing in for the function), a state named by hand
// waits for its answer, and the data flow carries the results on.
func TestDebugADeployedMachineThroughTestState(t *testing.T) {
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	var calls atomic.Int64
	reg := &engine.Registry{}
	reg.Handle("arn:aws:states:::lambda:invoke", func(_ context.Context, call *engine.TaskCall) (value.Value, error) {
		calls.Add(1)
		payload, _ := call.Input.(*value.Object).Get("Payload")
		amount, _ := payload.(*value.Object).Get("amount")
		return value.MustParse(`{"StatusCode":200,"Payload":{"charged":` + value.String(amount) + `}}`), nil
	})
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Store: st, Clock: engine.RealClock{}, Handlers: reg})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(svc))
	t.Cleanup(func() { srv.Close(); svc.Close(); st.Close() })
	ctx := context.Background()
	m, err := svc.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("orders"),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/orders"), Definition: aws.String(`{"StartAt":"Charge","States":{
		"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
			"Parameters":{"FunctionName":"charge","Payload":{"amount.$":"$.amount"}},
			"ResultSelector":{"charged.$":"$.Payload.charged"},"ResultPath":"$.charge","Next":"Approve"},
		"Approve":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"approve"},"ResultPath":"$.approval","End":true}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	o := debugOptions{run: runOptions{input: `{"amount":42}`}, deployed: deployedOptions{arn: aws.ToString(m.StateMachineArn),
		endpoint: srv.URL, byHand: []string{"Approve"}}}
	s, _, err := newDeployedSession(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Continue()
	v := waitView(t, s, func(v debug.View) bool { return len(v.Tasks) == 1 })
	if v.Tasks[0].State != "Approve" || calls.Load() != 1 {
		t.Fatalf("waiting on %+v after %d integration calls", v.Tasks, calls.Load())
	}
	if err := s.Answer(v.Tasks[0].Frame, value.MustParse(`{"ok":true}`), nil, nil); err != nil {
		t.Fatal(err)
	}
	v = waitView(t, s, func(v debug.View) bool { return v.Status != "RUNNING" })
	if got := value.String(v.Output); v.Status != "SUCCEEDED" || got != `{"amount":42,"charge":{"charged":42},"approval":{"ok":true}}` {
		t.Errorf("%s %s", v.Status, got)
	}
	if _, _, err := newDeployedSession(ctx, debugOptions{deployed: deployedOptions{arn: "not-an-arn"}}); err == nil {
		t.Error("a bad ARN was taken")
	}
}

func waitView(t *testing.T, s *debug.Session, ok func(debug.View) bool) debug.View {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if v := s.View(); ok(v) {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("the session is %+v", s.View())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
