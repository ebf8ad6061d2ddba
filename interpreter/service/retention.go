package service

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/store"
)

// Closed executions are kept for Config.Retention after they stop, as AWS keeps closed
// STANDARD executions for 90 days, and then removed with their history, map runs and
// task tokens. DeleteStateMachine removes its machine's executions the same way.

// DefaultRetention is how long AWS keeps a closed STANDARD execution.
const DefaultRetention = 90 * 24 * time.Hour

// sweepEvery is how often the retention sweep runs.
const sweepEvery = time.Hour

// sweepBatch bounds how many executions one commit of the sweep removes.
const sweepBatch = 500

// forgetExecutions removes executions that are not running from the store: their rows,
// histories, map runs and tokens. It runs in the commit, so it also removes what
// earlier work of the same turn wrote for them.
func (s *Service) forgetExecutions(b *batch, arns []string) {
	if len(arns) == 0 {
		return
	}
	gone := make(map[string]bool, len(arns))
	for _, a := range arns {
		gone[a] = true
	}
	for tok, t := range s.tokens {
		if gone[t.Execution] {
			delete(s.tokens, tok)
			b.undo(func() { s.tokens[tok] = t })
		}
	}
	b.write(func(tx *store.Tx) error {
		for a := range gone {
			if err := tx.DeleteExecution(a); err != nil {
				return err
			}
			runs, _, err := tx.List(kindMapRunsByExec, a+"#", "", 0)
			if err != nil {
				return err
			}
			for _, kv := range runs {
				if err := deleteRecord(tx, kindMapRuns, string(kv.Value)); err != nil {
					return err
				}
				if err := deleteRecord(tx, kindMapRunsByExec, kv.Key); err != nil {
					return err
				}
			}
		}
		// Tokens are keyed by token: find those of the executions removed.
		tokens, _, err := tx.List(kindTokens, "", "", 0)
		if err != nil {
			return err
		}
		for _, kv := range tokens {
			var t tokenRecord
			if json.Unmarshal(kv.Value, &t) == nil && gone[t.Execution] {
				if err := deleteRecord(tx, kindTokens, kv.Key); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func deleteRecord(tx *store.Tx, kind, key string) error {
	if err := tx.Delete(kind, key); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// sweepClosed removes the executions that stopped more than Retention ago, and returns
// how many it removed.
func (s *Service) sweepClosed(ctx context.Context) (int, error) {
	cutoff := s.clock.Now().Add(-s.cfg.Retention)
	total := 0
	for {
		removed, more := 0, false
		err := s.do(ctx, func(b *batch) error {
			var rows []store.ExecutionRow
			if err := s.st.View(func(tx *store.Tx) error {
				var err error
				rows, err = tx.ClosedStartedBefore(cutoff, sweepBatch)
				return err
			}); err != nil {
				return err
			}
			var arns []string
			for _, r := range rows {
				var rec executionRecord
				if json.Unmarshal(r.Record, &rec) != nil || s.live[r.Arn] != nil || !rec.StopDate.Before(cutoff) {
					continue
				}
				arns = append(arns, r.Arn)
			}
			s.forgetExecutions(b, arns)
			removed, more = len(arns), len(rows) == sweepBatch
			return nil
		})
		if err != nil {
			return total, err
		}
		total += removed
		// Stop when a round removed nothing: what is left started long ago but
		// stopped recently, and waits for a later sweep.
		if removed == 0 || !more {
			return total, nil
		}
	}
}

// sweepLoop runs the retention sweep at start and then every sweepEvery until Close.
func (s *Service) sweepLoop() {
	defer s.workers.Done()
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		// A failed sweep (a full disk) is tried again at the next tick.
		_, _ = s.sweepClosed(s.ctx)
		select {
		case <-t.C:
		case <-s.quit:
			return
		}
	}
}
