package service

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

const passV1 = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"v1","End":true}}}`
const passV2 = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"v2","End":true}}}`

func TestVersionsAndAliases(t *testing.T) {
	s := newService(t, "", Config{})
	created, err := s.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("vm"), Definition: aws.String(passV1),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), Publish: true, VersionDescription: aws.String("first")})
	if err != nil {
		t.Fatal(err)
	}
	m := aws.ToString(created.StateMachineArn)
	v1 := aws.ToString(created.StateMachineVersionArn)
	if v1 != m+":1" {
		t.Fatalf("published version %q", v1)
	}
	// Publishing the same revision again returns the same version.
	again, err := s.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(m)})
	if err != nil || aws.ToString(again.StateMachineVersionArn) != v1 {
		t.Fatalf("republish: %v %v", err, again)
	}
	up, err := s.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(m), Definition: aws.String(passV2)})
	if err != nil {
		t.Fatal(err)
	}
	var conflict *types.ConflictException
	if _, err := s.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(m), RevisionId: aws.String("old")}); !errors.As(err, &conflict) ||
		!strings.Contains(err.Error(), aws.ToString(up.RevisionId)) {
		t.Errorf("publishing a stale revision: %v", err)
	}
	p2, err := s.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(m), RevisionId: up.RevisionId, Description: aws.String("second")})
	if err != nil || aws.ToString(p2.StateMachineVersionArn) != m+":2" {
		t.Fatalf("publish v2: %v %v", err, p2)
	}
	d, err := s.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(v1)})
	if err != nil || aws.ToString(d.Definition) != passV1 || aws.ToString(d.Description) != "first" || aws.ToString(d.StateMachineArn) != v1 {
		t.Errorf("describe v1: %v %+v", err, d)
	}
	list, err := s.ListStateMachineVersions(ctx, &sfn.ListStateMachineVersionsInput{StateMachineArn: aws.String(m), MaxResults: 1})
	if err != nil || len(list.StateMachineVersions) != 1 || aws.ToString(list.StateMachineVersions[0].StateMachineVersionArn) != m+":2" || list.NextToken == nil {
		t.Fatalf("versions page 1: %v %+v", err, list)
	}
	list, err = s.ListStateMachineVersions(ctx, &sfn.ListStateMachineVersionsInput{StateMachineArn: aws.String(m), NextToken: list.NextToken})
	if err != nil || len(list.StateMachineVersions) != 1 || aws.ToString(list.StateMachineVersions[0].StateMachineVersionArn) != v1 || list.NextToken != nil {
		t.Fatalf("versions page 2: %v %+v", err, list)
	}

	// An alias all on v1: executions run v1 under the machine's own execution ARN.
	al, err := s.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("live"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: aws.String(v1), Weight: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	alias := aws.ToString(al.StateMachineAliasArn)
	if alias != m+":live" {
		t.Fatalf("alias ARN %s", alias)
	}
	ex, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(alias), Name: aws.String("viaAlias")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(ex.ExecutionArn); got != "arn:aws:states:us-east-1:123456789012:execution:vm:viaAlias" {
		t.Errorf("execution ARN %s", got)
	}
	de := waitFor(t, s, aws.ToString(ex.ExecutionArn))
	if aws.ToString(de.Output) != `"v1"` || aws.ToString(de.StateMachineArn) != m || aws.ToString(de.StateMachineAliasArn) != alias || aws.ToString(de.StateMachineVersionArn) != v1 {
		t.Errorf("execution through the alias: %+v", de)
	}
	h, err := s.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: ex.ExecutionArn})
	if err != nil || aws.ToString(h.Events[0].ExecutionStartedEventDetails.StateMachineAliasArn) != alias ||
		aws.ToString(h.Events[0].ExecutionStartedEventDetails.StateMachineVersionArn) != v1 {
		t.Errorf("ExecutionStarted: %v %+v", err, h.Events[0].ExecutionStartedEventDetails)
	}
	ex2, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m + ":2")})
	if err != nil {
		t.Fatal(err)
	}
	if de := waitFor(t, s, aws.ToString(ex2.ExecutionArn)); aws.ToString(de.Output) != `"v2"` || de.StateMachineAliasArn != nil {
		t.Errorf("execution on v2: %+v", de)
	}

	// A version an alias routes to cannot be deleted.
	if _, err := s.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(v1)}); !errors.As(err, &conflict) ||
		!strings.HasSuffix(err.Error(), "[live]") {
		t.Errorf("deleting an aliased version: %v", err)
	}
	if _, err := s.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{StateMachineAliasArn: aws.String(alias), Description: aws.String("canary"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: aws.String(v1), Weight: 90}, {StateMachineVersionArn: aws.String(m + ":2"), Weight: 10}}}); err != nil {
		t.Fatal(err)
	}
	da, err := s.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: aws.String(alias)})
	if err != nil || aws.ToString(da.Description) != "canary" || len(da.RoutingConfiguration) != 2 || da.UpdateDate == nil {
		t.Errorf("describe alias: %v %+v", err, da)
	}
	la, err := s.ListStateMachineAliases(ctx, &sfn.ListStateMachineAliasesInput{StateMachineArn: aws.String(m)})
	if err != nil || len(la.StateMachineAliases) != 1 {
		t.Errorf("list aliases: %v %+v", err, la)
	}
	if _, err := s.DeleteStateMachineAlias(ctx, &sfn.DeleteStateMachineAliasInput{StateMachineAliasArn: aws.String(alias)}); err != nil {
		t.Fatal(err)
	}
	var rnf *types.ResourceNotFound
	if _, err := s.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: aws.String(alias)}); !errors.As(err, &rnf) {
		t.Errorf("describing a deleted alias: %v", err)
	}
	if _, err := s.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(v1)}); err != nil {
		t.Fatal(err)
	}
	var dne *types.StateMachineDoesNotExist
	if _, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(v1)}); !errors.As(err, &dne) {
		t.Errorf("starting a deleted version: %v", err)
	}
}

func TestAliasValidation(t *testing.T) {
	s := newService(t, "", Config{})
	m := createMachine(t, s, "vm", passV1, "")
	v := m + ":1"
	route := func(arn string, w int32) types.RoutingConfigurationListItem {
		return types.RoutingConfigurationListItem{StateMachineVersionArn: aws.String(arn), Weight: w}
	}
	for _, c := range []struct {
		name    string
		routing []types.RoutingConfigurationListItem
		want    string
	}{
		{"123", []types.RoutingConfigurationListItem{route(v, 100)}, "regular expression pattern"},
		{"bad alias", []types.RoutingConfigurationListItem{route(v, 100)}, "regular expression pattern"},
		{strings.Repeat("A", 81), []types.RoutingConfigurationListItem{route(v, 100)}, "less than or equal to 80"},
		{"a", []types.RoutingConfigurationListItem{route(v, 50), route(m+":2", 30), route(m+":3", 20)}, "at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2"},
		{"a", []types.RoutingConfigurationListItem{route(v, 101)}, "Value '101' at 'routingConfiguration.1.member.weight'"},
		{"a", []types.RoutingConfigurationListItem{route(m, 50), route(m+":2", 50)}, "must contain state machine version ARNs. Received: [" + m + ", " + m + ":2]"},
		{"a", []types.RoutingConfigurationListItem{route(v, 50), route(v, 50)}, "must contain distinct state machine version ARNs"},
		{"a", []types.RoutingConfigurationListItem{route(v, 70), route(m+":2", 29)}, "Sum of routing configuration weights must equal 100. Received: [70, 29]"},
	} {
		_, err := s.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String(c.name), RoutingConfiguration: c.routing})
		var ve *types.ValidationException
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: %v, want a ValidationException with %q", c.name, c.routing, err, c.want)
		}
	}
	var rnf *types.ResourceNotFound
	if _, err := s.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{StateMachineAliasArn: aws.String(m + ":nope"), Description: aws.String("x")}); !errors.As(err, &rnf) ||
		!strings.Contains(err.Error(), "Request references a resource that does not exist.") {
		t.Errorf("updating a missing alias: %v", err)
	}
	var dne *types.StateMachineDoesNotExist
	if _, err := s.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(m + "x")}); !errors.As(err, &dne) {
		t.Errorf("publishing a missing machine: %v", err)
	}
	if _, err := s.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(v), Definition: aws.String(passV2)}); !errors.As(err, &dne) {
		t.Errorf("updating a version: %v", err)
	}
}
