package asl

import (
	"fmt"
	"strings"
	"testing"
)

// bigDefinition is a machine of n Pass states in a chain, each with a Parameters block:
// near AWS's 1 MB limit at n = 4000.
func bigDefinition(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"StartAt":"S0","States":{`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		next := fmt.Sprintf(`"Next":"S%d"`, i+1)
		if i == n-1 {
			next = `"End":true`
		}
		fmt.Fprintf(&b, `"S%d":{"Type":"Pass","Parameters":{"order.$":"$.order","line":%d,"tags":["a","b","c"],"note":"state number %d of the chain"},"ResultPath":"$.r%d",%s}`, i, i, i, i%50, next)
	}
	b.WriteString(`}}`)
	return []byte(b.String())
}

// BenchmarkParseLargeDefinition parses and validates a definition of about 660 KB, with
// the position of every value kept for the diagnostics (about a third of the time).
// Budget: under 100 ms on a busy machine, since CreateStateMachine and validate pay it
// once per definition.
func BenchmarkParseLargeDefinition(b *testing.B) {
	data := bigDefinition(4000)
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
