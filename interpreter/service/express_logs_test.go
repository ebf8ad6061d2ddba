package service

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	lt "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/conformance"
)

func loggingConfig(level types.LogLevel, includeData bool, group string) *types.LoggingConfiguration {
	return &types.LoggingConfiguration{Level: level, IncludeExecutionData: includeData,
		Destinations: []types.LogDestination{{CloudWatchLogsLogGroup: &types.CloudWatchLogsLogGroup{
			LogGroupArn: aws.String("arn:aws:logs:us-east-1:111111111111:log-group:" + group + ":*")}}}}
}

func createLoggedMachine(t testing.TB, s *Service, name, def string, typ types.StateMachineType, lc *types.LoggingConfiguration) string {
	t.Helper()
	out, err := s.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(def),
		RoleArn: aws.String("arn:aws:iam::111111111111:role/sfn-role"), Type: typ, LoggingConfiguration: lc})
	if err != nil {
		t.Fatalf("CreateStateMachine: %v", err)
	}
	return aws.ToString(out.StateMachineArn)
}

// logged reads every event of a log group through FilterLogEvents, page by page.
func loggedEvents(t testing.TB, l *Logs, in *cloudwatchlogs.FilterLogEventsInput) []lt.FilteredLogEvent {
	t.Helper()
	var all []lt.FilteredLogEvent
	for {
		out, err := l.FilterLogEvents(ctx, in)
		if err != nil {
			t.Fatalf("FilterLogEvents: %v", err)
		}
		all = append(all, out.Events...)
		if out.NextToken == nil {
			return all
		}
		in.NextToken = out.NextToken
	}
}

// TestExpressLogsConformance runs the definitions of AWS's logging recordings on an
// EXPRESS machine with the recorded level and includeExecutionData, and compares what
// was logged with what AWS logged (the recordings ran STANDARD machines, which AWS logs
// in the same format; only the execution ARN differs).
func TestExpressLogsConformance(t *testing.T) {
	dir := filepath.Join(conformance.CorpusDir(t), "self_contained", "logs")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Skipf("no logging recordings in %s", dir)
	}
	s := newService(t, "", Config{Location: arn.Location{Partition: "aws", Region: "us-east-1", Account: "111111111111"}})
	compared := 0
	for i, f := range files {
		var c struct {
			Definition  json.RawMessage `json:"definition"`
			InputString string          `json:"input_string"`
			Source      struct {
				Parameters struct {
					LogLevel    string `json:"log_level"`
					IncludeFlag bool   `json:"include_flag"`
				} `json:"parameters"`
			} `json:"source"`
			Expected struct {
				Logs *struct {
					Events []map[string]any `json:"logged_execution_events"`
				} `json:"logs"`
			} `json:"expected"`
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if c.Source.Parameters.LogLevel == "" {
			continue // a recording of something else (a deleted log group)
		}
		group := fmt.Sprintf("/aws/vendedlogs/states/conformance-%d", i)
		name := fmt.Sprintf("logged-%d", i)
		m := createLoggedMachine(t, s, name, string(c.Definition), types.StateMachineTypeExpress,
			loggingConfig(types.LogLevel(c.Source.Parameters.LogLevel), c.Source.Parameters.IncludeFlag, group))
		run, err := s.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(m), Input: aws.String(c.InputString)})
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(f), err)
		}
		var want []map[string]any
		if c.Expected.Logs != nil {
			want = c.Expected.Logs.Events
		}
		out, err := s.Logs().FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group)})
		var nf *lt.ResourceNotFoundException
		if len(want) == 0 {
			// Nothing logged: the group was never written to.
			if !errors.As(err, &nf) {
				t.Errorf("%s: logged %v (err %v), want nothing", filepath.Base(f), out, err)
			}
			compared++
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(f), err)
		}
		var got []map[string]any
		for _, e := range out.Events {
			var ev map[string]any
			if err := json.Unmarshal([]byte(aws.ToString(e.Message)), &ev); err != nil {
				t.Fatalf("%s: a log message is not JSON: %v", filepath.Base(f), err)
			}
			if ev["execution_arn"] != aws.ToString(run.ExecutionArn) {
				t.Errorf("%s: execution_arn %v, want %s", filepath.Base(f), ev["execution_arn"], aws.ToString(run.ExecutionArn))
			}
			if ts, _ := ev["event_timestamp"].(string); ts != fmt.Sprint(aws.ToInt64(e.Timestamp)) {
				t.Errorf("%s: event_timestamp %q, log event timestamp %d", filepath.Base(f), ts, aws.ToInt64(e.Timestamp))
			}
			got = append(got, normalizeLogged(ev))
		}
		for _, e := range want {
			normalizeLogged(e)
		}
		if !reflect.DeepEqual(got, want) {
			g, _ := json.MarshalIndent(got, "", " ")
			w, _ := json.MarshalIndent(want, "", " ")
			t.Errorf("%s: logged\n%s\nwant\n%s", filepath.Base(f), g, w)
		}
		compared++
	}
	t.Logf("%d logging recordings compared", compared)
}

// normalizeLogged applies the recordings' normalization to one logged event: no
// timestamp or execution ARN (checked apart), the role ARN replaced, JSON texts parsed.
func normalizeLogged(ev map[string]any) map[string]any {
	delete(ev, "event_timestamp")
	delete(ev, "execution_arn")
	if d, ok := ev["details"].(map[string]any); ok {
		for k, v := range d {
			if k == "roleArn" {
				d[k] = "snf_role_arn"
				continue
			}
			if s, ok := v.(string); ok && strings.HasPrefix(s, "{") {
				var parsed any
				if json.Unmarshal([]byte(s), &parsed) == nil {
					d[k] = parsed
				}
			}
		}
	}
	return ev
}

func TestExpressLogsFilterAndPaging(t *testing.T) {
	s := newService(t, "", Config{})
	group := "/aws/vendedlogs/states/paging"
	m := createLoggedMachine(t, s, "paged", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}`,
		types.StateMachineTypeExpress, loggingConfig(types.LogLevelAll, true, group))
	var arns []string
	for i := 0; i < 3; i++ {
		out, err := s.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(m), Name: aws.String(fmt.Sprintf("run-%d", i))})
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, aws.ToString(out.ExecutionArn))
	}
	all := loggedEvents(t, s.Logs(), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group), Limit: aws.Int32(4)})
	if len(all) != 18 { // 6 events (started, 2 x entered/exited, succeeded) per execution
		t.Fatalf("read %d events in pages of 4, want 18", len(all))
	}
	for i := 1; i < len(all); i++ {
		if aws.ToInt64(all[i].Timestamp) < aws.ToInt64(all[i-1].Timestamp) {
			t.Fatalf("event %d is older than the one before", i)
		}
	}
	one := loggedEvents(t, s.Logs(), &cloudwatchlogs.FilterLogEventsInput{LogGroupIdentifier: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:" + group),
		FilterPattern: aws.String(fmt.Sprintf(`{ $.execution_arn = %q }`, arns[1]))})
	if len(one) != 6 {
		t.Fatalf("the filter on one execution found %d events, want 6", len(one))
	}
	for _, e := range one {
		if !strings.Contains(aws.ToString(e.Message), arns[1]) {
			t.Fatalf("%s is not an event of %s", aws.ToString(e.Message), arns[1])
		}
	}
	starts := loggedEvents(t, s.Logs(), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group),
		FilterPattern: aws.String(`{ $.type = "ExecutionStarted" }`)})
	if len(starts) != 3 {
		t.Fatalf("%d ExecutionStarted events, want 3", len(starts))
	}
	// A time range after everything finds nothing.
	late := loggedEvents(t, s.Logs(), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group),
		StartTime: aws.Int64(aws.ToInt64(all[len(all)-1].Timestamp) + 1)})
	if len(late) != 0 {
		t.Fatalf("%d events after the last one", len(late))
	}

	groups, err := s.Logs().DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/aws/vendedlogs/")})
	if err != nil || len(groups.LogGroups) != 1 || aws.ToString(groups.LogGroups[0].LogGroupName) != group {
		t.Fatalf("DescribeLogGroups: %+v, %v", groups, err)
	}
}

func TestExpressLogsErrors(t *testing.T) {
	s := newService(t, "", Config{})
	l := s.Logs()
	var nf *lt.ResourceNotFoundException
	if _, err := l.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/nope")}); !errors.As(err, &nf) {
		t.Errorf("a missing group: %v, want ResourceNotFoundException", err)
	}
	var ip *lt.InvalidParameterException
	for _, in := range []*cloudwatchlogs.FilterLogEventsInput{
		{},
		{LogGroupName: aws.String("g"), LogGroupIdentifier: aws.String("g")},
		{LogGroupName: aws.String("g"), FilterPattern: aws.String(`{ $.type = }`)},
		{LogGroupName: aws.String("g"), Limit: aws.Int32(0)},
		{LogGroupName: aws.String("g"), NextToken: aws.String("!!")},
		{LogGroupName: aws.String("g"), LogStreamNames: []string{"a"}, LogStreamNamePrefix: aws.String("a")},
	} {
		if _, err := l.FilterLogEvents(ctx, in); !errors.As(err, &ip) {
			t.Errorf("%+v: %v, want InvalidParameterException", in, err)
		}
	}
}

// A STANDARD machine keeps its history in the store; only EXPRESS executions log.
func TestStandardExecutionsDoNotLog(t *testing.T) {
	s := newService(t, "", Config{})
	group := "/aws/vendedlogs/states/standard"
	m := createLoggedMachine(t, s, "std", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`,
		types.StateMachineTypeStandard, loggingConfig(types.LogLevelAll, true, group))
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, aws.ToString(out.ExecutionArn))
	var nf *lt.ResourceNotFoundException
	if _, err := s.Logs().FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group)}); !errors.As(err, &nf) {
		t.Fatalf("a STANDARD execution logged: %v", err)
	}
}

func TestLoggedPayloadTruncated(t *testing.T) {
	big := strings.Repeat("é", maxLoggedPayload) // two bytes each: the cut falls inside one
	d := loggedDetails(&types.StateEnteredEventDetails{Name: aws.String("S"), Input: aws.String(big),
		InputDetails: &types.HistoryEventExecutionDataDetails{}}, true).(*types.StateEnteredEventDetails)
	if len(*d.Input) > maxLoggedPayload || !d.InputDetails.Truncated || !strings.HasPrefix(big, *d.Input) {
		t.Fatalf("a long input logged as %d bytes, truncated %v", len(*d.Input), d.InputDetails.Truncated)
	}
	if !strings.HasSuffix(*d.Input, "é") {
		t.Fatal("the cut split a character")
	}
	stripped := loggedDetails(&types.TaskScheduledEventDetails{Resource: aws.String("r"), Parameters: aws.String("{}")}, false).(*types.TaskScheduledEventDetails)
	if stripped.Parameters != nil || aws.ToString(stripped.Resource) != "r" {
		t.Fatalf("without execution data: %+v", stripped)
	}
}

// BenchmarkExpressLogging is the cost of logging at level ALL with execution data: a
// 10-state EXPRESS execution run to its end with StartSyncExecution, logged or not.
func BenchmarkExpressLogging(b *testing.B) {
	states := make([]string, 10)
	for i := range states {
		next := fmt.Sprintf(`"Next":"S%d"`, i+1)
		if i == len(states)-1 {
			next = `"End":true`
		}
		states[i] = fmt.Sprintf(`"S%d":{"Type":"Pass","Result":{"i":%d},"ResultPath":"$.r%d",%s}`, i, i, i, next)
	}
	def := `{"StartAt":"S0","States":{` + strings.Join(states, ",") + `}}`
	for _, tc := range []struct {
		name string
		lc   *types.LoggingConfiguration
	}{{"off", nil}, {"all", loggingConfig(types.LogLevelAll, true, "/bench")}} {
		b.Run(tc.name, func(b *testing.B) {
			s := newService(b, "", Config{Clock: nil})
			m := createLoggedMachine(b, s, "bench", def, types.StateMachineTypeExpress, tc.lc)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(m), Input: aws.String(`{"a":1}`)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
