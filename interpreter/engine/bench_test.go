package engine

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// loopDefinition adds 1 with States.MathAdd and jumps back while i < n: two state
// transitions per turn.
const loopDefinition = `{"StartAt":"Inc","States":{
	"Inc":{"Type":"Pass","Parameters":{"i.$":"States.MathAdd($.i, 1)","n.$":"$.n"},"Next":"Check"},
	"Check":{"Type":"Choice","Choices":[{"Variable":"$.i","NumericLessThanPath":"$.n","Next":"Inc"}],"Default":"Done"},
	"Done":{"Type":"Succeed"}}}`

// BenchmarkLoopExpress measures state transitions per second of an EXPRESS execution
// (no history kept) on one goroutine.
func BenchmarkLoopExpress(b *testing.B) {
	d, err := asl.Parse([]byte(loopDefinition))
	if err != nil {
		b.Fatal(err)
	}
	turns := b.N/2 + 1
	input := value.MustParse(fmt.Sprintf(`{"i":0,"n":%d}`, turns))
	meta := Meta{Name: "bench", StateMachineName: "bench", Type: types.StateMachineTypeExpress, StartTime: epoch}
	x := New(d, meta, input, Options{TimeScale: 1})
	b.ReportAllocs()
	b.ResetTimer()
	for res := x.Start(epoch); res.More; res = x.Resume(epoch) {
	}
	b.StopTimer()
	if x.Status != types.ExecutionStatusSucceeded {
		b.Fatalf("status %s: %s", x.Status, x.Cause)
	}
	transitions := float64(2 * turns)
	b.ReportMetric(transitions/b.Elapsed().Seconds(), "transitions/s")
}

// BenchmarkInlineMap10000 runs an inline Map over 10,000 items with a Pass per item.
func BenchmarkInlineMap10000(b *testing.B) {
	items := make([]string, 10000)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id":%d}`, i)
	}
	input := value.MustParse(`{"items":[` + strings.Join(items, ",") + `]}`)
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","End":true,
		"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"n.$":"$.id"},"End":true}}}}}}`
	d, err := asl.Parse([]byte(def))
	if err != nil {
		b.Fatal(err)
	}
	for _, record := range []bool{false, true} {
		b.Run(fmt.Sprintf("history=%v", record), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				x := New(d, Meta{Name: "m", Type: types.StateMachineTypeExpress, StartTime: epoch}, input, Options{RecordHistory: record, TimeScale: 1})
				for res := x.Start(epoch); res.More; res = x.Resume(epoch) {
				}
				if x.Status != types.ExecutionStatusSucceeded {
					b.Fatalf("status %s: %s", x.Status, x.Cause)
				}
			}
		})
	}
}

// BenchmarkHistoryMemory reports the heap held by a finished execution whose history
// has 25,000 events.
func BenchmarkHistoryMemory(b *testing.B) {
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		x := newExec(b, loopDefinition, `{"i":0,"n":100000,"payload":"a modest payload of about fifty bytes of text"}`,
			Options{RecordHistory: true, HistoryLimit: MaxHistoryEvents, TimeScale: 1})
		if err := (&Runner{Clock: NewVirtualClock(epoch)}).Run(context.Background(), x); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if len(x.History) != MaxHistoryEvents {
			b.Fatalf("history has %d events", len(x.History))
		}
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB/25k-events")
		runtime.KeepAlive(x)
	}
}

// BenchmarkRunnerTasks measures what the runner adds to a Task: each turn of the loop
// runs one task through the registry (a handler that returns at once), on a virtual
// clock. It reports tasks per second.
func BenchmarkRunnerTasks(b *testing.B) {
	def := `{"StartAt":"Call","States":{
		"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"i.$":"States.MathAdd($.i, 1)","n.$":"$.n"},"OutputPath":"$.Payload","Next":"Check"},
		"Check":{"Type":"Choice","Choices":[{"Variable":"$.i","NumericLessThanPath":"$.n","Next":"Call"}],"Default":"Done"},
		"Done":{"Type":"Succeed"}}}`
	d, err := asl.Parse([]byte(def))
	if err != nil {
		b.Fatal(err)
	}
	reg := &Registry{}
	reg.Handle("arn:aws:states:::lambda:invoke", func(_ context.Context, call *TaskCall) (value.Value, error) {
		o := value.NewObject(1)
		o.Set("Payload", call.Input)
		return o, nil
	})
	input := value.MustParse(fmt.Sprintf(`{"i":0,"n":%d}`, b.N))
	meta := Meta{Name: "bench", StateMachineName: "bench", Type: types.StateMachineTypeExpress, StartTime: epoch}
	x := New(d, meta, input, Options{TimeScale: 1})
	b.ReportAllocs()
	b.ResetTimer()
	if err := (&Runner{Clock: NewVirtualClock(epoch), Handlers: reg}).Run(context.Background(), x); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if x.Status != types.ExecutionStatusSucceeded {
		b.Fatalf("status %s: %s", x.Status, x.Cause)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
}
