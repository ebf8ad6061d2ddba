package store

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func arnsOf(rows []ExecutionRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Arn)
	}
	return out
}

func listAll(t *testing.T, s *Store, q ExecutionQuery) []string {
	t.Helper()
	var out []string
	for {
		var rows []ExecutionRow
		var next string
		view(t, s, func(tx *Tx) error {
			var err error
			rows, next, err = tx.ListExecutions(q)
			return err
		})
		out = append(out, arnsOf(rows)...)
		if next == "" {
			return out
		}
		q.After = next
	}
}

func TestExecutionPutGet(t *testing.T) {
	s := openTemp(t)
	start := time.Date(2025, 1, 2, 3, 4, 5, 678901234, time.FixedZone("x", 3600))
	row := ExecutionRow{Arn: "arn:e1", MachineArn: "arn:m1", Status: "RUNNING", Start: start, Record: []byte(`{"x":1}`)}
	update(t, s, func(tx *Tx) error { return tx.PutExecution(row) })
	view(t, s, func(tx *Tx) error {
		got, err := tx.GetExecution("arn:e1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Arn != row.Arn || got.MachineArn != row.MachineArn || got.Status != row.Status ||
			!got.Start.Equal(start) || !bytes.Equal(got.Record, row.Record) {
			t.Errorf("GetExecution = %+v, want %+v", got, row)
		}
		if _, err := tx.GetExecution("arn:none"); !errors.Is(err, ErrNotFound) {
			t.Errorf("GetExecution of a missing ARN: %v", err)
		}
		if _, err := tx.GetExecution(""); !errors.Is(err, ErrNotFound) {
			t.Errorf("GetExecution of an empty ARN: %v", err)
		}
		return nil
	})
	update(t, s, func(tx *Tx) error {
		if err := tx.PutExecution(ExecutionRow{}); err == nil {
			t.Error("PutExecution without an ARN accepted")
		}
		return nil
	})
}

func TestExecutionTimesOutsideUnixNanoRange(t *testing.T) {
	s := openTemp(t)
	times := []time.Time{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1600, 1, 1, 0, 0, 0, 1, time.UTC),
		{}, time.Unix(0, 0), time.Date(2300, 1, 1, 0, 0, 0, 999999999, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)}
	update(t, s, func(tx *Tx) error {
		for i, st := range times {
			if err := tx.PutExecution(ExecutionRow{Arn: fmt.Sprint("e", i), MachineArn: "m", Status: "S", Start: st}); err != nil {
				return err
			}
		}
		return nil
	})
	got := listAll(t, s, ExecutionQuery{MachineArn: "m"})
	want := []string{"e5", "e4", "e3", "e1", "e2", "e0"} // e0 and e2 are the same instant: the later stored first
	if !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
	view(t, s, func(tx *Tx) error {
		for i, st := range times {
			r, err := tx.GetExecution(fmt.Sprint("e", i))
			if err != nil || !r.Start.Equal(st) {
				t.Errorf("e%d start = %v, %v; want %v", i, r.Start, err, st)
			}
		}
		return nil
	})
}

func TestListExecutionsOrderAndFilters(t *testing.T) {
	s := openTemp(t)
	// e3 and e4 start at the same instant: e3, stored later, comes first.
	rows := []ExecutionRow{
		{Arn: "e1", MachineArn: "m1", Status: "SUCCEEDED", Start: t0},
		{Arn: "e2", MachineArn: "m1", Status: "RUNNING", Start: t0.Add(time.Second)},
		{Arn: "e4", MachineArn: "m1", Status: "RUNNING", Start: t0.Add(2 * time.Second)},
		{Arn: "e3", MachineArn: "m1", Status: "FAILED", Start: t0.Add(2 * time.Second)},
		{Arn: "f1", MachineArn: "m2", Status: "RUNNING", Start: t0.Add(time.Nanosecond)},
		{Arn: "g1", MachineArn: "m1x", Status: "RUNNING", Start: t0.Add(time.Hour)},
	}
	update(t, s, func(tx *Tx) error {
		for _, r := range rows {
			if err := tx.PutExecution(r); err != nil {
				return err
			}
		}
		return nil
	})
	cases := []struct {
		q    ExecutionQuery
		want []string
	}{
		{ExecutionQuery{MachineArn: "m1"}, []string{"e3", "e4", "e2", "e1"}},
		{ExecutionQuery{MachineArn: "m1", Status: "RUNNING"}, []string{"e4", "e2"}},
		{ExecutionQuery{MachineArn: "m1", Status: "ABORTED"}, nil},
		{ExecutionQuery{MachineArn: "m2"}, []string{"f1"}},
		{ExecutionQuery{MachineArn: "m"}, nil}, // a prefix of machine ARNs matches none
		{ExecutionQuery{}, []string{"g1", "e3", "e4", "e2", "f1", "e1"}},
		{ExecutionQuery{Status: "RUNNING"}, []string{"g1", "e4", "e2", "f1"}},
	}
	for _, c := range cases {
		for _, limit := range []int{0, 1, 2, 3, 10} {
			c.q.Limit = limit
			if got := listAll(t, s, c.q); !slices.Equal(got, c.want) {
				t.Errorf("%+v: %v, want %v", c.q, got, c.want)
			}
		}
	}
}

func TestListExecutionsPageBoundaries(t *testing.T) {
	s := openTemp(t)
	update(t, s, func(tx *Tx) error {
		for i := range 6 {
			if err := tx.PutExecution(ExecutionRow{Arn: fmt.Sprint("e", i), MachineArn: "m", Status: "RUNNING", Start: t0.Add(time.Duration(i) * time.Second)}); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx *Tx) error {
		rows, next, err := tx.ListExecutions(ExecutionQuery{MachineArn: "m", Limit: 6})
		if err != nil || len(rows) != 6 || next != "" {
			t.Errorf("a page holding exactly all rows: %d rows, next %q, %v; want 6 and no next", len(rows), next, err)
		}
		rows, next, err = tx.ListExecutions(ExecutionQuery{MachineArn: "m", Limit: 5})
		if err != nil || len(rows) != 5 || next == "" {
			t.Fatalf("a page one short: %d rows, next %q, %v", len(rows), next, err)
		}
		rows, next2, err := tx.ListExecutions(ExecutionQuery{MachineArn: "m", Limit: 5, After: next})
		if err != nil || !slices.Equal(arnsOf(rows), []string{"e0"}) || next2 != "" {
			t.Errorf("last page = %v, %q, %v", arnsOf(rows), next2, err)
		}
		for _, bad := range []string{"!!", "AAAA", "e0"} {
			if _, _, err := tx.ListExecutions(ExecutionQuery{MachineArn: "m", After: bad}); err == nil {
				t.Errorf("cursor %q accepted", bad)
			}
		}
		if _, _, err := tx.ListExecutions(ExecutionQuery{Limit: -1}); err == nil {
			t.Error("negative limit accepted")
		}
		return nil
	})
}

// A cursor is a position: the page after it is right even when the row it came from has
// since changed status or been deleted.
func TestListExecutionsCursorSurvivesChanges(t *testing.T) {
	s := openTemp(t)
	update(t, s, func(tx *Tx) error {
		for i := range 5 {
			if err := tx.PutExecution(ExecutionRow{Arn: fmt.Sprint("e", i), MachineArn: "m", Status: "RUNNING", Start: t0.Add(time.Duration(i) * time.Second)}); err != nil {
				return err
			}
		}
		return nil
	})
	var next string
	view(t, s, func(tx *Tx) error {
		rows, n, err := tx.ListExecutions(ExecutionQuery{MachineArn: "m", Status: "RUNNING", Limit: 2})
		if err != nil || !slices.Equal(arnsOf(rows), []string{"e4", "e3"}) {
			t.Fatalf("first page %v, %v", arnsOf(rows), err)
		}
		next = n
		return nil
	})
	update(t, s, func(tx *Tx) error {
		r, _ := tx.GetExecution("e3")
		r.Status = "SUCCEEDED"
		if err := tx.PutExecution(r); err != nil {
			return err
		}
		return tx.DeleteExecution("e4")
	})
	view(t, s, func(tx *Tx) error {
		rows, _, err := tx.ListExecutions(ExecutionQuery{MachineArn: "m", Status: "RUNNING", After: next})
		if err != nil || !slices.Equal(arnsOf(rows), []string{"e2", "e1", "e0"}) {
			t.Errorf("page after a changed row = %v, %v", arnsOf(rows), err)
		}
		return nil
	})
}

func TestStatusIndexMoves(t *testing.T) {
	s := openTemp(t)
	row := ExecutionRow{Arn: "e1", MachineArn: "m1", Status: "RUNNING", Start: t0, Record: []byte("r1")}
	update(t, s, func(tx *Tx) error { return tx.PutExecution(row) })
	row.Status, row.Record = "SUCCEEDED", []byte("r2")
	update(t, s, func(tx *Tx) error { return tx.PutExecution(row) })
	for status, want := range map[string][]string{"RUNNING": nil, "SUCCEEDED": {"e1"}, "": {"e1"}} {
		if got := listAll(t, s, ExecutionQuery{MachineArn: "m1", Status: status}); !slices.Equal(got, want) {
			t.Errorf("machine m1, status %q: %v, want %v", status, got, want)
		}
		if got := listAll(t, s, ExecutionQuery{Status: status}); !slices.Equal(got, want) {
			t.Errorf("all machines, status %q: %v, want %v", status, got, want)
		}
	}
	// Moving machine and start as well leaves no trace under the old ones.
	row.MachineArn, row.Start = "m2", t0.Add(time.Minute)
	update(t, s, func(tx *Tx) error { return tx.PutExecution(row) })
	if got := listAll(t, s, ExecutionQuery{MachineArn: "m1"}); got != nil {
		t.Errorf("m1 still lists %v", got)
	}
	if got := listAll(t, s, ExecutionQuery{MachineArn: "m2", Status: "SUCCEEDED"}); !slices.Equal(got, []string{"e1"}) {
		t.Errorf("m2 lists %v", got)
	}
	view(t, s, func(tx *Tx) error {
		r, err := tx.GetExecution("e1")
		if err != nil || string(r.Record) != "r2" || r.Status != "SUCCEEDED" {
			t.Errorf("row after updates: %+v, %v", r, err)
		}
		return nil
	})
	if n := indexSize(t, s); n != 4 {
		t.Errorf("index holds %d keys for one execution, want 4", n)
	}
}

func indexSize(t *testing.T, s *Store) int {
	n := 0
	view(t, s, func(tx *Tx) error {
		order := tx.tx.Bucket(bucketExecOrder)
		if order == nil {
			return nil
		}
		return order.ForEachBucket(func(name []byte) error {
			return order.Bucket(name).ForEach(func([]byte, []byte) error { n++; return nil })
		})
	})
	return n
}

func TestRunningExecutions(t *testing.T) {
	s := openTemp(t)
	update(t, s, func(tx *Tx) error {
		for i, st := range []string{"RUNNING", "SUCCEEDED", "RUNNING", "FAILED", "RUNNING"} {
			if err := tx.PutExecution(ExecutionRow{Arn: fmt.Sprint("e", i), MachineArn: fmt.Sprint("m", i%2), Status: st, Start: t0.Add(time.Duration(i) * time.Second)}); err != nil {
				return err
			}
		}
		return nil
	})
	// Recovery may finish executions as it walks them: the walk must not be disturbed.
	var seen []string
	update(t, s, func(tx *Tx) error {
		return tx.RunningExecutions(func(r ExecutionRow) error {
			seen = append(seen, r.Arn)
			if r.Status != "RUNNING" {
				t.Errorf("%s has status %s", r.Arn, r.Status)
			}
			if r.Arn == "e4" {
				if err := tx.DeleteExecution("e2"); err != nil {
					return err
				}
			}
			r.Status = "ABORTED"
			return tx.PutExecution(r)
		})
	})
	if !slices.Equal(seen, []string{"e4", "e0"}) {
		t.Errorf("running executions visited: %v, want e4, e0 (e2 deleted during the walk)", seen)
	}
	view(t, s, func(tx *Tx) error {
		n := 0
		err := tx.RunningExecutions(func(ExecutionRow) error { n++; return nil })
		if err != nil || n != 0 {
			t.Errorf("after aborting all: %d running, %v", n, err)
		}
		return nil
	})
	stop := errors.New("stop")
	update(t, s, func(tx *Tx) error {
		if err := tx.PutExecution(ExecutionRow{Arn: "x", Status: "RUNNING"}); err != nil {
			return err
		}
		if err := tx.RunningExecutions(func(ExecutionRow) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("RunningExecutions did not return fn's error: %v", err)
		}
		return nil
	})
}

func TestDeleteExecution(t *testing.T) {
	s := openTemp(t)
	update(t, s, func(tx *Tx) error {
		for _, a := range []string{"e1", "e2"} {
			if err := tx.PutExecution(ExecutionRow{Arn: a, MachineArn: "m", Status: "RUNNING", Start: t0}); err != nil {
				return err
			}
			if err := tx.AppendEvents(a, 1, [][]byte{[]byte("1"), []byte("2")}); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, s, func(tx *Tx) error {
		if err := tx.DeleteExecution("e1"); err != nil {
			return err
		}
		if err := tx.DeleteExecution("never"); err != nil {
			t.Errorf("DeleteExecution of a missing ARN: %v", err)
		}
		return nil
	})
	view(t, s, func(tx *Tx) error {
		if _, err := tx.GetExecution("e1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted execution still there: %v", err)
		}
		if n, _ := tx.EventCount("e1"); n != 0 {
			t.Errorf("deleted execution keeps %d events", n)
		}
		if n, _ := tx.EventCount("e2"); n != 2 {
			t.Errorf("other execution has %d events, want 2", n)
		}
		return nil
	})
	if got := listAll(t, s, ExecutionQuery{}); !slices.Equal(got, []string{"e2"}) {
		t.Errorf("list after delete: %v", got)
	}
	if n := indexSize(t, s); n != 4 {
		t.Errorf("index holds %d keys, want 4", n)
	}
	// A new execution under the same ARN starts a fresh history at id 1.
	update(t, s, func(tx *Tx) error { return tx.AppendEvents("e1", 1, [][]byte{[]byte("new")}) })
}

func TestClosedStartedBefore(t *testing.T) {
	s := openTemp(t)
	rows := []ExecutionRow{
		{Arn: "old-done", MachineArn: "m1", Status: "SUCCEEDED", Start: t0},
		{Arn: "old-failed", MachineArn: "m2", Status: "FAILED", Start: t0.Add(time.Minute)},
		{Arn: "old-running", MachineArn: "m1", Status: "RUNNING", Start: t0.Add(2 * time.Minute)},
		{Arn: "new-done", MachineArn: "m1", Status: "SUCCEEDED", Start: t0.Add(time.Hour)},
	}
	update(t, s, func(tx *Tx) error {
		for _, r := range rows {
			if err := tx.PutExecution(r); err != nil {
				return err
			}
		}
		return nil
	})
	arns := func(cutoff time.Time, limit int) []string {
		var out []string
		view(t, s, func(tx *Tx) error {
			got, err := tx.ClosedStartedBefore(cutoff, limit)
			for _, r := range got {
				out = append(out, r.Arn)
			}
			return err
		})
		return out
	}
	if got := arns(t0.Add(30*time.Minute), 0); !slices.Equal(got, []string{"old-done", "old-failed"}) {
		t.Errorf("closed before the cutoff: %v", got)
	}
	if got := arns(t0.Add(30*time.Minute), 1); !slices.Equal(got, []string{"old-done"}) {
		t.Errorf("the oldest one: %v", got)
	}
	if got := arns(t0, 0); len(got) != 0 {
		t.Errorf("nothing started before the first: %v", got)
	}
	if got := arns(t0.Add(2*time.Hour), 0); !slices.Equal(got, []string{"old-done", "old-failed", "new-done"}) {
		t.Errorf("all closed: %v", got)
	}
}
