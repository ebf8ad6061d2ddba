package client

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// A distributed Map state runs its items as a Map Run: the parent's history has a
// MapRunStarted event naming it, DescribeMapRun counts its items and child executions
// by status, and on AWS each batch of items is a child execution that ListExecutions
// lists by mapRunArn.

// MapRuns lists the Map Runs of an execution, every page.
func MapRuns(ctx context.Context, api API, executionArn string) ([]types.MapRunListItem, error) {
	in := &sfn.ListMapRunsInput{ExecutionArn: aws.String(executionArn), MaxResults: 1000}
	var all []types.MapRunListItem
	for {
		out, err := api.ListMapRuns(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("listing the map runs: %w", err)
		}
		all = append(all, out.MapRuns...)
		if out.NextToken == nil {
			return all, nil
		}
		in.NextToken = out.NextToken
	}
}

// MapRunChildren lists up to max child executions of a Map Run, newest first, and
// whether there were more.
func MapRunChildren(ctx context.Context, api API, mapRunArn string, max int) ([]types.ExecutionListItem, bool, error) {
	in := &sfn.ListExecutionsInput{MapRunArn: aws.String(mapRunArn), MaxResults: int32(min(max, 1000))}
	var all []types.ExecutionListItem
	for {
		out, err := api.ListExecutions(ctx, in)
		if err != nil {
			return nil, false, fmt.Errorf("listing the map run's child executions: %w", err)
		}
		all = append(all, out.Executions...)
		if out.NextToken == nil {
			return all, false, nil
		}
		if len(all) >= max {
			return all[:max], true, nil
		}
		in.NextToken = out.NextToken
	}
}

// ToleratedFailures says how many failures a Map Run tolerates, as DescribeMapRun
// gives them: a percentage, a count, both, or none.
func ToleratedFailures(d *sfn.DescribeMapRunOutput) string {
	pct, n := d.ToleratedFailurePercentage, d.ToleratedFailureCount
	switch {
	case pct > 0 && n > 0:
		return fmt.Sprintf("%g%% or %d items", pct, n)
	case pct > 0:
		return fmt.Sprintf("%g%% of items", pct)
	case n > 0:
		return fmt.Sprintf("%d items", n)
	}
	return "none"
}
