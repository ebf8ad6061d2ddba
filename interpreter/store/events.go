package store

import (
	"bytes"
	"fmt"
	"math"

	bolt "go.etcd.io/bbolt"
)

// historyBucket returns the bucket of every execution's history chunks, filled to the
// brim when written: chunk keys grow with execution numbers and event ids.
func (tx *Tx) historyBucket(create bool) (*bolt.Bucket, error) {
	b, err := tx.bucket(bucketHistory, create)
	if b != nil && tx.tx.Writable() {
		b.FillPercent = 1.0
	}
	return b, err
}

// lastChunk positions c on the last chunk of execution num and returns its key and value,
// or nil when the execution has no history.
func lastChunk(c *bolt.Cursor, num uint64) (k, v []byte) {
	// Past every key of num: its chunk keys are 16 bytes, this one is longer.
	k, v = c.Seek(append(chunkKey(num, math.MaxInt64), 0))
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, numKey(num)) {
		return nil, nil
	}
	return k, v
}

// AppendEvents stores events with ids firstID, firstID+1, ... firstID must be one more
// than the number already stored: a history never gets a gap or a duplicate.
func (tx *Tx) AppendEvents(arn string, firstID int64, events [][]byte) error {
	num, err := tx.execNumber(arn, true)
	if err != nil {
		return fmt.Errorf("store: append events to %s: %w", arn, err)
	}
	b, err := tx.historyBucket(true)
	if err != nil {
		return fmt.Errorf("store: append events to %s: %w", arn, err)
	}
	k, v := lastChunk(b.Cursor(), num)
	var n int64
	if k != nil {
		if n, _, err = chunkKeyID(k, num); err != nil {
			return fmt.Errorf("store: history of %s: %w", arn, err)
		}
	}
	if firstID != n+1 {
		return fmt.Errorf("store: append events to %s: first id %d does not follow the %d stored (want %d)", arn, firstID, n, n+1)
	}
	if int64(len(events)) > math.MaxInt64-n {
		return fmt.Errorf("store: append events to %s: too many events", arn)
	}
	if len(events) == 0 {
		return nil
	}
	// A last chunk with room takes the new events in: a history appended a few events
	// at a time still compresses as a whole.
	pending := events
	if k != nil {
		count, size, err := chunkHead(v)
		if err != nil {
			return fmt.Errorf("store: history of %s: %w", arn, err)
		}
		if count < maxChunkEvents && size < maxChunkBytes {
			old, err := decodeChunk(v)
			if err != nil {
				return fmt.Errorf("store: history of %s: %w", arn, err)
			}
			if int64(len(old)) != count || count > n {
				return fmt.Errorf("store: history of %s: chunk count: %w", arn, errDamaged)
			}
			if err := b.Delete(k); err != nil {
				return err
			}
			pending = append(old, events...)
		}
	}
	// Cut into chunks of at most maxChunkEvents events, each closed as soon as it
	// reaches maxChunkBytes.
	last := n + int64(len(events))
	id := last - int64(len(pending))
	for len(pending) > 0 {
		size, i := 0, 0
		for i < len(pending) && i < maxChunkEvents && size < maxChunkBytes {
			size += len(pending[i])
			i++
		}
		id += int64(i)
		if err := b.Put(chunkKey(num, id), encodeChunk(pending[:i])); err != nil {
			return fmt.Errorf("store: append events to %s: %w", arn, err)
		}
		pending = pending[i:]
	}
	return nil
}

// Events returns events of an execution. Ascending, it returns ids greater than afterID
// (0 = from the first). In reverse, it returns ids less than afterID, highest first
// (0 = from the last). limit 0 means all. An execution without history gives none.
func (tx *Tx) Events(arn string, afterID int64, limit int, reverse bool) ([][]byte, error) {
	if limit < 0 {
		return nil, fmt.Errorf("store: events of %s: limit %d is negative", arn, limit)
	}
	num, err := tx.execNumber(arn, false)
	if err != nil {
		return nil, fmt.Errorf("store: history of %s: %w", arn, err)
	}
	b := tx.tx.Bucket(bucketHistory)
	if num == 0 || b == nil || (!reverse && afterID == math.MaxInt64) || (reverse && afterID == 1) {
		return nil, nil
	}
	// want is the first id to return: the next one up, or the next one down.
	want := max(afterID, 0) + 1
	if reverse {
		want = math.MaxInt64
		if afterID > 0 {
			want = afterID - 1
		}
	}
	c := b.Cursor()
	// The chunk holding want is the first whose last id is want or more; going down
	// from beyond the last id, it is the last chunk.
	k, v := c.Seek(chunkKey(num, want))
	if reverse && (k == nil || !bytes.HasPrefix(k, numKey(num))) {
		k, v = lastChunk(c, num)
	}
	// First the chunks the page needs, from their keys and headers; then all of them
	// decoded into one buffer, so that a page costs a few allocations, not one per chunk.
	type part struct {
		v           []byte
		first, last int64
		size        int
	}
	var parts []part
	total, events := 0, 0
	for k != nil && (limit == 0 || events < limit) {
		lastID, ok, err := chunkKeyID(k, num)
		if err != nil {
			return nil, fmt.Errorf("store: history of %s: %w", arn, err)
		}
		if !ok {
			break
		}
		count, size, err := chunkHead(v)
		if err != nil {
			return nil, fmt.Errorf("store: history of %s: %w", arn, err)
		}
		first := lastID - count + 1
		if first < 1 {
			return nil, fmt.Errorf("store: history of %s: chunk ending at %d holds %d events: %w", arn, lastID, count, errDamaged)
		}
		parts = append(parts, part{v, first, lastID, size})
		total += size
		if reverse {
			events += int(min(want, lastID) - first + 1)
			k, v = c.Prev()
		} else {
			events += int(lastID - max(want, first) + 1)
			k, v = c.Next()
		}
	}
	if events <= 0 {
		return nil, nil
	}
	if limit > 0 {
		events = min(events, limit)
	}
	buf := make([]byte, total)
	out := make([][]byte, 0, events)
	var scratch [][]byte
	for _, p := range parts {
		var err error
		scratch, err = decodeChunkInto(buf[:p.size:p.size], p.v, scratch[:0])
		buf = buf[p.size:]
		if err == nil && int64(len(scratch)) != p.last-p.first+1 {
			err = fmt.Errorf("chunk ending at %d: %w", p.last, errDamaged)
		}
		if err != nil {
			return nil, fmt.Errorf("store: history of %s: %w", arn, err)
		}
		if reverse {
			for id := min(want, p.last); id >= p.first && len(out) < events; id-- {
				out = append(out, scratch[id-p.first])
			}
		} else {
			for id := max(want, p.first); id <= p.last && len(out) < events; id++ {
				out = append(out, scratch[id-p.first])
			}
		}
	}
	return out, nil
}

// EventCount is the number of events stored for an execution, which is also its last id.
func (tx *Tx) EventCount(arn string) (int64, error) {
	num, err := tx.execNumber(arn, false)
	if err != nil {
		return 0, fmt.Errorf("store: history of %s: %w", arn, err)
	}
	b := tx.tx.Bucket(bucketHistory)
	if num == 0 || b == nil {
		return 0, nil
	}
	k, _ := lastChunk(b.Cursor(), num)
	if k == nil {
		return 0, nil
	}
	n, _, err := chunkKeyID(k, num)
	if err != nil {
		return 0, fmt.Errorf("store: history of %s: %w", arn, err)
	}
	return n, nil
}

// deleteHistory removes every chunk of execution num.
func (tx *Tx) deleteHistory(num uint64) error {
	b := tx.tx.Bucket(bucketHistory)
	if b == nil {
		return nil
	}
	// Keys first, deletes after: deleting under a moving cursor can skip keys.
	var keys [][]byte
	c := b.Cursor()
	pre := numKey(num)
	for k, _ := c.Seek(pre); k != nil && bytes.HasPrefix(k, pre); k, _ = c.Next() {
		keys = append(keys, clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
