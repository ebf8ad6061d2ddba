package store

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Tx is one transaction. It is valid only inside the function given to Update or View;
// bytes it returns are copies the caller may keep.
type Tx struct {
	tx *bolt.Tx
}

// Writable reports whether the transaction came from Update.
func (tx *Tx) Writable() bool { return tx.tx.Writable() }

// Update runs fn in a read-write transaction and commits it durably before returning.
// Concurrent callers share one commit, so fn may run more than once (when another
// caller's fn fails, the batch is replayed without it): fn must only touch the Tx and
// give the same result each time. An error from fn discards fn's changes and is returned.
// fn must not call Update or View itself: bbolt has one writer, so that would deadlock.
func (s *Store) Update(fn func(tx *Tx) error) error {
	if fn == nil {
		return errors.New("store: Update needs a function")
	}
	run := func(btx *bolt.Tx) error {
		if err := s.call(fn, btx); err != nil {
			return err
		}
		if s.beforeCommit != nil {
			return s.beforeCommit()
		}
		return nil
	}
	// A lone writer commits at once; only writers that arrive while another is in flight
	// wait for the batch, which is where the group commit's throughput comes from.
	if s.writers.Add(1) == 1 {
		defer s.writers.Add(-1)
		return s.db.Update(run)
	}
	defer s.writers.Add(-1)
	return s.db.Batch(run)
}

// View runs fn in a read-only transaction, which sees one consistent snapshot.
func (s *Store) View(fn func(tx *Tx) error) error {
	if fn == nil {
		return errors.New("store: View needs a function")
	}
	return s.db.View(func(btx *bolt.Tx) error { return s.call(fn, btx) })
}

// call turns a panic inside fn into an error: bbolt panics on some damaged pages, and a
// long-running server must not die of one request.
func (s *Store) call(fn func(tx *Tx) error, btx *bolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("store: transaction on %s panicked: %v (if this repeats, the file may be damaged: move it aside)", s.path, p)
		}
	}()
	return fn(&Tx{tx: btx})
}

// bucket returns a top-level bucket, creating it in a writable transaction.
func (tx *Tx) bucket(name []byte, create bool) (*bolt.Bucket, error) {
	if b := tx.tx.Bucket(name); b != nil || !create {
		return b, nil
	}
	if !tx.tx.Writable() {
		return nil, errReadOnly
	}
	return tx.tx.CreateBucket(name)
}

var errReadOnly = errors.New("store: write in a read-only transaction (use Update, not View)")

// clone copies bytes out of bbolt's memory map, which is only valid during the
// transaction. It never returns nil, so an empty stored value reads back as empty.
func clone(b []byte) []byte {
	return append(make([]byte, 0, len(b)), b...)
}
