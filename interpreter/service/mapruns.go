package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// A distributed Map's run is recorded when its MapRunStarted event is, and closed with
// its MapRunSucceeded or MapRunFailed event. Records are keyed by the map run's ARN, and
// listed per execution through a second key: the execution's ARN, '#', the run's ARN.
const (
	kindMapRuns       = "mapRuns"
	kindMapRunsByExec = "mapRunsByExecution"
)

type mapRunRecord struct {
	Arn            string             `json:"arn"`
	ExecutionArn   string             `json:"executionArn"`
	MachineArn     string             `json:"machineArn"`
	Status         types.MapRunStatus `json:"status"`
	Start          time.Time          `json:"start"`
	Stop           time.Time          `json:"stop,omitempty"`
	MaxConcurrency int                `json:"maxConcurrency"`
	Total          int                `json:"total"`
	Succeeded      int                `json:"succeeded"`
	Failed         int                `json:"failed"`
	Frame          int                `json:"frame"`
	// ToleratedCount and ToleratedPct are the failures the run tolerates, as it started.
	ToleratedCount int64   `json:"toleratedCount,omitempty"`
	ToleratedPct   float64 `json:"toleratedPct,omitempty"`
	Error          *string `json:"error,omitempty"`
	Cause          *string `json:"cause,omitempty"`
}

// mapRunMachineArn is the ARN of the state machine a map run's child executions run:
// the machine's, with the run's label.
func mapRunMachineArn(mapRunArn string) string {
	p, err := arn.Parse(mapRunArn)
	if err != nil || len(p.Rest) < 2 {
		return ""
	}
	return strings.Replace(mapRunArn[:strings.LastIndexByte(mapRunArn, ':')], ":mapRun:", ":stateMachine:", 1)
}

// recordMapRuns notes the map runs one engine call started or closed.
func (s *Service) recordMapRuns(b *batch, le *liveExec, res *engine.Result) {
	if le.ephemeral {
		return
	}
	length := 0
	for _, ev := range res.Events {
		switch ev.Type {
		case types.HistoryEventTypeMapStateStarted:
			if d, _ := ev.Details.(*types.MapStateStartedEventDetails); d != nil {
				length = int(d.Length)
			}
		case types.HistoryEventTypeMapRunStarted:
			d, _ := ev.Details.(*types.MapRunStartedEventDetails)
			if d == nil {
				continue
			}
			r := &mapRunRecord{Arn: aws.ToString(d.MapRunArn), ExecutionArn: le.arn(), MachineArn: mapRunMachineArn(aws.ToString(d.MapRunArn)),
				Status: types.MapRunStatusRunning, Start: ev.Timestamp, Frame: -1, Total: length}
			// The Map may have finished in this same call: its frame may be gone.
			for id, f := range le.x.Frames() {
				if f.MapRunArn == r.Arn {
					r.Frame = id
					r.ToleratedCount, r.ToleratedPct = tolerated(f)
				}
			}
			if st := mapStateByLabel(&le.x.Def.Scope, labelOf(r.Arn)); st != nil && st.MaxConcurrency.Set && st.MaxConcurrency.Path == nil && st.MaxConcurrency.Expr == nil {
				r.MaxConcurrency = int(st.MaxConcurrency.Value)
			}
			if st := mapStateByLabel(&le.x.Def.Scope, labelOf(r.Arn)); st != nil && r.Frame < 0 {
				// The frame is gone: the tolerance the definition states, when it is a literal.
				if c := st.ToleratedFailureCount; c.Set && c.Path == nil && c.Expr == nil {
					r.ToleratedCount = c.Value
				}
				if p := st.ToleratedFailurePct; p.Set && p.Path == nil && p.Expr == nil {
					r.ToleratedPct = p.Value
				}
			}
			if le.mapRuns == nil {
				le.mapRuns = map[string]*mapRunRecord{}
			}
			le.mapRuns[r.Arn] = r
			s.putMapRun(b, r)
		case types.HistoryEventTypeMapRunSucceeded, types.HistoryEventTypeMapRunFailed:
			if le.mapRuns == nil {
				le.mapRuns = s.openMapRuns(le)
			}
			s.countItemsRead(b, le, res)
			r := le.closedMapRun()
			if r == nil {
				continue
			}
			r.Stop = ev.Timestamp
			if ev.Type == types.HistoryEventTypeMapRunSucceeded {
				r.Status, r.Succeeded = types.MapRunStatusSucceeded, r.Total-r.Failed
			} else {
				r.Status = types.MapRunStatusFailed
				if d, _ := ev.Details.(*types.MapRunFailedEventDetails); d != nil {
					r.Error, r.Cause = d.Error, d.Cause
				}
				if f := le.x.Frame(r.Frame); f != nil {
					// Finished counts the items that ended without failing the run
					// (tolerated failures too); the failure that ended it is not in it.
					r.Failed = f.Failures
					r.Succeeded = max(0, f.Finished-max(0, f.Failures-1))
				}
			}
			delete(le.mapRuns, r.Arn)
			s.putMapRun(b, r)
		}
	}
	s.countItemsRead(b, le, res)
	if le.x.Done() {
		// Runs still open when their execution closes were cut short.
		for _, r := range le.mapRuns {
			r.Status, r.Stop = types.MapRunStatusAborted, le.x.StopTime
			s.putMapRun(b, r)
		}
		le.mapRuns = nil
	}
}

// countItemsRead sets the size of the runs whose Map read its items with an
// ItemReader: their MapStateStarted counts none. Once per run: the count is then
// dropped from res.
func (s *Service) countItemsRead(b *batch, le *liveExec, res *engine.Result) {
	if len(res.ItemsRead) == 0 {
		return
	}
	if le.mapRuns == nil {
		le.mapRuns = s.openMapRuns(le)
	}
	for a, n := range res.ItemsRead {
		if r := le.mapRuns[a]; r != nil {
			r.Total = n
			s.putMapRun(b, r)
			delete(res.ItemsRead, a)
		}
	}
}

// closedMapRun finds the open map run whose Map is no longer waiting on its items.
func (le *liveExec) closedMapRun() *mapRunRecord {
	for _, r := range le.mapRuns {
		f := le.x.Frame(r.Frame)
		// A Map that reads its items or writes its results waits in PhaseTask, open.
		if f == nil || f.MapRunArn != r.Arn || (f.Phase != engine.PhaseChildren && f.Phase != engine.PhaseTask) {
			return r
		}
	}
	return nil
}

func (s *Service) putMapRun(b *batch, r *mapRunRecord) {
	rec := *r
	b.write(func(tx *store.Tx) error {
		if err := putJSON(tx, kindMapRuns, rec.Arn, rec); err != nil {
			return err
		}
		return tx.Put(kindMapRunsByExec, rec.ExecutionArn+"#"+rec.Arn, []byte(rec.Arn))
	})
}

// ListMapRuns lists the map runs of an execution.
func (s *Service) ListMapRuns(ctx context.Context, in *sfn.ListMapRunsInput, _ ...func(*sfn.Options)) (*sfn.ListMapRunsOutput, error) {
	a, err := executionArn(aws.ToString(in.ExecutionArn))
	if err != nil {
		return nil, err
	}
	scope := scopeOf("ListMapRuns", a)
	limit, after, err := pageRequest(scope, in.MaxResults, in.NextToken, 1024)
	if err != nil {
		return nil, err
	}
	if _, err := s.loadExecution(a); err != nil {
		return nil, err
	}
	out := &sfn.ListMapRunsOutput{MapRuns: []types.MapRunListItem{}}
	err = s.st.View(func(tx *store.Tx) error {
		items, next, err := tx.List(kindMapRunsByExec, a+"#", after, limit)
		if err != nil {
			return err
		}
		for _, kv := range items {
			var r mapRunRecord
			if getJSON(tx, kindMapRuns, string(kv.Value), &r) != nil {
				continue
			}
			item := types.MapRunListItem{MapRunArn: aws.String(r.Arn), ExecutionArn: aws.String(r.ExecutionArn),
				StateMachineArn: aws.String(r.MachineArn), StartDate: aws.Time(r.Start)}
			if !r.Stop.IsZero() {
				item.StopDate = aws.Time(r.Stop)
			}
			out.MapRuns = append(out.MapRuns, item)
		}
		out.NextToken = encodePageToken(scope, next)
		return nil
	})
	return out, err
}

// DescribeMapRun describes a map run; a running one is read from its execution.
func (s *Service) DescribeMapRun(ctx context.Context, in *sfn.DescribeMapRunInput, _ ...func(*sfn.Options)) (*sfn.DescribeMapRunOutput, error) {
	a := aws.ToString(in.MapRunArn)
	if p, err := arn.Parse(a); err != nil || p.Kind != "mapRun" {
		return nil, errInvalidArn(a)
	}
	var r mapRunRecord
	err := s.st.View(func(tx *store.Tx) error { return getJSON(tx, kindMapRuns, a, &r) })
	if errors.Is(err, store.ErrNotFound) {
		return nil, &types.ResourceNotFound{Message: aws.String("Resource not found: '" + a + "'"), ResourceName: aws.String(a)}
	}
	if err != nil {
		return nil, err
	}
	running, succeeded, failed := 0, r.Succeeded, r.Failed
	tolCount, tolPct := r.ToleratedCount, r.ToleratedPct
	if r.Status == types.MapRunStatusRunning {
		_ = s.do(ctx, func(b *batch) error {
			if le := s.live[r.ExecutionArn]; le != nil {
				if f := le.x.Frame(r.Frame); f != nil && f.MapRunArn == r.Arn {
					running, failed = f.Running, f.Failures
					tolCount, tolPct = tolerated(f) // UpdateMapRun may have changed them
					succeeded = f.Finished - f.Failures
				}
			}
			return nil
		})
	}
	pending := r.Total - running - succeeded - failed
	if pending < 0 {
		pending = 0
	}
	counts := func() (int64, int64, int64, int64, int64) {
		return int64(pending), int64(running), int64(succeeded), int64(failed), int64(r.Total)
	}
	p, ru, su, fa, to := counts()
	out := &sfn.DescribeMapRunOutput{MapRunArn: aws.String(r.Arn), ExecutionArn: aws.String(r.ExecutionArn), Status: r.Status,
		StartDate: aws.Time(r.Start), MaxConcurrency: int32(r.MaxConcurrency),
		ItemCounts:            &types.MapRunItemCounts{Pending: p, Running: ru, Succeeded: su, Failed: fa, Total: to, ResultsWritten: su},
		ExecutionCounts:       &types.MapRunExecutionCounts{Pending: p, Running: ru, Succeeded: su, Failed: fa, Total: to, ResultsWritten: su},
		ToleratedFailureCount: tolCount, ToleratedFailurePercentage: float32(tolPct)}
	if !r.Stop.IsZero() {
		out.StopDate = aws.Time(r.Stop)
	}
	return out, nil
}

// openMapRuns reads back the runs of an execution still open, for one the loop took
// over from an earlier process.
func (s *Service) openMapRuns(le *liveExec) map[string]*mapRunRecord {
	open := map[string]*mapRunRecord{}
	_ = s.st.View(func(tx *store.Tx) error {
		items, _, err := tx.List(kindMapRunsByExec, le.arn()+"#", "", 0)
		if err != nil {
			return err
		}
		for _, kv := range items {
			var r mapRunRecord
			if getJSON(tx, kindMapRuns, string(kv.Value), &r) == nil && r.Status == types.MapRunStatusRunning {
				open[r.Arn] = &r
			}
		}
		return nil
	})
	return open
}

// labelOf reads the label out of a map run ARN: …:mapRun:<machine>/<label>:<id>.
func labelOf(mapRunArn string) string {
	i := strings.LastIndexByte(mapRunArn, ':')
	if i < 0 {
		return ""
	}
	rest := mapRunArn[:i]
	j := strings.LastIndexByte(rest, '/')
	if j < 0 {
		return ""
	}
	return rest[j+1:]
}

// mapStateByLabel finds the Map state with a label, in a scope or any scope inside it.
func mapStateByLabel(sc *asl.Scope, label string) *asl.State {
	if label == "" {
		return nil
	}
	for _, st := range sc.States {
		if st.Type == asl.Map && st.Label == label {
			return st
		}
		inner := append([]*asl.Scope{}, st.Branches...)
		if st.ItemProcessor != nil {
			inner = append(inner, st.ItemProcessor)
		}
		for _, b := range inner {
			if found := mapStateByLabel(b, label); found != nil {
				return found
			}
		}
	}
	return nil
}

// UpdateMapRun changes a running map run's concurrency or failure tolerance. A run that
// has closed keeps its record; only its reported MaxConcurrency changes.
func (s *Service) UpdateMapRun(ctx context.Context, in *sfn.UpdateMapRunInput, _ ...func(*sfn.Options)) (*sfn.UpdateMapRunOutput, error) {
	a := aws.ToString(in.MapRunArn)
	if p, err := arn.Parse(a); err != nil || p.Kind != "mapRun" {
		return nil, errInvalidArn(a)
	}
	u, err := mapRunUpdate(in)
	if err != nil {
		return nil, err
	}
	var r mapRunRecord
	err = s.st.View(func(tx *store.Tx) error { return getJSON(tx, kindMapRuns, a, &r) })
	if errors.Is(err, store.ErrNotFound) {
		return nil, &types.ResourceNotFound{Message: aws.String("Resource not found: '" + a + "'"), ResourceName: aws.String(a)}
	}
	if err != nil {
		return nil, err
	}
	err = s.do(ctx, func(b *batch) error {
		if u.MaxConcurrency != nil {
			r.MaxConcurrency = *u.MaxConcurrency
			s.putMapRun(b, &r)
		}
		le := s.live[r.ExecutionArn]
		if le == nil || r.Status != types.MapRunStatusRunning {
			return nil
		}
		if f := le.x.Frame(r.Frame); f != nil && f.MapRunArn == r.Arn {
			if res, ok := le.x.UpdateMapRun(r.Frame, u, s.clock.Now()); ok {
				s.apply(b, le, res)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &sfn.UpdateMapRunOutput{}, nil
}

// mapRunUpdate checks UpdateMapRun's fields as AWS's model constrains them.
func mapRunUpdate(in *sfn.UpdateMapRunInput) (engine.MapRunUpdate, error) {
	var u engine.MapRunUpdate
	if in.MaxConcurrency == nil && in.ToleratedFailureCount == nil && in.ToleratedFailurePercentage == nil {
		return u, errValidation("at least one of maxConcurrency, toleratedFailureCount and toleratedFailurePercentage must be given")
	}
	if m := in.MaxConcurrency; m != nil {
		if *m < 0 {
			return u, errValidation("1 validation error detected: Value at 'maxConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 0")
		}
		n := int(*m)
		u.MaxConcurrency = &n
	}
	if c := in.ToleratedFailureCount; c != nil {
		if *c < 0 {
			return u, errValidation("1 validation error detected: Value at 'toleratedFailureCount' failed to satisfy constraint: Member must have value greater than or equal to 0")
		}
		u.ToleratedFailureCount = c
	}
	if p := in.ToleratedFailurePercentage; p != nil {
		if *p < 0 || *p > 100 {
			return u, errValidation("1 validation error detected: Value at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value between 0 and 100")
		}
		pct := float64(*p)
		u.ToleratedFailurePct = &pct
	}
	return u, nil
}

// tolerated reads the failures a running Map's frame tolerates (0 when not set).
func tolerated(f *engine.Frame) (count int64, pct float64) {
	if f.TolCountSet {
		count = f.TolCount
	}
	if f.TolPctSet {
		pct = f.TolPct
	}
	return count, pct
}
