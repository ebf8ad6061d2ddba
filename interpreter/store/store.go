package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FormatVersion is the file format this package writes (see the package documentation).
const FormatVersion = 2

// pageSize is the page size of the files this package creates (bbolt keeps a file's own).
// Rows and history chunks are appended about six to a 4 KB page, and bbolt, splitting a
// full page that a commit added one value to, leaves the last two values to the next
// page: 4 KB pages end up two-thirds full when each commit carries one execution. With
// 8 KB pages that waste is two values of thirteen.
const pageSize = 8192

// ErrNotFound is returned (wrapped) when a record or an execution does not exist.
var ErrNotFound = errors.New("not found")

// ErrBadCursor is returned (wrapped) for a ListExecutions cursor this store did not make.
var ErrBadCursor = errors.New("invalid paging cursor")

// ErrHeld is what Open says, wrapped, when another process holds the store (a
// `stepdeck serve` on the same data directory, say).
var ErrHeld = errors.New("another stepdeck process holds the store")

var (
	bucketMeta           = []byte("meta")
	bucketRecords        = []byte("records")
	bucketExecNumbers    = []byte("exec_numbers")
	bucketExecRows       = []byte("exec_rows")
	bucketExecOrder      = []byte("exec_order")
	bucketMachineNumbers = []byte("machine_numbers")
	bucketHistory        = []byte("history")
	keyFormat            = []byte("format")
)

// Options tune Open. The zero value is what stepdeck uses.
type Options struct {
	// LockTimeout is how long Open waits for another process to release the file
	// (default 1s).
	LockTimeout time.Duration
	// NoSync skips fsync on commit: fast and unsafe, for tests only.
	NoSync bool
	// BatchDelay is how long a write that arrives while another is in flight waits for
	// company before committing (default 2ms). A lone writer never waits.
	BatchDelay time.Duration
	// MaxBatch is how many writes one commit may hold (default 1000).
	MaxBatch int
	// BeforeCommit, when set, is called at the end of every Update's transaction. An
	// error from it fails the transaction as a failed disk write would (a full disk's
	// ENOSPC): nothing of it is stored and Update returns the error. Tests inject faults
	// with it.
	BeforeCommit func() error
	// Migrating, when set, is called before Open converts a file of an older format
	// version, which takes a while on a large file.
	Migrating func(path string, fromVersion uint32)
}

// Store is an open store file. It is safe for concurrent use.
type Store struct {
	db           *bolt.DB
	path         string
	beforeCommit func() error
	// writers counts Update calls in progress; a writer that finds none joins no batch.
	writers atomic.Int64
}

// Open opens or creates the store file at path.
func Open(path string, opts Options) (s *Store, err error) {
	if path == "" {
		return nil, errors.New("store: no file path given")
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = time.Second
	}
	if opts.BatchDelay <= 0 {
		opts.BatchDelay = 2 * time.Millisecond
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 1000
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: create the directory for %s: %w", path, err)
	}
	// A file a migration replaced while we waited for its lock sends us round again;
	// twice in a row would take two migrations racing us, which the lock rules out.
	for range 3 {
		s, err = open(path, opts)
		if !errors.Is(err, errMoved) {
			return s, err
		}
	}
	return nil, err
}

// open opens path once, migrating a version-1 file.
func open(path string, opts Options) (s *Store, err error) {
	// A damaged file can make bbolt panic while it reads the meta pages or the freelist.
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, damaged(path, fmt.Errorf("%v", p))
		}
	}()
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:      opts.LockTimeout,
		NoSync:       opts.NoSync,
		FreelistType: bolt.FreelistMapType,
		PageSize:     pageSize,
	})
	if err != nil {
		return nil, openError(path, opts.LockTimeout, err)
	}
	db.MaxBatchDelay = opts.BatchDelay
	db.MaxBatchSize = opts.MaxBatch
	s = &Store{db: db, path: path, beforeCommit: opts.BeforeCommit}
	version, err := s.checkFormat()
	if err == nil && version == 1 {
		if opts.Migrating != nil {
			opts.Migrating(path, version)
		}
		var migrated *bolt.DB
		if migrated, err = migrateV1(db, path); err == nil {
			db.Close() // the old file, marked moved
			db = migrated
			db.NoSync = opts.NoSync
			db.MaxBatchDelay = opts.BatchDelay
			db.MaxBatchSize = opts.MaxBatch
			s.db = db
			_, err = s.checkFormat()
		}
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

type heldError struct {
	path string
	wait time.Duration
}

func (e *heldError) Error() string {
	return fmt.Sprintf("store: another stepdeck process holds %s (waited %s for it): stop that process or use another data directory", e.path, e.wait)
}

func (e *heldError) Is(target error) bool { return target == ErrHeld }

func openError(path string, wait time.Duration, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return &heldError{path: path, wait: wait}
	case errors.Is(err, fs.ErrPermission), errors.Is(err, fs.ErrNotExist), errors.Is(err, os.ErrInvalid):
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	return damaged(path, err)
}

func damaged(path string, err error) error {
	return fmt.Errorf("store: %s is not a readable stepdeck store (%v): move it aside (for example mv %s %s.bad) and start again", path, err, path, path)
}

// checkFormat stamps a new file with FormatVersion, refuses files it cannot read, and
// returns the version of the file. It writes nothing to a file that has a version.
func (s *Store) checkFormat() (version uint32, err error) {
	stamp := false
	err = s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			empty := true
			tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return damaged(s.path, errors.New("it holds data but no format version"))
			}
			stamp = true
			return nil
		}
		if meta.Get(keyMoved) != nil {
			return errMoved
		}
		v := meta.Get(keyFormat)
		if len(v) != 4 {
			return damaged(s.path, errors.New("its format version is unreadable"))
		}
		switch version = binary.BigEndian.Uint32(v); {
		case version > FormatVersion:
			return fmt.Errorf("store: %s has format version %d, newer than this stepdeck reads (%d): upgrade stepdeck, or move the file aside to start afresh", s.path, version, FormatVersion)
		case version < 1:
			return damaged(s.path, fmt.Errorf("format version %d", version))
		}
		return nil
	})
	if err != nil || !stamp {
		return version, err
	}
	// The file lock keeps every other process out between the View and this Update.
	return FormatVersion, s.db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		return meta.Put(keyFormat, binary.BigEndian.AppendUint32(nil, FormatVersion))
	})
}

// Close releases the file. Transactions in progress finish first.
func (s *Store) Close() error { return s.db.Close() }

// Path is the file the store lives in.
func (s *Store) Path() string { return s.path }

// UsedBytes is how much of the file holds data: its pages up to the highest in use,
// less the free pages among them (which the next writes reuse). The file itself is
// grown ahead of need, in large steps.
func (s *Store) UsedBytes() (int64, error) {
	var size int64
	err := s.db.View(func(tx *bolt.Tx) error {
		size = tx.Size()
		return nil
	})
	if err != nil {
		return 0, err
	}
	free := int64(s.db.Stats().FreePageN) * int64(s.db.Info().PageSize)
	return size - free, nil
}
