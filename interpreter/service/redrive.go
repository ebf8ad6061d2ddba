package service

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// AWS's limits on redriving an execution.
const (
	redriveWindow      = 14 * 24 * time.Hour
	redriveMaxEvents   = 24999
	redriveTokenWindow = 15 * time.Minute
)

func errNotRedrivable(format string, args ...any) error {
	return &types.ExecutionNotRedrivable{Message: aws.String(fmt.Sprintf(format, args...))}
}

// redriveBlock says why an execution cannot be redriven, or "" when it can.
func redriveBlock(rec *executionRecord, now time.Time) string {
	switch {
	case rec.Meta.Type == types.StateMachineTypeExpress:
		return "Execution is of type EXPRESS and cannot be redriven"
	case rec.Status == types.ExecutionStatusRunning || rec.Status == types.ExecutionStatusSucceeded:
		return fmt.Sprintf("Execution is %s and cannot be redriven", rec.Status)
	case now.Sub(rec.StopDate) > redriveWindow:
		return "Execution can only be redriven within 14 days of its close"
	case len(rec.Snapshot) == 0:
		return "Execution has no recorded state to redrive from"
	}
	return ""
}

// RedriveExecution restarts a STANDARD execution that failed, timed out or was stopped,
// at the top-level state it stopped in. The execution keeps its ARN and history, which
// gains an ExecutionRedriven event.
func (s *Service) RedriveExecution(ctx context.Context, in *sfn.RedriveExecutionInput, _ ...func(*sfn.Options)) (*sfn.RedriveExecutionOutput, error) {
	a, err := executionArn(aws.ToString(in.ExecutionArn))
	if err != nil {
		return nil, err
	}
	token := aws.ToString(in.ClientToken)
	if in.ClientToken != nil && (len(token) < 1 || len(token) > 64) {
		return nil, errValidation("1 validation error detected: Value '%s' at 'clientToken' failed to satisfy constraint: Member must have length between 1 and 64", token)
	}
	var date time.Time
	err = s.do(ctx, func(b *batch) error {
		now := s.clock.Now()
		if le := s.live[a]; le != nil {
			if token != "" && le.rec.RedriveToken == token && now.Sub(le.rec.RedriveDate) < redriveTokenWindow {
				b.touch(le) // the answer holds only if the redrive it found is stored
				date = le.rec.RedriveDate
				return nil
			}
			return errNotRedrivable("Execution is RUNNING and cannot be redriven")
		}
		rec, err := s.loadExecution(a)
		if err != nil {
			return err
		}
		if token != "" && rec.RedriveToken == token && now.Sub(rec.RedriveDate) < redriveTokenWindow {
			date = rec.RedriveDate
			return nil
		}
		if why := redriveBlock(rec, now); why != "" {
			return errNotRedrivable("%s", why)
		}
		var text []byte
		if err := s.st.View(func(tx *store.Tx) error {
			text, err = tx.Get(kindDefinitions, rec.DefinitionHash)
			return err
		}); err != nil {
			return errNotRedrivable("The definition of the execution could not be read: %v", err)
		}
		def, _, err := s.definition(string(text), string(rec.Meta.Type))
		if err != nil {
			return errNotRedrivable("The definition of the execution no longer parses: %v", err)
		}
		x, err := engine.Restore(def, rec.Snapshot, s.engineOptions(string(rec.Meta.Type)))
		if err != nil {
			return errNotRedrivable("The recorded state of the execution could not be read: %v", err)
		}
		if x.LastEventID() >= redriveMaxEvents {
			return errNotRedrivable("Execution has %d history events and cannot be redriven", x.LastEventID())
		}
		res, err := x.Redrive(now)
		if err != nil {
			return errNotRedrivable("%v", err)
		}
		rec.Meta = x.Meta
		rec.Snapshot, rec.Output, rec.Error, rec.Cause = nil, nil, nil, nil
		rec.StopDate = time.Time{}
		rec.RedriveDate, rec.RedriveToken = now, token
		le := &liveExec{x: x, rec: rec}
		s.live[a] = le
		// The timers of its earlier run (its time limit) would end the redriven run.
		s.forgetTimers(map[string]bool{a: true})
		s.apply(b, le, res)
		date = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &sfn.RedriveExecutionOutput{RedriveDate: aws.Time(date)}, nil
}
