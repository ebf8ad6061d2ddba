package graph

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name.golden, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it, then review it)", err)
	}
	if string(want) != got+"\n" {
		t.Errorf("%s differs from the golden file; got:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestGoldenShapes(t *testing.T) {
	for _, s := range shapes(t) {
		t.Run(s.name, func(t *testing.T) {
			out := Render(s.def, nil, Options{})
			if p := checkGraph(s.def, out, 0); len(p) > 0 {
				t.Errorf("checker:\n%s\n%s", joinLines(p), out)
			}
			golden(t, s.name, out)
			golden(t, s.name+"-outline", Outline(s.def, nil, Options{}))
		})
	}
}

func joinLines(p []string) string {
	s := ""
	for _, l := range p {
		s += "  " + l + "\n"
	}
	return s
}

// TestWidthSweep draws each shape at every width from 40 to 200 columns: the result is
// either a graph the checker accepts or the outline, and never wider than asked.
func TestWidthSweep(t *testing.T) {
	for _, s := range shapes(t) {
		t.Run(s.name, func(t *testing.T) {
			graphs := 0
			for w := 40; w <= 200; w++ {
				sweepOne(t, s.def, w, &graphs)
			}
			if graphs == 0 {
				t.Errorf("no width from 40 to 200 drew the graph; only outlines")
			}
		})
	}
}

func sweepOne(t *testing.T, def *asl.Definition, w int, graphs *int) {
	t.Helper()
	out := Render(def, nil, Options{Width: w})
	if strings.ContainsAny(out, "┌┏") {
		*graphs++
		if p := checkGraph(def, out, w); len(p) > 0 {
			t.Fatalf("width %d:\n%s%s", w, joinLines(p), out)
		}
		return
	}
	if p := checkOutline(def, out, w); len(p) > 0 {
		t.Fatalf("width %d, outline:\n%s%s", w, joinLines(p), out)
	}
}

// checkOutline checks an outline: no line wider than w, and (read from the full-width
// outline) every state on exactly one line of its own.
func checkOutline(def *asl.Definition, out string, w int) []string {
	var problems []string
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if lw := lipgloss.Width(l); w > 0 && lw > w {
			problems = append(problems, fmt.Sprintf("line %d is %d cells wide, over %d", i+1, lw, w))
		}
	}
	full := strings.Split(Outline(def, nil, Options{}), "\n")
	if len(full) != len(lines) {
		problems = append(problems, fmt.Sprintf("%d lines, but %d at full width", len(lines), len(full)))
	}
	var names []string
	allNames(&def.Scope, &names)
	for _, n := range names {
		count := 0
		for _, l := range full {
			body := strings.TrimLeft(l, " │")
			body = strings.TrimPrefix(body, "▸")
			if strings.HasPrefix(body, clean(n)+" · ") {
				count++
			}
		}
		if count != 1 {
			problems = append(problems, fmt.Sprintf("state %q is on %d lines of the outline", n, count))
		}
	}
	return problems
}
