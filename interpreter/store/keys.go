package store

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// timeKeyLen is the size of an encoded start time: seconds and nanoseconds.
const timeKeyLen = 12

// maxKeyLen is bbolt's key size limit.
const maxKeyLen = 32768

// ascTime encodes t so that byte order is time order, for any time.Time (UnixNano would
// overflow outside 1678..2262, and a stored start should never be silently changed).
func ascTime(dst []byte, t time.Time) []byte {
	dst = binary.BigEndian.AppendUint64(dst, uint64(t.Unix())^(1<<63))
	return binary.BigEndian.AppendUint32(dst, uint32(t.Nanosecond()))
}

// descTime is ascTime with every byte complemented: newest first.
func descTime(dst []byte, t time.Time) []byte {
	n := len(dst)
	dst = ascTime(dst, t)
	for i := n; i < len(dst); i++ {
		dst[i] = ^dst[i]
	}
	return dst
}

func decodeAscTime(b []byte) time.Time {
	sec := int64(binary.BigEndian.Uint64(b[:8]) ^ (1 << 63))
	nsec := int64(binary.BigEndian.Uint32(b[8:12]))
	return time.Unix(sec, nsec).UTC()
}

// appendLP appends a length-prefixed string. Callers check lengths against maxKeyLen first,
// so the length always fits.
func appendLP(dst []byte, s string) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(s)))
	return append(dst, s...)
}

func eventKey(id int64) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(id))
}

// eventID reads an event key; a key of another size means the file was not written by us.
func eventID(k []byte) (int64, error) {
	if len(k) != 8 {
		return 0, fmt.Errorf("event key of %d bytes, want 8: the store file is damaged", len(k))
	}
	u := binary.BigEndian.Uint64(k)
	if u > math.MaxInt64 {
		return 0, errors.New("event id out of range: the store file is damaged")
	}
	return int64(u), nil
}

var cursorEncoding = base64.RawURLEncoding

func encodeCursor(suffix []byte) string { return cursorEncoding.EncodeToString(suffix) }

// decodeCursor returns the index key suffix (desc(start) + ARN) a cursor names.
func decodeCursor(c string) ([]byte, error) {
	b, err := cursorEncoding.DecodeString(c)
	if err != nil || len(b) <= timeKeyLen {
		return nil, fmt.Errorf("%w %q: pass back the value a previous ListExecutions returned", ErrBadCursor, truncate(c, 64))
	}
	return b, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
