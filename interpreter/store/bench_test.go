package store

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchEvent is about the size of a TaskStateEntered event with a small input.
var benchEvent = []byte(`{"id":1,"previousEventId":0,"timestamp":"2025-03-01T12:00:00.000Z","type":"TaskStateEntered","stateEnteredEventDetails":{"name":"Approve","input":"{\"order\":\"A-1001\",\"amount\":42}","inputDetails":{"truncated":false}}}` + strings.Repeat(" ", 40))

// benchWrites measures Update with AppendEvents of 3 events + PutExecution, fsync on,
// from `writers` goroutines, each with its own execution.
func benchWrites(b *testing.B, writers int) {
	s, err := Open(filepath.Join(b.TempDir(), "bench.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	record := []byte(strings.Repeat("r", 512))
	var left atomic.Int64
	left.Store(int64(b.N))
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			arn := fmt.Sprintf("arn:aws:states:us-east-1:111111111111:execution:m:%d", w)
			next := int64(1)
			for left.Add(-1) >= 0 {
				err := s.Update(func(tx *Tx) error {
					if err := tx.AppendEvents(arn, next, [][]byte{benchEvent, benchEvent, benchEvent}); err != nil {
						return err
					}
					return tx.PutExecution(ExecutionRow{Arn: arn, MachineArn: "arn:m", Status: StatusRunning, Start: t0, Record: record})
				})
				if err != nil {
					b.Error(err)
					return
				}
				next += 3
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkUpdateGroupCommit: 64 writers share commits.
func BenchmarkUpdateGroupCommit(b *testing.B) { benchWrites(b, 64) }

// BenchmarkUpdateLoneWriter: one writer, one fsync per Update: the latency floor.
func BenchmarkUpdateLoneWriter(b *testing.B) { benchWrites(b, 1) }

func BenchmarkEventsPage(b *testing.B) {
	s := openTemp(b)
	const n, page = 25000, 1000
	arn := "arn:aws:states:us-east-1:111111111111:execution:m:long"
	for first := int64(1); first <= n; first += 5000 {
		evs := make([][]byte, 5000)
		for i := range evs {
			evs[i] = benchEvent
		}
		update(b, s, func(tx *Tx) error { return tx.AppendEvents(arn, first, evs) })
	}
	for _, reverse := range []bool{false, true} {
		b.Run(fmt.Sprintf("reverse=%v", reverse), func(b *testing.B) {
			for b.Loop() {
				var got [][]byte
				err := s.View(func(tx *Tx) (err error) {
					got, err = tx.Events(arn, 12000, page, reverse)
					return
				})
				if err != nil || len(got) != page {
					b.Fatalf("%d events, %v", len(got), err)
				}
			}
		})
	}
}

func BenchmarkListExecutionsPage(b *testing.B) {
	s := openTemp(b)
	const n, page = 100000, 100
	record := []byte(strings.Repeat("r", 256))
	for base := 0; base < n; base += 10000 {
		update(b, s, func(tx *Tx) error {
			for i := base; i < base+10000; i++ {
				status := "SUCCEEDED"
				if i%10 == 0 {
					status = StatusRunning
				}
				err := tx.PutExecution(ExecutionRow{
					Arn:        fmt.Sprintf("arn:aws:states:us-east-1:111111111111:execution:m:%08d", i),
					MachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:m",
					Status:     status, Start: t0.Add(time.Duration(i) * time.Millisecond), Record: record,
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
	}
	// Start from the middle of the list, as the 500th page would.
	var cursor string
	view(b, s, func(tx *Tx) (err error) {
		_, cursor, err = tx.ListExecutions(ExecutionQuery{MachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:m", Limit: n / 2})
		return
	})
	for _, status := range []string{"", "SUCCEEDED"} {
		b.Run("status="+status, func(b *testing.B) {
			q := ExecutionQuery{MachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:m", Status: status, After: cursor, Limit: page}
			for b.Loop() {
				var rows []ExecutionRow
				err := s.View(func(tx *Tx) (err error) { rows, _, err = tx.ListExecutions(q); return })
				if err != nil || len(rows) != page {
					b.Fatalf("%d rows, %v", len(rows), err)
				}
			}
		})
	}
}
