package store

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// v1File is what a test writes into a version-1 file.
type v1File struct {
	records map[string]map[string][]byte // kind -> key -> value
	rows    []ExecutionRow
	events  map[string][][]byte // execution ARN -> events, ids 1..N
}

// v1DescTime is version 1's descending time key: ascTime with every byte complemented.
func v1DescTime(t time.Time) []byte {
	b := ascTime(nil, t)
	for i := range b {
		b[i] = ^b[i]
	}
	return b
}

// writeV1 writes f into a new bbolt file at path with raw bbolt calls, byte for byte as
// the package documentation describes format version 1: it does not use this package's
// writers, so that it is a file an older stepdeck made.
func writeV1(t *testing.T, path string, f v1File) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lp := func(dst []byte, s string) []byte {
		return append(binary.BigEndian.AppendUint16(dst, uint16(len(s))), s...)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		if err := meta.Put([]byte("format"), []byte{0, 0, 0, 1}); err != nil {
			return err
		}
		records, err := tx.CreateBucket([]byte("records"))
		if err != nil {
			return err
		}
		for kind, kvs := range f.records {
			b, err := records.CreateBucket([]byte(kind))
			if err != nil {
				return err
			}
			for k, v := range kvs {
				if err := b.Put([]byte(k), v); err != nil {
					return err
				}
			}
		}
		rows, err := tx.CreateBucket([]byte("executions"))
		if err != nil {
			return err
		}
		idx, err := tx.CreateBucket([]byte("exec_index"))
		if err != nil {
			return err
		}
		for _, r := range f.rows {
			row := []byte{1}
			row = binary.AppendUvarint(row, uint64(len(r.MachineArn)))
			row = append(row, r.MachineArn...)
			row = binary.AppendUvarint(row, uint64(len(r.Status)))
			row = append(row, r.Status...)
			row = binary.BigEndian.AppendUint64(row, uint64(r.Start.Unix())^(1<<63))
			row = binary.BigEndian.AppendUint32(row, uint32(r.Start.Nanosecond()))
			row = append(row, r.Record...)
			if err := rows.Put([]byte(r.Arn), row); err != nil {
				return err
			}
			for _, scope := range []string{r.MachineArn, ""} {
				for _, status := range []string{r.Status, ""} {
					k := lp(lp(nil, scope), status)
					k = append(k, v1DescTime(r.Start)...)
					if err := idx.Put(append(k, r.Arn...), []byte{}); err != nil {
						return err
					}
				}
			}
		}
		events, err := tx.CreateBucket([]byte("events"))
		if err != nil {
			return err
		}
		for arn, evs := range f.events {
			b, err := events.CreateBucket([]byte(arn))
			if err != nil {
				return err
			}
			for i, ev := range evs {
				if err := b.Put(binary.BigEndian.AppendUint64(nil, uint64(i+1)), ev); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// sampleV1 is a version-1 store with what a real one holds: records of several kinds,
// executions of two machines and of no machine, equal starts, starts outside UnixNano's
// range, empty records, histories from none to longer than a migration batch, and a
// history without an execution row.
func sampleV1() v1File {
	f := v1File{
		records: map[string]map[string][]byte{
			"machines":    {"arn:m:a": []byte(`{"name":"a"}`), "arn:m:b": []byte(`{"name":"b"}`)},
			"definitions": {"hash1": []byte(`{"StartAt":"P"}`), "empty": {}},
			"tokens":      {},
		},
		events: map[string][][]byte{},
	}
	for i := range 40 {
		f.records["tokens"][fmt.Sprintf("tok-%03d", i)] = []byte(fmt.Sprintf(`{"execution":"e%d"}`, i))
	}
	statuses := []string{"RUNNING", "SUCCEEDED", "FAILED", "ABORTED"}
	machines := []string{"arn:m:a", "arn:m:b", ""}
	lengths := []int{0, 1, 8, 63, 64, 65, 200}
	for i := range 150 {
		r := ExecutionRow{
			Arn:        fmt.Sprintf("arn:e:%03d", (i*37)%150), // not in start order
			MachineArn: machines[i%len(machines)],
			Status:     statuses[i%len(statuses)],
			Start:      t0.Add(time.Duration(i/3) * time.Second), // three at each instant
			Record:     []byte(fmt.Sprintf(`{"n":%d,"pad":%q}`, i, strings.Repeat("x", i%50))),
		}
		switch i {
		case 5:
			r.Record = []byte{}
		case 6:
			r.Start = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
		case 7:
			r.Start = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
		}
		f.rows = append(f.rows, r)
		n := lengths[i%len(lengths)]
		if i == 10 {
			n = migrateEventsBatch*2 + 17 // appended in several batches
		}
		if n > 0 {
			f.events[r.Arn] = v1Events(r.Arn, n)
		}
	}
	f.events["arn:e:orphan"] = v1Events("arn:e:orphan", 3)
	return f
}

func v1Events(arn string, n int) [][]byte {
	evs := make([][]byte, n)
	for i := range evs {
		evs[i] = []byte(fmt.Sprintf(`{"id":%d,"execution":%q,"type":"PassStateEntered"}`, i+1, arn))
	}
	if n > 2 {
		evs[1] = []byte{} // an empty event stays empty
	}
	return evs
}

// v1Order is the order version 1 listed rows in: newest first, equal starts in ARN order.
func v1Order(rows []ExecutionRow, machine, status string) []string {
	var sel []ExecutionRow
	for _, r := range rows {
		if (machine == "" || r.MachineArn == machine) && (status == "" || r.Status == status) {
			sel = append(sel, r)
		}
	}
	sort.Slice(sel, func(i, j int) bool {
		if !sel[i].Start.Equal(sel[j].Start) {
			return sel[i].Start.After(sel[j].Start)
		}
		return sel[i].Arn < sel[j].Arn
	})
	return arnsOf(sel)
}

func fileFormat(t *testing.T, path string) uint32 {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v uint32
	db.View(func(tx *bolt.Tx) error {
		v = binary.BigEndian.Uint32(tx.Bucket(bucketMeta).Get(keyFormat))
		return nil
	})
	return v
}

// checkMigrated reads every record, execution and event of f back from s.
func checkMigrated(t *testing.T, s *Store, f v1File) {
	t.Helper()
	view(t, s, func(tx *Tx) error {
		for kind, kvs := range f.records {
			items, _, err := tx.List(kind, "", "", 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != len(kvs) {
				t.Errorf("kind %s: %d records, want %d", kind, len(items), len(kvs))
			}
			for _, it := range items {
				if want, ok := kvs[it.Key]; !ok || !bytes.Equal(it.Value, want) {
					t.Errorf("record %s %q = %q, want %q", kind, it.Key, it.Value, want)
				}
			}
		}
		for _, want := range f.rows {
			got, err := tx.GetExecution(want.Arn)
			if err != nil {
				t.Fatal(err)
			}
			if got.Arn != want.Arn || got.MachineArn != want.MachineArn || got.Status != want.Status ||
				!got.Start.Equal(want.Start) || !bytes.Equal(got.Record, want.Record) || got.Record == nil {
				t.Errorf("execution %s = %+v, want %+v", want.Arn, got, want)
			}
		}
		for arn, want := range f.events {
			got, err := tx.Events(arn, 0, 0, false)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got, want, bytes.Equal) {
				t.Errorf("history of %s: %d events back, want %d (or they differ)", arn, len(got), len(want))
			}
			if n, err := tx.EventCount(arn); err != nil || n != int64(len(want)) {
				t.Errorf("EventCount(%s) = %d, %v; want %d", arn, n, err, len(want))
			}
		}
		return nil
	})
	for _, machine := range []string{"", "arn:m:a", "arn:m:b"} {
		for _, status := range []string{"", "RUNNING", "SUCCEEDED", "FAILED", "ABORTED"} {
			want := v1Order(f.rows, machine, status)
			for _, limit := range []int{0, 61} {
				if got := listAll(t, s, ExecutionQuery{MachineArn: machine, Status: status, Limit: limit}); !slices.Equal(got, want) {
					t.Errorf("machine %q status %q limit %d: %v, want %v", machine, status, limit, got, want)
				}
			}
		}
	}
}

func TestOpenMigratesVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stepdeck.db")
	f := sampleV1()
	writeV1(t, path, f)
	var told []string
	s, err := Open(path, Options{NoSync: true, Migrating: func(p string, from uint32) { told = append(told, fmt.Sprint(p, " ", from)) }})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{path + " 1"}; !slices.Equal(told, want) {
		t.Errorf("Migrating was called with %q, want %q", told, want)
	}
	if v := func() uint32 { s.Close(); return fileFormat(t, path) }(); v != FormatVersion {
		t.Fatalf("format after migration = %d, want %d", v, FormatVersion)
	}
	if _, err := os.Stat(path + ".migrating"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the migration left its work file behind: %v", err)
	}
	s, err = Open(path, Options{NoSync: true, Migrating: func(string, uint32) { t.Error("a version-2 file migrated again") }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.db.Info().PageSize; got != pageSize {
		t.Errorf("the migrated file has pages of %d bytes, want %d", got, pageSize)
	}
	checkMigrated(t, s, f)

	// The migrated store takes new writes where the old one left off.
	grown := f.events["arn:e:010"]
	update(t, s, func(tx *Tx) error {
		if err := tx.AppendEvents("arn:e:010", int64(len(grown))+1, [][]byte{[]byte("next")}); err != nil {
			return err
		}
		if err := tx.AppendEvents("arn:e:037", 1, [][]byte{[]byte("again")}); err == nil {
			t.Error("an append that would duplicate a migrated event was accepted")
		}
		return tx.PutExecution(ExecutionRow{Arn: "arn:e:new", MachineArn: "arn:m:a", Status: "RUNNING", Start: t0.Add(time.Hour)})
	})
	f.events["arn:e:010"] = append(grown, []byte("next"))
	f.rows = append(f.rows, ExecutionRow{Arn: "arn:e:new", MachineArn: "arn:m:a", Status: "RUNNING", Start: t0.Add(time.Hour), Record: []byte{}})
	checkMigrated(t, s, f)
	// Deleting a migrated execution takes its history and its index entries with it.
	update(t, s, func(tx *Tx) error { return tx.DeleteExecution("arn:e:010") })
	delete(f.events, "arn:e:010")
	f.rows = slices.DeleteFunc(f.rows, func(r ExecutionRow) bool { return r.Arn == "arn:e:010" })
	checkMigrated(t, s, f)
	view(t, s, func(tx *Tx) error {
		if evs, err := tx.Events("arn:e:010", 0, 0, false); err != nil || evs != nil {
			t.Errorf("history of a deleted execution: %d events, %v", len(evs), err)
		}
		return nil
	})
}

// A migration that fails part way (here: just before the new file would replace the old)
// leaves the version-1 file as it was, and the next Open migrates it.
func TestMigrationFailureLeavesFileUnchanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stepdeck.db")
	f := sampleV1()
	writeV1(t, path, f)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A work file a crashed migration left is not mistaken for a finished one.
	if err := os.WriteFile(path+".migrating", []byte("half a file"), 0o600); err != nil {
		t.Fatal(err)
	}
	migrateHook = func() error { return errors.New("disk full") }
	_, err = Open(path, Options{NoSync: true})
	migrateHook = nil
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "unchanged") {
		t.Fatalf("Open with a failing migration: %v, want the cause and that the file is unchanged", err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("a failed migration changed the version-1 file")
	}
	if _, err := os.Stat(path + ".migrating"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed migration left its work file behind: %v", err)
	}
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkMigrated(t, s, f)
}

// A damaged version-1 file is refused with the path and the remedy, and left as it was.
func TestMigrationOfDamagedFileRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stepdeck.db")
	f := v1File{rows: []ExecutionRow{{Arn: "e1", MachineArn: "m", Status: "RUNNING", Start: t0}},
		events: map[string][][]byte{"e1": v1Events("e1", 3)}}
	writeV1(t, path, f)
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A gap in the history: ids 1, 2, 4.
	db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("events")).Bucket([]byte("e1"))
		b.Delete(binary.BigEndian.AppendUint64(nil, 3))
		return b.Put(binary.BigEndian.AppendUint64(nil, 4), []byte("x"))
	})
	db.Close()
	_, err = Open(path, Options{NoSync: true})
	if err == nil || !strings.Contains(err.Error(), "damaged") || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open of a damaged version-1 file: %v", err)
	}
	if v := fileFormat(t, path); v != 1 {
		t.Errorf("format after a refused migration = %d, want 1", v)
	}
}

// migrateChild opens a version-1 file, which migrates it, and then waits to be killed.
func migrateChild(path string) {
	if os.Getenv(envMigrateStop) != "" {
		migrateHook = func() error {
			fmt.Println("written")
			for {
				time.Sleep(time.Hour) // a sleeper, not a deadlock the runtime would end
			}
		}
	}
	fmt.Println("migrating")
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println("opened")
	_ = s
	for {
		time.Sleep(time.Hour)
	}
}

// bigV1 is a version-1 store that takes a while to migrate, so that a kill lands in
// the middle.
func bigV1() v1File {
	f := sampleV1()
	for i := range 1500 {
		arn := fmt.Sprintf("arn:big:%04d", i)
		f.rows = append(f.rows, ExecutionRow{Arn: arn, MachineArn: "arn:m:a", Status: "SUCCEEDED",
			Start: t0.Add(time.Duration(i) * time.Millisecond), Record: []byte(strings.Repeat("r", 300))})
		f.events[arn] = v1Events(arn, 30)
	}
	return f
}

// killMigration starts a child that migrates path and kills it with SIGKILL when it has
// printed `at`, after `delay`.
func killMigration(t *testing.T, path, at string, delay time.Duration, stop bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envMigrateChild+"="+path)
	if stop {
		cmd.Env = append(cmd.Env, envMigrateStop+"=1")
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && sc.Text() != at {
	}
	time.Sleep(delay)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("migrating child ended on its own: %v\n%s", err, stderr.String())
	}
}

// A migration killed at any point leaves a file that opens, with everything in it.
func TestMigrationSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes that migrate with fsync")
	}
	dir := t.TempDir()
	original := filepath.Join(dir, "v1.db")
	f := bigV1()
	writeV1(t, original, f)
	data, err := os.ReadFile(original)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "stepdeck.db")
	// Killed once the new file is whole but before it replaces the old one: the old one
	// is still what the path holds.
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	killMigration(t, path, "written", 0, true)
	if v := fileFormat(t, path); v != 1 {
		t.Fatalf("format after a kill before the rename = %d, want 1", v)
	}
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatalf("open after a kill mid-migration: %v", err)
	}
	checkMigrated(t, s, f)
	s.Close()
	// Killed at moments spread over the migration.
	for _, delay := range []time.Duration{0, 20 * time.Millisecond, 80 * time.Millisecond, 200 * time.Millisecond} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		killMigration(t, path, "migrating", delay, false)
		v := fileFormat(t, path)
		s, err := Open(path, Options{NoSync: true})
		if err != nil {
			t.Fatalf("open after a kill %v into a migration: %v", delay, err)
		}
		checkMigrated(t, s, f)
		s.Close()
		t.Logf("killed %v into the migration: the file was at format %d", delay, v)
	}
}

// A process that waited for the lock of a version-1 file while another migrated it finds
// the old file marked moved, opens the new one, and does not migrate the stale old
// contents over what the first process wrote since.
func TestOpenWaitingThroughMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stepdeck.db")
	f := sampleV1()
	writeV1(t, path, f)
	second := make(chan error, 1)
	var s2 *Store
	migrateHook = func() error {
		go func() {
			var err error
			s2, err = Open(path, Options{NoSync: true, LockTimeout: 20 * time.Second})
			second <- err
		}()
		// Time for the second Open to open the old file and wait for its lock.
		time.Sleep(300 * time.Millisecond)
		return nil
	}
	s1, err := Open(path, Options{NoSync: true})
	migrateHook = nil
	if err != nil {
		t.Fatal(err)
	}
	update(t, s1, func(tx *Tx) error {
		return tx.PutExecution(ExecutionRow{Arn: "arn:e:after", MachineArn: "arn:m:a", Status: "RUNNING", Start: t0.Add(-time.Minute)})
	})
	s1.Close()
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	// Had it migrated the old file's contents over the new file, this row would be gone.
	f.rows = append(f.rows, ExecutionRow{Arn: "arn:e:after", MachineArn: "arn:m:a", Status: "RUNNING", Start: t0.Add(-time.Minute), Record: []byte{}})
	checkMigrated(t, s2, f)
}
