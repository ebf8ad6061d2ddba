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

const rowVersion = 1

func encodeRow(r ExecutionRow) []byte {
	b := make([]byte, 0, 1+2*binary.MaxVarintLen64+len(r.MachineArn)+len(r.Status)+timeKeyLen+len(r.Record))
	b = append(b, rowVersion)
	b = binary.AppendUvarint(b, uint64(len(r.MachineArn)))
	b = append(b, r.MachineArn...)
	b = binary.AppendUvarint(b, uint64(len(r.Status)))
	b = append(b, r.Status...)
	b = ascTime(b, r.Start)
	return append(b, r.Record...)
}

var errBadRow = errors.New("unreadable execution row: the store file is damaged")

func decodeRow(arn string, b []byte) (ExecutionRow, error) {
	r := ExecutionRow{Arn: arn}
	if len(b) == 0 || b[0] != rowVersion {
		return r, errBadRow
	}
	b = b[1:]
	str := func() (string, bool) {
		n, w := binary.Uvarint(b)
		if w <= 0 || n > uint64(len(b)-w) {
			return "", false
		}
		s := string(b[w : w+int(n)])
		b = b[w+int(n):]
		return s, true
	}
	var ok1, ok2 bool
	r.MachineArn, ok1 = str()
	r.Status, ok2 = str()
	if !ok1 || !ok2 || len(b) < timeKeyLen {
		return r, errBadRow
	}
	r.Start = decodeAscTime(b)
	r.Record = clone(b[timeKeyLen:])
	return r, nil
}

// indexKeys are the four exec_index keys of a row: by machine or all, by status or any.
func indexKeys(r ExecutionRow) [4][]byte {
	var ks [4][]byte
	i := 0
	for _, scope := range [2]string{r.MachineArn, ""} {
		for _, status := range [2]string{r.Status, ""} {
			k := make([]byte, 0, 4+len(scope)+len(status)+timeKeyLen+len(r.Arn))
			k = appendLP(k, scope)
			k = appendLP(k, status)
			k = descTime(k, r.Start)
			ks[i] = append(k, r.Arn...)
			i++
		}
	}
	return ks
}

func checkRow(r ExecutionRow) error {
	switch {
	case r.Arn == "":
		return errors.New("store: execution without an ARN")
	case 4+len(r.MachineArn)+len(r.Status)+timeKeyLen+len(r.Arn) > maxKeyLen:
		return fmt.Errorf("store: execution %q: ARNs and status together exceed %d bytes", truncate(r.Arn, 80), maxKeyLen)
	}
	return nil
}

// PutExecution inserts or replaces an execution, moving its index entries when its
// machine, status or start changed.
func (tx *Tx) PutExecution(row ExecutionRow) error {
	if err := checkRow(row); err != nil {
		return err
	}
	rows, err := tx.bucket(bucketExecutions, true)
	if err != nil {
		return fmt.Errorf("store: put execution %s: %w", row.Arn, err)
	}
	idx, err := tx.bucket(bucketExecIndex, true)
	if err != nil {
		return fmt.Errorf("store: put execution %s: %w", row.Arn, err)
	}
	key := []byte(row.Arn)
	newKeys := indexKeys(row)
	if old := rows.Get(key); old != nil {
		prev, err := decodeRow(row.Arn, old)
		if err != nil {
			return fmt.Errorf("store: execution %s: %w", row.Arn, err)
		}
		for i, k := range indexKeys(prev) {
			if !bytes.Equal(k, newKeys[i]) {
				if err := idx.Delete(k); err != nil {
					return err
				}
			}
		}
	}
	if err := rows.Put(key, encodeRow(row)); err != nil {
		return fmt.Errorf("store: put execution %s: %w", row.Arn, err)
	}
	for _, k := range newKeys {
		if err := idx.Put(k, []byte{}); err != nil {
			return fmt.Errorf("store: index execution %s: %w", row.Arn, err)
		}
	}
	return nil
}

// GetExecution returns an execution or an error wrapping ErrNotFound.
func (tx *Tx) GetExecution(arn string) (ExecutionRow, error) {
	var v []byte
	if rows := tx.tx.Bucket(bucketExecutions); rows != nil && arn != "" && len(arn) <= maxKeyLen {
		v = rows.Get([]byte(arn))
	}
	if v == nil {
		return ExecutionRow{}, fmt.Errorf("store: execution %s: %w", arn, ErrNotFound)
	}
	r, err := decodeRow(arn, v)
	if err != nil {
		return ExecutionRow{}, fmt.Errorf("store: execution %s: %w", arn, err)
	}
	return r, nil
}

// ListExecutions returns executions newest first by Start, equal starts in ARN order.
// The returned cursor is "" on the last page; otherwise pass it back as After.
func (tx *Tx) ListExecutions(q ExecutionQuery) ([]ExecutionRow, string, error) {
	if q.Limit < 0 {
		return nil, "", fmt.Errorf("store: list executions: limit %d is negative", q.Limit)
	}
	if 4+len(q.MachineArn)+len(q.Status) > maxKeyLen {
		return nil, "", nil // no stored key can be this long
	}
	var from []byte
	if q.After != "" {
		var err error
		if from, err = decodeCursor(q.After); err != nil {
			return nil, "", err
		}
	}
	var out []ExecutionRow
	next, err := tx.scanIndex(q.MachineArn, q.Status, from, q.Limit, func(arn string) error {
		r, err := tx.GetExecution(arn)
		if err != nil {
			return fmt.Errorf("store: index names execution %s: %w", arn, err)
		}
		out = append(out, r)
		return nil
	})
	return out, next, err
}

// scanIndex calls fn with the ARNs under (scope, status) after the suffix `from`, at most
// limit of them (0 = all), and returns the cursor of the last one when more remain.
func (tx *Tx) scanIndex(scope, status string, from []byte, limit int, fn func(arn string) error) (string, error) {
	idx := tx.tx.Bucket(bucketExecIndex)
	if idx == nil {
		return "", nil
	}
	pre := appendLP(appendLP(nil, scope), status)
	c := idx.Cursor()
	var k []byte
	if from == nil {
		k, _ = c.Seek(pre)
	} else {
		start := append(append([]byte(nil), pre...), from...)
		k, _ = c.Seek(start)
		if bytes.Equal(k, start) {
			k, _ = c.Next()
		}
	}
	n := 0
	var last []byte
	for ; k != nil && bytes.HasPrefix(k, pre); k, _ = c.Next() {
		if limit > 0 && n == limit {
			return encodeCursor(last), nil
		}
		suffix := k[len(pre):]
		if len(suffix) <= timeKeyLen {
			return "", errors.New("store: short execution index key: the store file is damaged")
		}
		if err := fn(string(suffix[timeKeyLen:])); err != nil {
			return "", err
		}
		last = suffix
		n++
	}
	return "", nil
}

// RunningExecutions calls fn with every execution whose status is RUNNING, newest first.
// fn may change or delete executions: the set is read before the first call.
func (tx *Tx) RunningExecutions(fn func(ExecutionRow) error) error {
	var arns []string
	if _, err := tx.scanIndex("", StatusRunning, nil, 0, func(arn string) error {
		arns = append(arns, arn)
		return nil
	}); err != nil {
		return err
	}
	for _, arn := range arns {
		r, err := tx.GetExecution(arn)
		if errors.Is(err, ErrNotFound) {
			continue // fn deleted it
		}
		if err != nil {
			return err
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
	if err := deleteNested(tx.tx.Bucket(bucketEvents), []byte(arn)); err != nil {
		return fmt.Errorf("store: delete history of %s: %w", arn, err)
	}
	rows := tx.tx.Bucket(bucketExecutions)
	if rows == nil {
		return nil
	}
	v := rows.Get([]byte(arn))
	if v == nil {
		return nil
	}
	r, err := decodeRow(arn, v)
	if err != nil {
		return fmt.Errorf("store: execution %s: %w", arn, err)
	}
	if idx := tx.tx.Bucket(bucketExecIndex); idx != nil {
		for _, k := range indexKeys(r) {
			if err := idx.Delete(k); err != nil {
				return err
			}
		}
	}
	return rows.Delete([]byte(arn))
}

func deleteNested(parent *bolt.Bucket, name []byte) error {
	if parent == nil || parent.Bucket(name) == nil {
		return nil
	}
	return parent.DeleteBucket(name)
}

// ClosedStartedBefore returns up to limit executions that are not running and started
// before t, oldest first: the ones a retention sweep looks at (an execution stops after
// it starts, so one that stopped before t started before it too).
func (tx *Tx) ClosedStartedBefore(t time.Time, limit int) ([]ExecutionRow, error) {
	idx := tx.tx.Bucket(bucketExecIndex)
	if idx == nil {
		return nil, nil
	}
	pre := appendLP(appendLP(nil, ""), "")
	c := idx.Cursor()
	var out []ExecutionRow
	// The index runs newest first: walk it from the end of the prefix's range back to t.
	// The all-scope, any-status prefix is four zero bytes; the next range starts at 0001.
	k, _ := c.Seek([]byte{0, 0, 0, 1})
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	for ; k != nil && bytes.HasPrefix(k, pre) && (limit <= 0 || len(out) < limit); k, _ = c.Prev() {
		suffix := k[len(pre):]
		if len(suffix) <= timeKeyLen {
			return nil, errors.New("store: short execution index key: the store file is damaged")
		}
		if !descKeyBefore(suffix[:timeKeyLen], t) {
			break
		}
		r, err := tx.GetExecution(string(suffix[timeKeyLen:]))
		if err != nil {
			return nil, fmt.Errorf("store: index names execution %s: %w", suffix[timeKeyLen:], err)
		}
		if r.Status != StatusRunning {
			out = append(out, r)
		}
	}
	return out, nil
}

// descKeyBefore reports whether a descTime key is for a time before t.
func descKeyBefore(k []byte, t time.Time) bool {
	return bytes.Compare(k, descTime(nil, t)) > 0
}
