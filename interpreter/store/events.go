package store

import (
	"fmt"
	"math"

	bolt "go.etcd.io/bbolt"
)

// historyBucket returns the event bucket of an execution; nil when it has none and
// create is false.
func (tx *Tx) historyBucket(arn string, create bool) (*bolt.Bucket, error) {
	if arn == "" || len(arn) > maxKeyLen {
		return nil, fmt.Errorf("store: history of execution %q: bad ARN", truncate(arn, 80))
	}
	root, err := tx.bucket(bucketEvents, create)
	if root == nil || err != nil {
		return nil, err
	}
	if b := root.Bucket([]byte(arn)); b != nil || !create {
		return b, nil
	}
	return root.CreateBucket([]byte(arn))
}

func lastID(b *bolt.Bucket) (int64, error) {
	if b == nil {
		return 0, nil
	}
	k, _ := b.Cursor().Last()
	if k == nil {
		return 0, nil
	}
	return eventID(k)
}

// AppendEvents stores events with ids firstID, firstID+1, ... firstID must be one more
// than the number already stored: a history never gets a gap or a duplicate.
func (tx *Tx) AppendEvents(arn string, firstID int64, events [][]byte) error {
	b, err := tx.historyBucket(arn, true)
	if err != nil {
		return fmt.Errorf("store: append events to %s: %w", arn, err)
	}
	n, err := lastID(b)
	if err != nil {
		return fmt.Errorf("store: history of %s: %w", arn, err)
	}
	if firstID != n+1 {
		return fmt.Errorf("store: append events to %s: first id %d does not follow the %d stored (want %d)", arn, firstID, n, n+1)
	}
	if int64(len(events)) > math.MaxInt64-n {
		return fmt.Errorf("store: append events to %s: too many events", arn)
	}
	// Ids only grow, so full pages waste no space and cost no splits later.
	b.FillPercent = 1.0
	for i, ev := range events {
		if ev == nil {
			ev = []byte{}
		}
		if err := b.Put(eventKey(firstID+int64(i)), clone(ev)); err != nil {
			return fmt.Errorf("store: append event %d to %s: %w", firstID+int64(i), arn, err)
		}
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
	b, err := tx.historyBucket(arn, false)
	if b == nil || err != nil {
		return nil, err
	}
	c := b.Cursor()
	var k, v []byte
	switch {
	case !reverse && afterID == math.MaxInt64:
		return nil, nil
	case !reverse:
		k, v = c.Seek(eventKey(max(afterID, 0) + 1))
	case afterID <= 0:
		k, v = c.Last()
	default:
		if k, _ = c.Seek(eventKey(afterID)); k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
	}
	// Collect views into the map first, then copy them all into one allocation: a page of
	// a thousand events costs two allocations instead of a thousand.
	var views [][]byte
	total := 0
	for k != nil && (limit == 0 || len(views) < limit) {
		if _, err := eventID(k); err != nil {
			return nil, fmt.Errorf("store: history of %s: %w", arn, err)
		}
		views = append(views, v)
		total += len(v)
		if reverse {
			k, v = c.Prev()
		} else {
			k, v = c.Next()
		}
	}
	if views == nil {
		return nil, nil
	}
	buf := make([]byte, 0, total)
	for i, v := range views {
		n := len(buf)
		buf = append(buf, v...)
		// Capped, so that a caller appending to one event cannot overwrite the next.
		views[i] = buf[n:len(buf):len(buf)]
	}
	return views, nil
}

// EventCount is the number of events stored for an execution, which is also its last id.
func (tx *Tx) EventCount(arn string) (int64, error) {
	b, err := tx.historyBucket(arn, false)
	if err != nil {
		return 0, err
	}
	n, err := lastID(b)
	if err != nil {
		return 0, fmt.Errorf("store: history of %s: %w", arn, err)
	}
	return n, nil
}
