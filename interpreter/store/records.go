package store

import (
	"bytes"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// KV is one record of a List page.
type KV struct {
	Key   string
	Value []byte
}

func checkKind(kind string) error {
	switch {
	case kind == "":
		return errors.New("store: record kind is empty")
	case len(kind) > maxKeyLen:
		return fmt.Errorf("store: record kind of %d bytes is longer than %d", len(kind), maxKeyLen)
	}
	return nil
}

func checkKey(kind, key string) error {
	if err := checkKind(kind); err != nil {
		return err
	}
	switch {
	case key == "":
		return fmt.Errorf("store: empty key for a %s record", kind)
	case len(key) > maxKeyLen:
		return fmt.Errorf("store: %s key of %d bytes is longer than %d", kind, len(key), maxKeyLen)
	}
	return nil
}

// kindBucket returns the bucket of a kind; nil (and no error) when reading a kind never
// written.
func (tx *Tx) kindBucket(kind string, create bool) (*bolt.Bucket, error) {
	root, err := tx.bucket(bucketRecords, create)
	if root == nil || err != nil {
		return nil, err
	}
	if b := root.Bucket([]byte(kind)); b != nil || !create {
		return b, nil
	}
	return root.CreateBucket([]byte(kind))
}

// Put stores val under kind and key, replacing what was there.
func (tx *Tx) Put(kind, key string, val []byte) error {
	if err := checkKey(kind, key); err != nil {
		return err
	}
	b, err := tx.kindBucket(kind, true)
	if err != nil {
		return fmt.Errorf("store: put %s %q: %w", kind, key, err)
	}
	if val == nil {
		val = []byte{}
	}
	// bbolt keeps the slice until commit; the caller may reuse theirs.
	return b.Put([]byte(key), clone(val))
}

// Get returns the value under kind and key, or an error wrapping ErrNotFound.
func (tx *Tx) Get(kind, key string) ([]byte, error) {
	if err := checkKey(kind, key); err != nil {
		return nil, err
	}
	b, err := tx.kindBucket(kind, false)
	if err != nil {
		return nil, err
	}
	var v []byte
	if b != nil {
		v = b.Get([]byte(key))
	}
	if v == nil {
		return nil, fmt.Errorf("store: %s %q: %w", kind, key, ErrNotFound)
	}
	return clone(v), nil
}

// Delete removes the record under kind and key; a missing record is not an error.
func (tx *Tx) Delete(kind, key string) error {
	if err := checkKey(kind, key); err != nil {
		return err
	}
	if !tx.tx.Writable() {
		return errReadOnly
	}
	b, err := tx.kindBucket(kind, false)
	if b == nil || err != nil {
		return err
	}
	return b.Delete([]byte(key))
}

// List returns the records of kind whose keys start with prefix, in byte order of the
// keys, beginning after the key `after` ("" starts at the beginning), at most limit of
// them (0 means all). next is the last key returned when more remain, else "": pass it as
// `after` for the next page.
func (tx *Tx) List(kind, prefix, after string, limit int) (items []KV, next string, err error) {
	if err := checkKind(kind); err != nil {
		return nil, "", err
	}
	if limit < 0 {
		return nil, "", fmt.Errorf("store: list %s: limit %d is negative", kind, limit)
	}
	b, err := tx.kindBucket(kind, false)
	if b == nil || err != nil {
		return nil, "", err
	}
	pre := []byte(prefix)
	c := b.Cursor()
	var k, v []byte
	if after == "" || after < prefix {
		k, v = c.Seek(pre)
	} else {
		k, v = c.Seek([]byte(after))
		if k != nil && string(k) == after {
			k, v = c.Next()
		}
	}
	for ; k != nil && bytes.HasPrefix(k, pre); k, v = c.Next() {
		if limit > 0 && len(items) == limit {
			return items, items[len(items)-1].Key, nil
		}
		items = append(items, KV{Key: string(k), Value: clone(v)})
	}
	return items, "", nil
}
