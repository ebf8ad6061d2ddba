package client

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

func TestMapRuns(t *testing.T) {
	api := newLocal(t)
	m, err := api.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("fan"), RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
		Definition: aws.String(`{"StartAt":"M","States":{"M":{"Type":"Map","Label":"batch","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"ToleratedFailurePercentage":5,"End":true}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := api.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Input: aws.String(`[1,2,3,4]`)})
	if err != nil {
		t.Fatal(err)
	}
	waitStatus(t, api, aws.ToString(out.ExecutionArn))
	runs, err := MapRuns(ctx, api, aws.ToString(out.ExecutionArn))
	if err != nil || len(runs) != 1 {
		t.Fatalf("map runs: %+v, %v", runs, err)
	}
	d, err := api.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: runs[0].MapRunArn})
	if err != nil || d.Status != types.MapRunStatusSucceeded || d.ItemCounts.Succeeded != 4 {
		t.Fatalf("described: %+v, %v", d, err)
	}
	if got := ToleratedFailures(d); got != "5% of items" {
		t.Fatalf("tolerated: %q", got)
	}
	// The local engine has no child executions, and says so.
	_, _, err = MapRunChildren(ctx, api, aws.ToString(runs[0].MapRunArn), 10)
	var ve *types.ValidationException
	if !errors.As(err, &ve) {
		t.Fatalf("children on the local engine: %v", err)
	}
}

func TestToleratedFailures(t *testing.T) {
	for _, c := range []struct {
		pct  float32
		n    int64
		want string
	}{{0, 0, "none"}, {12.5, 0, "12.5% of items"}, {0, 3, "3 items"}, {10, 2, "10% or 2 items"}} {
		if got := ToleratedFailures(&sfn.DescribeMapRunOutput{ToleratedFailurePercentage: c.pct, ToleratedFailureCount: c.n}); got != c.want {
			t.Errorf("%v/%v: %q, want %q", c.pct, c.n, got, c.want)
		}
	}
}

func TestVersionLabel(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:states:us-east-1:1:stateMachine:m:12":   "v12",
		"arn:aws:states:us-east-1:1:stateMachine:m:prod": "prod",
		"": "",
	} {
		if got := VersionLabel(arn); got != want {
			t.Errorf("VersionLabel(%q) = %q, want %q", arn, got, want)
		}
	}
}

func TestAWSOfLooksThroughWithExpress(t *testing.T) {
	isolateAWSEnv(t)
	a, err := NewAWS(ctx, Options{Endpoint: "http://127.0.0.1:1", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := AWSOf(WithExpress(a, NewAWSLogs(a), ExpressOptions{})); !ok || got != a {
		t.Fatal("AWSOf did not find the *AWS behind WithExpress")
	}
	if _, ok := AWSOf(newLocal(t)); ok {
		t.Fatal("AWSOf found an *AWS behind the local engine")
	}
}
