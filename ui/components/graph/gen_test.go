package graph

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
)

// genDef writes a random definition that asl.Parse accepts: every state reachable
// (a chain of Next links holds them together), Choice rules and catchers pointing
// anywhere in the scope (loops included), and Parallel and Map states with scopes of
// their own, to the given depth.
func genDef(r *rand.Rand, n, depth int, prefix string, reach int, serial *int) map[string]any {
	names := make([]string, n)
	for i := range names {
		// A number first keeps truncated names ("12 Che…") unambiguous for the checker.
		*serial++
		names[i] = fmt.Sprintf("#%d %s%s%d", *serial, prefix, []string{"Step", "Check", "Go-", "Ünïcode", "状态", "x"}[r.IntN(6)], i)
	}
	states := map[string]any{}
	for i, name := range names {
		last := i == n-1
		st := map[string]any{}
		pick := func() string {
			if reach <= 0 {
				return names[r.IntN(n)]
			}
			return names[max(0, min(n-1, i-reach/4+r.IntN(reach)))]
		}
		kind := r.IntN(10)
		switch {
		case last && kind < 3:
			st["Type"] = "Succeed"
		case last && kind < 5:
			st["Type"] = "Fail"
		case kind < 3:
			st["Type"] = "Pass"
		case kind < 5:
			st["Type"] = "Task"
			st["Resource"] = "arn:aws:states:::lambda:invoke"
			if r.IntN(2) == 0 {
				st["Retry"] = []any{map[string]any{"ErrorEquals": []any{"States.ALL"}, "MaxAttempts": r.IntN(4)}}
			}
			if r.IntN(2) == 0 {
				st["Catch"] = []any{map[string]any{"ErrorEquals": []any{"States.TaskFailed"}, "Next": pick()}}
			}
		case kind < 7 && !last:
			st["Type"] = "Choice"
			var rules []any
			for k := 0; k < 1+r.IntN(4); k++ {
				rules = append(rules, map[string]any{"Variable": "$.v", "NumericEquals": k, "Next": pick()})
			}
			st["Choices"] = rules
			st["Default"] = names[i+1]
		case kind < 8 && depth > 0:
			st["Type"] = "Parallel"
			var brs []any
			for k := 0; k < 1+r.IntN(3); k++ {
				brs = append(brs, genDef(r, 1+r.IntN(4), depth-1, fmt.Sprintf("%s%d.%d ", prefix, i, k), reach, serial))
			}
			st["Branches"] = brs
		case kind < 9 && depth > 0:
			st["Type"] = "Map"
			st["ItemProcessor"] = genDef(r, 1+r.IntN(4), depth-1, fmt.Sprintf("%s%dm ", prefix, i), reach, serial)
		default:
			st["Type"] = "Wait"
			st["Seconds"] = 1
		}
		switch st["Type"] {
		case "Succeed", "Fail", "Choice":
		default:
			if last {
				st["End"] = true
			} else {
				st["Next"] = names[i+1]
			}
		}
		states[name] = st
	}
	return map[string]any{"StartAt": names[0], "States": states}
}

// genJSON: reach 0 lets rules and catchers point anywhere; reach k keeps them within
// about k states, as in real workflows where an error handler or a retry loop sits
// near the states it serves.
func genJSON(seed uint64, n, depth, reach int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	serial := 0
	data, _ := json.Marshal(genDef(r, n, depth, "", reach, &serial))
	return data
}
