// Package store keeps the local Step Functions engine's state in one bbolt file: opaque
// records by kind and key, executions with the indexes ListExecutions needs, and each
// execution's history. The service layer owns what the bytes mean; this package owns the
// layout, the ordering, the paging cursors, group commit and crash safety.
//
// # File format, version 2
//
// Integers in keys are big-endian so that bbolt's byte order is numeric order. lp(s) is a
// string with a 2-byte big-endian length before it, so that one key component can never
// be mistaken for the start of a longer one. uv(b) is bytes with a uvarint length before
// them. asc(t) is the 12-byte time key: seconds with the sign bit flipped, then
// nanoseconds, so that byte order is time order for any time.Time. z(b) is b compressed:
// uvarint length of b, then b as one LZ4 block (nothing more when b is empty).
//
//	meta                          bucket
//	  "format"                    4-byte big-endian format version (2). Open refuses a newer one.
//	  "moved"                     present only in a version-1 file a migration has replaced
//	records                       bucket of buckets, one per kind (created on first Put)
//	  <kind>                      bucket
//	    <key>                     the caller's bytes
//	exec_numbers                  bucket; its sequence is the last execution number given
//	  <execution ARN>             8-byte execution number (from 1)
//	machine_numbers               bucket; its sequence is the last machine number given
//	  <state machine ARN>         8-byte machine number (from 1; 0 stands for every machine)
//	exec_rows                     bucket
//	  8-byte execution number     row: uvarint machine number (0 when the row has no machine
//	                              ARN), uv(status), asc(start), then
//	                              z(uv(execution ARN) uv(machine ARN) record), where the
//	                              record is the caller's bytes to the end of the block
//	exec_order                    bucket of buckets, one per range: every execution is in four
//	  8-byte scope, lp(status)    bucket, for the scope (a machine number, or 0 for every
//	                              machine) and status ("" for any status) of the range
//	    asc(start) 8-byte number  empty value: byte order is start order, and equal starts
//	                              go in the order the executions were first stored
//	history                       bucket
//	  8-byte execution number,    chunk of consecutive events: uvarint count, then
//	  8-byte id of its last event z(uv(event) for each event). Ids run 1..N with no
//	                              gap; a chunk grows by taking in later appends until it
//	                              holds 64 events or 16 KiB before compression
//
// ListExecutions walks a range from its end (newest first). Its cursor is the base64url
// (unpadded) form of the 20-byte key of the last row returned: a position in the range, so
// it stays valid when that row changes status or is deleted.
//
// Ranges empty of keys are deleted. Numbers are never reused: a deleted execution's number
// is gone, and an execution stored again under the same ARN gets a new one.
//
// # Why version 2 is laid out so
//
// Version 1 took 6,860 bytes of file per small execution (8 events, 1.9 KB of history
// JSON, BenchmarkBytesPerExecution in the service package), measured with bbolt's bucket
// statistics: 4,284 for its history, whose own bucket passed the inline limit and so took
// a whole 4 KB page of which 2,248 bytes were used; 1,475 for its row, keyed by ARN, in
// pages that random keys fill to about 70%; 1,057 for its four index keys of 138 bytes
// each, which carried both ARNs. Version 2 takes about 1,660: its history chunk about
// 580 (543 used), its row about 680 (608 used), its four index entries about 165 (144
// used) and its ARN's number about 160 (114 used).
//
//   - Histories share one bucket, so small ones share pages, and events are compressed
//     together in chunks: JSON events repeat their field names and their data, and a
//     small execution's history compresses to a quarter as one block.
//   - Rows, index keys and history chunks name an execution by its 8-byte number, handed
//     out in order, so they are appended at the end of their buckets, which bbolt fills
//     to the brim (FillPercent 1.0). Only exec_numbers, keyed by ARN, fills at random.
//   - Pages are 8 KB (bbolt keeps the page size a file was made with; the migration and
//     `serve --compact` make 8 KB ones). When a
//     commit adds one value to a full page, bbolt splits it leaving the page's last two
//     values to a new page, so a bucket appended one value per commit keeps two values
//     fewer per page than fit. Rows and chunks are about 600 bytes: six fit a 4 KB page,
//     which then holds four; thirteen fit an 8 KB page, which holds eleven. With one
//     execution per commit, the worst case, a small execution takes 2,230 bytes with 4 KB
//     pages and 1,780 with 8 KB ones.
//   - Each index range is a bucket of its own: it only grows at its end, and its keys
//     carry neither scope nor status.
//   - LZ4 rather than DEFLATE or Snappy, for its decoding speed (see codec.go): the
//     read path decodes every row it lists and every chunk of a history page.
//
// # File format, version 1, and the migration
//
// Open rewrites a version-1 file as version 2 before it returns: into a new file beside
// it (the same name with ".migrating" added), in transactions of about 32 MB, synced, and
// then renamed over the old one, so that a crash at any point leaves either the untouched
// version-1 file, which migrates again on the next Open (the leftover work file is
// removed first), or the whole version-2 file. The old file, still open and locked, is
// then marked "moved", so that a process that was waiting for its lock opens the path
// again instead of migrating the old contents over the new file. Executions are migrated
// oldest start first, equal starts in descending ARN order, which lists them in the order
// version 1 did; executions stored later go by their numbers.
//
// Version 1, as the migration reads it:
//
//	meta                          bucket
//	  "format"                    4-byte big-endian format version (1)
//	records                       bucket of buckets, one per kind, as in version 2
//	executions                    bucket
//	  <execution ARN>             row: 0x01, uvarint len + machine ARN, uvarint len + status,
//	                              asc(start), then the caller's record bytes to the end
//	exec_index                    bucket; every execution has four keys, empty values:
//	  lp(scope) lp(status) desc(start) <execution ARN>
//	                              scope is the machine ARN or "" (all machines), status is the
//	                              row's status or "" (any status). desc(start) is asc(start)
//	                              with every byte complemented, so that byte order is newest
//	                              first and equal starts fall back to ARN order.
//	events                        bucket of buckets, one per execution ARN
//	  <execution ARN>             bucket
//	    8-byte event id           the caller's event bytes; ids run 1..N with no gap
//
// A version-1 ListExecutions cursor was desc(start) followed by an ARN; version 2 refuses
// one as an invalid cursor (ErrBadCursor), so a client paging across the upgrade starts
// its listing again.
package store
