package store

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
)

// Many writers at once go through group commit, where bbolt replays a batch without the
// caller whose function failed: a read-modify-write counter shows whether any function's
// effect was applied twice or a failed one leaked.
func TestConcurrentUpdates(t *testing.T) {
	s := openTemp(t)
	const n = 1000
	errFail := errors.New("deliberate")
	bump := func(tx *Tx) error {
		v, err := tx.Get("counters", "n")
		c := 0
		if err == nil {
			c, _ = strconv.Atoi(string(v))
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		return tx.Put("counters", "n", []byte(strconv.Itoa(c+1)))
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			arn := fmt.Sprintf("arn:e:%04d", i)
			err := s.Update(func(tx *Tx) error {
				if err := tx.PutExecution(ExecutionRow{Arn: arn, MachineArn: fmt.Sprint("m", i%7), Status: StatusRunning, Start: t0}); err != nil {
					return err
				}
				if err := tx.AppendEvents(arn, 1, evs(1, 2, 3)); err != nil {
					return err
				}
				return bump(tx)
			})
			if err != nil {
				t.Error(err)
				return
			}
			if i%10 == 0 {
				err := s.Update(func(tx *Tx) error {
					if err := bump(tx); err != nil {
						return err
					}
					return errFail
				})
				if !errors.Is(err, errFail) {
					t.Errorf("failing Update returned %v", err)
				}
			}
			var count int64
			if err := s.View(func(tx *Tx) (err error) { count, err = tx.EventCount(arn); return }); err != nil || count != 3 {
				t.Errorf("%s: %d events after its Update, %v", arn, count, err)
			}
			err = s.Update(func(tx *Tx) error {
				r, err := tx.GetExecution(arn)
				if err != nil {
					return err
				}
				r.Status = "SUCCEEDED"
				if err := tx.PutExecution(r); err != nil {
					return err
				}
				if err := tx.AppendEvents(arn, 4, evs(4)); err != nil {
					return err
				}
				return bump(tx)
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	view(t, s, func(tx *Tx) error {
		v, err := tx.Get("counters", "n")
		if err != nil || string(v) != strconv.Itoa(2*n) {
			t.Errorf("counter = %s, %v; want %d", v, err, 2*n)
		}
		all, next, err := tx.ListExecutions(ExecutionQuery{Status: "SUCCEEDED"})
		if err != nil || len(all) != n || next != "" {
			t.Errorf("%d succeeded executions listed, %v", len(all), err)
		}
		running := 0
		tx.RunningExecutions(func(ExecutionRow) error { running++; return nil })
		if running != 0 {
			t.Errorf("%d executions still listed as running", running)
		}
		for _, r := range all {
			got, err := tx.Events(r.Arn, 0, 0, false)
			if err != nil || len(got) != 4 {
				t.Errorf("%s has %d events, %v", r.Arn, len(got), err)
			}
		}
		return nil
	})
	if k := indexSize(t, s); k != 4*n {
		t.Errorf("index holds %d keys, want %d", k, 4*n)
	}
}
