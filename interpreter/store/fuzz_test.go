package store

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Fuzz iterations share one store per process and keep apart by a fresh kind, ARN or
// machine each time: opening a file per iteration would leave little time for the rest.
var fuzzSeq atomic.Int64

func fuzzStore(f *testing.F) *Store {
	s, err := Open(filepath.Join(f.TempDir(), "fuzz.db"), Options{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	return s
}

func FuzzListPaging(f *testing.F) {
	s := fuzzStore(f)
	f.Add([]byte("a\x00a/1\x00a/2\x00b\x00"), "a", "", uint8(2))
	f.Add([]byte("x\x00\xff\x00\x00\x00xy"), "", "x", uint8(0))
	f.Add([]byte("k1\x00k2\x00k3"), "k", "k2", uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, prefix, after string, limit uint8) {
		kind := fmt.Sprint("fuzz", fuzzSeq.Add(1))
		set := map[string]bool{}
		for k := range strings.SplitSeq(string(data), "\x00") {
			if k != "" {
				set[k] = true
			}
		}
		err := s.Update(func(tx *Tx) error {
			for k := range set {
				if err := tx.Put(kind, k, []byte(k)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for k := range set {
			if strings.HasPrefix(k, prefix) && (after == "" || k > after) {
				want = append(want, k)
			}
		}
		sort.Strings(want)
		var got []string
		lim := int(limit % 9)
		for cur, pages := after, 0; ; pages++ {
			if pages > len(set)+1 {
				t.Fatalf("paging does not end: %q", got)
			}
			var items []KV
			var next string
			if err := s.View(func(tx *Tx) (err error) { items, next, err = tx.List(kind, prefix, cur, lim); return }); err != nil {
				t.Fatal(err)
			}
			if lim > 0 && len(items) > lim {
				t.Fatalf("page of %d with limit %d", len(items), lim)
			}
			for _, it := range items {
				if string(it.Value) != it.Key {
					t.Fatalf("value of %q is %q", it.Key, it.Value)
				}
				got = append(got, it.Key)
			}
			if next == "" {
				break
			}
			if next != items[len(items)-1].Key {
				t.Fatalf("next %q is not the last key returned", next)
			}
			cur = next
		}
		if !slices.Equal(got, want) {
			t.Fatalf("pages gave %q, want %q", got, want)
		}
	})
}

func FuzzEventsPaging(f *testing.F) {
	s := fuzzStore(f)
	f.Add(uint16(10), int64(0), uint8(3), false)
	f.Add(uint16(10), int64(0), uint8(3), true)
	f.Add(uint16(0), int64(-7), uint8(0), true)
	f.Add(uint16(300), int64(1<<62), uint8(255), false)
	f.Fuzz(func(t *testing.T, n uint16, after int64, limit uint8, reverse bool) {
		arn := fmt.Sprint("arn:fuzz:", fuzzSeq.Add(1))
		count := int64(n % 400)
		if count > 0 {
			var evs [][]byte
			for i := int64(1); i <= count; i++ {
				evs = append(evs, fmt.Appendf(nil, "%d", i))
			}
			if err := s.Update(func(tx *Tx) error { return tx.AppendEvents(arn, 1, evs) }); err != nil {
				t.Fatal(err)
			}
		}
		// The model: ids after `after` going up, or before it going down.
		var want []string
		if reverse {
			top := count
			if after > 0 && after-1 < top {
				top = after - 1
			}
			for i := top; i >= 1; i-- {
				want = append(want, fmt.Sprint(i))
			}
		} else {
			for i := max(after, 0) + 1; i >= 1 && i <= count; i++ {
				want = append(want, fmt.Sprint(i))
			}
		}
		lim := int(limit)
		var got []string
		cur := after
		for pages := 0; ; pages++ {
			if pages > int(count)+1 {
				t.Fatal("paging does not end")
			}
			var page [][]byte
			if err := s.View(func(tx *Tx) (err error) { page, err = tx.Events(arn, cur, lim, reverse); return }); err != nil {
				t.Fatal(err)
			}
			for _, e := range page {
				got = append(got, string(e))
			}
			if lim == 0 || len(page) < lim {
				break
			}
			fmt.Sscan(string(page[len(page)-1]), &cur)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("count %d after %d limit %d reverse %v: got %q, want %q", count, after, lim, reverse, got, want)
		}
	})
}

func FuzzListExecutions(f *testing.F) {
	s := fuzzStore(f)
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, "", uint8(2), uint8(0))
	f.Add([]byte{0, 0, 0, 1, 0, 0, 2, 0, 0}, "AAAAAAAAAAAAAAAAAA", uint8(1), uint8(1))
	f.Add([]byte{9, 9, 9, 9, 9, 9}, "____________________", uint8(0), uint8(2))
	statuses := []string{"RUNNING", "SUCCEEDED", "FAILED"}
	f.Fuzz(func(t *testing.T, data []byte, cursor string, limit, statusPick uint8) {
		id := fuzzSeq.Add(1)
		machine := fmt.Sprint("arn:m:", id)
		rows := map[string]ExecutionRow{}
		// stored is when each execution was first stored since it was last deleted: equal
		// starts list the later stored first.
		stored := map[string]int{}
		// Three bytes make one write: ARN, status and start (few values, so ties and
		// status moves are common).
		err := s.Update(func(tx *Tx) error {
			for i := 0; i+2 < len(data); i += 3 {
				r := ExecutionRow{
					Arn:        fmt.Sprintf("arn:e:%d:%d", id, data[i]%16),
					MachineArn: machine,
					Status:     statuses[int(data[i+1])%len(statuses)],
					Start:      t0.Add(time.Duration(data[i+2]%8) * time.Second),
				}
				if data[i+1] == 255 {
					delete(rows, r.Arn)
					delete(stored, r.Arn)
					if err := tx.DeleteExecution(r.Arn); err != nil {
						return err
					}
					continue
				}
				rows[r.Arn] = r
				if _, ok := stored[r.Arn]; !ok {
					stored[r.Arn] = i
				}
				if err := tx.PutExecution(r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		status := ""
		if int(statusPick) < len(statuses) {
			status = statuses[statusPick]
		}
		var want []string
		var model []ExecutionRow
		for _, r := range rows {
			if status == "" || r.Status == status {
				model = append(model, r)
			}
		}
		sort.Slice(model, func(i, j int) bool {
			if !model[i].Start.Equal(model[j].Start) {
				return model[i].Start.After(model[j].Start)
			}
			return stored[model[i].Arn] > stored[model[j].Arn]
		})
		for _, r := range model {
			want = append(want, r.Arn)
		}
		q := ExecutionQuery{MachineArn: machine, Status: status, Limit: int(limit % 6)}
		var got []string
		for pages := 0; ; pages++ {
			if pages > len(rows)+1 {
				t.Fatal("paging does not end")
			}
			var page []ExecutionRow
			var next string
			if err := s.View(func(tx *Tx) (err error) { page, next, err = tx.ListExecutions(q); return }); err != nil {
				t.Fatal(err)
			}
			for _, r := range page {
				m := rows[r.Arn]
				if r.Status != m.Status || !r.Start.Equal(m.Start) || r.MachineArn != machine {
					t.Fatalf("row %+v, want %+v", r, m)
				}
				got = append(got, r.Arn)
			}
			if next == "" {
				break
			}
			q.After = next
		}
		if !slices.Equal(got, want) {
			t.Fatalf("pages gave %q, want %q", got, want)
		}
		// Any cursor at all: an error, or a tail of the full order.
		var tail []ExecutionRow
		err = s.View(func(tx *Tx) (err error) {
			tail, _, err = tx.ListExecutions(ExecutionQuery{MachineArn: machine, Status: status, After: cursor})
			return
		})
		if err == nil {
			if len(tail) > len(want) || !slices.Equal(arnsOf(tail), want[len(want)-len(tail):]) {
				t.Fatalf("cursor %q gave %q, not a tail of %q", cursor, arnsOf(tail), want)
			}
		} else if !bytes.Contains([]byte(err.Error()), []byte("cursor")) {
			t.Fatalf("cursor %q: %v", cursor, err)
		}
	})
}

// FuzzDecodeChunk feeds arbitrary bytes to the history chunk decoder: it must return an
// error or events, never panic, and events it returns must encode back to a chunk that
// decodes to the same events.
func FuzzDecodeChunk(f *testing.F) {
	f.Add(encodeChunk([][]byte{[]byte(`{"id":1}`), {}, []byte(`{"id":3}`)}))
	f.Add(encodeChunk([][]byte{bytes.Repeat([]byte("ab"), 5000)}))
	f.Add([]byte{3, 0})
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, v []byte) {
		evs, err := decodeChunk(v)
		count, _, headErr := chunkHead(v)
		if err != nil {
			if !errors.Is(err, errDamaged) {
				t.Fatalf("error that does not say damaged: %v", err)
			}
			return
		}
		if headErr != nil || count != int64(len(evs)) {
			t.Fatalf("decodeChunk gave %d events, chunkHead %d, %v", len(evs), count, headErr)
		}
		again, err := decodeChunk(encodeChunk(evs))
		if err != nil || !slices.EqualFunc(again, evs, bytes.Equal) {
			t.Fatalf("round trip: %q, %v; want %q", again, err, evs)
		}
	})
}

// FuzzChunkRoundTrip encodes arbitrary events and decodes them back.
func FuzzChunkRoundTrip(f *testing.F) {
	f.Add([]byte("a\x00bb\x00\x00ccc"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		evs := bytes.Split(data, []byte{0})
		got, err := decodeChunk(encodeChunk(evs))
		if err != nil || !slices.EqualFunc(got, evs, bytes.Equal) {
			t.Fatalf("round trip of %q: %q, %v", evs, got, err)
		}
		for i := range got {
			if cap(got[i]) != len(got[i]) {
				t.Fatalf("event %d has room to grow into the next", i)
			}
		}
	})
}

// FuzzDecodeRow feeds arbitrary bytes to the row decoders of both versions: an error or a
// row, never a panic; a version-2 row it reads encodes back to the same row.
func FuzzDecodeRow(f *testing.F) {
	f.Add(encodeRow(ExecutionRow{Arn: "arn:e", MachineArn: "arn:m", Status: "RUNNING", Start: t0, Record: []byte(`{"x":1}`)}, 3))
	f.Add(encodeRow(ExecutionRow{Arn: "arn:e", Start: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)}, 0))
	f.Add([]byte{1, 5, 'a', 'r', 'n', ':', 'm', 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'r'})
	f.Fuzz(func(t *testing.T, v []byte) {
		if r, err := decodeV1Row("arn:e", v); err == nil && (r.Arn != "arn:e" || len(r.Record) > len(v)) {
			t.Fatalf("version-1 row %+v from %d bytes", r, len(v))
		}
		r, h, err := decodeRow(v)
		if err != nil {
			if !errors.Is(err, errDamaged) {
				t.Fatalf("error that does not say damaged: %v", err)
			}
			return
		}
		again, h2, err := decodeRow(encodeRow(r, h.machine))
		if err != nil || h2 != h || again.Arn != r.Arn || again.MachineArn != r.MachineArn || again.Status != r.Status ||
			!again.Start.Equal(r.Start) || !bytes.Equal(again.Record, r.Record) {
			t.Fatalf("round trip: %+v %+v, %v; want %+v %+v", again, h2, err, r, h)
		}
	})
}

// FuzzDamagedStore writes arbitrary bytes where a row, a history chunk and an index key
// belong, as a damaged disk would, and reads them through the API: every call must give
// data or an error, and no read may panic (Update and View would report a panic as an
// error saying so).
func FuzzDamagedStore(f *testing.F) {
	s := fuzzStore(f)
	f.Add(encodeRow(ExecutionRow{Arn: "x", MachineArn: "m", Status: "RUNNING", Start: t0}, 1), encodeChunk([][]byte{[]byte("e")}), []byte("0123456789abcdefghij"), uint8(1))
	f.Add([]byte{}, []byte{}, []byte{}, uint8(0))
	f.Add([]byte{0, 0}, []byte{2, 0x0a, 0}, bytes.Repeat([]byte{0xff}, 20), uint8(200))
	f.Fuzz(func(t *testing.T, row, chunk, indexKey []byte, lastID uint8) {
		arn := fmt.Sprint("arn:damaged:", fuzzSeq.Add(1))
		machine := "arn:damaged:machine:" + arn
		err := s.Update(func(tx *Tx) error {
			if err := tx.AppendEvents(arn, 1, [][]byte{[]byte("first")}); err != nil {
				return err
			}
			if err := tx.PutExecution(ExecutionRow{Arn: arn, MachineArn: machine, Status: StatusRunning, Start: t0}); err != nil {
				return err
			}
			num, err := tx.execNumber(arn, false)
			if err != nil {
				return err
			}
			scope, err := tx.machineNumber(machine, false)
			if err != nil {
				return err
			}
			if err := tx.tx.Bucket(bucketExecRows).Put(numKey(num), row); err != nil {
				return err
			}
			if lastID > 0 {
				if err := tx.tx.Bucket(bucketHistory).Put(chunkKey(num, int64(lastID)), chunk); err != nil {
					return err
				}
			}
			if len(indexKey) > 0 {
				b, err := tx.rangeBucket(rangeName(scope, ""), true)
				if err != nil {
					return err
				}
				return b.Put(indexKey, []byte{})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		noPanic := func(what string, err error) {
			if err != nil && strings.Contains(err.Error(), "panicked") {
				t.Fatalf("%s: %v", what, err)
			}
		}
		noPanic("GetExecution", s.View(func(tx *Tx) error { _, err := tx.GetExecution(arn); return err }))
		noPanic("ListExecutions", s.View(func(tx *Tx) error {
			_, _, err := tx.ListExecutions(ExecutionQuery{MachineArn: machine, Limit: 2})
			return err
		}))
		for _, reverse := range []bool{false, true} {
			for _, after := range []int64{0, 1, int64(lastID)} {
				noPanic("Events", s.View(func(tx *Tx) error { _, err := tx.Events(arn, after, 0, reverse); return err }))
			}
		}
		noPanic("EventCount", s.View(func(tx *Tx) error { _, err := tx.EventCount(arn); return err }))
		noPanic("AppendEvents", s.Update(func(tx *Tx) error { return tx.AppendEvents(arn, int64(lastID)+1, [][]byte{[]byte("more")}) }))
		noPanic("PutExecution", s.Update(func(tx *Tx) error {
			return tx.PutExecution(ExecutionRow{Arn: arn, MachineArn: machine, Status: "SUCCEEDED", Start: t0})
		}))
		noPanic("DeleteExecution", s.Update(func(tx *Tx) error { return tx.DeleteExecution(arn) }))
	})
}
