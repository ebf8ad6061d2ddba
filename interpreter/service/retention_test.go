package service

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/store"
)

const (
	passDef      = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
	callbackDef2 = `{"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"t.$":"$$.Task.Token"},"End":true}}}`
	sleepDays    = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":8640000,"End":true}}}` // 100 days
)

func startNamed(t *testing.T, s *Service, machine, name string) string {
	t.Helper()
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machine), Name: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.ExecutionArn)
}

func removed(t *testing.T, s *Service, a string) bool {
	t.Helper()
	_, err := s.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(a)})
	var dne *types.ExecutionDoesNotExist
	if err != nil && !errors.As(err, &dne) {
		t.Fatal(err)
	}
	if _, herr := s.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(a)}); (herr == nil) == (err != nil) {
		t.Fatalf("%s: DescribeExecution says %v but GetExecutionHistory %v", a, err, herr)
	}
	return err != nil
}

// TestClosedExecutionsExpire: executions closed longer than the retention are removed
// with their histories; running ones and recently closed ones stay.
func TestClosedExecutionsExpire(t *testing.T) {
	s := newService(t, "", Config{Retention: DefaultRetention})
	quick := createMachine(t, s, "quick", passDef, "")
	var old []string
	for _, name := range []string{"a", "b", "c"} {
		a := startNamed(t, s, quick, name)
		waitFor(t, s, a)
		old = append(old, a)
	}
	waiting := startNamed(t, s, createMachine(t, s, "asks", callbackDef2, ""), "waits")
	// The virtual clock jumps to the end of this 100-day Wait.
	recent := startNamed(t, s, createMachine(t, s, "sleeps", sleepDays, ""), "sleeps")
	waitFor(t, s, recent)
	if now := s.clock.Now(); now.Sub(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) < 100*24*time.Hour {
		t.Fatalf("the clock is at %s: the Wait did not pass", now)
	}
	n, err := s.sweepClosed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(old) {
		t.Errorf("the sweep removed %d executions, want the %d closed 100 days ago", n, len(old))
	}
	for _, a := range old {
		if !removed(t, s, a) {
			t.Errorf("%s, closed 100 days ago, is still there", a)
		}
	}
	for _, a := range []string{waiting, recent} {
		if removed(t, s, a) {
			t.Errorf("%s was removed", a)
		}
	}
	if tok := s.tokenFor(waiting); tok == "" {
		t.Error("the running execution lost its token")
	}
	// Nothing is left to remove.
	if n, err := s.sweepClosed(ctx); err != nil || n != 0 {
		t.Errorf("a second sweep removed %d (%v)", n, err)
	}
}

// TestDeleteStateMachineDeletesItsExecutions: as on AWS, a deleted machine's
// executions go with it (running ones are stopped first); other machines' stay.
func TestDeleteStateMachineDeletesItsExecutions(t *testing.T) {
	s := newService(t, "", Config{})
	doomed := createMachine(t, s, "doomed", callbackDef2, "")
	kept := createMachine(t, s, "kept", passDef, "")
	running := startNamed(t, s, doomed, "running")
	for s.tokenFor(running) == "" {
		time.Sleep(time.Millisecond)
	}
	tok := s.tokenFor(running)
	closed := startNamed(t, s, doomed, "closed")
	for s.tokenFor(closed) == "" {
		time.Sleep(time.Millisecond)
	}
	if _, err := s.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(closed)}); err != nil {
		t.Fatal(err)
	}
	other := startNamed(t, s, kept, "other")
	waitFor(t, s, other)

	if _, err := s.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(doomed)}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{running, closed} {
		if !removed(t, s, a) {
			t.Errorf("%s outlived its machine", a)
		}
	}
	if removed(t, s, other) {
		t.Error("another machine's execution was deleted")
	}
	if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(`{}`)}); err == nil {
		t.Error("the deleted execution's token still answers")
	}
	err := s.st.View(func(tx *store.Tx) error {
		items, _, err := tx.List(kindTokens, "", "", 0)
		if len(items) != 0 {
			t.Errorf("%d token records remain", len(items))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
