package client

import (
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"

	"github.com/stepdeck/stepdeck/client/faults"
	"github.com/stepdeck/stepdeck/interpreter/server"
)

// The errors are the SDK's own, over HTTP, from the local service behind faults.
func TestExplainNamesWhatToDo(t *testing.T) {
	svc := newService(t)
	ep := &faults.Endpoint{Next: server.New(svc)}
	c := awsClient(t, ep)
	m, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("m"), Definition: aws.String(approvalDef),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	machine := aws.ToString(m.StateMachineArn)
	ep.Set(func(e *faults.Endpoint) {
		e.Rules = []*faults.Rule{{Op: "ListExecutions", BodyContains: machine, Status: 403}}
	})
	_, err = c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(machine)})
	got := Explain(err)
	if want := "access denied: needs states:ListExecutions on " + machine; got.Summary != want {
		t.Errorf("denial:\n got %q\nwant %q", got.Summary, want)
	}
	if got.Action != "states:ListExecutions" || got.Resource != machine || !strings.Contains(got.Full, "RequestID") {
		t.Errorf("denial: %+v", got)
	}

	ep.Set(func(e *faults.Endpoint) { e.Rules = nil })
	in := &sfn.StartExecutionInput{StateMachineArn: aws.String(machine), Name: aws.String("once"), Input: aws.String(`{}`)}
	if _, err := c.StartExecution(ctx, in); err != nil {
		t.Fatal(err)
	}
	in.Input = aws.String(`{"other":1}`)
	_, err = c.StartExecution(ctx, in)
	if s := Explain(err).Summary; !strings.HasPrefix(s, "ExecutionAlreadyExists: ") {
		t.Errorf("already exists: %q", s)
	}

	ep.Set(func(e *faults.Endpoint) { e.Rules = []*faults.Rule{{Status: 400}} })
	_, err = c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(machine)})
	if s := Explain(err).Summary; !strings.HasPrefix(s, "throttled by AWS") {
		t.Errorf("throttled: %q", s)
	}
	ep.Set(func(e *faults.Endpoint) { e.Rules = []*faults.Rule{{Status: 500}} })
	_, err = c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(machine)})
	if s := Explain(err).Summary; !strings.HasPrefix(s, "the service failed (InternalFailure)") {
		t.Errorf("5xx: %q", s)
	}
}

func TestExplainNetworkErrors(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	isolateAWSEnv(t)
	c, err := NewAWS(ctx, Options{Endpoint: "http://" + addr, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if s := Explain(err).Summary; s != "cannot reach "+addr+": connection refused (is the endpoint running?)" {
		t.Errorf("refused: %q (%v)", s, err)
	}
	dns := fmt.Errorf("operation error SFN: ListStateMachines: %w",
		&net.DNSError{Err: "no such host", Name: "states.xx-fake-1.amazonaws.com", IsNotFound: true})
	if s := Explain(dns).Summary; !strings.Contains(s, `region "xx-fake-1"`) {
		t.Errorf("unknown region: %q", s)
	}
}

// A denial that does not name its resource as an ARN names the action alone.
func TestExplainADenialWithoutAnARN(t *testing.T) {
	err := &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "User: arn:aws:iam::123456789012:user/op is not " +
		"authorized to perform: states:ListExecutions on resource: the state machine because no identity-based policy allows it"}
	if s := Explain(err).Summary; s != "access denied: needs states:ListExecutions" {
		t.Errorf("%q", s)
	}
}
