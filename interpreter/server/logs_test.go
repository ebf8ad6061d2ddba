package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	lt "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/service"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// bothClients serves the Step Functions and CloudWatch Logs APIs on one port, as
// `stepdeck serve` does, and returns the real SDK clients of both.
func bothClients(t *testing.T) (*sfn.Client, *cloudwatchlogs.Client) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Store: st, Clock: engine.RealClock{}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(WithLogs(New(svc), NewLogs(svc.Logs())))
	t.Cleanup(func() {
		srv.Close()
		svc.Close()
		st.Close()
	})
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "k", SecretAccessKey: "s"}, nil
	})
	noPrefix := func(st *middleware.Stack) error {
		return st.Initialize.Add(middleware.InitializeMiddlewareFunc("DisableHostPrefix",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
			}), middleware.Before)
	}
	c := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: creds, RetryMaxAttempts: 1,
		APIOptions: []func(*middleware.Stack) error{noPrefix}})
	l := cloudwatchlogs.New(cloudwatchlogs.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: creds, RetryMaxAttempts: 1})
	return c, l
}

func TestLogsOverHTTP(t *testing.T) {
	c, l := bothClients(t)
	group := "/aws/vendedlogs/states/http"
	m, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("x"), Type: types.StateMachineTypeExpress,
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"ok":true},"End":true}}}`),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/r"),
		LoggingConfiguration: &types.LoggingConfiguration{Level: types.LogLevelAll, IncludeExecutionData: true,
			Destinations: []types.LogDestination{{CloudWatchLogsLogGroup: &types.CloudWatchLogsLogGroup{
				LogGroupArn: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:" + group + ":*")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	run, err := c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: m.StateMachineArn, Input: aws.String(`{"n":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := l.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group),
		FilterPattern: aws.String(`{ $.type = "ExecutionSucceeded" }`)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Events) != 1 {
		t.Fatalf("%d ExecutionSucceeded events, want 1", len(out.Events))
	}
	var ev struct {
		Type         string `json:"type"`
		ExecutionArn string `json:"execution_arn"`
		Details      struct {
			Output string `json:"output"`
		} `json:"details"`
	}
	if err := json.Unmarshal([]byte(aws.ToString(out.Events[0].Message)), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.ExecutionArn != aws.ToString(run.ExecutionArn) || ev.Details.Output != `{"ok":true}` {
		t.Fatalf("logged %+v", ev)
	}
	if aws.ToInt64(out.Events[0].Timestamp) == 0 || aws.ToString(out.Events[0].LogStreamName) == "" || aws.ToString(out.Events[0].EventId) == "" {
		t.Fatalf("log event fields missing: %+v", out.Events[0])
	}

	groups, err := l.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	if err != nil || len(groups.LogGroups) != 1 || aws.ToString(groups.LogGroups[0].LogGroupName) != group {
		t.Fatalf("DescribeLogGroups: %+v, %v", groups, err)
	}

	// Errors reach the SDK as CloudWatch Logs' own types.
	_, err = l.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/missing")})
	var nf *lt.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("a missing group: %v", err)
	}
	_, err = l.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group), FilterPattern: aws.String("{ nope")})
	var ip *lt.InvalidParameterException
	if !errors.As(err, &ip) {
		t.Fatalf("a bad pattern: %v", err)
	}
	// The Step Functions API does not serve the logs' operations, nor the reverse.
	if _, err := l.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String("s")}); err == nil {
		t.Fatal("GetLogEvents answered")
	}
}
