package service

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/interpreter/mock"
)

// The service serves a distributed Map's read as it serves a task: from the test case's
// mock of the Map state, and otherwise with an error naming the resource.
func TestServiceServesItemReaderFromMocks(t *testing.T) {
	ctx := context.Background()
	cfg, err := mock.Parse([]byte(`{"StateMachines":{"rows":{"TestCases":{"Csv":{"Each":"Body"}}}},
		"MockedResponses":{"Body":{"0":{"Return":"id,qty\n7,2\n8,5\n"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	s := newService(t, "", Config{Mocks: Mocks(cfg)})
	def := `{"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,
		"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV"},"Parameters":{"Bucket":"b","Key":"k"}},
		"ItemSelector":{"qty.$":"$$.Map.Item.Value.qty"},
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}`
	m := createMachine(t, s, "rows", def, "")
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m + "#Csv")})
	if err != nil {
		t.Fatal(err)
	}
	if d := waitFor(t, s, aws.ToString(out.ExecutionArn)); aws.ToString(d.Output) != `[{"qty":"2"},{"qty":"5"}]` {
		t.Errorf("output %s %s %s, want the mocked CSV's rows through the ItemSelector", d.Status, aws.ToString(d.Output), aws.ToString(d.Cause))
	}
	runs, err := s.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: out.ExecutionArn})
	if err != nil || len(runs.MapRuns) != 1 {
		t.Fatalf("map runs %+v, %v; want one", runs, err)
	}
	run, err := s.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: runs.MapRuns[0].MapRunArn})
	if err != nil {
		t.Fatal(err)
	}
	if c := run.ItemCounts; run.Status != "SUCCEEDED" || c.Total != 2 || c.Succeeded != 2 || c.Pending != 0 {
		t.Errorf("map run %s, counts %+v; want the two items read, succeeded", run.Status, *c)
	}
	bare, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
	if err != nil {
		t.Fatal(err)
	}
	d := waitFor(t, s, aws.ToString(bare.ExecutionArn))
	if aws.ToString(d.Error) != "States.ItemReaderFailed" || !strings.Contains(aws.ToString(d.Cause), "arn:aws:states:::s3:getObject") {
		t.Errorf("unmocked read ended %s %s %q; want States.ItemReaderFailed naming the resource", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
}
