package debug

import (
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// BenchmarkStep measures one step (release a held branch, run its state, hold it before
// the next) on a machine that loops through a Pass and a Choice forever.
func BenchmarkStep(b *testing.B) {
	def, err := asl.Parse([]byte(`{"StartAt":"Inc","States":{
		"Inc":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"Again"},
		"Again":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":-1,"Next":"Done"}],"Default":"Inc"},
		"Done":{"Type":"Succeed"}}}`))
	if err != nil {
		b.Fatal(err)
	}
	start := func() *Session {
		s, err := New(Config{Definition: def, Input: value.MustParse(`{"n":0}`)})
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	s := start()
	defer func() { s.Close() }()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%10000 == 9999 {
			// A fresh execution before the history quota (25,000 events) ends this one.
			b.StopTimer()
			s.Close()
			s = start()
			b.StartTimer()
		}
		if err := s.Step(-1); err != nil {
			b.Fatal(err)
		}
	}
}
