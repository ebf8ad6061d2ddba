package ui

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/server"
	"github.com/stepdeck/stepdeck/interpreter/service"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// awsAPI is the AWS SDK client, as stepdeck --endpoint builds it, talking HTTP to an
// in-process local service: the UI's AWS path without AWS.
func awsAPI(t *testing.T) client.API {
	t.Helper()
	// No profile, credentials or endpoint from the machine running the test.
	isolateAWSEnv(t)
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Store: st, TimeScale: 0, Clock: engine.RealClock{}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(svc))
	t.Cleanup(func() {
		srv.Close()
		svc.Close()
		st.Close()
	})
	api, err := client.NewAWS(context.Background(), client.Options{Endpoint: srv.URL, Region: "us-east-1", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// TestAWSModeEndToEnd drives the UI over the SDK: the machines list, a machine's
// executions, an execution, and a callback found in the TaskScheduled parameters (the
// AWS way, not the local engine's own token list) answered from the UI.
func TestAWSModeEndToEnd(t *testing.T) {
	api := awsAPI(t)
	if n, err := SeedExamples(context.Background(), api); err != nil || n == 0 {
		t.Fatalf("seeding over the SDK: %d, %v", n, err)
	}
	createApproval(t, api)
	hello := start(t, api, "hello", "over-http", `{"name":"SDK"}`)
	waitStatus(t, api, hello, types.ExecutionStatusSucceeded)
	waiting := start(t, api, "approval", "wait-http", `{}`)
	waitCallback(t, api, waiting)

	c := fixedCommon(api, 120, 30)
	a := New(c, "aws us-east-1 "+"(test server)")
	drain(a, a.Init())
	mustContain(t, a.Render(), "stepdeck · endpoint 127.0.0.1:", "approval", "hello", "service-integrations")
	press(a, "/")
	typeText(a, "hello")
	press(a, "enter", "enter")
	mustContain(t, a.Render(), "Executions of hello", "over-http", "SUCCEEDED")
	press(a, "enter")
	mustContain(t, a.Render(), "ExecutionSucceeded", "Hello, SDK!")
	press(a, "c")
	mustContain(t, a.Render(), "wait-http", "Ask")
	press(a, "a", "ctrl+s", "y")
	mustContain(t, statusLine(a), "approve Ask: sent")
	waitStatus(t, api, waiting, types.ExecutionStatusSucceeded)
}

// The machine view over the SDK: what DescribeStateMachine says, the tags, the graph,
// and the definition a tab away.
func TestMachineViewOverHTTP(t *testing.T) {
	api := awsAPI(t)
	createApproval(t, api)
	arn := machineArn(t, api, "approval")
	if _, err := api.(*client.AWS).TagResource(context.Background(), &sfn.TagResourceInput{ResourceArn: aws.String(arn),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("payments")}}}); err != nil {
		t.Fatal(err)
	}
	a := New(fixedCommon(api, 120, 30), "test")
	drain(a, a.Init())
	press(a, "d")
	mustContain(t, a.Render(), "Machine approval", "ARN       "+arn, "Type      STANDARD · ACTIVE", "Tags      team=payments", "┌ Task")
	press(a, "tab")
	mustContain(t, a.Render(), "graph [definition]", `"Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken"`)
}
