// Package ids makes the random identifiers Step Functions hands out: execution names
// (UUIDs) and task tokens.
package ids

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// UUID returns a random (version 4) UUID.
func UUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// TaskToken returns an opaque task token carrying 256 random bits, so tokens cannot be
// guessed from one another.
func TaskToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
