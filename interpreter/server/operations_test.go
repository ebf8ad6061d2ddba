package server

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// TestEveryOperationThroughTheSDK drives every operation the server serves through the
// real AWS SDK client over HTTP. An operation served but not driven here fails the test,
// so a new operation comes with its round trip.
func TestEveryOperationThroughTheSDK(t *testing.T) {
	c, srv := client(t)
	served := srv.Config.Handler.(*Handler).Operations()
	var mu sync.Mutex
	called := map[string]bool{}
	inner := srv.Config.Handler
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, r)
		if rec.Code == http.StatusOK {
			mu.Lock()
			called[strings.TrimPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)] = true
			mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	role := aws.String("arn:aws:iam::123456789012:role/r")

	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("review")})
	must(err)
	_, err = c.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: act.ActivityArn})
	must(err)
	_, err = c.ListActivities(ctx, &sfn.ListActivitiesInput{})
	must(err)

	def := `{"StartAt":"Review","States":{"Review":{"Type":"Task","Resource":"` + aws.ToString(act.ActivityArn) + `","Next":"Approve"},
		"Approve":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"QueueUrl":"q","MessageBody":{"t.$":"$$.Task.Token"}},"HeartbeatSeconds":60,"End":true}}}`
	v, err := c.ValidateStateMachineDefinition(ctx, &sfn.ValidateStateMachineDefinitionInput{Definition: aws.String(def)})
	must(err)
	if v.Result != types.ValidateStateMachineDefinitionResultCodeOk {
		t.Fatalf("validate: %+v", v.Diagnostics)
	}
	m, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("flow"), Definition: aws.String(def), RoleArn: role})
	must(err)
	_, err = c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: m.StateMachineArn})
	must(err)
	_, err = c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	must(err)
	_, err = c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: m.StateMachineArn, RoleArn: aws.String("arn:aws:iam::123456789012:role/other")})
	must(err)
	_, err = c.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: m.StateMachineArn, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("ops")}}})
	must(err)
	tags, err := c.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: m.StateMachineArn})
	must(err)
	if len(tags.Tags) != 1 {
		t.Errorf("tags: %+v", tags.Tags)
	}
	_, err = c.UntagResource(ctx, &sfn.UntagResourceInput{ResourceArn: m.StateMachineArn, TagKeys: []string{"team"}})
	must(err)

	// An execution worked through an activity, then a callback answered by hand.
	ex, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Name: aws.String("e1"), Input: aws.String(`{"doc":1}`)})
	must(err)
	task, err := c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn, WorkerName: aws.String("me")})
	must(err)
	if aws.ToString(task.Input) != `{"doc":1}` {
		t.Fatalf("activity task: %+v", task)
	}
	_, err = c.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: task.TaskToken})
	must(err)
	_, err = c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{"reviewed":true}`)})
	must(err)
	var token string
	for deadline := time.Now().Add(5 * time.Second); token == "" && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		h, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: ex.ExecutionArn, ReverseOrder: true})
		must(err)
		for _, e := range h.Events {
			if d := e.TaskScheduledEventDetails; d != nil {
				p := aws.ToString(d.Parameters)
				token = p[strings.Index(p, `"t":"`)+5 : strings.LastIndex(p, `"`)]
			}
		}
	}
	_, err = c.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: aws.String(token), Error: aws.String("Rejected")})
	must(err)
	_, err = c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: ex.ExecutionArn})
	must(err)
	_, err = c.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: ex.ExecutionArn})
	must(err)
	_, err = c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: m.StateMachineArn})
	must(err)
	// The failed execution goes on from its failed state: the callback task again.
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: ex.ExecutionArn, ClientToken: aws.String("again")})
	must(err)
	redriven, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: ex.ExecutionArn})
	must(err)
	if redriven.Status != types.ExecutionStatusRunning || aws.ToInt32(redriven.RedriveCount) != 1 {
		t.Errorf("after redrive: %s, redriveCount %d", redriven.Status, aws.ToInt32(redriven.RedriveCount))
	}

	ex2, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Name: aws.String("e2")})
	must(err)
	_, err = c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: ex2.ExecutionArn})
	must(err)

	// Versions and aliases: publish, route an alias, start through it, take it all down.
	pub, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: m.StateMachineArn, Description: aws.String("v1")})
	must(err)
	_, err = c.ListStateMachineVersions(ctx, &sfn.ListStateMachineVersionsInput{StateMachineArn: m.StateMachineArn})
	must(err)
	alias, err := c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("live"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: pub.StateMachineVersionArn, Weight: 100}}})
	must(err)
	_, err = c.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{StateMachineAliasArn: alias.StateMachineAliasArn, Description: aws.String("prod")})
	must(err)
	da, err := c.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: alias.StateMachineAliasArn})
	must(err)
	if aws.ToString(da.Description) != "prod" || len(da.RoutingConfiguration) != 1 {
		t.Errorf("alias: %+v", da)
	}
	_, err = c.ListStateMachineAliases(ctx, &sfn.ListStateMachineAliasesInput{StateMachineArn: m.StateMachineArn})
	must(err)
	ex3, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: alias.StateMachineAliasArn, Name: aws.String("e3")})
	must(err)
	_, err = c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: ex3.ExecutionArn})
	must(err)
	_, err = c.DeleteStateMachineAlias(ctx, &sfn.DeleteStateMachineAliasInput{StateMachineAliasArn: alias.StateMachineAliasArn})
	must(err)
	_, err = c.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: pub.StateMachineVersionArn})
	must(err)

	// TestState runs one state with a mock; the server must accept the sync- host the
	// SDK asks for.
	ts, err := c.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"After"}`),
		Input: aws.String(`{"a":1}`), Mock: &types.MockInput{Result: aws.String(`{"ok":true}`)}, InspectionLevel: types.InspectionLevelDebug})
	must(err)
	if ts.Status != types.TestExecutionStatusSucceeded || aws.ToString(ts.NextState) != "After" || aws.ToString(ts.Output) != `{"ok":true}` {
		t.Errorf("TestState: %s %s %s", ts.Status, aws.ToString(ts.NextState), aws.ToString(ts.Output))
	}

	// A distributed Map's run, listed and described once the execution is over.
	dist, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("dist"), RoleArn: role,
		Definition: aws.String(`{"StartAt":"M","States":{"M":{"Type":"Map","Label":"all","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}`)})
	must(err)
	dex, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: dist.StateMachineArn, Input: aws.String(`[1,2]`)})
	must(err)
	var runs *sfn.ListMapRunsOutput
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: dex.ExecutionArn})
		must(err)
		if d.Status != types.ExecutionStatusRunning {
			break
		}
	}
	runs, err = c.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: dex.ExecutionArn})
	must(err)
	if len(runs.MapRuns) != 1 {
		t.Fatalf("map runs: %+v", runs.MapRuns)
	}
	mr, err := c.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: runs.MapRuns[0].MapRunArn})
	must(err)
	if mr.Status != types.MapRunStatusSucceeded || mr.ItemCounts.Total != 2 {
		t.Errorf("map run: %s %+v", mr.Status, mr.ItemCounts)
	}
	// A closed run takes a new concurrency into its record only.
	_, err = c.UpdateMapRun(ctx, &sfn.UpdateMapRunInput{MapRunArn: mr.MapRunArn, MaxConcurrency: aws.Int32(5)})
	must(err)
	if mr, err = c.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: mr.MapRunArn}); err != nil || mr.MaxConcurrency != 5 {
		t.Errorf("after UpdateMapRun: %v %+v", err, mr)
	}

	fast, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("fast"), RoleArn: role, Type: types.StateMachineTypeExpress,
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)})
	must(err)
	_, err = c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: fast.StateMachineArn})
	must(err)

	_, err = c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: fast.StateMachineArn})
	must(err)
	_, err = c.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: act.ActivityArn})
	must(err)

	var missed []string
	for _, op := range served {
		if !called[op] {
			missed = append(missed, op)
		}
	}
	sort.Strings(missed)
	if len(missed) > 0 {
		t.Errorf("operations served but not driven through the SDK here: %v", missed)
	}
}
