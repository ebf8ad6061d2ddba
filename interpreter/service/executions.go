package service

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/ids"
	"github.com/stepdeck/stepdeck/interpreter/store"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// readInput checks an execution input as StartExecution does.
func readInput(in *string) (string, value.Value, error) {
	text := aws.ToString(in)
	if in == nil {
		text = "{}"
	}
	if len(text) > engine.MaxPayloadBytes {
		return "", nil, errValidation("1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to %d", engine.MaxPayloadBytes)
	}
	if !utf8.ValidString(text) {
		return "", nil, errInvalidInput("Invalid UTF-8 in the input")
	}
	v, err := value.ParseString(text)
	if err != nil {
		return "", nil, errInvalidInput(err.Error())
	}
	return text, v, nil
}

// expressLimit is how long an EXPRESS execution may run.
const expressLimit = 5 * time.Minute

type started struct {
	le   *liveExec
	done chan struct{}
}

// start creates and starts an execution on the loop. sync asks for a channel that is
// closed when it ends.
func (s *Service) start(ctx context.Context, machineArn, name string, input *string, sync bool) (*started, error) {
	return s.startWith(ctx, machineArn, name, input, sync, nil)
}

// startWith is start with a hook that runs on the loop, in the job that starts the
// execution and before its first step, so whoever started it (a parent execution) is
// told in the same commit.
func (s *Service) startWith(ctx context.Context, machineArn, name string, input *string, sync bool, onStart func(b *batch, le *liveExec)) (*started, error) {
	a, testCase, err := s.machineArn(machineArn)
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = ids.UUID()
	}
	if !arn.ValidName(name) {
		return nil, errInvalidName(name)
	}
	text, in, err := readInput(input)
	if err != nil {
		return nil, err
	}
	m, versionArn, aliasArn, err := s.resolveMachine(a)
	if err != nil {
		return nil, err
	}
	if testCase == "" && s.cfg.DefaultTestCase != "" && s.cfg.Mocks != nil && s.cfg.Mocks.HasTestCase(m.Name, s.cfg.DefaultTestCase) {
		testCase = s.cfg.DefaultTestCase
	}
	if testCase != "" && (s.cfg.Mocks == nil || !s.cfg.Mocks.HasTestCase(m.Name, testCase)) {
		return nil, errValidation("The test case '%s' is not defined for the state machine '%s' in the mock config", testCase, m.Name)
	}
	if sync && m.Type != types.StateMachineTypeExpress {
		return nil, errTypeNotSupported()
	}
	def, hash, err := s.parsedFor(m.Definition, m.Type)
	if err != nil {
		return nil, definitionError(err)
	}
	express := m.Type == types.StateMachineTypeExpress
	execArn := s.loc.Execution(m.Name, name)
	if express {
		execArn = s.loc.ExpressExecution(m.Name, name, ids.UUID())
	}
	var res *started
	err = s.do(ctx, func(b *batch) error {
		if le := s.live[execArn]; le != nil {
			// StartExecution is idempotent for a running execution with the same input.
			if !express && le.x.Meta.Input == text {
				b.touch(le) // the answer holds only if the start it found is stored
				res = &started{le: le}
				if onStart != nil {
					onStart(b, le)
				}
				return nil
			}
			return errExecutionAlreadyExists(execArn)
		}
		if !express {
			err := s.st.View(func(tx *store.Tx) error {
				_, err := tx.GetExecution(execArn)
				return err
			})
			if err == nil {
				return errExecutionAlreadyExists(execArn)
			}
			if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		meta := engine.Meta{ExecutionArn: execArn, Name: name, StateMachineArn: m.Arn, StateMachineName: m.Name, RoleArn: m.RoleArn,
			Region: s.loc.Region, Type: m.Type, StartTime: s.clock.Now(), Input: text, Sync: sync,
			VersionArn: versionArn, AliasArn: aliasArn}
		x := engine.New(def, meta, in, s.engineOptions(string(m.Type)))
		le := &liveExec{x: x, ephemeral: express, rec: &executionRecord{Meta: meta, DefinitionHash: hash, TestCase: testCase}}
		if express {
			le.logs = s.logTargetOf(m, execArn, name, meta.StartTime)
		}
		res = &started{le: le}
		if sync {
			res.done = make(chan struct{})
			le.waiters = append(le.waiters, res.done)
		}
		s.live[execArn] = le
		b.created(le)
		if !express {
			defText := m.Definition
			b.write(func(tx *store.Tx) error { return tx.Put(kindDefinitions, hash, []byte(defText)) })
		}
		if onStart != nil {
			onStart(b, le)
		}
		res := x.Start(meta.StartTime)
		if express {
			// Express executions run for five minutes at most.
			res.Commands = append(res.Commands, engine.Command{Kind: engine.CmdStartTimer, Frame: engine.ExecutionFrame,
				Purpose: engine.TimerExecutionTimeout, At: meta.StartTime.Add(expressLimit)})
		}
		s.apply(b, le, res)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// StartExecution starts an execution. A state machine ARN may end in "#TestCase" to run
// it against that test case of the mock config, as with Step Functions Local.
func (s *Service) StartExecution(ctx context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	r, err := s.start(ctx, aws.ToString(in.StateMachineArn), aws.ToString(in.Name), in.Input, false)
	if err != nil {
		return nil, err
	}
	meta := r.le.x.Meta
	return &sfn.StartExecutionOutput{ExecutionArn: aws.String(meta.ExecutionArn), StartDate: aws.Time(meta.StartTime)}, nil
}

// StartSyncExecution runs an EXPRESS execution to its end and returns how it ended.
func (s *Service) StartSyncExecution(ctx context.Context, in *sfn.StartSyncExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartSyncExecutionOutput, error) {
	r, err := s.start(ctx, aws.ToString(in.StateMachineArn), aws.ToString(in.Name), in.Input, true)
	if err != nil {
		return nil, err
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.done:
		return nil, ErrClosed
	}
	// The execution has ended: the loop no longer touches it.
	x := r.le.x
	out := &sfn.StartSyncExecutionOutput{ExecutionArn: aws.String(x.Meta.ExecutionArn), StateMachineArn: aws.String(x.Meta.StateMachineArn),
		Name: aws.String(x.Meta.Name), StartDate: aws.Time(x.Meta.StartTime), StopDate: aws.Time(x.StopTime), Status: types.SyncExecutionStatus(x.Status),
		Input: aws.String(x.Meta.Input), InputDetails: &types.CloudWatchEventsExecutionDataDetails{Included: true}}
	if x.Status == types.ExecutionStatusSucceeded {
		out.Output = aws.String(x.OutputText())
		out.OutputDetails = &types.CloudWatchEventsExecutionDataDetails{Included: true}
	}
	if x.HasError {
		out.Error = aws.String(x.Error)
	}
	if x.HasCause {
		out.Cause = aws.String(x.Cause)
	}
	return out, nil
}

// executionArn checks an execution ARN; EXPRESS executions have no record to look at.
func executionArn(v string) (string, error) {
	p, err := arn.Parse(v)
	if err != nil {
		return "", errInvalidArn(v)
	}
	switch p.Kind {
	case "execution":
		return v, nil
	case "express":
		return "", errInvalidArnContext("express")
	}
	return "", errInvalidArn(v)
}

func (s *Service) loadExecution(a string) (*executionRecord, error) {
	var rec executionRecord
	err := s.st.View(func(tx *store.Tx) error {
		row, err := tx.GetExecution(a)
		if err != nil {
			return err
		}
		return json.Unmarshal(row.Record, &rec)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errExecutionDoesNotExist(a)
	}
	if err != nil {
		return nil, err
	}
	return &rec, nil
}

// DescribeExecution describes an execution.
func (s *Service) DescribeExecution(ctx context.Context, in *sfn.DescribeExecutionInput, _ ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	a, err := executionArn(aws.ToString(in.ExecutionArn))
	if err != nil {
		return nil, err
	}
	rec, err := s.loadExecution(a)
	if err != nil {
		return nil, err
	}
	m := rec.Meta
	out := &sfn.DescribeExecutionOutput{ExecutionArn: aws.String(m.ExecutionArn), StateMachineArn: aws.String(m.StateMachineArn),
		Name: aws.String(m.Name), Status: rec.Status, StartDate: aws.Time(m.StartTime), Input: aws.String(m.Input),
		InputDetails: &types.CloudWatchEventsExecutionDataDetails{Included: true}, RedriveCount: aws.Int32(int32(m.RedriveCount))}
	if rec.Status != types.ExecutionStatusRunning {
		out.StopDate = aws.Time(rec.StopDate)
	}
	out.RedriveStatus = types.ExecutionRedriveStatusRedrivable
	if why := redriveBlock(rec, s.clock.Now()); why != "" {
		out.RedriveStatus, out.RedriveStatusReason = types.ExecutionRedriveStatusNotRedrivable, aws.String(why)
	}
	if m.VersionArn != "" {
		out.StateMachineVersionArn = aws.String(m.VersionArn)
	}
	if m.AliasArn != "" {
		out.StateMachineAliasArn = aws.String(m.AliasArn)
	}
	if !rec.RedriveDate.IsZero() {
		out.RedriveDate = aws.Time(rec.RedriveDate)
	}
	switch rec.Status {
	case types.ExecutionStatusSucceeded:
		out.Output = rec.Output
		out.OutputDetails = &types.CloudWatchEventsExecutionDataDetails{Included: true}
	case types.ExecutionStatusFailed, types.ExecutionStatusAborted:
		out.Error, out.Cause = rec.Error, rec.Cause
	}
	return out, nil
}

// DescribeStateMachineForExecution returns the definition an execution ran with.
func (s *Service) DescribeStateMachineForExecution(ctx context.Context, in *sfn.DescribeStateMachineForExecutionInput, _ ...func(*sfn.Options)) (*sfn.DescribeStateMachineForExecutionOutput, error) {
	a, err := executionArn(aws.ToString(in.ExecutionArn))
	if err != nil {
		return nil, err
	}
	rec, err := s.loadExecution(a)
	if err != nil {
		return nil, err
	}
	var def []byte
	var m *machineRecord
	err = s.st.View(func(tx *store.Tx) error {
		var err error
		if def, err = tx.Get(kindDefinitions, rec.DefinitionHash); err != nil {
			return err
		}
		m, _ = s.loadMachine(tx, rec.Meta.StateMachineArn)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &sfn.DescribeStateMachineForExecutionOutput{StateMachineArn: aws.String(rec.Meta.StateMachineArn),
		Name: aws.String(rec.Meta.StateMachineName), Definition: aws.String(string(def)), RoleArn: aws.String(rec.Meta.RoleArn),
		UpdateDate: aws.Time(rec.Meta.StartTime)}
	if m != nil {
		out.LoggingConfiguration, out.TracingConfiguration = loggingOf(m), tracingOf(m)
		if !m.UpdateDate.IsZero() {
			out.UpdateDate = aws.Time(m.UpdateDate)
		} else {
			out.UpdateDate = aws.Time(m.CreationDate)
		}
	}
	return out, nil
}

// statusFilters are ListExecutions' statusFilter values.
var statusFilters = []types.ExecutionStatus{types.ExecutionStatusSucceeded, types.ExecutionStatusTimedOut,
	types.ExecutionStatusPendingRedrive, types.ExecutionStatusAborted, types.ExecutionStatusFailed, types.ExecutionStatusRunning}

// ListExecutions lists a state machine's executions, newest first.
func (s *Service) ListExecutions(ctx context.Context, in *sfn.ListExecutionsInput, _ ...func(*sfn.Options)) (*sfn.ListExecutionsOutput, error) {
	if in.MapRunArn != nil && in.StateMachineArn == nil {
		return nil, errValidation("stepdeck runs a distributed Map's items inside its parent execution: a map run has no child executions to list")
	}
	a, _, err := s.machineArn(aws.ToString(in.StateMachineArn))
	if err != nil {
		return nil, err
	}
	if f := in.StatusFilter; f != "" && !slices.Contains(statusFilters, f) {
		return nil, errValidation("1 validation error detected: Value '%s' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]", f)
	}
	// A version or alias ARN lists the executions started through it.
	machine, qualifier := qualified(a)
	scope := scopeOf("ListExecutions", a)
	limit, after, err := pageRequest(scope, in.MaxResults, in.NextToken, 3096)
	if err != nil {
		return nil, err
	}
	keep := func(rec *executionRecord) bool {
		switch {
		case qualifier != "" && rec.Meta.VersionArn != a && rec.Meta.AliasArn != a:
			return false
		case in.RedriveFilter == types.ExecutionRedriveFilterRedriven:
			return rec.Meta.RedriveCount > 0
		case in.RedriveFilter == types.ExecutionRedriveFilterNotRedriven:
			return rec.Meta.RedriveCount == 0
		}
		return true
	}
	out := &sfn.ListExecutionsOutput{Executions: []types.ExecutionListItem{}}
	err = s.st.View(func(tx *store.Tx) error {
		m, err := s.loadMachine(tx, machine)
		if err != nil {
			return err
		}
		if err := s.qualifierExists(tx, a, machine, qualifier); err != nil {
			return err
		}
		if m.Type == types.StateMachineTypeExpress {
			return errTypeNotSupported()
		}
		// A filter drops rows, so read on until the page is full or the list ends.
		for {
			rows, next, err := tx.ListExecutions(store.ExecutionQuery{MachineArn: machine, Status: string(in.StatusFilter),
				After: after, Limit: limit - len(out.Executions)})
			if errors.Is(err, store.ErrBadCursor) {
				return errInvalidToken()
			}
			if err != nil {
				return err
			}
			for _, r := range rows {
				var rec executionRecord
				if json.Unmarshal(r.Record, &rec) != nil || !keep(&rec) {
					continue
				}
				out.Executions = append(out.Executions, listItem(r.Arn, r.MachineArn, &rec))
			}
			after = next
			if next == "" || len(out.Executions) >= limit {
				break
			}
		}
		out.NextToken = encodePageToken(scope, after)
		return nil
	})
	return out, err
}

// qualifierExists checks that the version or alias a names is there.
func (s *Service) qualifierExists(tx *store.Tx, a, machine, qualifier string) error {
	if qualifier == "" {
		return nil
	}
	if _, ok := versionNumber(qualifier); ok {
		_, err := s.loadVersion(tx, a)
		return err
	}
	if _, err := s.loadAlias(tx, aliasKey(machine, qualifier)); err != nil {
		return errMachineDoesNotExist(a)
	}
	return nil
}

func listItem(arn, machineArn string, rec *executionRecord) types.ExecutionListItem {
	item := types.ExecutionListItem{ExecutionArn: aws.String(arn), StateMachineArn: aws.String(machineArn),
		Name: aws.String(rec.Meta.Name), Status: rec.Status, StartDate: aws.Time(rec.Meta.StartTime),
		RedriveCount: aws.Int32(int32(rec.Meta.RedriveCount))}
	if rec.Status != types.ExecutionStatusRunning {
		item.StopDate = aws.Time(rec.StopDate)
	}
	if rec.Meta.VersionArn != "" {
		item.StateMachineVersionArn = aws.String(rec.Meta.VersionArn)
	}
	if rec.Meta.AliasArn != "" {
		item.StateMachineAliasArn = aws.String(rec.Meta.AliasArn)
	}
	if rec.Meta.RedriveCount > 0 {
		item.RedriveDate = aws.Time(rec.Meta.RedriveTime)
	}
	return item
}

// GetExecutionHistory returns an execution's events, a page at a time.
func (s *Service) GetExecutionHistory(ctx context.Context, in *sfn.GetExecutionHistoryInput, _ ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error) {
	a, err := executionArn(aws.ToString(in.ExecutionArn))
	if err != nil {
		return nil, err
	}
	scope := scopeOf("GetExecutionHistory", a)
	limit, cursor, err := pageRequest(scope, in.MaxResults, in.NextToken, 1024)
	if err != nil {
		return nil, err
	}
	var after int64
	if cursor != "" {
		if after, err = strconv.ParseInt(cursor, 10, 64); err != nil {
			return nil, errInvalidToken()
		}
	}
	reverse := in.ReverseOrder
	withData := in.IncludeExecutionData == nil || *in.IncludeExecutionData
	out := &sfn.GetExecutionHistoryOutput{Events: []types.HistoryEvent{}}
	err = s.st.View(func(tx *store.Tx) error {
		if _, err := tx.GetExecution(a); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return errExecutionDoesNotExist(a)
			}
			return err
		}
		raw, err := tx.Events(a, after, limit+1, reverse)
		if err != nil {
			return err
		}
		more := len(raw) > limit
		if more {
			raw = raw[:limit]
		}
		// An SDK event is a large struct: growing the page by appending would copy it
		// again and again.
		out.Events = make([]types.HistoryEvent, 0, len(raw))
		var last int64
		for _, data := range raw {
			var ev history.Event
			if err := ev.UnmarshalJSON(data); err != nil {
				return err
			}
			if !withData {
				ev = withoutData(ev)
			}
			out.Events = append(out.Events, ev.ToSDK())
			last = ev.ID
		}
		if more {
			out.NextToken = encodePageToken(scope, strconv.FormatInt(last, 10))
		}
		return nil
	})
	return out, err
}

// withoutData drops inputs and outputs from an event, for includeExecutionData=false.
func withoutData(ev history.Event) history.Event {
	switch d := ev.Details.(type) {
	case *types.StateEnteredEventDetails:
		c := *d
		c.Input = nil
		ev.Details = &c
	case *types.StateExitedEventDetails:
		c := *d
		c.Output = nil
		ev.Details = &c
	case *types.ExecutionStartedEventDetails:
		c := *d
		c.Input = nil
		ev.Details = &c
	case *types.ExecutionSucceededEventDetails:
		c := *d
		c.Output = nil
		ev.Details = &c
	}
	return ev
}

// StopExecution stops a running execution.
func (s *Service) StopExecution(ctx context.Context, in *sfn.StopExecutionInput, _ ...func(*sfn.Options)) (*sfn.StopExecutionOutput, error) {
	a, err := executionArn(aws.ToString(in.ExecutionArn))
	if err != nil {
		return nil, err
	}
	if in.Error != nil && len(*in.Error) > 256 {
		return nil, errValidation("1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256")
	}
	if in.Cause != nil && len(*in.Cause) > 32768 {
		return nil, errValidation("1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768")
	}
	var out *sfn.StopExecutionOutput
	err = s.do(ctx, func(b *batch) error {
		le := s.live[a]
		if le == nil {
			rec, err := s.loadExecution(a)
			if err != nil {
				return err
			}
			out = &sfn.StopExecutionOutput{StopDate: aws.Time(rec.StopDate)}
			return nil
		}
		s.apply(b, le, le.x.Advance(engine.Input{Kind: engine.InputStop, Error: in.Error, Cause: in.Cause}, s.clock.Now()))
		out = &sfn.StopExecutionOutput{StopDate: aws.Time(le.x.StopTime)}
		return nil
	})
	return out, err
}
