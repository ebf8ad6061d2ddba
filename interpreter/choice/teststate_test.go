package choice

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// TestTestStateChoice replays recorded TestState calls on a lone JSONPath Choice
// state, where AWS names the branch it took outright (nextState).
func TestTestStateChoice(t *testing.T) {
	dir := conformance.DataDir(t, "asl", "api", "test_state")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Fatalf("no cases under %s", dir)
	}
	checked := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := value.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		root := doc.(*value.Object)
		def, _ := root.Get("definition")
		st, ok := def.(*value.Object)
		if !ok || !st.Has("Choices") || st.Has("QueryLanguage") || st.Has("InputPath") {
			continue
		}
		exp, _ := root.Get("expected")
		e, _ := exp.(*value.Object)
		want, ok := e.Get("nextState")
		if !ok {
			continue
		}
		req, _ := root.Get("request")
		in, _ := req.(*value.Object).Get("input")
		input, err := value.ParseString(in.(string))
		if err != nil {
			t.Fatalf("%s: input: %v", file, err)
		}
		env := &jsonpath.Env{Input: input}
		got := ""
		choices, _ := st.Get("Choices")
		for _, cv := range choices.([]any) {
			r, probs := Parse(cv.(*value.Object), true)
			if len(probs) > 0 {
				t.Fatalf("%s: %v", file, probs)
			}
			ok, err := r.Evaluate(env)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if ok {
				got = r.Next()
				break
			}
		}
		if got == "" {
			d, _ := st.Get("Default")
			got, _ = d.(string)
		}
		if got != want {
			t.Errorf("%s: went to %q, AWS went to %q", filepath.Base(file), got, want)
		}
		checked++
	}
	t.Logf("%d TestState Choice cases checked", checked)
	if checked == 0 {
		t.Fatal("no TestState Choice case found: the filter is broken")
	}
}
