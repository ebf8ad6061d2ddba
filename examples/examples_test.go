package examples

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/interpreter/service"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// The bundled examples must run out of the box on a local engine with their bundled
// mocks: no AWS, no handler.
func TestExamplesRunWithTheirMocks(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	all, err := All()
	if err != nil || len(all) == 0 {
		t.Fatalf("examples: %v", err)
	}
	for _, ex := range all {
		m, err := svc.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(ex.Name), Definition: aws.String(ex.Definition),
			RoleArn: aws.String("arn:aws:iam::123456789012:role/stepdeck")})
		if err != nil {
			t.Fatalf("%s: %v", ex.Name, err)
		}
		input, ok := SampleInput(ex.Name)
		if !ok {
			t.Errorf("%s has no sample input (%s.input.json)", ex.Name, ex.Name)
			continue
		}
		out, err := svc.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Input: aws.String(input)})
		if err != nil {
			t.Fatalf("%s: %v", ex.Name, err)
		}
		d := settle(t, svc, aws.ToString(out.ExecutionArn), func(token string) {
			// A person answers the callbacks the example waits for.
			if _, err := svc.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{"approved":true}`)}); err != nil {
				t.Fatalf("%s: %v", ex.Name, err)
			}
		})
		if d.Status != types.ExecutionStatusSucceeded {
			t.Errorf("%s ended %s: %s %s", ex.Name, d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
		}
	}
}

// newService is a local engine that passes waits at once and answers the examples'
// tasks with the bundled mocks.
func newService(t *testing.T) *service.Service {
	t.Helper()
	cfg, err := mock.Parse(Mocks())
	if err != nil {
		t.Fatalf("the bundled mocks: %v", err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Store: st, TimeScale: 0, Clock: engine.RealClock{}, Mocks: service.Mocks(cfg), DefaultTestCase: DefaultTestCase})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		svc.Close()
		st.Close()
	})
	return svc
}

// settle waits for an execution to end, answering any callback it waits for.
func settle(t *testing.T, svc *service.Service, arn string, answer func(token string)) *sfn.DescribeExecutionOutput {
	t.Helper()
	answered := map[string]bool{}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		d, err := svc.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			return d
		}
		h, err := svc.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), MaxResults: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range h.Events {
			if p := e.TaskScheduledEventDetails; p != nil {
				var params struct {
					MessageBody struct {
						TaskToken string `json:"taskToken"`
					}
				}
				if json.Unmarshal([]byte(aws.ToString(p.Parameters)), &params) == nil && params.MessageBody.TaskToken != "" && !answered[params.MessageBody.TaskToken] {
					answered[params.MessageBody.TaskToken] = true
					answer(params.MessageBody.TaskToken)
				}
			}
		}
	}
	t.Fatalf("%s did not end", arn)
	return nil
}
