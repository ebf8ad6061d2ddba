package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/server"
)

// expressDef exercises a Choice, a Map and a Fail-free path, so the history has the
// usual variety of details.
const expressDef = `{"StartAt":"Pick","States":{
 "Pick":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":0,"Next":"Each"}],"Default":"Done"},
 "Each":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"Double","States":{"Double":{"Type":"Pass","End":true}}},"ResultPath":"$.out","Next":"Done"},
 "Done":{"Type":"Pass","End":true}}}`

func logging(group string) *types.LoggingConfiguration {
	return &types.LoggingConfiguration{Level: types.LogLevelAll, IncludeExecutionData: true,
		Destinations: []types.LogDestination{{CloudWatchLogsLogGroup: &types.CloudWatchLogsLogGroup{
			LogGroupArn: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:" + group + ":*")}}}}
}

// serveBoth is `stepdeck serve`: both APIs on one port; calls counts the requests by
// X-Amz-Target.
func serveBoth(t *testing.T) (url string, calls *sync.Map) {
	t.Helper()
	svc := newService(t)
	h := server.WithLogs(server.New(svc), server.NewLogs(svc.Logs()))
	calls = &sync.Map{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := calls.LoadOrStore(r.Header.Get("X-Amz-Target"), new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, calls
}

func count(calls *sync.Map, target string) int64 {
	n, ok := calls.Load(target)
	if !ok {
		return 0
	}
	return n.(*atomic.Int64).Load()
}

// TestExpressEndToEnd: an Express execution started with StartExecution on stepdeck
// serve is listed, described and read in full through the real sfn and cloudwatchlogs
// SDK clients over HTTP, and its history is the one a Standard execution of the same
// definition and input has.
func TestExpressEndToEnd(t *testing.T) {
	url, calls := serveBoth(t)
	raw, err := NewAWS(ctx, Options{Endpoint: url, Region: "us-east-1", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	api := WithExpress(raw, NewAWSLogs(raw), ExpressOptions{})
	if _, ok := api.(RedriveAPI); !ok {
		t.Fatal("WithExpress hid RedriveExecution")
	}
	input := `{"n":2,"items":[1,2,3]}`
	var arns [2]string
	for i, typ := range []types.StateMachineType{types.StateMachineTypeExpress, types.StateMachineTypeStandard} {
		m, err := api.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("m-" + strings.ToLower(string(typ))),
			Definition: aws.String(expressDef), RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), Type: typ,
			LoggingConfiguration: logging("/aws/vendedlogs/states/e2e")})
		if err != nil {
			t.Fatal(err)
		}
		out, err := api.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Name: aws.String("run-1"), Input: aws.String(input)})
		if err != nil {
			t.Fatal(err)
		}
		arns[i] = aws.ToString(out.ExecutionArn)
	}
	express, standard := arns[0], arns[1]
	if !strings.Contains(express, ":express:") {
		t.Fatalf("the Express execution's ARN is %s", express)
	}

	// Listed, once it has ended, from the log group.
	machine, _, _ := expressArn(express)
	var item types.ExecutionListItem
	deadline := time.Now().Add(10 * time.Second)
	for {
		list, err := api.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(machine)})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Executions) == 1 && list.Executions[0].Status != types.ExecutionStatusRunning {
			item = list.Executions[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Express execution was not listed as ended: %+v", list.Executions)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if aws.ToString(item.ExecutionArn) != express || aws.ToString(item.Name) != "run-1" || item.Status != types.ExecutionStatusSucceeded ||
		item.StartDate == nil || item.StopDate == nil || item.StopDate.Before(*item.StartDate) {
		t.Fatalf("listed %+v", item)
	}
	if count(calls, "Logs_20140328.FilterLogEvents") == 0 {
		t.Fatal("the list did not come from FilterLogEvents")
	}
	if n := raw.Budget.Status().Calls["FilterLogEvents"]; n == 0 {
		t.Fatal("the CloudWatch Logs calls did not go through the request budget")
	}

	// Described from its events.
	d, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(express)})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Input) != input || aws.ToString(d.Output) == "" ||
		aws.ToString(d.StateMachineArn) != machine || aws.ToString(d.Name) != "run-1" {
		t.Fatalf("described %+v", d)
	}
	if _, err := api.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: aws.String(express)}); err != nil {
		t.Fatal(err)
	}

	// Its history, through the follower the execution page uses, is the Standard one.
	got := follow(t, api, express)
	waitStatus(t, api, standard)
	want := follow(t, api, standard)
	if len(got) != len(want) || len(got) < 10 {
		t.Fatalf("%d events from the logs, %d from the Standard history", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		g.Timestamp, w.Timestamp = nil, nil
		if s := g.ExecutionStartedEventDetails; s != nil {
			s.StateMachineAliasArn, s.StateMachineVersionArn = nil, nil
		}
		if s := w.ExecutionStartedEventDetails; s != nil {
			s.StateMachineAliasArn, s.StateMachineVersionArn = nil, nil
		}
		if !reflect.DeepEqual(g, w) {
			gj, _ := json.Marshal(g)
			wj, _ := json.Marshal(w)
			t.Errorf("event %d:\n logs     %s\n standard %s", i+1, gj, wj)
		}
	}
	if d.Output == nil || *d.Output != outputOf(t, api, standard) {
		t.Errorf("output %s, the Standard execution's %s", aws.ToString(d.Output), outputOf(t, api, standard))
	}
}

func follow(t *testing.T, api API, execArn string) []types.HistoryEvent {
	t.Helper()
	f := NewFollower(api, execArn, FollowOptions{MinInterval: time.Millisecond, MaxInterval: 5 * time.Millisecond})
	var all []types.HistoryEvent
	for {
		evs, err := f.Next(ctx)
		if errors.Is(err, ErrFollowDone) {
			return all
		}
		if err != nil {
			t.Fatalf("following %s: %v", execArn, err)
		}
		all = append(all, evs...)
	}
}

func waitStatus(t *testing.T, api API, execArn string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		d, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(execArn)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			return
		}
	}
	t.Fatalf("%s did not end", execArn)
}

func outputOf(t *testing.T, api API, execArn string) string {
	t.Helper()
	d, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(execArn)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(d.Output)
}

func TestExpressListFiltersAndPages(t *testing.T) {
	api := newLocal(t)
	m, err := api.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("x"), Type: types.StateMachineTypeExpress,
		Definition: aws.String(`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.fail","BooleanEquals":true,"Next":"F"}],"Default":"P"},"P":{"Type":"Pass","End":true},"F":{"Type":"Fail","Error":"Boom","Cause":"asked to"}}}`),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/r"), LoggingConfiguration: logging("/g")})
	if err != nil {
		t.Fatal(err)
	}
	// A second machine logs to the same group: its executions are not listed.
	other, err := api.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("x2"), Type: types.StateMachineTypeExpress,
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/r"), LoggingConfiguration: logging("/g")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: other.StateMachineArn}); err != nil {
		t.Fatal(err)
	}
	for i, in := range []string{`{"fail":false}`, `{"fail":true}`, `{"fail":false}`} {
		if _, err := api.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: m.StateMachineArn,
			Name: aws.String("e" + string(rune('0'+i))), Input: aws.String(in)}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := api.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: m.StateMachineArn, MaxResults: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Executions) != 2 || all.NextToken == nil {
		t.Fatalf("the first page: %+v", all)
	}
	rest, err := api.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: m.StateMachineArn, MaxResults: 2, NextToken: all.NextToken})
	if err != nil || len(rest.Executions) != 1 || rest.NextToken != nil {
		t.Fatalf("the second page: %+v, %v", rest, err)
	}
	failed, err := api.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: m.StateMachineArn, StatusFilter: types.ExecutionStatusFailed})
	if err != nil || len(failed.Executions) != 1 || aws.ToString(failed.Executions[0].Name) != "e1" {
		t.Fatalf("FAILED only: %+v, %v", failed, err)
	}
	d, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: failed.Executions[0].ExecutionArn})
	if err != nil || d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "Boom" || aws.ToString(d.Cause) != "asked to" {
		t.Fatalf("the failed one: %+v, %v", d, err)
	}
	if _, err := api.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: m.StateMachineArn, NextToken: aws.String("garbage")}); err == nil {
		t.Fatal("a bad token was accepted")
	}
}

func TestExpressNotLogged(t *testing.T) {
	api := newLocal(t)
	m, err := api.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("quiet"), Type: types.StateMachineTypeExpress,
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`), RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: m.StateMachineArn}); !errors.Is(err, ErrNotLogged) {
		t.Fatalf("a machine that logs nothing: %v", err)
	}
	// A Standard machine still lists through the API.
	std := start(t, api, "std", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)
	list, err := api.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(machineOfExecution(std))})
	if err != nil || len(list.Executions) != 1 {
		t.Fatalf("a Standard machine: %+v, %v", list, err)
	}
	// An Express execution with no events logged does not exist.
	_, err = api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:123456789012:express:quiet:n:u")})
	if !errors.Is(err, ErrNotLogged) {
		t.Fatalf("describing an execution of a quiet machine: %v", err)
	}
}

func machineOfExecution(execArn string) string {
	p := strings.Split(execArn, ":")
	return strings.Join(append(p[:5:5], "stateMachine", p[6]), ":")
}

func TestParseLogEvent(t *testing.T) {
	ev, err := parseLogEvent(`{"id":"3","type":"TaskStateEntered","details":{"input":"{\"a\":1}","inputDetails":{"truncated":false},"name":"T"},"previous_event_id":"2","event_timestamp":"1700000000123","execution_arn":"arn:aws:states:us-east-1:1:express:m:e:u","redrive_count":"0"}`, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	h := ev.ToSDK()
	if h.Id != 3 || h.PreviousEventId != 2 || !h.Timestamp.Equal(time.UnixMilli(1700000000123)) || h.StateEnteredEventDetails == nil ||
		aws.ToString(h.StateEnteredEventDetails.Input) != `{"a":1}` || aws.ToString(h.StateEnteredEventDetails.Name) != "T" {
		t.Fatalf("parsed %+v", h)
	}
	// Numbers as numbers, no details member, no timestamp: the log event's time.
	at := time.UnixMilli(1700000000999).UTC()
	ev, err = parseLogEvent(`{"id":4,"type":"ExecutionSucceeded","previous_event_id":3,"execution_arn":"a"}`, at)
	if err != nil || ev.ID != 4 || !ev.Timestamp.Equal(at) || ev.Details != nil {
		t.Fatalf("parsed %+v, %v", ev, err)
	}
	for _, bad := range []string{``, `[]`, `{"type":"X"}`, `{"id":"x","type":"X","execution_arn":"a"}`, `{"id":"0","type":"X","execution_arn":"a"}`,
		`{"id":"1","type":"PassStateEntered","execution_arn":"a","details":{"name":7}}`, `{"id":"1","type":"X","execution_arn":"a","event_timestamp":"soon"}`} {
		if _, err := parseLogEvent(bad, at); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func FuzzParseLogEvent(f *testing.F) {
	f.Add(`{"id":"3","type":"TaskStateEntered","details":{"input":"{}","name":"T"},"previous_event_id":"2","event_timestamp":"1700000000123","execution_arn":"a"}`)
	f.Add(`{"id":1,"type":"ExecutionFailed","details":{"error":"E","cause":"C"},"execution_arn":"a"}`)
	f.Add(`{"id":"1","type":"MapRunFailed","details":null,"execution_arn":"a"}`)
	f.Fuzz(func(t *testing.T, msg string) {
		ev, err := parseLogEvent(msg, time.UnixMilli(0))
		if err != nil {
			return
		}
		if ev.ID < 1 || ev.ExecutionArn == "" || ev.Type == "" {
			t.Fatalf("accepted an event without an id, an execution or a type: %+v", ev)
		}
		if err := ev.Check(); err != nil {
			t.Fatalf("details that do not fit the type: %v", err)
		}
		_ = ev.ToSDK()
	})
}

// BenchmarkExpressHistory reads a 1,200-event Express history back from the local
// engine's logs (FilterLogEvents pages, parsing, ordering), as each follower poll does.
func BenchmarkExpressHistory(b *testing.B) {
	api, closeFn, err := NewLocal(ctx, LocalOptions{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer closeFn()
	m, err := api.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("big"), Type: types.StateMachineTypeExpress,
		Definition: aws.String(`{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/r"), LoggingConfiguration: logging("/bench")})
	if err != nil {
		b.Fatal(err)
	}
	items := make([]int, 300)
	in, _ := json.Marshal(items)
	run, err := api.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: m.StateMachineArn, Input: aws.String(string(in))})
	if err != nil {
		b.Fatal(err)
	}
	req := &sfn.GetExecutionHistoryInput{ExecutionArn: run.ExecutionArn, MaxResults: 1000}
	out, err := api.GetExecutionHistory(ctx, req)
	if err != nil || len(out.Events) != 1000 {
		b.Fatalf("%d events, %v", len(out.Events), err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := api.GetExecutionHistory(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// countingLogs counts FilterLogEvents calls and the time ranges asked for.
type countingLogs struct {
	LogsAPI
	calls int
}

func (c *countingLogs) FilterLogEvents(ctx context.Context, in *cloudwatchlogs.FilterLogEventsInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error) {
	c.calls++
	return c.LogsAPI.FilterLogEvents(ctx, in, optFns...)
}

// TestExpressNewestFirstWindows: asking for the newest execution reads the last five
// minutes only when it holds one; executions older than that are found in the next
// windows; a full list reads the whole window.
func TestExpressNewestFirstWindows(t *testing.T) {
	api, closeFn, err := NewLocal(ctx, LocalOptions{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	m, err := api.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("w"), Type: types.StateMachineTypeExpress,
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/r"), LoggingConfiguration: logging("/w")})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a", "b"} {
		if _, err := api.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: m.StateMachineArn, Name: aws.String(n)}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond) // log timestamps are in milliseconds: b starts later
	}
	logs := api.(*expressRedriveAPI).logs
	for _, c := range []struct {
		name      string
		later     time.Duration // how long after the executions the list is asked for
		max       int32
		calls     int
		listed    int
		nextToken bool
	}{
		{"newest, just now", 0, 1, 1, 1, true},
		{"newest, 30 minutes on", 30 * time.Minute, 1, 2, 1, true},
		{"newest, 2 hours on", 2 * time.Hour, 1, 3, 1, true},
		{"all, just now", 0, 0, 1, 2, false}, // the whole window at once
		{"ten, just now", 0, 10, 3, 2, false},
		{"newest, 4 hours on", 4 * time.Hour, 1, 3, 0, false},
	} {
		counted := &countingLogs{LogsAPI: logs}
		now := time.Now().Add(c.later)
		w := WithExpress(api.(*expressRedriveAPI).API, counted, ExpressOptions{Now: func() time.Time { return now }})
		out, err := w.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: m.StateMachineArn, MaxResults: c.max})
		if err != nil {
			t.Fatal(err)
		}
		if counted.calls != c.calls || len(out.Executions) != c.listed || (out.NextToken != nil) != c.nextToken {
			t.Errorf("%s: %d calls, %d listed, next token %v; want %d, %d, %v", c.name, counted.calls, len(out.Executions),
				out.NextToken != nil, c.calls, c.listed, c.nextToken)
		}
		if c.listed == 1 && aws.ToString(out.Executions[0].Name) != "b" {
			t.Errorf("%s: listed %s, want the newest, b", c.name, aws.ToString(out.Executions[0].Name))
		}
	}
}
