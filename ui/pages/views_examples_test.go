package pages

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/stepdeck/stepdeck/examples"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/interpreter/service"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// exampleHistory runs a bundled example on the local service with its mocks and a
// virtual clock (a Wait passes at once with the timestamps it would have had), so its
// history, times included, is the same on every run.
func exampleHistory(t *testing.T, name string) (string, []types.HistoryEvent) {
	t.Helper()
	list, err := examples.All()
	if err != nil {
		t.Fatal(err)
	}
	var def string
	for _, ex := range list {
		if ex.Name == name {
			def = ex.Definition
		}
	}
	mocks, err := mock.Parse(examples.Mocks())
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "stepdeck.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc, err := service.New(service.Config{Store: st, Clock: engine.NewVirtualClock(time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)),
		TimeScale: 1, Mocks: service.Mocks(mocks), DefaultTestCase: examples.DefaultTestCase, Handlers: &engine.Registry{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	ctx := context.Background()
	sm, err := svc.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(def),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/stepdeck-examples")})
	if err != nil {
		t.Fatal(err)
	}
	input, _ := examples.SampleInput(name)
	ex, err := svc.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String(name + "-1"), Input: aws.String(input)})
	if err != nil {
		t.Fatal(err)
	}
	for range 1000 {
		d, err := svc.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: ex.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			h, err := svc.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: ex.ExecutionArn, MaxResults: 1000})
			if err != nil {
				t.Fatal(err)
			}
			return def, h.Events
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s never ended", name)
	return "", nil
}

// TestGoldenTimelineOfBundledExamples draws the timeline (and the table) of bundled
// examples run on a virtual clock, at three sizes (go test ./ui/pages -update rewrites).
func TestGoldenTimelineOfBundledExamples(t *testing.T) {
	for _, name := range []string{"batch-job-poller", "hello", "image-analysis", "order-lines"} {
		def, evs := exampleHistory(t, name)
		for _, v := range []struct {
			name string
			keys []string
		}{{"table", []string{"v"}}, {"timeline", []string{"v", "v", "v"}}} {
			for _, sz := range viewSizes {
				t.Run(fmt.Sprintf("%s-%s_%dx%d", name, v.name, sz[0], sz[1]), func(t *testing.T) {
					x := newPage(t, def, sz[0], sz[1])
					x.c.ExecView = viewGraph
					feed(x, evs)
					send(x, v.keys...)
					out := x.View()
					checkFits(t, out, sz[0], x.c.BodyHeight())
					golden.RequireEqual(t, []byte(out))
				})
			}
		}
	}
}
