package service

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// ListExecutions on a version or alias ARN lists the executions started through it,
// and the redrive filter keeps redriven or never-redriven ones.
func TestListExecutionsOfVersionsAndAliases(t *testing.T) {
	s := newService(t, "", Config{})
	created, err := s.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("lm"), Definition: aws.String(passV1),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	m, v1 := aws.ToString(created.StateMachineArn), aws.ToString(created.StateMachineVersionArn)
	al, err := s.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("live"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: aws.String(v1), Weight: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	alias := aws.ToString(al.StateMachineAliasArn)
	started := map[string]string{}
	for _, target := range []string{m, m, v1, alias, alias, alias} {
		out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(target)})
		if err != nil {
			t.Fatal(err)
		}
		started[aws.ToString(out.ExecutionArn)] = target
		waitFor(t, s, aws.ToString(out.ExecutionArn))
	}
	list := func(target string, page int32) []types.ExecutionListItem {
		t.Helper()
		var all []types.ExecutionListItem
		in := &sfn.ListExecutionsInput{StateMachineArn: aws.String(target), MaxResults: page}
		for {
			out, err := s.ListExecutions(ctx, in)
			if err != nil {
				t.Fatalf("list %s: %v", target, err)
			}
			if len(out.Executions) > int(page) {
				t.Fatalf("a page of %d holds %d", page, len(out.Executions))
			}
			all = append(all, out.Executions...)
			if out.NextToken == nil {
				return all
			}
			in.NextToken = out.NextToken
		}
	}
	if got := list(m, 100); len(got) != 6 {
		t.Errorf("the machine lists %d executions, want all 6", len(got))
	}
	// Executions started through the alias ran version 1 and carry both ARNs.
	if got := list(v1, 2); len(got) != 4 {
		t.Errorf("version 1 lists %d executions, want 4 (1 direct, 3 through the alias)", len(got))
	}
	byAlias := list(alias, 2)
	if len(byAlias) != 3 {
		t.Fatalf("the alias lists %d executions, want 3", len(byAlias))
	}
	for _, it := range byAlias {
		if started[aws.ToString(it.ExecutionArn)] != alias || aws.ToString(it.StateMachineAliasArn) != alias ||
			aws.ToString(it.StateMachineVersionArn) != v1 {
			t.Errorf("alias item %+v", it)
		}
	}
	var missing *types.StateMachineDoesNotExist
	if _, err := s.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(m + ":7")}); !errors.As(err, &missing) {
		t.Errorf("listing a version that does not exist: %v", err)
	}
	if _, err := s.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(m + ":nope")}); !errors.As(err, &missing) {
		t.Errorf("listing an alias that does not exist: %v", err)
	}
	redriven, err := s.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(m), RedriveFilter: types.ExecutionRedriveFilterRedriven})
	if err != nil || len(redriven.Executions) != 0 {
		t.Errorf("redriven: %v %d", err, len(redriven.Executions))
	}
	never, err := s.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(m), RedriveFilter: types.ExecutionRedriveFilterNotRedriven})
	if err != nil || len(never.Executions) != 6 {
		t.Errorf("not redriven: %v %d", err, len(never.Executions))
	}
}

// The redrive filter tells a redriven execution from the others, and its list item
// carries the redrive date.
func TestListExecutionsRedriveFilter(t *testing.T) {
	s, _ := flakyService(t, "")
	m := createMachine(t, s, "pay", flakyDef, "")
	var arns []string
	for _, name := range []string{"first", "second"} {
		out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Name: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, s, aws.ToString(out.ExecutionArn))
		arns = append(arns, aws.ToString(out.ExecutionArn))
	}
	// The first failed (the card was declined once); redrive it.
	if _, err := s.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(arns[0])}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, arns[0])
	for _, c := range []struct {
		filter types.ExecutionRedriveFilter
		want   string
	}{{types.ExecutionRedriveFilterRedriven, arns[0]}, {types.ExecutionRedriveFilterNotRedriven, arns[1]}} {
		out, err := s.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(m), RedriveFilter: c.filter})
		if err != nil || len(out.Executions) != 1 || aws.ToString(out.Executions[0].ExecutionArn) != c.want {
			t.Fatalf("%s: %v %+v", c.filter, err, out)
		}
		it := out.Executions[0]
		if (c.filter == types.ExecutionRedriveFilterRedriven) != (it.RedriveDate != nil && aws.ToInt32(it.RedriveCount) == 1) {
			t.Errorf("%s: redrive count %d date %v", c.filter, aws.ToInt32(it.RedriveCount), it.RedriveDate)
		}
	}
}
