package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/pages"
)

// TestVersionsAndAliases: a machine's versions and aliases are listed from its
// executions (v); an execution started on an alias, with a name, says so in its header;
// S starts it again with the same input through the same alias.
func TestVersionsAndAliases(t *testing.T) {
	api := awsAPI(t)
	sc := api.(*client.AWS).Client
	ctx := context.Background()
	m, err := sc.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("orders"), RoleArn: aws.String(exampleRole), Publish: true,
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"one","ResultPath":"$.v","End":true}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	up, err := sc.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: m.StateMachineArn, Publish: true,
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"two","ResultPath":"$.v","End":true}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("prod"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: up.StateMachineVersionArn, Weight: 100}}}); err != nil {
		t.Fatal(err)
	}

	// Wide enough for the breadcrumbs of four screens.
	a := New(fixedCommon(api, 200, 30), "aws us-east-1 (test server)")
	drain(a, a.Init())
	_, cmd := a.Update(pages.OpenMsg{Page: pages.NewExecutions(a.c, aws.ToString(m.StateMachineArn), "orders")})
	drain(a, cmd)
	press(a, "v")
	screen := a.Render()
	mustContain(t, screen, "Versions and aliases of orders", "version", "v2", "v1", "alias", "prod", "v2 100%")
	golden.RequireEqual(t, maskPort(screen))

	// The alias is listed last; start on it, with a name.
	press(a, "down", "down", "s")
	mustContain(t, a.Render(), "Start an execution of orders prod", "Name (empty: a new UUID)")
	press(a, "tab")
	send(a, tea.PasteMsg{Content: "through-prod"})
	press(a, "ctrl+s")
	mustContain(t, a.Render(), "Execution through-prod", "alias prod (v2)", `"v": "two"`)

	// S: the same input, through the same alias, under another name.
	press(a, "S")
	mustContain(t, a.Render(), "Start an execution of orders alias prod (v2)", `{}`)
	press(a, "tab")
	send(a, tea.PasteMsg{Content: "again-1"})
	press(a, "ctrl+s")
	mustContain(t, a.Render(), "Execution again-1", "alias prod (v2)")
	again := strings.Replace(aws.ToString(m.StateMachineArn), ":stateMachine:", ":execution:", 1) + ":again-1"
	d, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(again)})
	if err != nil || d.StateMachineAliasArn == nil || aws.ToString(d.Input) != "{}" {
		t.Fatalf("started again: %+v, %v", d, err)
	}

	// A name the API would refuse is caught in the form.
	press(a, "S", "tab")
	send(a, tea.PasteMsg{Content: "bad name"})
	press(a, "ctrl+s")
	mustContain(t, a.Render(), "The name is not valid")
}
