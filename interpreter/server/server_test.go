package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/service"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

var ctx = context.Background()

// client is the real AWS SDK client pointed at the server.
func client(t testing.TB) (*sfn.Client, *httptest.Server) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Store: st, TimeScale: 0, Clock: engine.RealClock{}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(svc))
	t.Cleanup(func() {
		srv.Close()
		svc.Close()
		st.Close()
	})
	c := sfn.New(sfn.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "k", SecretAccessKey: "s"}, nil
		}),
		RetryMaxAttempts: 1,
		// StartSyncExecution and TestState prefix the host with "sync-": not for a
		// custom endpoint.
		APIOptions: []func(*middleware.Stack) error{func(st *middleware.Stack) error {
			return st.Initialize.Add(middleware.InitializeMiddlewareFunc("DisableHostPrefix",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
				}), middleware.Before)
		}},
	})
	return c, srv
}

func TestRoundTripThroughTheSDK(t *testing.T) {
	c, _ := client(t)
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"hello":"world"},"End":true}}}`
	m, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("m"), Definition: aws.String(def), RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Input: aws.String(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	var d *sfn.DescribeExecutionOutput
	for i := 0; i < 200; i++ {
		if d, err = c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: out.ExecutionArn}); err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"hello":"world"}` || d.StartDate == nil {
		t.Fatalf("describe: %+v", d)
	}
	h, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: out.ExecutionArn})
	if err != nil || len(h.Events) != 4 || h.Events[1].StateEnteredEventDetails == nil || aws.ToString(h.Events[1].StateEnteredEventDetails.Name) != "P" {
		t.Fatalf("history: %v %+v", err, h)
	}
	// Paginators stop on an absent nextToken.
	p := sfn.NewListStateMachinesPaginator(c, &sfn.ListStateMachinesInput{MaxResults: 1})
	n := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.StateMachines)
	}
	if n != 1 {
		t.Errorf("paginated %d machines", n)
	}
	ex, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("x"), Definition: aws.String(def), RoleArn: aws.String("r"), Type: types.StateMachineTypeExpress})
	if err != nil {
		t.Fatal(err)
	}
	sync, err := c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: ex.StateMachineArn})
	if err != nil || sync.Status != types.SyncExecutionStatusSucceeded {
		t.Fatalf("sync: %v %+v", err, sync)
	}
}

func TestErrorsReachTheSDKTyped(t *testing.T) {
	c, _ := client(t)
	_, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String("not-an-arn")})
	var badArn *types.InvalidArn
	if !errors.As(err, &badArn) || !strings.Contains(err.Error(), "Invalid ARN prefix: not-an-arn") {
		t.Errorf("InvalidArn: %v", err)
	}
	_, err = c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("bad"), Definition: aws.String(`{}`), RoleArn: aws.String("r")})
	var badDef *types.InvalidDefinition
	if !errors.As(err, &badDef) {
		t.Errorf("InvalidDefinition: %v", err)
	}
	_, err = c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String("nope"), Output: aws.String("{}")})
	var badToken *types.InvalidToken
	if !errors.As(err, &badToken) {
		t.Errorf("InvalidToken: %v", err)
	}
}

func TestMalformedRequests(t *testing.T) {
	_, srv := client(t)
	for _, tc := range []struct {
		name, target, body string
		status             int
		code               string
	}{
		{"unknown target", "AWSStepFunctions.Nope", `{}`, 400, "UnknownOperationException"},
		{"no target", "", `{}`, 400, "UnknownOperationException"},
		{"not JSON", "AWSStepFunctions.ListStateMachines", `{`, 400, "SerializationException"},
		{"wrong type", "AWSStepFunctions.ListStateMachines", `{"maxResults":"x"}`, 400, "SerializationException"},
		{"deep nesting", "AWSStepFunctions.ListStateMachines", strings.Repeat("[", 100000), 400, "SerializationException"},
		{"too large", "AWSStepFunctions.ListStateMachines", `{"nextToken":"` + strings.Repeat("a", MaxBodyBytes) + `"}`, 400, "ValidationException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(tc.body))
			req.Header.Set("X-Amz-Target", tc.target)
			req.Header.Set("Content-Type", "application/x-amz-json-1.0")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tc.status || resp.Header.Get("X-Amzn-ErrorType") != tc.code {
				t.Errorf("status %d, error type %q; want %d %q", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), tc.status, tc.code)
			}
		})
	}
}
