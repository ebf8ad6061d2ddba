package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// execute runs the command line and returns its output and exit status.
func execute(t *testing.T, args ...string) (string, int, error) {
	t.Helper()
	cmd := newRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	code := 0
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		code = ee.code
	case err != nil:
		code = 2
	}
	return out.String(), code, err
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const passDef = `{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"ok":true},"ResultPath":"$.r","End":true}}}`

func TestRunJSONOutput(t *testing.T) {
	def := writeFile(t, "flow.asl.json", passDef)
	out, code, err := execute(t, "run", def, "--input", `{"x":1}`, "--output", "json", "--name", "e1")
	if code != 0 {
		t.Fatalf("exit %d: %v\n%s", code, err, out)
	}
	var doc struct {
		Execution map[string]any   `json:"execution"`
		Events    []map[string]any `json:"events"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if doc.Execution["status"] != "SUCCEEDED" || doc.Execution["output"] != `{"x":1,"r":{"ok":true}}` {
		t.Errorf("execution = %v", doc.Execution)
	}
	if doc.Execution["executionArn"] != "arn:aws:states:us-east-1:123456789012:execution:flow:e1" {
		t.Errorf("executionArn = %v", doc.Execution["executionArn"])
	}
	if _, isNum := doc.Execution["startDate"].(float64); !isNum {
		t.Errorf("startDate should be epoch seconds, got %v", doc.Execution["startDate"])
	}
	if len(doc.Events) != 4 || doc.Events[0]["type"] != "ExecutionStarted" {
		t.Fatalf("events = %v", doc.Events)
	}
	started := doc.Events[0]["executionStartedEventDetails"].(map[string]any)
	if started["input"] != `{"x":1}` {
		t.Errorf("input should be JSON text as AWS sends it, got %v", started["input"])
	}
}

func TestRunExpressLeavesOutHistory(t *testing.T) {
	def := writeFile(t, "flow.json", passDef)
	out, code, _ := execute(t, "run", def, "--type", "EXPRESS", "-o", "json")
	if code != 0 || strings.Contains(out, `"events"`) || !strings.Contains(out, ":express:flow:") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	out, _, _ = execute(t, "run", def, "--type", "EXPRESS", "-o", "json", "--history")
	if !strings.Contains(out, `"events"`) {
		t.Errorf("--history did not add the events:\n%s", out)
	}
}

func TestRunExitStatus(t *testing.T) {
	fail := writeFile(t, "fail.json", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Nope","Cause":"because"}}}`)
	out, code, _ := execute(t, "run", fail)
	if code != 1 || !strings.Contains(out, "Error: Nope") || !strings.Contains(out, "FAILED") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestRunRejectsBadInput(t *testing.T) {
	def := writeFile(t, "flow.json", passDef)
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	for _, tc := range []struct{ name, input, want string }{
		{"not JSON", `{"a":`, "not valid JSON"},
		{"invalid UTF-8", "\"\xff\xfe\"", "UTF-8"},
		{"too large", `"` + strings.Repeat("a", 262145) + `"`, "over the limit"},
		{"nested 10,000 deep", deep, "nesting deeper"},
		{"missing file", "@/no/such/file.json", "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, code, err := execute(t, "run", def, "--input", tc.input)
			if code != 2 || err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("exit %d, error %v; want exit 2 mentioning %q", code, err, tc.want)
			}
		})
	}
}

func TestRunRejectsBadDefinition(t *testing.T) {
	bad := writeFile(t, "bad.json", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}}`)
	_, code, err := execute(t, "run", bad)
	if code != 2 || err == nil || !strings.Contains(err.Error(), "Missing 'Next' target: Nowhere at /States/A/Next") {
		t.Errorf("exit %d, error %v", code, err)
	}
	notJSON := writeFile(t, "bad.json", "\x00\x01")
	if _, code, _ := execute(t, "run", notJSON); code != 2 {
		t.Errorf("a binary file: exit %d, want 2", code)
	}
}

func TestValidate(t *testing.T) {
	good := writeFile(t, "good.json", passDef)
	bad := writeFile(t, "bad.json", `{"States":{}}`)
	out, code, _ := execute(t, "validate", good, bad)
	if code != 1 || !strings.Contains(out, good+": OK") || !strings.Contains(out, "These fields are required: [StartAt] at /") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	if _, code, _ := execute(t, "validate", good); code != 0 {
		t.Errorf("a valid file: exit %d", code)
	}
	// Each problem starts with file:line:column, where editors jump.
	lines := writeFile(t, "lines.json", "{\"StartAt\":\"A\",\n \"States\":{\n  \"A\":{\"Type\":\"Pass\",\n       \"Next\":\"B\"}}}")
	out, _, _ = execute(t, "validate", lines)
	if !strings.Contains(out, lines+":4:15: ERROR MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next\n") {
		t.Errorf("output:\n%s", out)
	}
}

func TestBundledExamplesAreValid(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.asl.json"))
	if len(files) == 0 {
		t.Fatal("no examples found")
	}
	out, code, _ := execute(t, append([]string{"validate"}, files...)...)
	if code != 0 {
		t.Errorf("examples do not validate:\n%s", out)
	}
}

func TestExpressRestrictions(t *testing.T) {
	def := writeFile(t, "cb.json", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}`)
	out, code, _ := execute(t, "validate", "--type", "EXPRESS", def)
	if code != 1 || !strings.Contains(out, "Express state machine does not support '.waitForTaskToken' service integration") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	if _, code, _ := execute(t, "validate", def); code != 0 {
		t.Errorf("the same definition as STANDARD: exit %d", code)
	}
	if _, code, err := execute(t, "run", def, "--type", "EXPRESS"); code != 2 {
		t.Errorf("run --type EXPRESS: exit %d (%v), want 2", code, err)
	}
}

func evalCmd(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := newRootCommand()
	var out, errOut bytes.Buffer
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(append([]string{"eval"}, args...))
	err := cmd.Execute()
	code := 0
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	} else if err != nil {
		code = 2
	}
	return out.String(), errOut.String(), code
}

func TestEvalContract(t *testing.T) {
	for _, tc := range []struct {
		name, stdin string
		args        []string
		out, errOut string
		code        int
	}{
		{"jsonata", `{"a":[1,2,3]}`, []string{"$sum(a)"}, "6\n", "", 0},
		{"the input is $states.input, as in a state", `{"a":[1,2,3]}`, []string{"$sum($states.input.a)"}, "6\n", "", 0},
		{"no input: $states.input is undefined", "", []string{"$exists($states.input)"}, "false\n", "", 0},
		{"the context binding is $states.context", `{}`, []string{"$states.context.Execution.Name", "--bindings", `{"context":{"Execution":{"Name":"e1"}}}`}, "\"e1\"\n", "", 0},
		{"$eval is not in Step Functions", `{}`, []string{`$eval("1 + 1")`}, "", "T1006: $eval is not available in Step Functions", 1},
		{"a non-function is still one", `{}`, []string{`$nope(1)`}, "", "T1006: ", 1},
		{"no input", "", []string{"$exists($)"}, "false\n", "", 0},
		{"undefined prints nothing", `{}`, []string{"missing"}, "", "", 0},
		{"bindings", `{}`, []string{"$x * 2", "--bindings", `{"x": 21}`}, "42\n", "", 0},
		{"step functions adds $partition", "", []string{"$partition([1,2,3], 2)"}, "[[1,2],[3]]\n", "", 0},
		{"evaluation error: code first", `{}`, []string{`1 + "a"`}, "", "T2002: ", 1},
		{"syntax error", ``, []string{`(1`}, "", "S0", 1},
		{"jsonpath", `{"a":{"b":[1,2]}}`, []string{"--lang", "jsonpath", "$.a.b[1]"}, "2\n", "", 0},
		{"intrinsic", ``, []string{"--lang", "jsonpath", "States.MathAdd($v, 1)", "--bindings", `{"v": 1}`}, "2\n", "", 0},
		{"bad stdin", `{`, []string{"1"}, "", "", 2},
		{"bad language", ``, []string{"--lang", "xpath", "1"}, "", "", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := evalCmd(t, tc.stdin, tc.args...)
			if out != tc.out || code != tc.code || !strings.HasPrefix(errOut, tc.errOut) {
				t.Errorf("got out %q err %q exit %d; want out %q err prefix %q exit %d", out, errOut, code, tc.out, tc.errOut, tc.code)
			}
		})
	}
}

const taskDef = `{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
	"Parameters":{"FunctionName":"charge","Payload.$":"$"},"ResultSelector":{"ok.$":"$.Payload.ok"},
	"Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"IntervalSeconds":1}],"End":true}}}`

func TestRunWithMocks(t *testing.T) {
	def := writeFile(t, "OrderFlow.asl.json", taskDef)
	mocks := writeFile(t, "mocks.json", `{"StateMachines":{"OrderFlow":{"TestCases":{
		"Happy":{"Charge":"ChargeOk"},"Flaky":{"Charge":"ChargeFlaky"}}}},
	"MockedResponses":{
		"ChargeOk":{"0":{"Return":{"StatusCode":200,"Payload":{"ok":true}}}},
		"ChargeFlaky":{"0":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"busy"}},"1":{"Return":{"StatusCode":200,"Payload":{"ok":"later"}}}}}}`)
	out, code, err := execute(t, "run", def, "--mock-config", mocks, "--test-case", "Flaky", "--time-scale", "0", "-o", "json")
	if code != 0 || !strings.Contains(out, `"output": "{\"ok\":\"later\"}"`) || strings.Count(out, `"TaskScheduled"`) != 2 {
		t.Errorf("exit %d (%v):\n%s", code, err, out)
	}
	if _, code, err := execute(t, "run", def, "--mock-config", mocks, "--test-case", "Nope"); code != 2 || !strings.Contains(err.Error(), "Happy") {
		t.Errorf("unknown test case: exit %d, %v (the error should list the cases)", code, err)
	}
}

func TestRunWithCommandHandler(t *testing.T) {
	def := writeFile(t, "flow.json", taskDef)
	handlers := writeFile(t, "handlers.json", `{"handlers":[{"resource":"arn:aws:states:::lambda:invoke","command":["cat"]}]}`)
	// cat echoes the task input (the Parameters), so the ResultSelector reads $.Payload.ok.
	out, code, err := execute(t, "run", def, "--handlers", handlers, "--input", `{"ok":42}`)
	if code != 0 || !strings.Contains(out, `"ok": 42`) {
		t.Errorf("exit %d (%v):\n%s", code, err, out)
	}
}

func TestReplayCommand(t *testing.T) {
	const flow = `{"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"ResultPath":"$.a","Next":"B"},"B":{"Type":"Pass","End":true}}}`
	def := writeFile(t, "flow.json", flow)
	out, code, _ := execute(t, "run", def, "-o", "json")
	if code != 0 {
		t.Fatalf("run: %d\n%s", code, out)
	}
	hist := writeFile(t, "run.json", out)
	if out, code, err := execute(t, "replay", "--history", hist, "--definition", def); code != 0 ||
		out != "no difference: the replay visits the same states, sends the same, and ends SUCCEEDED\n" {
		t.Errorf("same definition: exit %d (%v)\n%s", code, err, out)
	}
	// A's Result changes from 1 to 2: A's output says so; B passes the value on to the
	// execution's output, and neither repeats it.
	changed := writeFile(t, "changed.json", strings.Replace(flow, `"Result":1`, `"Result":2`, 1))
	out, code, _ = execute(t, "replay", "--history", hist, "--definition", changed)
	want := `1 difference:
  "A" (visit 1): the output differs
      $.a: 1 → 2
`
	if code != 1 || out != want {
		t.Errorf("changed definition: exit %d\n%s\nwant:\n%s", code, out, want)
	}
	if _, code, _ := execute(t, "replay", "--history", def, "--definition", changed); code != 2 {
		t.Errorf("a definition given as history: exit %d, want 2", code)
	}
}

// TestReplayManyHistories replays a folder and a file in one call, as text and JSON.
func TestReplayManyHistories(t *testing.T) {
	const flow = `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":5,"Next":"Big"}],"Default":"Small"},
		"Big":{"Type":"Pass","End":true},"Small":{"Type":"Pass","End":true}}}`
	def := writeFile(t, "flow.json", flow)
	dir := t.TempDir()
	for _, n := range []string{"3", "7"} {
		out, code, _ := execute(t, "run", def, "--input", `{"n":`+n+`}`, "-o", "json")
		if code != 0 {
			t.Fatalf("run: %d\n%s", code, out)
		}
		if err := os.WriteFile(filepath.Join(dir, "n"+n+".json"), []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	bad := writeFile(t, "bad.json", `{"events":[]}`)
	// The threshold moves to 10: n=7 now goes to Small; n=3 still does.
	changed := writeFile(t, "changed.json", strings.Replace(flow, `"NumericGreaterThan":5`, `"NumericGreaterThan":10`, 1))
	out, code, _ := execute(t, "replay", "--history", dir, "--definition", changed)
	want := dir + `/n3.json: no difference: the replay visits the same states, sends the same, and ends SUCCEEDED
` + dir + `/n7.json: 1 difference:
    "C" (visit 1): the Choice now takes Default → "Small"; the recording went to "Big"
2 histories: 1 the same, 1 differ, 0 unreadable
`
	if code != 1 || out != want {
		t.Errorf("exit %d\n%s\nwant:\n%s", code, out, want)
	}
	if _, code, _ := execute(t, "replay", "--history", dir, "--definition", def); code != 0 {
		t.Errorf("every history the same: exit %d, want 0", code)
	}
	out, code, _ = execute(t, "replay", "--history", dir, "--history", bad, "--definition", changed, "--output", "json")
	if code != 2 {
		t.Errorf("with an unreadable history: exit %d, want 2", code)
	}
	var doc struct {
		Histories []struct {
			History, Error string
			Same           bool
			Differences    []struct {
				Kind, State, Recorded, Replayed, Rule string
				Visit                                 int
			}
		}
		Summary struct{ Histories, Same, Differ, Unreadable int }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if doc.Summary.Histories != 3 || doc.Summary.Same != 1 || doc.Summary.Differ != 1 || doc.Summary.Unreadable != 1 {
		t.Errorf("summary %+v", doc.Summary)
	}
	if len(doc.Histories) != 3 || len(doc.Histories[1].Differences) != 1 || doc.Histories[2].Error == "" {
		t.Fatalf("histories %+v", doc.Histories)
	}
	d := doc.Histories[1].Differences[0]
	if d.Kind != "choice" || d.State != "C" || d.Visit != 1 || d.Recorded != "Big" || d.Replayed != "Small" || d.Rule != "Default" {
		t.Errorf("difference %+v", d)
	}
}
