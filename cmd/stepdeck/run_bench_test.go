package main

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// heapSampler is an output that notes the live heap every so many writes: what a run
// holds while it prints its history.
type heapSampler struct {
	writes int
	bytes  int64
	peak   uint64
}

func (h *heapSampler) Write(p []byte) (int, error) {
	h.writes++
	h.bytes += int64(len(p))
	if h.writes%20_000 == 0 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h.peak = max(h.peak, m.HeapAlloc)
	}
	return len(p), nil
}

// BenchmarkRunExpressHistory runs an EXPRESS execution of 200,000 events with --history
// and reports the most heap live while it printed them: the history streams out, so it
// stays near what a run of a few events holds instead of growing with the events.
func BenchmarkRunExpressHistory(b *testing.B) {
	def := `{"StartAt":"More?","States":{
		"More?":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThanEquals":50000,"Next":"Done"}],"Default":"Count"},
		"Count":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"More?"},
		"Done":{"Type":"Succeed"}}}`
	file := filepath.Join(b.TempDir(), "loop.asl.json")
	if err := os.WriteFile(file, []byte(def), 0o600); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		out := &heapSampler{}
		cmd := newRootCommand()
		cmd.SetOut(out)
		cmd.SetErr(out)
		cmd.SetArgs([]string{"run", file, "--type", "EXPRESS", "--history", "-o", "json", "--input", `{"n":0}`})
		if err := cmd.Execute(); err != nil {
			b.Fatal(err)
		}
		if out.writes < 400_000 {
			b.Fatalf("only %d writes: the history was not printed", out.writes)
		}
		b.ReportMetric(float64(out.peak)/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(out.bytes)/(1<<20), "output-MB")
	}
}
