package service

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// TestThousandConcurrentExecutions starts 1,000 executions at once, answers their
// callbacks at once, and checks that every one ends with a complete, gap-free history.
// Run under -race it also checks the loop's ownership of executions.
func TestThousandConcurrentExecutions(t *testing.T) {
	const n = 1000
	s := newService(t, "", Config{})
	m := createMachine(t, s, "approval", callbackDef, "")
	arns := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Name: aws.String(fmt.Sprintf("e%04d", i))})
			if err != nil {
				errs <- err
				return
			}
			arns[i] = aws.ToString(out.ExecutionArn)
			tok := ""
			for deadline := time.Now().Add(10 * time.Second); tok == "" && time.Now().Before(deadline); {
				if tok = s.tokenFor(arns[i]); tok == "" {
					time.Sleep(time.Millisecond)
				}
			}
			if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(fmt.Sprintf(`{"i":%d}`, i))}); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i, a := range arns {
		d := waitFor(t, s, a)
		if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != fmt.Sprintf(`{"i":%d}`, i) {
			t.Fatalf("%s: %s %s", a, d.Status, aws.ToString(d.Output))
		}
		h, err := s.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(a)})
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Events) != 7 {
			t.Fatalf("%s: %d events", a, len(h.Events))
		}
		for j, e := range h.Events {
			if e.Id != int64(j+1) {
				t.Fatalf("%s: event %d has id %d", a, j+1, e.Id)
			}
		}
	}
	list, err := s.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(m), StatusFilter: types.ExecutionStatusSucceeded, MaxResults: 1000})
	if err != nil || len(list.Executions) != n {
		t.Fatalf("listed %d succeeded executions (%v)", len(list.Executions), err)
	}
}
