package graph

import (
	"fmt"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

// edge is one drawn transition. Transitions with the same ends and the same line style
// are merged into one edge, so a Choice whose rule and Default both lead to one state
// draws one line labelled with both.
type edge struct {
	from, to string
	catch    bool // drawn dashed: the error path
	label    string
}

// scopeEdges lists the edges of one scope in the order a reader expects: Next, the
// Choice rules, Default, then the catchers.
func scopeEdges(s *asl.Scope) []edge {
	var out []edge
	index := map[[2]string]int{}
	add := func(from, to string, catch bool, label string) {
		if to == "" {
			return
		}
		if _, ok := s.States[to]; !ok {
			return // asl.Parse rejects this; a hand-built definition may not
		}
		kind := "n"
		if catch {
			kind = "c"
		}
		key := [2]string{from + "\x00" + kind, to}
		if i, ok := index[key]; ok {
			if label != "" {
				if out[i].label != "" {
					out[i].label += " | "
				}
				out[i].label += label
			}
			return
		}
		index[key] = len(out)
		out = append(out, edge{from: from, to: to, catch: catch, label: label})
	}
	for _, name := range s.Order {
		st := s.States[name]
		if st == nil {
			continue
		}
		add(name, st.Next, false, "")
		for i, r := range st.Choices {
			if r == nil {
				continue
			}
			label := clean(r.String())
			if strings.TrimSpace(label) == "" {
				label = fmt.Sprintf("rule %d", i+1)
			}
			add(name, r.Next(), false, label)
		}
		if st.Default != "" {
			add(name, st.Default, false, "Default")
		}
		for _, c := range st.Catch {
			add(name, c.Next, true, clean(strings.Join(c.ErrorEquals, ",")))
		}
	}
	return out
}

// typeTag is the short type shown on a state's border.
func typeTag(st *asl.State) string {
	t := string(st.Type)
	if st.Type == asl.Task {
		if strings.HasSuffix(st.Resource, ".waitForTaskToken") {
			t = "Task ⧗token"
		}
	}
	if st.Type == asl.Map && st.ProcessorMode == "DISTRIBUTED" {
		t = "Map distributed"
	}
	return t
}

// retries is the largest MaxAttempts of a state's retriers: the badge ↻N.
func retries(st *asl.State) int64 {
	var n int64
	for _, r := range st.Retry {
		if r.MaxAttempts > n {
			n = r.MaxAttempts
		}
	}
	return n
}
