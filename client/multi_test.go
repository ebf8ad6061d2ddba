package client

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/client/faults"
	"github.com/stepdeck/stepdeck/interpreter/server"
)

// Two accounts (two local services over HTTP, with different account ids in their
// ARNs would be more like AWS; the same ids test the routing harder: ARNs alone cannot
// tell them apart, only where they were listed).
func TestMultiListsAcrossBackendsAndRoutesByARN(t *testing.T) {
	svcA, svcB := newService(t), newService(t)
	epB := &faults.Endpoint{Next: server.New(svcB)}
	a, b := awsClient(t, server.New(svcA)), awsClient(t, epB)
	start(t, svcA, "only-in-a", approvalDef)
	execB := start(t, svcB, "only-in-b", approvalDef)
	m := NewMulti([]Named{{"a", a}, {"b", b}})

	out, err := m.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil || len(out.StateMachines) != 2 {
		t.Fatalf("%v %+v", err, out)
	}
	for _, sm := range out.StateMachines {
		want := strings.TrimPrefix(aws.ToString(sm.Name), "only-in-")
		if got := m.ContextOf(aws.ToString(sm.StateMachineArn)); got != want {
			t.Errorf("%s is of %q, want %q", aws.ToString(sm.Name), got, want)
		}
	}
	// A screen opened on B's execution works as on B alone.
	if _, err := m.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(execB)}); err != nil {
		t.Fatal(err)
	}
	// The callbacks of both, each answered in its own backend.
	cbs, err := PendingCallbacks(ctx, m, CallbackOptions{})
	if err != nil || len(cbs) != 2 {
		t.Fatalf("%v %+v", err, cbs)
	}
	for _, cb := range cbs {
		if err := SendSuccess(ctx, m, cb.Token, `{}`); err != nil {
			t.Errorf("answering %s: %v", cb.ExecutionArn, err)
		}
	}
	if cbs, _ := PendingCallbacks(ctx, m, CallbackOptions{}); len(cbs) != 0 {
		t.Errorf("still pending: %+v", cbs)
	}
	// A backend that fails keeps its error; the other's machines still list.
	epB.Set(func(e *faults.Endpoint) { e.Rules = []*faults.Rule{{Op: "ListStateMachines", Status: 403}} })
	out, err = m.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil || len(out.StateMachines) != 1 || m.ContextErrors()["b"] == nil {
		t.Errorf("with b denied: %v, %d machines, errors %v", err, len(out.StateMachines), m.ContextErrors())
	}
}
