package server

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// TestPageTokensBelongToTheirList: a nextToken from another operation, or from another
// execution's history, is refused as AWS refuses a token it did not give (400
// InvalidToken), not read as a cursor (which answered 500, and SDKs retry a 500).
func TestPageTokensBelongToTheirList(t *testing.T) {
	c, _ := client(t)
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","Next":"Q"},"Q":{"Type":"Pass","End":true}}}`
	var machines []string
	for _, name := range []string{"a", "b"} {
		m, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(def), RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
		if err != nil {
			t.Fatal(err)
		}
		machines = append(machines, aws.ToString(m.StateMachineArn))
	}
	var execs []string
	for _, name := range []string{"one", "two"} {
		out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machines[0]), Name: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		execs = append(execs, aws.ToString(out.ExecutionArn))
	}
	list, err := c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{MaxResults: 1})
	if err != nil || list.NextToken == nil {
		t.Fatalf("ListStateMachines gave no token (%v)", err)
	}
	invalid := func(what string, err error) {
		t.Helper()
		var it *types.InvalidToken
		if !errors.As(err, &it) {
			t.Errorf("%s: %v, want InvalidToken", what, err)
		}
	}
	_, err = c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(machines[0]), NextToken: list.NextToken})
	invalid("ListExecutions with ListStateMachines' token", err)

	var hist *sfn.GetExecutionHistoryOutput
	for hist == nil || hist.NextToken == nil {
		// The execution runs on: wait until its history has more than a page.
		if hist, err = c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(execs[0]), MaxResults: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(execs[0]), NextToken: hist.NextToken}); err != nil {
		t.Fatalf("the token's own history: %v", err)
	}
	_, err = c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(execs[1]), NextToken: hist.NextToken})
	invalid("another execution's history token", err)

	page, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(machines[0]), MaxResults: 1})
	if err != nil || page.NextToken == nil {
		t.Fatalf("ListExecutions gave no token (%v)", err)
	}
	_, err = c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(machines[1]), NextToken: page.NextToken})
	invalid("another machine's ListExecutions token", err)
	_, err = c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(machines[0]), NextToken: aws.String("bm90IGEgdG9rZW4")})
	invalid("a made-up token", err)
}

func TestStatusFilterIsChecked(t *testing.T) {
	c, _ := client(t)
	m, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("m"), RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: m.StateMachineArn, StatusFilter: "BOGUS"})
	var ve *types.ValidationException
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "Value 'BOGUS' at 'statusFilter'") {
		t.Fatalf("got %v, want ValidationException naming statusFilter", err)
	}
	for _, f := range types.ExecutionStatus("").Values() {
		if _, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: m.StateMachineArn, StatusFilter: f}); err != nil {
			t.Errorf("statusFilter %s: %v", f, err)
		}
	}
}

// The SDKs refuse to send a CreateStateMachine without its required roleArn; the CLI
// or a hand-made request can, and AWS answers ValidationException.
func TestCreateStateMachineRequiresARole(t *testing.T) {
	_, srv := client(t)
	for body, want := range map[string]string{
		`{"name":"m","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"}`:              "Value null at 'roleArn'",
		`{"name":"m","roleArn":"","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"}`: "Value '' at 'roleArn'",
	} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AWSStepFunctions.CreateStateMachine")
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-ErrorType") != "ValidationException" || !strings.Contains(string(data), want) {
			t.Errorf("%s: %d %s %s", body, resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), data)
		}
	}
}
