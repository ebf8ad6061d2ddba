package graph

import (
	"strings"
	"testing"
)

// TestCheckerCatchesDamage: the checker is the oracle of the sweeps, so it must see
// damage: a broken line, a missing arrow, a line drawn to the wrong box, a missing
// state, a line too wide.
func TestCheckerCatchesDamage(t *testing.T) {
	def := exampleDef(t, "batch-job-poller.asl.json")
	out := Render(def, nil, Options{})
	if p := checkGraph(def, out, 0); len(p) > 0 {
		t.Fatalf("the undamaged graph fails the check:\n%s", joinLines(p))
	}
	replaceNth := func(s, old, new string, n int) string {
		i := -1
		for k := 0; k <= n; k++ {
			j := strings.Index(s[i+1:], old)
			if j < 0 {
				return s
			}
			i += 1 + j
		}
		return s[:i] + new + s[i+len(old):]
	}
	cases := map[string]string{
		"broken vertical":   replaceNth(out, "│", " ", 3),
		"broken horizontal": replaceNth(out, "╯", "─", 0),
		"no arrow":          replaceNth(out, "▼", "│", 1),
		"state missing":     strings.Replace(out, "Job Failed", "Job Faile_", 1),
		"catch drawn solid": strings.ReplaceAll(out, "┆", "│"),
	}
	for name, damaged := range cases {
		if damaged == out {
			t.Fatalf("%s: the damage did not apply", name)
		}
		if p := checkGraph(def, damaged, 0); len(p) == 0 {
			t.Errorf("%s: the checker saw nothing wrong in\n%s", name, damaged)
		}
	}
	if p := checkGraph(def, out, 20); len(p) == 0 {
		t.Errorf("a graph wider than 20 cells passed a check for width 20")
	}
}
