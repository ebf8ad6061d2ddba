package intrinsic

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// The conformance test replays AWS's recordings: every JSONPath state machine whose first
// state is a Pass state with intrinsic calls in its Parameters, or a Fail state with an
// intrinsic ErrorPath or CausePath, is evaluated on the recorded input and compared with
// the recorded output. Definitions AWS rejected for a bad intrinsic must fail to parse.
// Anything else is counted as skipped, with the reason.

const knownFailingFile = "testdata/conformance_known_failing.txt"

type confCase struct {
	file string
	raw  *value.Object
}

func loadCases(t *testing.T) []confCase {
	t.Helper()
	conformanceDir := conformance.DataDir(t, "asl")
	var out []confCase
	err := filepath.WalkDir(conformanceDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		// Only files that mention an intrinsic are of interest; most are not.
		if !strings.Contains(string(data), "States.") {
			return nil
		}
		v, err := value.Parse(data)
		if err != nil {
			return nil // not a case file
		}
		if o, ok := v.(*value.Object); ok && o.Has("definition") {
			rel, _ := filepath.Rel(conformanceDir, path)
			out = append(out, confCase{file: rel, raw: o})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func get(v value.Value, keys ...string) value.Value {
	for _, k := range keys {
		o, ok := v.(*value.Object)
		if !ok {
			return nil
		}
		v, _ = o.Get(k)
	}
	return v
}

func getString(v value.Value, keys ...string) string {
	s, _ := get(v, keys...).(string)
	return s
}

// intrinsicFields lists the ".$" values of a template, at any depth, that are calls.
func intrinsicFields(v value.Value, out *[]string) {
	switch x := v.(type) {
	case *value.Object:
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			if s, ok := e.(string); ok && strings.HasSuffix(k, ".$") && IsCall(s) {
				*out = append(*out, s)
			}
			intrinsicFields(e, out)
		}
	case []any:
		for _, e := range x {
			intrinsicFields(e, out)
		}
	}
}

func TestConformance(t *testing.T) {
	cases := loadCases(t)
	known := conformance.ReadKnownCases(t, knownFailingFile)
	skipped := map[string]int{}
	kinds := map[string]int{}
	passed, failed := 0, 0
	for _, cc := range cases {
		outcome, detail := runConformanceCase(cc)
		switch outcome {
		case "skip":
			if os.Getenv("INTRINSIC_CONFORMANCE_VERBOSE") != "" {
				t.Logf("skip %s: %s", cc.file, detail)
			}
			skipped[detail]++
			continue
		case "ignore":
			continue
		case "pass":
			passed++
			kinds[detail]++
			known.Check(t, cc.file, "")
		case "fail":
			failed++
			known.Check(t, cc.file, detail)
		}
	}
	reasons := make([]string, 0, len(skipped))
	for r := range skipped {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	t.Logf("conformance: %d passed, %d failed, of %d files that mention States.", passed, failed, len(cases))
	kindNames := make([]string, 0, len(kinds))
	for k := range kinds {
		kindNames = append(kindNames, k)
	}
	sort.Strings(kindNames)
	for _, k := range kindNames {
		t.Logf("  passed  %3d: %s", kinds[k], k)
	}
	for _, r := range reasons {
		t.Logf("  skipped %3d: %s", skipped[r], r)
	}
	known.Done(t)
	if passed == 0 {
		t.Error("no conformance case was evaluated")
	}
}

func runConformanceCase(cc confCase) (outcome, detail string) {
	def := get(cc.raw, "definition")
	if exc := getString(cc.raw, "expected", "exception_value"); exc != "" {
		return runRejectedDefinition(def, exc)
	}
	if getString(def, "QueryLanguage") == "JSONata" {
		return "skip", "JSONata state machine"
	}
	var anywhere []string
	intrinsicFields(def, &anywhere)
	findField(def, "ErrorPath", &anywhere)
	findField(def, "CausePath", &anywhere)
	if !hasCall(anywhere) {
		return "ignore", ""
	}
	startAt := getString(def, "StartAt")
	st := get(def, "States", startAt)
	var calls []string
	intrinsicFields(get(st, "Parameters"), &calls)
	for _, k := range []string{"ErrorPath", "CausePath"} {
		if s := getString(st, k); IsCall(s) {
			calls = append(calls, s)
		}
	}
	if len(calls) == 0 {
		return "skip", "intrinsics only past the first state (multi-state flow)"
	}
	if getString(st, "QueryLanguage") == "JSONata" {
		return "skip", "JSONata state"
	}
	for _, k := range []string{"InputPath", "ResultPath", "OutputPath", "ResultSelector"} {
		if get(st, k) != nil {
			return "skip", "first state transforms its data with " + k
		}
	}
	for _, c := range calls {
		if regexp.MustCompile(`\$[A-Za-z_]`).MatchString(c) {
			return "skip", "reads workflow variables set by other states"
		}
		if strings.Contains(c, "$$.Map") || strings.Contains(c, "$$.Task") {
			return "skip", "needs a Map or Task context"
		}
	}
	input := value.Value(value.NewObject(0))
	if s := getString(cc.raw, "input_string"); s != "" {
		v, err := value.ParseString(s)
		if err != nil {
			return "skip", "input is not JSON"
		}
		input = v
	}
	env := &jsonpath.Env{Input: input, Context: contextObject(cc.raw, startAt, input)}
	switch getString(st, "Type") {
	case "Pass":
		return runPass(cc, st, startAt, env)
	case "Fail":
		return runFail(cc, st, env)
	}
	return "skip", "first state is a " + getString(st, "Type") + " state"
}

// contextObject rebuilds $$ from the case, in the member order AWS records.
func contextObject(raw *value.Object, state string, input value.Value) value.Value {
	const date = "2024-01-01T00:00:00.000Z"
	return value.ObjectOf(
		"Execution", value.ObjectOf(
			"Id", getString(raw, "execution", "arn"),
			"Input", input,
			"StartTime", date,
			"Name", getString(raw, "execution", "name"),
			"RoleArn", getString(raw, "state_machine", "role_arn"),
			"RedriveCount", int64(0)),
		"StateMachine", value.ObjectOf(
			"Id", getString(raw, "state_machine", "arn"),
			"Name", getString(raw, "state_machine", "name")),
		"State", value.ObjectOf(
			"Name", state,
			"EnteredTime", date,
			"RetryCount", int64(0)),
	)
}

func runRejectedDefinition(def value.Value, exc string) (string, string) {
	m := regexp.MustCompile(`The value for the field '([^']*)' must be a valid JSONPath or a valid intrinsic function call`).FindStringSubmatch(exc)
	if m == nil {
		return "skip", "rejected definition for another reason"
	}
	var found []string
	findField(def, m[1], &found)
	if len(found) == 0 || !IsCall(found[0]) {
		return "skip", "rejected definition: the field holds a path, not a call"
	}
	if _, err := Parse(found[0]); err == nil {
		return "fail", "AWS rejects " + found[0] + " but Parse accepts it"
	}
	return "pass", "definitions AWS rejects, rejected by Parse"
}

func hasCall(srcs []string) bool {
	for _, s := range srcs {
		if IsCall(s) {
			return true
		}
	}
	return false
}

func findField(v value.Value, key string, out *[]string) {
	switch x := v.(type) {
	case *value.Object:
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			if s, ok := e.(string); ok && k == key {
				*out = append(*out, s)
			}
			findField(e, key, out)
		}
	case []any:
		for _, e := range x {
			findField(e, key, out)
		}
	}
}

func runFail(cc confCase, st value.Value, env *jsonpath.Env) (string, string) {
	for field, want := range map[string]string{
		"ErrorPath": getString(cc.raw, "expected", "error"),
		"CausePath": getString(cc.raw, "expected", "cause"),
	} {
		src := getString(st, field)
		if !IsCall(src) {
			continue
		}
		c, err := Parse(src)
		if err != nil {
			return "fail", field + ": " + err.Error()
		}
		v, err := c.Eval(env)
		if err != nil {
			return "fail", field + ": " + err.Error()
		}
		got, _ := v.(string)
		if normalizeText(cc.raw, got) != want {
			return "fail", field + ": got " + got + ", want " + want
		}
	}
	return "pass", "Fail states, ErrorPath and CausePath compared"
}

func runPass(cc confCase, st value.Value, name string, env *jsonpath.Env) (string, string) {
	want, ok := recordedPassOutput(cc.raw, name)
	if !ok {
		return "skip", "no recorded output for the Pass state"
	}
	got, err := evalTemplate(get(st, "Parameters"), env, want)
	if err != nil {
		if err == errUnsupportedPath {
			return "skip", "a path the test evaluator cannot run"
		}
		return "fail", err.Error()
	}
	got = normalizeValue(cc.raw, got)
	if !value.Equal(got, want) {
		return "fail", "got " + value.String(got) + ", want " + value.String(want)
	}
	return "pass", "Pass states, Parameters compared with the recorded output"
}

func recordedPassOutput(raw *value.Object, name string) (value.Value, bool) {
	events, _ := get(raw, "expected", "events").([]any)
	for _, e := range events {
		if getString(e, "type") == "PassStateExited" && getString(e, "stateExitedEventDetails", "name") == name {
			return get(e, "stateExitedEventDetails", "output"), true
		}
	}
	if getString(raw, "expected", "status") == "SUCCEEDED" && len(events) == 0 {
		if o, ok := get(raw, "expected").(*value.Object); ok && o.Has("output") {
			v, _ := o.Get("output")
			return v, true
		}
	}
	return nil, false
}
