package ui

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/server"
	"github.com/stepdeck/stepdeck/interpreter/service"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// expressServeAPI is what `stepdeck --endpoint` builds against `stepdeck serve`: the real
// sfn and cloudwatchlogs SDK clients over HTTP to one port answering both APIs.
func expressServeAPI(t *testing.T) client.API {
	t.Helper()
	isolateAWSEnv(t)
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Store: st, TimeScale: 0, Clock: engine.RealClock{}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.WithLogs(server.New(svc), server.NewLogs(svc.Logs())))
	t.Cleanup(func() {
		srv.Close()
		svc.Close()
		st.Close()
	})
	// A budget a test does not wait for: the screens are under test, not the pacing.
	fast := client.NewBudget(client.Limits{Ops: map[string]client.Limit{}, Default: client.Limit{Rate: 1000, Burst: 1000}})
	sf, err := client.NewAWS(context.Background(), client.Options{Endpoint: srv.URL, Region: "us-east-1", MaxAttempts: 1, Budget: fast})
	if err != nil {
		t.Fatal(err)
	}
	return client.WithExpress(sf, client.NewAWSLogs(sf), client.ExpressOptions{})
}

const expressOrderDef = `{"StartAt":"Validate","States":{
 "Validate":{"Type":"Choice","Choices":[{"Variable":"$.qty","NumericGreaterThan":0,"Next":"Price"}],"Default":"Reject"},
 "Price":{"Type":"Pass","Parameters":{"total.$":"States.MathAdd($.qty, 10)"},"Next":"Done"},
 "Reject":{"Type":"Fail","Error":"Invalid","Cause":"qty must be positive"},
 "Done":{"Type":"Succeed"}}}`

// createExpress creates an EXPRESS machine that logs everything to a log group.
func createExpress(t *testing.T, api client.API, name string) string {
	t.Helper()
	out, err := api.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{Name: aws.String(name),
		Type: types.StateMachineTypeExpress, Definition: aws.String(expressOrderDef), RoleArn: aws.String(exampleRole),
		LoggingConfiguration: &types.LoggingConfiguration{Level: types.LogLevelAll, IncludeExecutionData: true,
			Destinations: []types.LogDestination{{CloudWatchLogsLogGroup: &types.CloudWatchLogsLogGroup{
				LogGroupArn: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/" + name + ":*")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.StateMachineArn)
}

// waitListed polls the executions list (the log group) until n executions have ended.
func waitListed(t *testing.T, api client.API, machine string, n int) {
	t.Helper()
	for range 500 {
		out, err := api.ListExecutions(context.Background(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(machine)})
		if err != nil {
			t.Fatal(err)
		}
		ended := 0
		for _, x := range out.Executions {
			if x.Status != types.ExecutionStatusRunning {
				ended++
			}
		}
		if ended == n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%d executions of %s never ended", n, machine)
}

// maskPort replaces the test server's port in the header, which differs every run.
func maskPort(screen string) []byte {
	return regexp.MustCompile(`endpoint 127\.0\.0\.1:\d+`).ReplaceAll([]byte(screen), []byte("endpoint 127.0.0.1:<port>"))
}

// TestExpressThroughServe: Express executions started with StartExecution on stepdeck
// serve appear in the executions list from CloudWatch Logs, and open on the execution
// page with their graph and full history, as Standard ones do.
func TestExpressThroughServe(t *testing.T) {
	api := expressServeAPI(t)
	m := createExpress(t, api, "orders-express")
	for _, run := range []struct{ name, input string }{{"order-ok", `{"qty":2}`}, {"order-bad", `{"qty":0}`}} {
		if _, err := api.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: aws.String(m),
			Name: aws.String(run.name), Input: aws.String(run.input)}); err != nil {
			t.Fatal(err)
		}
	}
	waitListed(t, api, m, 2)

	a := New(fixedCommon(api, 120, 30), "aws us-east-1 (test server)")
	drain(a, a.Init())
	mustContain(t, a.Render(), "orders-express")
	press(a, "enter")
	mustContain(t, a.Render(), "Executions of orders-express", "order-ok", "SUCCEEDED", "order-bad", "FAILED")
	// The newest first: order-bad; open order-ok below it.
	press(a, "down", "enter")
	screen := a.Render()
	mustContain(t, screen, "Execution order-ok", "SUCCEEDED", "ExecutionStarted", "ChoiceStateEntered", "PassStateExited",
		"SucceedStateEntered", "ExecutionSucceeded", `"total": 12`)
	golden.RequireEqual(t, maskPort(screen))

	press(a, "esc", "up", "enter")
	mustContain(t, a.Render(), "Execution order-bad", "FAILED", "FailStateEntered", "ExecutionFailed", "qty must be positive")
}
