package graph

import (
	"strconv"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

func itoa(n int) string { return strconv.Itoa(n) }

// FuzzRender draws random valid definitions at random widths: never a panic, and every
// graph drawn passes the checker.
func FuzzRender(f *testing.F) {
	for _, s := range []uint64{1, 2, 3, 42, 99} {
		f.Add(s, uint8(8), uint8(1), uint16(0))
		f.Add(s, uint8(20), uint8(2), uint16(60))
	}
	f.Fuzz(func(t *testing.T, seed uint64, n, depth uint8, w uint16) {
		src := genJSON(seed, 1+int(n%40), int(depth%3), int(seed%3)*6)
		def, err := asl.Parse(src)
		if err != nil {
			t.Skip("not a valid definition")
		}
		width := int(w % 260)
		out := Render(def, nil, Options{Width: width})
		if containsBox(out) {
			if p := checkGraph(def, out, width); len(p) > 0 {
				t.Fatalf("%s\n%s\n%s", src, joinLines(p), out)
			}
		} else if p := checkOutline(def, out, width); len(p) > 0 {
			t.Fatalf("%s\n%s\n%s", src, joinLines(p), out)
		}
		Render(def, map[string]Status{def.StartAt: Running}, Options{Width: width, Height: int(n), Mode: Pan, Selected: def.StartAt, Color: true})
		for d := Up; d <= Right; d++ {
			Move(def, def.StartAt, d, Options{Width: width})
		}
	})
}

// FuzzParseHistory feeds arbitrary bytes to the history reader and the painter.
func FuzzParseHistory(f *testing.F) {
	f.Add([]byte(`{"events":[{"type":"MapIterationStarted","id":2,"previousEventId":1,"mapIterationStartedEventDetails":{"name":"Each","index":3}}]}`))
	f.Add([]byte(`[{"type":"TaskStateEntered","id":1,"previousEventId":1,"stateEnteredEventDetails":{"name":"Work"}}]`))
	f.Add([]byte(`[{"type":"ParallelStateFailed","id":1,"previousEventId":0}]`))
	def, err := asl.Parse([]byte(mapDef))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		evs, err := ParseHistory(data)
		if err != nil {
			return
		}
		p := Paint(def, evs)
		p.Iterations("Each", nil)
		Render(def, nil, Options{Painting: p})
	})
}

func containsBox(s string) bool {
	for _, r := range s {
		if r == '┌' || r == '┏' {
			return true
		}
	}
	return false
}
