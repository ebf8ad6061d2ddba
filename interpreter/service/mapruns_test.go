package service

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

const distributedDef = `{"StartAt":"M","States":{"M":{"Type":"Map","Label":"items","MaxConcurrency":2,"End":true,
	"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
		"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":3,"Next":"Bad"}],"Default":"Ok"},
		"Ok":{"Type":"Pass","End":true},"Bad":{"Type":"Fail","Error":"Three"}}}}}}`

func TestMapRuns(t *testing.T) {
	s := newService(t, "", Config{})
	m := createMachine(t, s, "dist", distributedDef, "")
	for _, c := range []struct {
		input  string
		status types.MapRunStatus
		succ   int64
	}{{`[1,2,4]`, types.MapRunStatusSucceeded, 3}, {`[1,3]`, types.MapRunStatusFailed, 1}} {
		ex, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Input: aws.String(c.input)})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, s, aws.ToString(ex.ExecutionArn))
		list, err := s.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: ex.ExecutionArn})
		if err != nil || len(list.MapRuns) != 1 {
			t.Fatalf("%s: ListMapRuns: %v %+v", c.input, err, list)
		}
		run := list.MapRuns[0]
		if !strings.Contains(aws.ToString(run.MapRunArn), ":mapRun:dist/items:") || aws.ToString(run.StateMachineArn) != m+"/items" || run.StopDate == nil {
			t.Errorf("%s: map run %+v", c.input, run)
		}
		d, err := s.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: run.MapRunArn})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != c.status || d.ItemCounts.Succeeded != c.succ || d.ItemCounts.Total != int64(len(strings.Split(c.input, ","))) || d.MaxConcurrency != 2 {
			t.Errorf("%s: describe %s counts %+v max %d", c.input, d.Status, d.ItemCounts, d.MaxConcurrency)
		}
	}
	var rnf *types.ResourceNotFound
	if _, err := s.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: aws.String("arn:aws:states:us-east-1:123456789012:mapRun:dist/items:nope")}); !errors.As(err, &rnf) {
		t.Errorf("missing map run: %v", err)
	}
	var ia *types.InvalidArn
	if _, err := s.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: aws.String(m)}); !errors.As(err, &ia) {
		t.Errorf("a state machine ARN: %v", err)
	}
}
