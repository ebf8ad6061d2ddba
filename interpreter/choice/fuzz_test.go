package choice

import (
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// FuzzParse feeds arbitrary JSON to Parse: it must never panic, must return a rule
// or problems (never both, never neither), and a rule it returns must evaluate and
// print without panicking.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"Variable": "$.x", "StringEquals": "a", "Next": "A"}`,
		`{"Variable": "$.x", "NumericLessThanPath": "$.y", "Next": "A"}`,
		`{"Variable": "$.t", "TimestampEquals": "2016-03-14T01:59:00Z", "Next": "A"}`,
		`{"Variable": "$.s", "StringMatches": "a*\\*", "Next": "A"}`,
		`{"And": [{"Variable": "$.x", "IsNull": true}, {"Not": {"Variable": "$.y", "IsPresent": false}}], "Next": "A"}`,
		`{"Or": [], "Next": 1}`,
		`{"Not": {"Not": {"Variable": "$", "BooleanEquals": true}}, "Next": "A", "Assign": {}}`,
		`{}`,
	} {
		f.Add(s, true)
	}
	input := value.MustParse(`{"x": null, "y": 1, "s": "a**", "t": "2016-03-14T01:59:00Z", "a": [true, "x"]}`)
	env := &jsonpath.Env{Input: input, Context: value.ObjectOf()}
	f.Fuzz(func(t *testing.T, src string, top bool) {
		v, err := value.ParseString(src)
		if err != nil {
			return
		}
		o, ok := v.(*value.Object)
		if !ok {
			return
		}
		r, probs := Parse(o, top)
		if (r == nil) == (len(probs) == 0) {
			t.Fatalf("Parse(%s) = %v with %d problems", src, r, len(probs))
		}
		for _, p := range probs {
			if p.Message == "" || p.Code == "" {
				t.Fatalf("Parse(%s): empty problem %+v", src, p)
			}
		}
		if r == nil {
			return
		}
		if top != (r.Next() != "" || o.Has("Next")) {
			t.Fatalf("Parse(%s, %v) gave Next %q", src, top, r.Next())
		}
		_ = r.String()
		_, _ = r.Evaluate(env)
	})
}
