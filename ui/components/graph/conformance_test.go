package graph

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/conformance"
)

// conformanceDefs reads every definition in the recorded AWS executions that asl.Parse
// accepts, largest first (ties by file path, so the order is stable).
func conformanceDefs(t *testing.T) []namedDef {
	dir := conformance.DataDir(t, "asl")
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".json" {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	type cand struct {
		path string
		def  *asl.Definition
		src  string
	}
	var cs []cand
	seen := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Definition json.RawMessage `json:"definition"`
		}
		if json.Unmarshal(data, &doc) != nil || len(doc.Definition) == 0 {
			continue
		}
		src := []byte(doc.Definition)
		var s string
		if json.Unmarshal(src, &s) == nil {
			src = []byte(s)
		}
		def, err := asl.Parse(src)
		if err != nil || seen[string(src)] {
			continue
		}
		seen[string(src)] = true
		cs = append(cs, cand{f, def, string(src)})
	}
	if len(cs) == 0 {
		t.Fatalf("no parseable definition under %s: has the layout of the conformance data changed?", dir)
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].def.Count != cs[j].def.Count {
			return cs[i].def.Count > cs[j].def.Count
		}
		return cs[i].path < cs[j].path
	})
	out := make([]namedDef, len(cs))
	for i, c := range cs {
		h := fnv.New32a()
		h.Write([]byte(c.src))
		// Named by content, so a changed corpus shows up as a missing golden file.
		out[i] = namedDef{fmt.Sprintf("conformance-%08x", h.Sum32()), c.def}
	}
	return out
}

// TestGoldenConformance draws the largest definitions AWS executed in the recordings.
func TestGoldenConformance(t *testing.T) {
	defs := conformanceDefs(t)
	for _, d := range defs[:min(6, len(defs))] {
		t.Run(d.name, func(t *testing.T) {
			out := Render(d.def, nil, Options{})
			if p := checkGraph(d.def, out, 0); len(p) > 0 {
				t.Errorf("checker:\n%s\n%s", joinLines(p), out)
			}
			golden(t, d.name, out)
		})
	}
}

// TestConformanceSweep draws every recorded definition at a spread of widths, and the
// largest ones at every width from 40 to 200.
func TestConformanceSweep(t *testing.T) {
	defs := conformanceDefs(t)
	for i, d := range defs {
		graphs := 0
		if i < 6 {
			for w := 40; w <= 200; w++ {
				sweepOne(t, d.def, w, &graphs)
			}
			continue
		}
		for _, w := range []int{0, 40, 60, 80, 120, 200} {
			sweepOne(t, d.def, w, &graphs)
		}
	}
	t.Logf("%d definitions swept", len(defs))
}
