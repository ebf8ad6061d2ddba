package graph

import (
	"strings"
	"testing"
)

// BenchmarkRender300 lays out and draws a 300-state definition (Choices, catchers and
// loops reaching up to a dozen states away) — the target is under 20 ms.
func BenchmarkRender300(b *testing.B) {
	benchRender(b, genJSON(7, 300, 0, 12), Options{})
}

// BenchmarkRender300Nested: about 300 states at three depths of Parallel and Map, in
// colour, with a selection.
func BenchmarkRender300Nested(b *testing.B) {
	data := genJSON(11, 110, 2, 12)
	def := mustParse(b, data)
	benchRender(b, data, Options{Color: true, Selected: def.StartAt})
}

// BenchmarkRender300Tangled: 300 states whose rules and catchers point anywhere, the
// worst case for crossings and loop lanes.
func BenchmarkRender300Tangled(b *testing.B) {
	benchRender(b, genJSON(7, 300, 0, 0), Options{})
}

func benchRender(b *testing.B, data []byte, opts Options) {
	def := mustParse(b, data)
	out := Render(def, nil, opts)
	b.ReportAllocs()
	for b.Loop() {
		Render(def, nil, opts)
	}
	b.ReportMetric(float64(def.Count), "states")
	b.ReportMetric(float64(len(strings.Split(out, "\n"))), "rows")
}

func BenchmarkPaint(b *testing.B) {
	def := mustParse(b, []byte(mapDef))
	var lines []string
	lines = append(lines, "1 0 ExecutionStarted", "2 0 MapStateEntered Each", "3 2 MapStateStarted 2000")
	id := 4
	for i := 0; i < 2000; i++ {
		lines = append(lines,
			itoa(id)+" 3 MapIterationStarted Each "+itoa(i),
			itoa(id+1)+" "+itoa(id)+" PassStateEntered Work",
			itoa(id+2)+" "+itoa(id+1)+" PassStateExited Work",
			itoa(id+3)+" "+itoa(id+2)+" MapIterationSucceeded Each "+itoa(i))
		id += 4
	}
	evs, err := ParseHistory([]byte(events(b, lines...)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Paint(def, evs)
	}
}
