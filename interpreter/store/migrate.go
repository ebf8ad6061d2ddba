package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Version 1's buckets (see the package documentation), read only to migrate.
var (
	bucketV1Executions = []byte("executions")
	bucketV1Events     = []byte("events")
)

// keyMoved marks a file whose contents a migration has moved to a new file at the same
// path. A process that was waiting for the old file's lock when the new one took its
// place finds the mark, and opens the path again instead of migrating stale data over
// the new file.
var keyMoved = []byte("moved")

// errMoved says that Open locked a file a migration had already replaced.
var errMoved = errors.New("store: the file was replaced by a migration")

// migrateTxBytes is how much a migration writes in one transaction: bbolt keeps a
// transaction's pages in memory until it commits.
const migrateTxBytes = 32 << 20

// migrateEventsBatch is how many events of one history a migration appends at once.
const migrateEventsBatch = 4096

// migrateV1 rewrites the version-1 file src (open at path, and locked) as version 2. It
// writes the new file beside it, syncs it and renames it over path only when it is whole,
// so a crash at any point leaves either the old file, which migrates again on the next
// Open, or the new one. It returns the new file, open and locked from before the rename:
// the lock never lapses, so a process waiting for the old file's lock cannot take the
// new one from under us. src is then the old file, marked moved; the caller closes it.
func migrateV1(src *bolt.DB, path string) (migrated *bolt.DB, err error) {
	tmp := path + ".migrating"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("store: migrate %s to format %d: %w", path, FormatVersion, err)
	}
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{NoSync: true, FreelistType: bolt.FreelistMapType, PageSize: pageSize})
	if err != nil {
		return nil, fmt.Errorf("store: migrate %s to format %d: %w", path, FormatVersion, err)
	}
	defer func() {
		if err != nil {
			dst.Close()
			os.Remove(tmp)
			err = fmt.Errorf("store: migrate %s to format %d (the file is unchanged): %w", path, FormatVersion, err)
		}
	}()
	w := &migrationWriter{db: dst}
	if err := src.View(func(stx *bolt.Tx) error { return copyV1(stx, w) }); err != nil {
		w.abort()
		return nil, err
	}
	if err := w.finish(); err != nil {
		return nil, err
	}
	// Stamped last: a file without its version is refused, never taken for whole.
	if err := dst.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		return meta.Put(keyFormat, binary.BigEndian.AppendUint32(nil, FormatVersion))
	}); err != nil {
		return nil, err
	}
	if err := dst.Sync(); err != nil {
		return nil, err
	}
	if migrateHook != nil {
		if err := migrateHook(); err != nil {
			return nil, err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync() // the rename itself is durable
		d.Close()
	}
	if err := src.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyMoved, []byte{1})
	}); err != nil {
		return nil, err
	}
	return dst, nil
}

// migrateHook, when set by a test, runs after the new file is written and before it
// replaces the old one; an error from it fails the migration there.
var migrateHook func() error

// migrationWriter spreads a migration over transactions of about migrateTxBytes.
type migrationWriter struct {
	db   *bolt.DB
	tx   *bolt.Tx
	size int
}

// write runs fn in the current transaction, first committing it when it is full. size
// is about how many bytes fn writes.
func (w *migrationWriter) write(size int, fn func(tx *Tx) error) error {
	if w.tx != nil && w.size >= migrateTxBytes {
		if err := w.finish(); err != nil {
			return err
		}
	}
	if w.tx == nil {
		tx, err := w.db.Begin(true)
		if err != nil {
			return err
		}
		w.tx, w.size = tx, 0
	}
	w.size += size
	return fn(&Tx{tx: w.tx})
}

func (w *migrationWriter) finish() error {
	if w.tx == nil {
		return nil
	}
	err := w.tx.Commit()
	w.tx = nil
	return err
}

func (w *migrationWriter) abort() {
	if w.tx != nil {
		w.tx.Rollback()
		w.tx = nil
	}
}

// copyV1 writes everything a version-1 transaction holds through w.
func copyV1(stx *bolt.Tx, w *migrationWriter) error {
	if records := stx.Bucket(bucketRecords); records != nil {
		err := records.ForEachBucket(func(kind []byte) error {
			return records.Bucket(kind).ForEach(func(k, v []byte) error {
				if v == nil {
					return fmt.Errorf("record kind %q holds a bucket %q: %w", truncate(string(kind), 80), truncate(string(k), 80), errDamaged)
				}
				return w.write(len(k)+len(v), func(tx *Tx) error { return tx.Put(string(kind), string(k), v) })
			})
		})
		if err != nil {
			return err
		}
	}
	// Executions go over oldest first, so that their new numbers follow their starts.
	// Equal starts go in descending ARN order: the index lists the higher number first,
	// so they list in ARN order, as version 1 listed them.
	type execStart struct {
		arn   string
		start time.Time
	}
	var order []execStart
	rows := stx.Bucket(bucketV1Executions)
	if rows != nil {
		err := rows.ForEach(func(k, v []byte) error {
			r, err := decodeV1Row(string(k), v)
			if err != nil {
				return fmt.Errorf("execution %s: %w", truncate(string(k), 80), err)
			}
			order = append(order, execStart{r.Arn, r.Start})
			return nil
		})
		if err != nil {
			return err
		}
	}
	slices.SortFunc(order, func(a, b execStart) int {
		if c := a.start.Compare(b.start); c != 0 {
			return c
		}
		return strings.Compare(b.arn, a.arn)
	})
	events := stx.Bucket(bucketV1Events)
	for _, e := range order {
		v := rows.Get([]byte(e.arn))
		r, err := decodeV1Row(e.arn, v)
		if err != nil {
			return err
		}
		if err := w.write(len(e.arn)+len(v), func(tx *Tx) error { return tx.PutExecution(r) }); err != nil {
			return fmt.Errorf("execution %s: %w", truncate(e.arn, 80), err)
		}
		if events != nil {
			if err := copyV1History(events, e.arn, w); err != nil {
				return err
			}
		}
	}
	// Histories without an execution row (version 1 allowed them) come last.
	if events == nil {
		return nil
	}
	return events.ForEachBucket(func(k []byte) error {
		if rows != nil && rows.Get(k) != nil {
			return nil
		}
		return copyV1History(events, string(k), w)
	})
}

// copyV1History copies one execution's version-1 event bucket.
func copyV1History(events *bolt.Bucket, arn string, w *migrationWriter) error {
	b := events.Bucket([]byte(arn))
	if b == nil {
		return nil
	}
	next := int64(1)
	var batch [][]byte
	size := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		first := next - int64(len(batch))
		err := w.write(size, func(tx *Tx) error { return tx.AppendEvents(arn, first, batch) })
		batch, size = batch[:0], 0
		return err
	}
	err := b.ForEach(func(k, v []byte) error {
		id, err := v1EventID(k)
		if err != nil {
			return err
		}
		if v == nil || id != next {
			return fmt.Errorf("event key %d where %d was due: %w", id, next, errDamaged)
		}
		batch = append(batch, v)
		size += len(k) + len(v)
		next++
		if len(batch) == migrateEventsBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("history of %s: %w", truncate(arn, 80), err)
	}
	return nil
}

// decodeV1Row reads a version-1 execution row: 0x01, uvarint length + machine ARN,
// uvarint length + status, ascTime(start), the record to the end.
func decodeV1Row(arn string, b []byte) (ExecutionRow, error) {
	if len(b) == 0 || b[0] != 1 {
		return ExecutionRow{}, fmt.Errorf("execution row: %w", errDamaged)
	}
	rd := reader{b: b[1:], ok: true}
	machine, status := rd.bytes(), rd.bytes()
	start := rd.fixed(timeKeyLen)
	if !rd.ok {
		return ExecutionRow{}, fmt.Errorf("execution row: %w", errDamaged)
	}
	return ExecutionRow{Arn: arn, MachineArn: string(machine), Status: string(status), Start: decodeAscTime(start), Record: rd.b}, nil
}
