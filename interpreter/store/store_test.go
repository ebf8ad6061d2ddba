package store

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestOpenCreatesDirAndFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "stepdeck.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		// A umask can only take bits away; what matters is that nobody else gets any.
		if got := fi.Mode().Perm(); got&0o077 != 0 || got&^want != 0 {
			t.Errorf("%s has mode %v, want %v", p, got, want)
		}
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	update(t, s, func(tx *Tx) error { return tx.Put("machines", "m1", []byte(`{"a":1}`)) })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	view(t, s, func(tx *Tx) error {
		v, err := tx.Get("machines", "m1")
		if err != nil || string(v) != `{"a":1}` {
			t.Errorf("after reopen Get = %q, %v", v, err)
		}
		return nil
	})
}

func TestOpenLockedBySameFileElsewhere(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// flock is per open file, so a second Open in this process contends like another
	// process would; the child-process variant is in crash_test.go.
	_, err = Open(path, Options{LockTimeout: 50 * time.Millisecond})
	if err == nil {
		t.Fatal("second Open of a held file succeeded")
	}
	if !strings.Contains(err.Error(), "another stepdeck process holds "+path) {
		t.Errorf("error does not name the holder and path: %v", err)
	}
}

func TestOpenCorruptFile(t *testing.T) {
	for name, content := range map[string][]byte{
		"garbage": []byte(strings.Repeat("not a bbolt file at all ", 2000)),
		"short":   []byte("x"),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Open(path, Options{})
			if err == nil {
				t.Fatal("Open of a corrupt file succeeded")
			}
			if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "move it aside") {
				t.Errorf("error does not name the path and the remedy: %v", err)
			}
		})
	}
}

func TestOpenNewerFormatRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	setFormat(t, path, FormatVersion+1)
	_, err = Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), "newer") || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open of a newer format: %v, want an error naming the path and saying newer", err)
	}
}

func TestOpenForeignBoltFileRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("other")); return err })
	db.Close()
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "no format version") {
		t.Fatalf("Open of another program's bbolt file: %v", err)
	}
}

func setFormat(t *testing.T, path string, v uint32) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyFormat, binary.BigEndian.AppendUint32(nil, v))
	}); err != nil {
		t.Fatal(err)
	}
}

func TestUpdateErrorDiscardsChanges(t *testing.T) {
	s := openTemp(t)
	boom := errors.New("boom")
	if err := s.Update(func(tx *Tx) error {
		if err := tx.Put("k", "a", []byte("1")); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want the function's error", err)
	}
	view(t, s, func(tx *Tx) error {
		if _, err := tx.Get("k", "a"); !errors.Is(err, ErrNotFound) {
			t.Errorf("write of a failed Update is visible: %v", err)
		}
		return nil
	})
}

func TestPanicInTransactionBecomesError(t *testing.T) {
	s := openTemp(t)
	err := s.View(func(tx *Tx) error { panic("bad") })
	if err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Errorf("View with a panicking function: %v", err)
	}
	err = s.Update(func(tx *Tx) error { panic("bad") })
	if err == nil {
		t.Error("Update with a panicking function returned no error")
	}
	// The store still works afterwards.
	update(t, s, func(tx *Tx) error { return tx.Put("k", "a", nil) })
}

func TestWriteInViewRefused(t *testing.T) {
	s := openTemp(t)
	view(t, s, func(tx *Tx) error {
		if tx.Writable() {
			t.Error("View transaction says it is writable")
		}
		if err := tx.Put("k", "a", []byte("1")); err == nil {
			t.Error("Put in View succeeded")
		}
		if err := tx.AppendEvents("e", 1, [][]byte{[]byte("x")}); err == nil {
			t.Error("AppendEvents in View succeeded")
		}
		if err := tx.PutExecution(ExecutionRow{Arn: "e"}); err == nil {
			t.Error("PutExecution in View succeeded")
		}
		if err := tx.Delete("k", "a"); err == nil {
			t.Error("Delete in View succeeded")
		}
		if err := tx.DeleteExecution("e"); err == nil {
			t.Error("DeleteExecution in View succeeded")
		}
		return nil
	})
}

func TestNilFunctions(t *testing.T) {
	s := openTemp(t)
	if s.Update(nil) == nil || s.View(nil) == nil {
		t.Error("nil function accepted")
	}
}
