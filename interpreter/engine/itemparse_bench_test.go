package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

// BenchmarkParseItems reads a 10,000-row object in each input type.
func BenchmarkParseItems(b *testing.B) {
	const rows = 10000
	var csv, jsonl, arr strings.Builder
	csv.WriteString("id,name,qty\n")
	arr.WriteString("[")
	for i := range rows {
		fmt.Fprintf(&csv, "%d,item %d,%d\n", i, i, i%7)
		fmt.Fprintf(&jsonl, "{\"id\":%d,\"name\":\"item %d\",\"qty\":%d}\n", i, i, i%7)
		if i > 0 {
			arr.WriteString(",")
		}
		fmt.Fprintf(&arr, "{\"id\":%d,\"name\":\"item %d\",\"qty\":%d}", i, i, i%7)
	}
	arr.WriteString("]")
	for _, tc := range []struct {
		name string
		r    *asl.ItemReader
		body string
	}{
		{"CSV", &asl.ItemReader{InputType: "CSV"}, csv.String()},
		{"JSONL", &asl.ItemReader{InputType: "JSONL"}, jsonl.String()},
		{"JSON", &asl.ItemReader{InputType: "JSON"}, arr.String()},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.body)))
			for b.Loop() {
				items, err := parseItems(tc.r, tc.body, 0)
				if err != nil || len(items) != rows {
					b.Fatalf("%d items, %v", len(items), err)
				}
			}
		})
	}
}
