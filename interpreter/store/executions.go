package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// StatusRunning is the status RunningExecutions looks for.
const StatusRunning = "RUNNING"

// ExecutionRow is one execution as the store indexes it. Record is the service's own bytes.
type ExecutionRow struct {
	Arn        string
	MachineArn string
	Status     string
	Start      time.Time
	Record     []byte
}

// ExecutionQuery selects executions for ListExecutions.
type ExecutionQuery struct {
	MachineArn string // "" means every machine
	Status     string // "" means any status
	After      string // the cursor a previous call returned; "" starts at the newest
	Limit      int    // 0 means all
}

// execNumber returns the number of an execution, allocating the next one when create is
// set and the ARN has none; 0 and no error when it has none and create is not set.
func (tx *Tx) execNumber(arn string, create bool) (uint64, error) {
	if arn == "" || len(arn) > maxKeyLen {
		return 0, fmt.Errorf("store: execution %q: bad ARN", truncate(arn, 80))
	}
	return tx.number(bucketExecNumbers, arn, create)
}

// machineNumber is execNumber for machines: the index names a machine by number. The
// empty machine ARN is number 0, the scope of every machine, as it was in version 1.
func (tx *Tx) machineNumber(arn string, create bool) (uint64, error) {
	if arn == "" {
		return 0, nil
	}
	return tx.number(bucketMachineNumbers, arn, create)
}

// number looks arn up in a bucket of numbers, handing out the bucket's next sequence
// number when create is set and the ARN has none.
func (tx *Tx) number(bucket []byte, arn string, create bool) (uint64, error) {
	nums, err := tx.bucket(bucket, create)
	if nums == nil || err != nil {
		return 0, err
	}
	if v := nums.Get([]byte(arn)); v != nil {
		n, err := decodeNum(v)
		if err != nil || n == 0 {
			return 0, fmt.Errorf("store: %s holds no number for %s: %w", bucket, truncate(arn, 80), errDamaged)
		}
		return n, nil
	}
	if !create {
		return 0, nil
	}
	n, err := nums.NextSequence()
	if err != nil {
		return 0, err
	}
	return n, nums.Put([]byte(arn), numKey(n))
}

// rangeName names the exec_order bucket of a scope (a machine number, 0 for every
// machine) and a status ("" for any).
func rangeName(scope uint64, status string) []byte {
	return appendLP(binary.BigEndian.AppendUint64(make([]byte, 0, 10+len(status)), scope), status)
}

// indexKey is an exec_order key: ascTime(start) then the execution number, so that byte
// order is start order and equal starts go in the order they were stored.
func indexKey(start time.Time, num uint64) []byte {
	return binary.BigEndian.AppendUint64(ascTime(make([]byte, 0, cursorLen), start), num)
}

// indexEntry is one of an execution's places in exec_order.
type indexEntry struct {
	rangeName, key []byte
}

// indexEntries are the four places of a row: by machine or all, by status or any. A row
// without a machine ARN has its machine entries equal to its all-machine ones.
func indexEntries(num uint64, h rowHead) [4]indexEntry {
	key := indexKey(h.start, num)
	var es [4]indexEntry
	i := 0
	for _, scope := range [2]uint64{h.machine, 0} {
		for _, status := range [2]string{h.status, ""} {
			es[i] = indexEntry{rangeName(scope, status), key}
			i++
		}
	}
	return es
}

func checkRow(r ExecutionRow) error {
	switch {
	case r.Arn == "":
		return errors.New("store: execution without an ARN")
	case len(r.Arn) > maxKeyLen || len(r.MachineArn) > maxKeyLen:
		return fmt.Errorf("store: execution %q: an ARN exceeds %d bytes", truncate(r.Arn, 80), maxKeyLen)
	case 10+len(r.Status) > maxKeyLen:
		return fmt.Errorf("store: execution %q: status of %d bytes is too long", truncate(r.Arn, 80), len(r.Status))
	}
	return nil
}

// rangeBucket returns the exec_order bucket of one range; nil when it does not exist
// and create is false. Ranges are buckets of their own because each then only grows at
// its end (starts only increase, numbers too), which bbolt packs into full pages, and
// because their keys then need no scope or status.
func (tx *Tx) rangeBucket(name []byte, create bool) (*bolt.Bucket, error) {
	order, err := tx.bucket(bucketExecOrder, create)
	if order == nil || err != nil {
		return nil, err
	}
	b := order.Bucket(name)
	if b == nil && create {
		if b, err = order.CreateBucket(name); err != nil {
			return nil, err
		}
	}
	if b != nil && tx.tx.Writable() {
		b.FillPercent = 1.0
	}
	return b, nil
}

// putIndex adds an execution to one range.
func (tx *Tx) putIndex(e indexEntry) error {
	b, err := tx.rangeBucket(e.rangeName, true)
	if err != nil {
		return err
	}
	return b.Put(e.key, []byte{})
}

// deleteIndex removes an execution from one range, and the range when it is left empty:
// a machine whose executions are gone leaves nothing behind.
func (tx *Tx) deleteIndex(e indexEntry) error {
	b, err := tx.rangeBucket(e.rangeName, false)
	if b == nil || err != nil {
		return err
	}
	if err := b.Delete(e.key); err != nil {
		return err
	}
	if k, _ := b.Cursor().First(); k == nil {
		return tx.tx.Bucket(bucketExecOrder).DeleteBucket(e.rangeName)
	}
	return nil
}

// rowsBucket returns exec_rows, whose keys are numbers handed out in order.
func (tx *Tx) rowsBucket(create bool) (*bolt.Bucket, error) {
	b, err := tx.bucket(bucketExecRows, create)
	if b != nil && tx.tx.Writable() {
		b.FillPercent = 1.0
	}
	return b, err
}

// PutExecution inserts or replaces an execution, moving its index entries when its
// machine, status or start changed.
func (tx *Tx) PutExecution(row ExecutionRow) error {
	if err := checkRow(row); err != nil {
		return err
	}
	num, err := tx.execNumber(row.Arn, true)
	if err != nil {
		return fmt.Errorf("store: put execution %s: %w", row.Arn, err)
	}
	machine, err := tx.machineNumber(row.MachineArn, true)
	if err != nil {
		return fmt.Errorf("store: put execution %s: %w", row.Arn, err)
	}
	rows, err := tx.rowsBucket(true)
	if err != nil {
		return fmt.Errorf("store: put execution %s: %w", row.Arn, err)
	}
	key := numKey(num)
	newEntries := indexEntries(num, rowHead{machine: machine, status: row.Status, start: row.Start})
	if old := rows.Get(key); old != nil {
		prev, _, err := decodeRowHead(old)
		if err != nil {
			return fmt.Errorf("store: execution %s: %w", row.Arn, err)
		}
		for i, e := range indexEntries(num, prev) {
			if !bytes.Equal(e.rangeName, newEntries[i].rangeName) || !bytes.Equal(e.key, newEntries[i].key) {
				if err := tx.deleteIndex(e); err != nil {
					return err
				}
			}
		}
	}
	if err := rows.Put(key, encodeRow(row, machine)); err != nil {
		return fmt.Errorf("store: put execution %s: %w", row.Arn, err)
	}
	for _, e := range newEntries {
		if err := tx.putIndex(e); err != nil {
			return fmt.Errorf("store: index execution %s: %w", row.Arn, err)
		}
	}
	return nil
}

// GetExecution returns an execution or an error wrapping ErrNotFound.
func (tx *Tx) GetExecution(arn string) (ExecutionRow, error) {
	var num uint64
	if arn != "" && len(arn) <= maxKeyLen {
		var err error
		if num, err = tx.execNumber(arn, false); err != nil {
			return ExecutionRow{}, err
		}
	}
	r, err := tx.rowByNumber(num)
	if err == nil && r.Arn != arn {
		err = fmt.Errorf("row %d holds execution %s: %w", num, truncate(r.Arn, 80), errDamaged)
	}
	if err != nil {
		return ExecutionRow{}, fmt.Errorf("store: execution %s: %w", arn, err)
	}
	return r, nil
}

// rowByNumber reads the row of an execution number; ErrNotFound when there is none.
func (tx *Tx) rowByNumber(num uint64) (ExecutionRow, error) {
	var v []byte
	if rows := tx.tx.Bucket(bucketExecRows); rows != nil && num != 0 {
		v = rows.Get(numKey(num))
	}
	if v == nil {
		return ExecutionRow{}, ErrNotFound
	}
	r, _, err := decodeRow(v)
	return r, err
}

// ListExecutions returns executions newest first by Start, equal starts the later stored
// first. The returned cursor is "" on the last page; otherwise pass it back as After.
func (tx *Tx) ListExecutions(q ExecutionQuery) ([]ExecutionRow, string, error) {
	if q.Limit < 0 {
		return nil, "", fmt.Errorf("store: list executions: limit %d is negative", q.Limit)
	}
	var from []byte
	if q.After != "" {
		var err error
		if from, err = decodeCursor(q.After); err != nil {
			return nil, "", err
		}
	}
	if len(q.MachineArn) > maxKeyLen || 10+len(q.Status) > maxKeyLen {
		return nil, "", nil // no stored key can be this long
	}
	scope, err := tx.machineNumber(q.MachineArn, false)
	if err != nil {
		return nil, "", err
	}
	if q.MachineArn != "" && scope == 0 {
		return nil, "", nil // no execution of this machine was ever stored
	}
	var out []ExecutionRow
	next, err := tx.scanIndex(scope, q.Status, from, q.Limit, func(num uint64) error {
		r, err := tx.rowByNumber(num)
		if err != nil {
			return fmt.Errorf("store: index names execution number %d: %w", num, err)
		}
		out = append(out, r)
		return nil
	})
	return out, next, err
}

// scanIndex calls fn with the execution numbers under (scope, status), newest first,
// from just before the key `from` (nil: from the newest), at most limit of them (0 = all),
// and returns the cursor of the last one when more remain.
func (tx *Tx) scanIndex(scope uint64, status string, from []byte, limit int, fn func(num uint64) error) (string, error) {
	b, err := tx.rangeBucket(rangeName(scope, status), false)
	if b == nil || err != nil {
		return "", err
	}
	c := b.Cursor()
	var k []byte
	if from == nil {
		k, _ = c.Last()
	} else if k, _ = c.Seek(from); k == nil {
		k, _ = c.Last() // every key is before from
	} else {
		k, _ = c.Prev()
	}
	n := 0
	var last []byte
	for ; k != nil; k, _ = c.Prev() {
		if limit > 0 && n == limit {
			return encodeCursor(last), nil
		}
		if len(k) != cursorLen {
			return "", fmt.Errorf("store: execution index key of %d bytes: %w", len(k), errDamaged)
		}
		if err := fn(binary.BigEndian.Uint64(k[timeKeyLen:])); err != nil {
			return "", err
		}
		last = k
		n++
	}
	return "", nil
}

// RunningExecutions calls fn with every execution whose status is RUNNING, newest first.
// fn may change or delete executions: the set is read before the first call.
func (tx *Tx) RunningExecutions(fn func(ExecutionRow) error) error {
	var nums []uint64
	if _, err := tx.scanIndex(0, StatusRunning, nil, 0, func(num uint64) error {
		nums = append(nums, num)
		return nil
	}); err != nil {
		return err
	}
	for _, num := range nums {
		r, err := tx.rowByNumber(num)
		if errors.Is(err, ErrNotFound) {
			continue // fn deleted it
		}
		if err != nil {
			return fmt.Errorf("store: execution number %d: %w", num, err)
		}
		if r.Status != StatusRunning {
			continue // fn moved it on
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// DeleteExecution removes an execution, its index entries and its history. A missing
// execution is not an error.
func (tx *Tx) DeleteExecution(arn string) error {
	if !tx.tx.Writable() {
		return errReadOnly
	}
	if arn == "" || len(arn) > maxKeyLen {
		return nil
	}
	num, err := tx.execNumber(arn, false)
	if num == 0 || err != nil {
		return err
	}
	if err := tx.deleteHistory(num); err != nil {
		return fmt.Errorf("store: delete history of %s: %w", arn, err)
	}
	if rows := tx.tx.Bucket(bucketExecRows); rows != nil {
		if v := rows.Get(numKey(num)); v != nil {
			h, _, err := decodeRowHead(v)
			if err != nil {
				return fmt.Errorf("store: execution %s: %w", arn, err)
			}
			for _, e := range indexEntries(num, h) {
				if err := tx.deleteIndex(e); err != nil {
					return err
				}
			}
			if err := rows.Delete(numKey(num)); err != nil {
				return err
			}
		}
	}
	return tx.tx.Bucket(bucketExecNumbers).Delete([]byte(arn))
}

// ClosedStartedBefore returns up to limit executions that are not running and started
// before t, oldest first: the ones a retention sweep looks at (an execution stops after
// it starts, so one that stopped before t started before it too).
func (tx *Tx) ClosedStartedBefore(t time.Time, limit int) ([]ExecutionRow, error) {
	b, err := tx.rangeBucket(rangeName(0, ""), false)
	if b == nil || err != nil {
		return nil, err
	}
	before := ascTime(nil, t)
	c := b.Cursor()
	var out []ExecutionRow
	for k, _ := c.First(); k != nil && (limit <= 0 || len(out) < limit); k, _ = c.Next() {
		if len(k) != cursorLen {
			return nil, fmt.Errorf("store: execution index key of %d bytes: %w", len(k), errDamaged)
		}
		if bytes.Compare(k[:timeKeyLen], before) >= 0 {
			break
		}
		num := binary.BigEndian.Uint64(k[timeKeyLen:])
		r, err := tx.rowByNumber(num)
		if err != nil {
			return nil, fmt.Errorf("store: index names execution number %d: %w", num, err)
		}
		if r.Status != StatusRunning {
			out = append(out, r)
		}
	}
	return out, nil
}
