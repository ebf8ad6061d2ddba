package store

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompactShrinksTheFile: after most executions are deleted, Compact gives the space
// back and keeps the rest readable.
func TestCompactShrinksTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stepdeck.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	event := []byte(`{"type":"PassStateEntered","details":"` + strings.Repeat("x", 400) + `"}`)
	const n = 2000
	update(t, s, func(tx *Tx) error {
		for i := 0; i < n; i++ {
			a := fmt.Sprintf("arn:e%04d", i)
			if err := tx.PutExecution(ExecutionRow{Arn: a, MachineArn: "m", Status: "SUCCEEDED", Start: t0, Record: []byte(`{}`)}); err != nil {
				return err
			}
			if err := tx.AppendEvents(a, 1, [][]byte{event, event, event}); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, s, func(tx *Tx) error {
		for i := 10; i < n; i++ {
			if err := tx.DeleteExecution(fmt.Sprintf("arn:e%04d", i)); err != nil {
				return err
			}
		}
		return nil
	})
	s.Close()

	before, after, err := Compact(path)
	if err != nil {
		t.Fatal(err)
	}
	if after*4 > before {
		t.Errorf("compacted from %d to %d bytes: want it at least four times smaller", before, after)
	}
	s = openAt(t, path)
	if got := s.db.Info().PageSize; got != pageSize {
		t.Errorf("the compacted file has pages of %d bytes, want %d", got, pageSize)
	}
	if got := listAll(t, s, ExecutionQuery{}); len(got) != 10 {
		t.Errorf("%d executions after compacting, want 10", len(got))
	}
	view(t, s, func(tx *Tx) error {
		evs, err := tx.Events("arn:e0003", 0, 0, false)
		if err != nil || len(evs) != 3 || string(evs[2]) != string(event) {
			t.Errorf("history after compacting: %d events, %v", len(evs), err)
		}
		return nil
	})
	// The numbers handed out go on from where they were: a new execution takes none of
	// the kept ones' rows.
	update(t, s, func(tx *Tx) error {
		return tx.PutExecution(ExecutionRow{Arn: "arn:new", MachineArn: "m", Status: "RUNNING", Start: t0, Record: []byte(`{"new":1}`)})
	})
	view(t, s, func(tx *Tx) error {
		for i := 0; i < 10; i++ {
			if r, err := tx.GetExecution(fmt.Sprintf("arn:e%04d", i)); err != nil || string(r.Record) != `{}` {
				t.Errorf("kept execution %d after a new one was stored: %+v, %v", i, r, err)
			}
		}
		return nil
	})
	// A store in use cannot be compacted.
	if _, _, err := Compact(path); err == nil || !strings.Contains(err.Error(), "another stepdeck process") {
		t.Errorf("compacting a store in use: %v", err)
	}
}

func openAt(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
