package client

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	sfnarn "github.com/stepdeck/stepdeck/interpreter/arn"
	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/service"
)

// EXPRESS executions have no ListExecutions, DescribeExecution or GetExecutionHistory
// on AWS: what is left of them is what their state machine's loggingConfiguration sent
// to a CloudWatch Logs log group (all of it at level ALL with includeExecutionData).
// WithExpress answers those calls for EXPRESS machines and executions from that log
// group, so every screen shows an Express execution as it shows a Standard one.

// LogsAPI is the CloudWatch Logs operation Express executions are read with.
// *cloudwatchlogs.Client satisfies it, and so does the local service's Logs.
type LogsAPI interface {
	FilterLogEvents(ctx context.Context, in *cloudwatchlogs.FilterLogEventsInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error)
}

var (
	_ LogsAPI = (*cloudwatchlogs.Client)(nil)
	_ LogsAPI = (*service.Logs)(nil)
)

// NewAWSLogs returns a CloudWatch Logs client made from the same configuration as a
// Step Functions client made by NewAWS: the same credentials and region, the same
// request budget, and its endpoint when it has one (stepdeck serve answers both APIs on
// one port).
func NewAWSLogs(a *AWS) *cloudwatchlogs.Client {
	so := a.Client.Options()
	return cloudwatchlogs.NewFromConfig(a.Config, func(o *cloudwatchlogs.Options) {
		if so.BaseEndpoint != nil {
			o.BaseEndpoint = so.BaseEndpoint
			o.Credentials = so.Credentials // a loopback endpoint's placeholder, if any
		}
	})
}

// ExpressOptions tune how Express executions are read.
type ExpressOptions struct {
	// Window is how far back the executions list looks (default 3 hours, as the console
	// does): on AWS, FilterLogEvents is billed and throttled by what it scans.
	Window time.Duration
	// MaxListPages bounds the FilterLogEvents pages one list reads (default 20).
	MaxListPages int
	// Now is the clock (tests pin it).
	Now func() time.Time
}

// ErrNotLogged is returned for an EXPRESS state machine that logs nothing: its
// executions cannot be listed or read.
var ErrNotLogged = errors.New("EXPRESS machine with logging OFF: nothing to read (its executions exist only in CloudWatch Logs; set logging to ALL with execution data)")

// WithExpress returns api with the calls Express executions need answered from their
// machines' log groups, read through logs. Every other call goes to api as it is, and
// redrive stays available when api has it.
func WithExpress(api API, logs LogsAPI, o ExpressOptions) API {
	if o.Window <= 0 {
		o.Window = 3 * time.Hour
	}
	if o.MaxListPages <= 0 {
		o.MaxListPages = 20
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	e := &expressAPI{API: api, logs: logs, opts: o, machines: map[string]machineLogging{}, starts: map[string]time.Time{},
		ended: map[string][]hist.Event{}}
	if r, ok := api.(RedriveAPI); ok {
		return &expressRedriveAPI{e, r}
	}
	return e
}

type expressAPI struct {
	API
	logs LogsAPI
	opts ExpressOptions

	mu       sync.Mutex
	machines map[string]machineLogging // by state machine ARN
	starts   map[string]time.Time      // when listed executions started, to narrow a history search
	// ended holds the histories of executions that have closed, which do not change:
	// the page that shows one describes it and follows it from one read. endedOrder
	// evicts the oldest beyond maxEnded.
	ended      map[string][]hist.Event
	endedOrder []string
}

// maxEnded bounds the closed histories kept.
const maxEnded = 64

// Unwrap returns the API the calls go to, for a caller that needs the backend itself
// (such as the *AWS client, for its budget or location).
func (e *expressAPI) Unwrap() API { return e.API }

type expressRedriveAPI struct {
	*expressAPI
	RedriveAPI
}

// machineLogging is what a state machine's description says about its logs. A
// machine's type never changes; its logging may, so that is described again after
// loggingTTL.
type machineLogging struct {
	express bool
	group   string // "" when it logs nothing
	level   types.LogLevel
	read    time.Time
}

const loggingTTL = 30 * time.Second

// expressMaxDuration is how long an EXPRESS execution may run: a history search ends
// there.
const expressMaxDuration = 5 * time.Minute

// machineOf describes the state machine arn (once for its type, again for its logging
// after loggingTTL).
func (e *expressAPI) machineOf(ctx context.Context, machineArn string) (machineLogging, error) {
	e.mu.Lock()
	m, ok := e.machines[machineArn]
	e.mu.Unlock()
	if ok && (!m.express || e.opts.Now().Sub(m.read) < loggingTTL) {
		return m, nil
	}
	d, err := e.API.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(machineArn)})
	if err != nil {
		return machineLogging{}, err
	}
	m = machineLogging{express: d.Type == types.StateMachineTypeExpress, read: e.opts.Now()}
	if lc := d.LoggingConfiguration; lc != nil && lc.Level != types.LogLevelOff && lc.Level != "" {
		for _, dst := range lc.Destinations {
			if dst.CloudWatchLogsLogGroup != nil {
				m.group = logGroupOf(aws.ToString(dst.CloudWatchLogsLogGroup.LogGroupArn))
				m.level = lc.Level
				break
			}
		}
	}
	e.mu.Lock()
	e.machines[machineArn] = m
	e.mu.Unlock()
	return m, nil
}

// logGroupOf takes the group name out of a log group ARN
// (arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*).
func logGroupOf(s string) string {
	if _, rest, ok := strings.Cut(s, ":log-group:"); ok {
		return strings.TrimSuffix(rest, ":*")
	}
	return s
}

// expressArn takes an EXPRESS execution ARN apart: the ARN of its state machine and its
// name. ok is false for any other ARN.
func expressArn(execArn string) (machineArn, name string, ok bool) {
	p, err := sfnarn.Parse(execArn)
	if err != nil || p.Kind != "express" || len(p.Rest) < 3 {
		return "", "", false
	}
	return p.Location.StateMachine(p.Rest[0]), p.Rest[1], true
}

// baseMachine drops a version or alias qualifier from a state machine ARN.
func baseMachine(machineArn string) string {
	p, err := sfnarn.Parse(machineArn)
	if err != nil || p.Kind != "stateMachine" || len(p.Rest) < 2 {
		return machineArn
	}
	return p.Location.StateMachine(p.Rest[0])
}

// executionLevelTypes are the events that say an execution started or how it ended.
var executionLevelTypes = []types.HistoryEventType{types.HistoryEventTypeExecutionStarted, types.HistoryEventTypeExecutionSucceeded,
	types.HistoryEventTypeExecutionFailed, types.HistoryEventTypeExecutionAborted, types.HistoryEventTypeExecutionTimedOut,
	types.HistoryEventTypeExecutionRedriven}

// listPattern selects the execution-level events of one machine's executions (a log
// group may be shared by several machines).
func listPattern(machineArn string) string {
	p, _ := sfnarn.Parse(machineArn)
	prefix := p.Location.ExpressExecution(p.Rest[0], "", "")
	prefix = strings.TrimSuffix(prefix, "::") + ":*"
	var alts []string
	for _, t := range executionLevelTypes {
		alts = append(alts, fmt.Sprintf("($.type = %q)", string(t)))
	}
	return fmt.Sprintf("{ $.execution_arn = %q && (%s) }", prefix, strings.Join(alts, " || "))
}

// ListExecutions lists an EXPRESS machine's executions of the last Window from its log
// group, newest first; any other machine's from the API.
func (e *expressAPI) ListExecutions(ctx context.Context, in *sfn.ListExecutionsInput, optFns ...func(*sfn.Options)) (*sfn.ListExecutionsOutput, error) {
	if in.StateMachineArn == nil { // a Map Run's children
		return e.API.ListExecutions(ctx, in, optFns...)
	}
	machine := baseMachine(aws.ToString(in.StateMachineArn))
	m, err := e.machineOf(ctx, machine)
	if err != nil || !m.express {
		// Not known to be EXPRESS: the API answers (and says what is wrong, if anything).
		return e.API.ListExecutions(ctx, in, optFns...)
	}
	if m.group == "" {
		return nil, ErrNotLogged
	}
	// A first page of a few executions (the machines list asks for one) reads the
	// newest windows first and stops once it holds enough executions it saw start:
	// FilterLogEvents reads oldest first, and a busy group's hours are many pages. A
	// longer list reads the whole window at once, as it would read most of it anyway.
	early := in.NextToken == nil && in.MaxResults > 0 && in.MaxResults <= maxEarly
	now := e.opts.Now()
	byArn := map[string]*types.ExecutionListItem{}
	started := map[string]bool{}
	pages, cut := 0, false
	var end *int64 // the newest window has no end: a clock may be ahead
	spans := []time.Duration{e.opts.Window}
	if early {
		spans = listWindows(e.opts.Window)
	}
	for i, span := range spans {
		from := now.Add(-span).UnixMilli()
		fin := &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(m.group), FilterPattern: aws.String(listPattern(machine)),
			StartTime: aws.Int64(from), EndTime: end}
		for ; pages < e.opts.MaxListPages; pages++ {
			out, err := e.logs.FilterLogEvents(ctx, fin)
			if err != nil {
				return nil, fmt.Errorf("reading log group %s: %w", m.group, err)
			}
			for _, le := range out.Events {
				ev, err := parseLogEvent(aws.ToString(le.Message), time.UnixMilli(aws.ToInt64(le.Timestamp)).UTC())
				if err != nil {
					continue // not a Step Functions event: the group may hold other logs
				}
				listed(byArn, machine, ev)
				if ev.Type == types.HistoryEventTypeExecutionStarted {
					started[ev.ExecutionArn] = true
				}
			}
			if out.NextToken == nil {
				break
			}
			fin.NextToken = out.NextToken
		}
		end = aws.Int64(from - 1)
		if early && i < len(spans)-1 && countStarted(byArn, started, in.StatusFilter) >= int(in.MaxResults) {
			// Those not seen to start began before this window: older than all of
			// these, so not among the newest.
			for a := range byArn {
				if !started[a] {
					delete(byArn, a)
				}
			}
			cut = true
			break
		}
	}
	list := make([]types.ExecutionListItem, 0, len(byArn))
	e.mu.Lock()
	for a, x := range byArn {
		e.starts[a] = aws.ToTime(x.StartDate)
		if in.StatusFilter == "" || x.Status == in.StatusFilter {
			list = append(list, *x)
		}
	}
	e.mu.Unlock()
	sort.Slice(list, func(i, j int) bool {
		if !list[i].StartDate.Equal(*list[j].StartDate) {
			return list[i].StartDate.After(*list[j].StartDate)
		}
		return aws.ToString(list[i].ExecutionArn) < aws.ToString(list[j].ExecutionArn)
	})
	out, err := pageList(list, in.MaxResults, in.NextToken)
	if err == nil && cut && out.NextToken == nil {
		out.NextToken = aws.String("express:" + strconv.Itoa(len(out.Executions))) // older windows were not read
	}
	return out, err
}

// maxEarly is the longest first page read newest window first.
const maxEarly = 10

// listWindows are the spans back from now a list reads, newest first: the last 5
// minutes, the last hour, then the whole window.
func listWindows(window time.Duration) []time.Duration {
	var spans []time.Duration
	for _, d := range []time.Duration{5 * time.Minute, time.Hour} {
		if d < window {
			spans = append(spans, d)
		}
	}
	return append(spans, window)
}

// countStarted counts the executions seen to start that the status filter keeps.
func countStarted(byArn map[string]*types.ExecutionListItem, started map[string]bool, status types.ExecutionStatus) int {
	n := 0
	for a, x := range byArn {
		if started[a] && (status == "" || x.Status == status) {
			n++
		}
	}
	return n
}

// listed folds one execution-level event into the list.
func listed(byArn map[string]*types.ExecutionListItem, machine string, ev loggedEvent) {
	x := byArn[ev.ExecutionArn]
	if x == nil {
		_, name, ok := expressArn(ev.ExecutionArn)
		if !ok {
			return
		}
		x = &types.ExecutionListItem{ExecutionArn: aws.String(ev.ExecutionArn), StateMachineArn: aws.String(machine), Name: aws.String(name),
			Status: types.ExecutionStatusRunning, StartDate: aws.Time(ev.Timestamp)}
		byArn[ev.ExecutionArn] = x
	}
	switch ev.Type {
	case types.HistoryEventTypeExecutionStarted:
		x.StartDate = aws.Time(ev.Timestamp)
	default:
		if s, ok := closingStatus(ev.Type); ok {
			x.Status, x.StopDate = s, aws.Time(ev.Timestamp)
		}
		if ev.Timestamp.Before(*x.StartDate) {
			x.StartDate = aws.Time(ev.Timestamp)
		}
	}
}

func closingStatus(t types.HistoryEventType) (types.ExecutionStatus, bool) {
	switch t {
	case types.HistoryEventTypeExecutionSucceeded:
		return types.ExecutionStatusSucceeded, true
	case types.HistoryEventTypeExecutionFailed:
		return types.ExecutionStatusFailed, true
	case types.HistoryEventTypeExecutionAborted:
		return types.ExecutionStatusAborted, true
	case types.HistoryEventTypeExecutionTimedOut:
		return types.ExecutionStatusTimedOut, true
	}
	return "", false
}

// pageList serves a list computed whole one page at a time; the token is an offset.
func pageList(list []types.ExecutionListItem, maxResults int32, token *string) (*sfn.ListExecutionsOutput, error) {
	from, err := offsetToken(token)
	if err != nil {
		return nil, err
	}
	n := int(maxResults)
	if n <= 0 {
		n = 100
	}
	from = min(from, len(list))
	to := min(from+n, len(list))
	out := &sfn.ListExecutionsOutput{Executions: list[from:to]}
	if to < len(list) {
		out.NextToken = aws.String("express:" + strconv.Itoa(to))
	}
	return out, nil
}

func offsetToken(token *string) (int, error) {
	if token == nil {
		return 0, nil
	}
	s, ok := strings.CutPrefix(*token, "express:")
	n, err := strconv.Atoi(s)
	if !ok || err != nil || n < 0 {
		return 0, &types.InvalidToken{Message: aws.String("Invalid Token: '" + *token + "'")}
	}
	return n, nil
}

// history reads one EXPRESS execution's events from its machine's log group, in id
// order.
func (e *expressAPI) history(ctx context.Context, execArn, machine string) ([]hist.Event, error) {
	e.mu.Lock()
	events, done := e.ended[execArn]
	e.mu.Unlock()
	if done {
		return events, nil
	}
	m, err := e.machineOf(ctx, machine)
	if err != nil {
		return nil, err
	}
	if m.group == "" {
		return nil, ErrNotLogged
	}
	fin := &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(m.group),
		FilterPattern: aws.String(fmt.Sprintf("{ $.execution_arn = %q }", execArn))}
	e.mu.Lock()
	start, known := e.starts[execArn]
	e.mu.Unlock()
	if known {
		// An execution runs five minutes at most; a minute either side allows for clocks.
		fin.StartTime = aws.Int64(start.Add(-time.Minute).UnixMilli())
		fin.EndTime = aws.Int64(start.Add(expressMaxDuration + time.Minute).UnixMilli())
	}
	byID := map[int64]hist.Event{}
	for {
		out, err := e.logs.FilterLogEvents(ctx, fin)
		if err != nil {
			return nil, fmt.Errorf("reading log group %s: %w", m.group, err)
		}
		for _, le := range out.Events {
			ev, err := parseLogEvent(aws.ToString(le.Message), time.UnixMilli(aws.ToInt64(le.Timestamp)).UTC())
			if err != nil || ev.ExecutionArn != execArn {
				continue
			}
			byID[ev.ID] = ev.Event // a log event delivered twice counts once
		}
		if out.NextToken == nil {
			break
		}
		fin.NextToken = out.NextToken
	}
	if len(byID) == 0 {
		msg := fmt.Sprintf("Execution Does Not Exist: '%s' (no events for it in log group %s", execArn, m.group)
		if m.level != types.LogLevelAll {
			msg += ", which logs at level " + string(m.level) + " only"
		}
		return nil, &types.ExecutionDoesNotExist{Message: aws.String(msg + ")")}
	}
	events = make([]hist.Event, 0, len(byID))
	for _, ev := range byID {
		events = append(events, ev)
	}
	sort.Slice(events, func(i, j int) bool { return events[i].ID < events[j].ID })
	if _, closed := closingStatus(events[len(events)-1].Type); closed {
		e.mu.Lock()
		if _, had := e.ended[execArn]; !had {
			e.ended[execArn] = events
			e.endedOrder = append(e.endedOrder, execArn)
			if len(e.endedOrder) > maxEnded {
				delete(e.ended, e.endedOrder[0])
				e.endedOrder = e.endedOrder[1:]
			}
		}
		e.mu.Unlock()
	}
	return events, nil
}

// GetExecutionHistory returns an EXPRESS execution's events from its log group (the
// whole history is read, then paged as the API pages it); any other's from the API.
func (e *expressAPI) GetExecutionHistory(ctx context.Context, in *sfn.GetExecutionHistoryInput, optFns ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error) {
	execArn := aws.ToString(in.ExecutionArn)
	machine, _, ok := expressArn(execArn)
	if !ok {
		return e.API.GetExecutionHistory(ctx, in, optFns...)
	}
	events, err := e.history(ctx, execArn, machine)
	if err != nil {
		return nil, err
	}
	sdk := hist.ToSDKAll(events)
	if in.ReverseOrder {
		for i, j := 0, len(sdk)-1; i < j; i, j = i+1, j-1 {
			sdk[i], sdk[j] = sdk[j], sdk[i]
		}
	}
	from, err := offsetToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	n := int(in.MaxResults)
	if n <= 0 {
		n = 100
	}
	from = min(from, len(sdk))
	to := min(from+n, len(sdk))
	out := &sfn.GetExecutionHistoryOutput{Events: sdk[from:to]}
	if to < len(sdk) {
		out.NextToken = aws.String("express:" + strconv.Itoa(to))
	}
	return out, nil
}

// DescribeExecution describes an EXPRESS execution from its logged events; any other
// from the API.
func (e *expressAPI) DescribeExecution(ctx context.Context, in *sfn.DescribeExecutionInput, optFns ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	execArn := aws.ToString(in.ExecutionArn)
	machine, name, ok := expressArn(execArn)
	if !ok {
		return e.API.DescribeExecution(ctx, in, optFns...)
	}
	events, err := e.history(ctx, execArn, machine)
	if err != nil {
		return nil, err
	}
	return describeFromEvents(execArn, machine, name, events), nil
}

// describeFromEvents is DescribeExecution's answer as the events tell it: the status
// from the closing event (RUNNING without one), the input from ExecutionStarted, the
// output, error and cause from the closing event.
func describeFromEvents(execArn, machine, name string, events []hist.Event) *sfn.DescribeExecutionOutput {
	out := &sfn.DescribeExecutionOutput{ExecutionArn: aws.String(execArn), StateMachineArn: aws.String(machine), Name: aws.String(name),
		Status: types.ExecutionStatusRunning, StartDate: aws.Time(events[0].Timestamp),
		InputDetails: &types.CloudWatchEventsExecutionDataDetails{}, RedriveCount: aws.Int32(0),
		RedriveStatus: types.ExecutionRedriveStatusNotRedrivable, RedriveStatusReason: aws.String("Execution is of type EXPRESS and cannot be redriven")}
	for i := range events {
		ev := events[i].ToSDK()
		switch {
		case ev.ExecutionStartedEventDetails != nil:
			d := ev.ExecutionStartedEventDetails
			out.StartDate = ev.Timestamp
			if d.Input != nil {
				out.Input, out.InputDetails.Included = d.Input, true
			}
		case ev.ExecutionSucceededEventDetails != nil:
			if o := ev.ExecutionSucceededEventDetails.Output; o != nil {
				out.Output, out.OutputDetails = o, &types.CloudWatchEventsExecutionDataDetails{Included: true}
			}
		case ev.ExecutionFailedEventDetails != nil:
			out.Error, out.Cause = ev.ExecutionFailedEventDetails.Error, ev.ExecutionFailedEventDetails.Cause
		case ev.ExecutionAbortedEventDetails != nil:
			out.Error, out.Cause = ev.ExecutionAbortedEventDetails.Error, ev.ExecutionAbortedEventDetails.Cause
		case ev.ExecutionTimedOutEventDetails != nil:
			out.Error, out.Cause = ev.ExecutionTimedOutEventDetails.Error, ev.ExecutionTimedOutEventDetails.Cause
		}
		if s, ok := closingStatus(ev.Type); ok {
			out.Status, out.StopDate = s, ev.Timestamp
		}
	}
	return out
}

// DescribeStateMachineForExecution answers for an EXPRESS execution with its machine's
// current description (AWS keeps no record of the version it ran); any other from the
// API.
func (e *expressAPI) DescribeStateMachineForExecution(ctx context.Context, in *sfn.DescribeStateMachineForExecutionInput, optFns ...func(*sfn.Options)) (*sfn.DescribeStateMachineForExecutionOutput, error) {
	machine, _, ok := expressArn(aws.ToString(in.ExecutionArn))
	if !ok {
		return e.API.DescribeStateMachineForExecution(ctx, in, optFns...)
	}
	d, err := e.API.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(machine)})
	if err != nil {
		return nil, err
	}
	return &sfn.DescribeStateMachineForExecutionOutput{StateMachineArn: d.StateMachineArn, Name: d.Name, Definition: d.Definition,
		RoleArn: d.RoleArn, UpdateDate: d.CreationDate, LoggingConfiguration: d.LoggingConfiguration,
		TracingConfiguration: d.TracingConfiguration, RevisionId: d.RevisionId}, nil
}

// AWSOf returns the *AWS client behind api, looking through wrappers such as
// WithExpress's; ok is false for any other backend (the local engine).
func AWSOf(api API) (*AWS, bool) {
	for {
		if a, ok := api.(*AWS); ok {
			return a, true
		}
		w, ok := api.(interface{ Unwrap() API })
		if !ok {
			return nil, false
		}
		api = w.Unwrap()
	}
}
