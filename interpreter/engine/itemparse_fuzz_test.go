package engine

import (
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// FuzzParseItems feeds arbitrary object bodies to every reader configuration: each
// either gives items (never more than MaxItems; CSV items are objects of strings with
// one key per header) or a clear error, and never panics.
func FuzzParseItems(f *testing.F) {
	f.Add("a,b\n1,2\n3\n", uint8(0), int64(0))
	f.Add("\"x\ny\",z\n\"q\"\"\",\n", uint8(1), int64(1))
	f.Add("[1,{\"a\":2}]", uint8(3), int64(0))
	f.Add("{\"a\":1}\n\n[2]\n", uint8(4), int64(2))
	f.Add("a|a\n1|2", uint8(2), int64(0))
	readers := []*asl.ItemReader{
		{InputType: "CSV"},
		{InputType: "CSV", CSVHeaderLocation: "GIVEN", CSVHeaders: []string{"h1", "h2"}},
		{InputType: "CSV", CSVDelimiter: "PIPE"},
		{InputType: "JSON"},
		{InputType: "JSONL"},
		{InputType: "CSV", CSVDelimiter: "TAB"},
	}
	f.Fuzz(func(t *testing.T, body string, which uint8, max int64) {
		r := readers[int(which)%len(readers)]
		items, err := parseItems(r, body, max)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error with no text")
			}
			return
		}
		if items == nil {
			t.Fatal("nil items without an error")
		}
		if max > 0 && int64(len(items)) > max {
			t.Fatalf("%d items, MaxItems %d", len(items), max)
		}
		if r.InputType != "CSV" {
			return
		}
		for _, it := range items {
			o, ok := it.(*value.Object)
			if !ok {
				t.Fatalf("a CSV item that is not an object: %s", value.String(it))
			}
			if r.CSVHeaders != nil && o.Len() != len(r.CSVHeaders) {
				t.Fatalf("item %s has %d keys, want one per header", value.String(o), o.Len())
			}
			for i := range o.Len() {
				if _, v := o.At(i); value.KindOf(v) != value.KindString {
					t.Fatalf("a CSV value that is not a string: %s", value.String(o))
				}
			}
		}
	})
}
