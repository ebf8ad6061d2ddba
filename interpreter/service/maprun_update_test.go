package service

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// Each item waits for its callback, one at a time.
const waitingMapDef = `{"StartAt":"M","States":{"M":{"Type":"Map","Label":"slow","MaxConcurrency":1,"End":true,
	"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Ask","States":{
		"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true,
			"Parameters":{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/q","MessageBody":{"token.$":"$$.Task.Token"}}}}}}}}`

func openTokens(s *Service, execArn string) []string {
	var out []string
	_ = s.do(ctx, func(b *batch) error {
		if le := s.live[execArn]; le != nil {
			for _, t := range le.tokens {
				if r := s.tokens[t]; r != nil && !r.Closed {
					out = append(out, t)
				}
			}
		}
		return nil
	})
	return out
}

// waitTokens waits until the execution has n open tokens.
func waitTokens(t *testing.T, s *Service, execArn string, n int) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		toks := openTokens(s, execArn)
		if len(toks) == n {
			return toks
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d open tokens, want %d", len(toks), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestUpdateMapRun(t *testing.T) {
	s := newService(t, "", Config{})
	m := createMachine(t, s, "waiting", waitingMapDef, "")
	ex, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Input: aws.String(`[1,2,3]`)})
	if err != nil {
		t.Fatal(err)
	}
	execArn := aws.ToString(ex.ExecutionArn)
	waitTokens(t, s, execArn, 1)
	runs, err := s.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: ex.ExecutionArn})
	if err != nil || len(runs.MapRuns) != 1 {
		t.Fatalf("map runs: %v %+v", err, runs)
	}
	run := runs.MapRuns[0].MapRunArn

	var validation *types.ValidationException
	for _, bad := range []*sfn.UpdateMapRunInput{{MapRunArn: run},
		{MapRunArn: run, MaxConcurrency: aws.Int32(-1)},
		{MapRunArn: run, ToleratedFailurePercentage: aws.Float32(101)}} {
		if _, err := s.UpdateMapRun(ctx, bad); !errors.As(err, &validation) {
			t.Errorf("update %+v: %v", bad, err)
		}
	}
	var rnf *types.ResourceNotFound
	if _, err := s.UpdateMapRun(ctx, &sfn.UpdateMapRunInput{MapRunArn: aws.String(aws.ToString(run) + "x"), MaxConcurrency: aws.Int32(1)}); !errors.As(err, &rnf) {
		t.Errorf("an unknown map run: %v", err)
	}

	// More at once: the two waiting items start.
	if _, err := s.UpdateMapRun(ctx, &sfn.UpdateMapRunInput{MapRunArn: run, MaxConcurrency: aws.Int32(3), ToleratedFailureCount: aws.Int64(1)}); err != nil {
		t.Fatal(err)
	}
	toks := waitTokens(t, s, execArn, 3)
	d, err := s.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: run})
	if err != nil || d.MaxConcurrency != 3 || d.ItemCounts.Running != 3 {
		t.Fatalf("after the update: %v max %d counts %+v", err, d.MaxConcurrency, d.ItemCounts)
	}
	// One failure is now tolerated: the map and the execution succeed.
	if _, err := s.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: aws.String(toks[0]), Error: aws.String("No")}); err != nil {
		t.Fatal(err)
	}
	for _, tok := range toks[1:] {
		if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(`"ok"`)}); err != nil {
			t.Fatal(err)
		}
	}
	if out := waitFor(t, s, execArn); out.Status != types.ExecutionStatusSucceeded {
		t.Errorf("execution %s %s", out.Status, aws.ToString(out.Cause))
	}
}
