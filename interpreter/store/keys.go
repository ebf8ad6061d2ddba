package store

import (
	"encoding/base64"
	"encoding/binary"
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

// numKey is an execution or machine number as a key: 8 bytes, big-endian.
func numKey(n uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), n)
}

func decodeNum(v []byte) (uint64, error) {
	if len(v) != 8 {
		return 0, fmt.Errorf("number of %d bytes, want 8: %w", len(v), errDamaged)
	}
	return binary.BigEndian.Uint64(v), nil
}

// v1EventID reads a version-1 event key; a key of another size means the file was not
// written by us.
func v1EventID(k []byte) (int64, error) {
	if len(k) != 8 {
		return 0, fmt.Errorf("event key of %d bytes, want 8: %w", len(k), errDamaged)
	}
	u := binary.BigEndian.Uint64(k)
	if u > math.MaxInt64 {
		return 0, fmt.Errorf("event id out of range: %w", errDamaged)
	}
	return int64(u), nil
}

var cursorEncoding = base64.RawURLEncoding

func encodeCursor(suffix []byte) string { return cursorEncoding.EncodeToString(suffix) }

// cursorLen is the size of the index key suffix a cursor holds: ascTime(start) and the
// execution number.
const cursorLen = timeKeyLen + 8

// decodeCursor returns the index key suffix (asc(start) + execution number) a cursor names.
func decodeCursor(c string) ([]byte, error) {
	b, err := cursorEncoding.DecodeString(c)
	if err != nil || len(b) != cursorLen {
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
