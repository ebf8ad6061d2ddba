// Package store keeps the local Step Functions engine's state in one bbolt file: opaque
// records by kind and key, executions with the indexes ListExecutions needs, and each
// execution's history. The service layer owns what the bytes mean; this package owns the
// layout, the ordering, the paging cursors, group commit and crash safety.
//
// # File format, version 1
//
// Everything below is what a later version must read to migrate a file. Integers in keys are
// big-endian so that bbolt's byte order is numeric order. lp(s) is a string with a 2-byte
// big-endian length before it, so that one key component can never be mistaken for the
// start of a longer one.
//
//	meta                          bucket
//	  "format"                    4-byte big-endian format version (1). Open refuses a newer one.
//	records                       bucket of buckets, one per kind (created on first Put)
//	  <kind>                      bucket
//	    <key>                     the caller's bytes
//	executions                    bucket
//	  <execution ARN>             row: 0x01, uvarint len + machine ARN, uvarint len + status,
//	                              8-byte start seconds (sign bit flipped), 4-byte nanoseconds,
//	                              then the caller's record bytes to the end
//	exec_index                    bucket; every execution has four keys, empty values:
//	  lp(scope) lp(status) desc(start) <execution ARN>
//	                              scope is the machine ARN or "" (all machines), status is the
//	                              row's status or "" (any status). desc(start) is the 12-byte
//	                              ascending time key (seconds with the sign bit flipped, then
//	                              nanoseconds) with every byte complemented, so that byte
//	                              order is newest first and equal starts fall back to ARN order.
//	events                        bucket of buckets, one per execution ARN
//	  <execution ARN>             bucket
//	    8-byte event id           the caller's event bytes; ids run 1..N with no gap
//
// A ListExecutions cursor is the base64url (unpadded) form of desc(start) followed by the
// ARN of the last row returned: a position in the index, so it stays valid when that row
// changes status or is deleted.
package store
