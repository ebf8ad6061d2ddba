package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/pierrec/lz4/v4"
)

// Version 2 compresses the caller's bytes (execution records, history events) as LZ4
// blocks (github.com/pierrec/lz4), made by LZ4's HC compressor at level 1. Measured on a
// small execution's history (1,926 bytes of JSON): LZ4 HC keeps 490 bytes and decodes
// them in 0.2 µs; DEFLATE (compress/flate) keeps 364 but takes 5 µs to decode; Snappy
// keeps 538 and takes 0.35 µs, and 2.2 µs for a 16 KiB chunk of repetitive events that
// LZ4 decodes in 0.3 µs. Decoding speed decides: every row ListExecutions returns and
// every chunk of a history page is decoded on the read path, while compression happens
// once per write, where HC's 4 µs a block (LZ4's fast compressor: 1 µs, 8% bigger) is
// small beside the commit.

// errDamaged is wrapped by every decoding error: the bytes were not written by this
// package, or were written over since.
var errDamaged = errors.New("the store file is damaged")

// maxLZ4Ratio bounds how much a valid LZ4 block can expand: a match length grows by 255
// per byte. A block claiming more is damage, and refusing it keeps a damaged value from
// making us allocate gigabytes.
const maxLZ4Ratio = 256

var compressors = sync.Pool{New: func() any { return &lz4.CompressorHC{Level: lz4.Level1} }}

// compress appends a compressed block of src to dst: uvarint length of src, then src as
// one LZ4 block (nothing more when src is empty).
func compress(dst, src []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(src)))
	if len(src) == 0 {
		return dst
	}
	n := len(dst)
	dst = append(dst, make([]byte, lz4.CompressBlockBound(len(src)))...)
	c := compressors.Get().(*lz4.CompressorHC)
	m, err := c.CompressBlock(src, dst[n:])
	compressors.Put(c)
	if err != nil || m == 0 {
		// With a destination of CompressBlockBound bytes this cannot happen.
		panic(fmt.Sprintf("store: LZ4 compression of %d bytes failed: %v", len(src), err))
	}
	return dst[:n+m]
}

// decompressedLen reads the length a compressed block decodes to, and the block.
func decompressedLen(src []byte) (int, []byte, error) {
	n, w := binary.Uvarint(src)
	if w <= 0 || n > uint64(maxLZ4Ratio*len(src)) || (n == 0) != (w == len(src)) {
		return 0, nil, fmt.Errorf("compressed block: %w", errDamaged)
	}
	return int(n), src[w:], nil
}

// decompressInto decodes a compressed block into dst, which must be as long as
// decompressedLen says.
func decompressInto(dst, src []byte) error {
	n, block, err := decompressedLen(src)
	if err != nil || n != len(dst) {
		return fmt.Errorf("compressed block: %w", errDamaged)
	}
	if n == 0 {
		return nil
	}
	if m, err := lz4.UncompressBlock(block, dst); err != nil || m != n {
		return fmt.Errorf("compressed block: %w", errDamaged)
	}
	return nil
}

// decompress decodes a compressed block into a new slice.
func decompress(src []byte) ([]byte, error) {
	n, _, err := decompressedLen(src)
	if err != nil {
		return nil, err
	}
	out := make([]byte, n)
	return out, decompressInto(out, src)
}

// reader takes length-prefixed fields off the front of a byte slice; the first failure
// sticks, so a decoder checks ok once at the end.
type reader struct {
	b  []byte
	ok bool
}

func (r *reader) uvarint() uint64 {
	if !r.ok {
		return 0
	}
	n, w := binary.Uvarint(r.b)
	if w <= 0 {
		r.ok = false
		return 0
	}
	r.b = r.b[w:]
	return n
}

// bytes returns a uvarint-length-prefixed field, a view into the input.
func (r *reader) bytes() []byte {
	n := r.uvarint()
	if !r.ok || n > uint64(len(r.b)) {
		r.ok = false
		return nil
	}
	f := r.b[:n:n]
	r.b = r.b[n:]
	return f
}

func (r *reader) fixed(n int) []byte {
	if !r.ok || len(r.b) < n {
		r.ok = false
		return nil
	}
	f := r.b[:n]
	r.b = r.b[n:]
	return f
}

func appendField(dst, f []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(f)))
	return append(dst, f...)
}

// rowHead is the part of a row kept uncompressed: what the index keys are made of, so
// that moving a row's index entries never needs its record decoded.
type rowHead struct {
	machine uint64 // machine number; 0 when the row has no machine ARN
	status  string
	start   time.Time
}

// encodeRow is a version-2 row: uvarint machine number, uvarint length + status,
// ascTime(start), then one compressed block of lp'(ARN) lp'(machine ARN) record, where lp'
// is a uvarint length before the bytes. ARNs and record share one block because the
// service's record repeats both ARNs.
func encodeRow(r ExecutionRow, machine uint64) []byte {
	raw := make([]byte, 0, 2*binary.MaxVarintLen64+len(r.Arn)+len(r.MachineArn)+len(r.Record))
	raw = appendField(raw, []byte(r.Arn))
	raw = appendField(raw, []byte(r.MachineArn))
	raw = append(raw, r.Record...)
	b := make([]byte, 0, 3*binary.MaxVarintLen64+len(r.Status)+timeKeyLen+lz4.CompressBlockBound(len(raw)))
	b = binary.AppendUvarint(b, machine)
	b = appendField(b, []byte(r.Status))
	b = ascTime(b, r.Start)
	return compress(b, raw)
}

// decodeRowHead reads a row's uncompressed head and returns the compressed rest.
func decodeRowHead(b []byte) (rowHead, []byte, error) {
	rd := reader{b: b, ok: true}
	h := rowHead{machine: rd.uvarint(), status: string(rd.bytes())}
	t := rd.fixed(timeKeyLen)
	if !rd.ok {
		return h, nil, fmt.Errorf("execution row: %w", errDamaged)
	}
	h.start = decodeAscTime(t)
	return h, rd.b, nil
}

// decodeRow reads a whole row. Record is a fresh slice the caller may keep.
func decodeRow(b []byte) (ExecutionRow, rowHead, error) {
	h, rest, err := decodeRowHead(b)
	if err != nil {
		return ExecutionRow{}, h, err
	}
	raw, err := decompress(rest)
	if err != nil {
		return ExecutionRow{}, h, fmt.Errorf("execution row: %w", err)
	}
	rd := reader{b: raw, ok: true}
	arn, machine := rd.bytes(), rd.bytes()
	if !rd.ok || len(arn) == 0 {
		return ExecutionRow{}, h, fmt.Errorf("execution row: %w", errDamaged)
	}
	if (h.machine == 0) != (len(machine) == 0) {
		return ExecutionRow{}, h, fmt.Errorf("execution row: machine number %d for machine %q: %w", h.machine, truncate(string(machine), 80), errDamaged)
	}
	rec := rd.b
	if rec == nil {
		rec = []byte{}
	}
	return ExecutionRow{Arn: string(arn), MachineArn: string(machine), Status: h.status, Start: h.start, Record: rec}, h, nil
}

// A history chunk holds consecutive events of one execution: uvarint count, then one
// compressed block of the events, each a uvarint length and the bytes. Its key is the
// execution number and the id of its last event, so that seeking to an id lands on the
// chunk that holds it.

// Chunks grow by merging appends until they hold maxChunkEvents events or
// maxChunkBytes bytes before compression: big enough that events compress together
// (one small execution's history is one chunk), small enough that reading a page of a
// long history decodes little beyond the page.
const (
	maxChunkEvents = 64
	maxChunkBytes  = 16 << 10
)

func chunkKey(num uint64, lastID int64) []byte {
	k := binary.BigEndian.AppendUint64(make([]byte, 0, 16), num)
	return binary.BigEndian.AppendUint64(k, uint64(lastID))
}

// chunkKeyID reads a chunk key, checking that it belongs to execution num.
func chunkKeyID(k []byte, num uint64) (int64, bool, error) {
	if len(k) != 16 {
		return 0, false, fmt.Errorf("history key of %d bytes, want 16: %w", len(k), errDamaged)
	}
	if binary.BigEndian.Uint64(k) != num {
		return 0, false, nil
	}
	id := binary.BigEndian.Uint64(k[8:])
	if id == 0 || id > math.MaxInt64 {
		return 0, false, fmt.Errorf("history key with event id %d: %w", id, errDamaged)
	}
	return int64(id), true, nil
}

func encodeChunk(events [][]byte) []byte {
	size := 0
	for _, ev := range events {
		size += binary.MaxVarintLen32 + len(ev)
	}
	raw := make([]byte, 0, size)
	for _, ev := range events {
		raw = appendField(raw, ev)
	}
	b := binary.AppendUvarint(make([]byte, 0, 2*binary.MaxVarintLen64+lz4.CompressBlockBound(len(raw))), uint64(len(events)))
	return compress(b, raw)
}

// chunkHead reads a chunk's event count and the size of its events before compression.
func chunkHead(v []byte) (count int64, rawSize int, err error) {
	rd := reader{b: v, ok: true}
	n := rd.uvarint()
	if !rd.ok || n == 0 || n > math.MaxInt32 {
		return 0, 0, fmt.Errorf("history chunk header: %w", errDamaged)
	}
	size, _, err := decompressedLen(rd.b)
	if err != nil {
		return 0, 0, fmt.Errorf("history chunk: %w", err)
	}
	// Every event takes at least its length byte, which bounds a damaged count.
	if n > uint64(size) {
		return 0, 0, fmt.Errorf("history chunk of %d events in %d bytes: %w", n, size, errDamaged)
	}
	return int64(n), size, nil
}

// decodeChunk returns a chunk's events, views into one fresh buffer, each capped so that
// appending to one cannot overwrite the next.
func decodeChunk(v []byte) ([][]byte, error) {
	count, size, err := chunkHead(v)
	if err != nil {
		return nil, err
	}
	return decodeChunkInto(make([]byte, size), v, make([][]byte, 0, count))
}

// decodeChunkInto decodes chunk v into dst, which must be as long as chunkHead says, and
// appends views of its events, each capped, to events.
func decodeChunkInto(dst, v []byte, events [][]byte) ([][]byte, error) {
	rd := reader{b: v, ok: true}
	n := rd.uvarint()
	if !rd.ok || n == 0 || n > math.MaxInt32 {
		return nil, fmt.Errorf("history chunk header: %w", errDamaged)
	}
	if err := decompressInto(dst, rd.b); err != nil {
		return nil, fmt.Errorf("history chunk: %w", err)
	}
	raw := dst
	// Every event takes at least its length byte, which bounds a damaged count.
	if n > uint64(len(raw)) {
		return nil, fmt.Errorf("history chunk of %d events in %d bytes: %w", n, len(raw), errDamaged)
	}
	rd = reader{b: raw, ok: true}
	for range n {
		ev := rd.bytes()
		if !rd.ok {
			return nil, fmt.Errorf("history chunk: %w", errDamaged)
		}
		events = append(events, ev)
	}
	if len(rd.b) != 0 {
		return nil, fmt.Errorf("history chunk with %d bytes after its %d events: %w", len(rd.b), n, errDamaged)
	}
	return events, nil
}
