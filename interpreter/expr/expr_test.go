package expr

import (
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

func TestEvalBothLanguages(t *testing.T) {
	input := value.MustParse(`{"n":2,"items":[1,2,3]}`)
	vars := map[string]value.Value{"limit": int64(5), "context": value.MustParse(`{"State":{"Name":"Count"}}`)}
	for _, c := range []struct{ lang, text, want string }{
		{"jsonata", "$states.input.n * $limit", "10"},
		{"jsonata", "$sum($.items)", "6"},
		{"jsonata", "$states.context.State.Name", `"Count"`},
		{"jsonpath", "$.items[1]", "2"},
		{"jsonpath", "$$.State.Name", `"Count"`},
		{"jsonpath", "States.ArrayLength($.items)", "3"},
	} {
		got, err := Eval(c.lang, c.text, input, true, vars)
		if err != nil || value.String(got) != c.want {
			t.Errorf("%s %s = %v (%v), want %s", c.lang, c.text, got, err, c.want)
		}
	}
	if _, err := Eval("xpath", "/a", input, true, nil); err == nil || !strings.Contains(err.Error(), "jsonata or jsonpath") {
		t.Errorf("an unknown language: %v", err)
	}
}

func TestCheckSaysWhatDoesNotParse(t *testing.T) {
	for _, c := range []struct {
		lang, text string
		ok         bool
	}{
		{"jsonata", "$states.input.n = 2", true},
		{"jsonata", "$states.input.n =", false},
		{"jsonpath", "$.a.b", true},
		{"jsonpath", "$.n * 100", false},
		{"jsonpath", "States.Format('{}', $.a)", true},
		{"jsonpath", "States.Format(", false},
	} {
		if err := Check(c.lang, c.text); (err == nil) != c.ok {
			t.Errorf("%s %q: %v", c.lang, c.text, err)
		}
	}
}
