package ui

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/examples"
)

// exampleRole is the execution role the bundled examples are created with; the local
// engine records it and assumes nothing.
const exampleRole = "arn:aws:iam::123456789012:role/stepdeck-examples"

// SeedExamples creates the bundled example state machines when the backend has none, so
// that a first start on the local engine has something to show. It reports how many it
// created (0 when there were machines already).
func SeedExamples(ctx context.Context, api client.API) (int, error) {
	out, err := api.ListStateMachines(ctx, &sfn.ListStateMachinesInput{MaxResults: 1})
	if err != nil {
		return 0, fmt.Errorf("listing state machines: %w", err)
	}
	if len(out.StateMachines) > 0 {
		return 0, nil
	}
	all, err := examples.All()
	if err != nil {
		return 0, fmt.Errorf("reading the bundled examples: %w", err)
	}
	for i, ex := range all {
		_, err := api.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(ex.Name),
			Definition: aws.String(ex.Definition), RoleArn: aws.String(exampleRole)})
		if err != nil {
			return i, fmt.Errorf("creating example %s: %w", ex.Name, err)
		}
	}
	return len(all), nil
}
