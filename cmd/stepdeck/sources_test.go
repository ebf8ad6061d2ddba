package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The fixture projects: a SAM app, a CloudFormation template with short-form tags and a
// CDK cloud assembly with a nested stack.
var (
	samApp  = filepath.Join("..", "..", "testdata", "sources", "sam-app")
	cfnFile = filepath.Join("..", "..", "testdata", "sources", "cfn", "template.yaml")
	cdkApp  = filepath.Join("..", "..", "testdata", "sources", "cdk-app", "cdk.out")
)

// copyTree copies a fixture into a temporary folder, for tests that edit it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestValidateEachFixture(t *testing.T) {
	for _, c := range []struct {
		path string
		want []string
	}{
		{samApp, []string{
			"template.yaml#SignOffMachine (sign-off-dev): OK",
			"template.yaml#ArchiveMachine: OK",
			"placeholder !GetAtt SignerFunction.Arn = arn:aws:lambda:us-east-1:123456789012:function:SignerFunction",
			"placeholder !Ref ReviewQueue = https://sqs.us-east-1.amazonaws.com/123456789012/ReviewQueue",
		}},
		{cfnFile, []string{
			"template.yaml#OrderStateMachine (orders-prod): OK",
			"template.yaml#NotifyStateMachine: OK",
			"placeholder !GetAtt CheckStock.Arn = arn:aws:lambda:us-east-1:123456789012:function:CheckStock",
			"placeholder !Ref AlertTopic = arn:aws:sns:us-east-1:123456789012:AlertTopic",
		}},
		{cdkApp, []string{
			"SignOffStack.template.json#SignOff5C9E1B4A: OK",
			".nested.template.json#Archive9D2C4E1A: OK",
			"placeholder !Ref LegalQueue8F2A1B3C = https://sqs.us-east-1.amazonaws.com/123456789012/LegalQueue8F2A1B3C",
		}},
	} {
		out, code, err := execute(t, "validate", c.path)
		if code != 0 {
			t.Errorf("validate %s: exit %d %v\n%s", c.path, code, err, out)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("validate %s: no %q in\n%s", c.path, w, out)
			}
		}
	}
}

func TestValidatePlacesProblemsInTheSourceFile(t *testing.T) {
	dir := copyTree(t, samApp)
	asl := filepath.Join(dir, "statemachine", "sign-off.asl.json")
	data, _ := os.ReadFile(asl)
	broken := strings.Replace(string(data), `"Next": "Archive"`, `"Next": "Archiv"`, 1)
	if err := os.WriteFile(asl, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	line := 1 + strings.Count(broken[:strings.Index(broken, `"Archiv"`)], "\n")
	out, code, _ := execute(t, "validate", dir, "--state-machine", "SignOffMachine")
	want := regexp.MustCompile(regexp.QuoteMeta(asl) + `:` + strconv.Itoa(line) + `:\d+: ERROR MISSING_TRANSITION_TARGET: .* at /States/Collect Sign-offs/Next`)
	if code != 1 || !want.MatchString(out) {
		t.Errorf("exit %d, want a diagnostic on line %d:\n%s", code, line, out)
	}
	if strings.Contains(out, "#ArchiveMachine") {
		t.Errorf("--state-machine checks one machine only:\n%s", out)
	}
}

func TestValidateSyntaxErrorHasLineAndColumn(t *testing.T) {
	dir := copyTree(t, filepath.Dir(cfnFile))
	tpl := filepath.Join(dir, "template.yaml")
	data, _ := os.ReadFile(tpl)
	broken := strings.Replace(string(data), "StateMachineType: EXPRESS", "StateMachineType: [EXPRESS", 1)
	os.WriteFile(tpl, []byte(broken), 0o644)
	out, code, _ := execute(t, "validate", tpl)
	if code != 1 || !regexp.MustCompile(regexp.QuoteMeta(tpl)+`:\d+:\d+: `).MatchString(out) {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestGraphOfEachFixture(t *testing.T) {
	for _, c := range []struct {
		args  []string
		boxes []string
	}{
		{[]string{samApp, "--state-machine", "SignOffMachine"}, []string{"Ask Legal", "Finance Signs", "Archive"}},
		{[]string{samApp, "--state-machine", "ArchiveMachine"}, []string{"Store", "Notify"}},
		{[]string{cfnFile, "--state-machine", "orders-prod"}, []string{"Check Stock", "Charge", "Ship"}},
		{[]string{cdkApp, "--state-machine", "Archive9D2C4E1A"}, []string{"Notify Author"}},
	} {
		out, code, err := execute(t, append([]string{"graph", "--color", "never"}, c.args...)...)
		if code != 0 {
			t.Fatalf("graph %v: exit %d %v", c.args, code, err)
		}
		for _, b := range c.boxes {
			if !strings.Contains(out, b) {
				t.Errorf("graph %v: no %q in\n%s", c.args, b, out)
			}
		}
		if !strings.Contains(out, "placeholder ") {
			t.Errorf("graph %v says nothing of placeholders:\n%s", c.args, out)
		}
	}
	// A source with several machines names them when none is picked.
	_, code, err := execute(t, "graph", cfnFile)
	if code != 2 || err == nil || !strings.Contains(err.Error(), "orders-prod") || !strings.Contains(err.Error(), "NotifyStateMachine") {
		t.Errorf("exit %d, %v", code, err)
	}
	_, code, err = execute(t, "graph", cfnFile, "--state-machine", "Nope")
	if code != 2 || err == nil || !strings.Contains(err.Error(), "no such state machine") {
		t.Errorf("exit %d, %v", code, err)
	}
}

// runJSON runs a machine and returns the execution's status and output.
func runJSON(t *testing.T, args ...string) (string, string) {
	t.Helper()
	out, code, err := execute(t, append([]string{"run", "-o", "json", "--time-scale", "0"}, args...)...)
	if code == 2 {
		t.Fatalf("run %v: %v\n%s", args, err, out)
	}
	var res struct {
		Execution struct {
			Status string `json:"status"`
			Output string `json:"output"`
		} `json:"execution"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("run %v: %v\n%s", args, err, out)
	}
	return res.Execution.Status, res.Execution.Output
}

func TestRunEachFixtureWithMocksAndHandlers(t *testing.T) {
	samMocks := filepath.Join(samApp, "mocks.json")
	samHandlers := filepath.Join(samApp, "handlers.json")
	// The SAM machine runs under its template name, which the mock config names; the
	// finance task is answered by the handlers file.
	status, output := runJSON(t, samApp, "--state-machine", "SignOffMachine", "--mock-config", samMocks,
		"--test-case", "HappyPath", "--handlers", samHandlers, "--input", `{"documentId":"d-1"}`)
	if status != "SUCCEEDED" || !strings.Contains(output, "archived") {
		t.Errorf("sign-off: %s %s", status, output)
	}
	// The archive machine's Lambda task is the placeholder ARN of NotifyFunction, which
	// the handlers file names.
	status, output = runJSON(t, filepath.Join(samApp, "template.yaml"), "--state-machine", "ArchiveMachine",
		"--handlers", samHandlers, "--input", `{"documentId":"d-1"}`)
	if status != "SUCCEEDED" || output != `{"notified":true}` {
		t.Errorf("archive: %s %s", status, output)
	}
	status, output = runJSON(t, cfnFile, "--state-machine", "OrderStateMachine", "--handlers",
		filepath.Join(filepath.Dir(cfnFile), "handlers.json"), "--input", `{"order":7}`)
	if status != "SUCCEEDED" || output != `{"MessageId":"m-1"}` {
		t.Errorf("orders: %s %s", status, output)
	}
	// The CDK nested stack's task is the parent stack's function, by its placeholder.
	handlers := writeFile(t, "handlers.json", `{"handlers":[{"resource":"arn:aws:lambda:us-east-1:123456789012:function:SignerFunction3A4B2C1D","command":["cat"]}]}`)
	status, output = runJSON(t, cdkApp, "--state-machine", "Archive9D2C4E1A", "--handlers", handlers, "--input", `{"documentId":"d-9"}`)
	if status != "SUCCEEDED" || output != `{"documentId":"d-9","archivedTo":"ArchiveBucket4C1E7A2B"}` {
		t.Errorf("cdk archive: %s %s", status, output)
	}
	// A placeholder task nothing answers fails, as an unreachable resource would; the
	// machine runs as the EXPRESS machine the template declares.
	out, code, _ := execute(t, "run", cdkApp, "--state-machine", "Archive9D2C4E1A", "-o", "json")
	if code != 1 || !strings.Contains(out, ":express:") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestDebugAndReplayTakeSources(t *testing.T) {
	for _, c := range []struct{ path, machine, first string }{
		{samApp, "ArchiveMachine", "Store"},
		{cfnFile, "orders-prod", "Check Stock"},
		{cdkApp, "SignOff5C9E1B4A", "Collect Sign-offs"},
	} {
		s, err := newDebugSession(c.path, debugOptions{run: runOptions{input: "{}", stateMachine: c.machine, timeScale: 0}})
		if err != nil {
			t.Fatal(err)
		}
		v := s.View()
		s.Close()
		if len(v.Held) == 0 || v.Held[0].State != c.first {
			t.Errorf("%s: the debugger starts before %s: %+v", c.machine, c.first, v.Held)
		}
	}
	if _, err := newDebugSession(samApp, debugOptions{run: runOptions{input: "{}"}}); err == nil || !strings.Contains(err.Error(), "--state-machine") {
		t.Errorf("debug on a source with two machines: %v", err)
	}

	// Each fixture's run replays without divergence against the same source.
	cdkHandlers := writeFile(t, "handlers.json", `{"handlers":[{"resource":"arn:aws:lambda:us-east-1:123456789012:function:SignerFunction3A4B2C1D","command":["cat"]}]}`)
	for _, c := range []struct{ path, machine, handlers, input string }{
		{cfnFile, "orders-prod", filepath.Join(filepath.Dir(cfnFile), "handlers.json"), `{"order":7}`},
		{samApp, "ArchiveMachine", filepath.Join(samApp, "handlers.json"), `{"documentId":"d-1"}`},
		{cdkApp, "Archive9D2C4E1A", cdkHandlers, `{"documentId":"d-1"}`},
	} {
		out, code, _ := execute(t, "run", c.path, "--state-machine", c.machine, "--handlers", c.handlers, "--history", "-o", "json", "--input", c.input)
		if code != 0 {
			t.Fatalf("run %s: exit %d\n%s", c.machine, code, out)
		}
		hist := writeFile(t, "run.json", out)
		out, code, err := execute(t, "replay", "--history", hist, "--definition", c.path, "--state-machine", c.machine)
		if code != 0 || !strings.Contains(out, "no difference") {
			t.Errorf("replay %s: exit %d %v\n%s", c.machine, code, err, out)
		}
	}
}

// syncBuffer is a bytes.Buffer that a watching command writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startWatching runs a command with --watch until the test ends.
func startWatching(t *testing.T, args ...string) *syncBuffer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan struct{})
	cmd := newRootCommand()
	cmd.SetOut(out)
	cmd.SetErr(out)
	cmd.SetArgs(args)
	go func() {
		defer close(done)
		cmd.ExecuteContext(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return out
}

func waitFor(t *testing.T, out *syncBuffer, re *regexp.Regexp, from int) int {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		s := out.String()
		if loc := re.FindStringIndex(s[from:]); loc != nil {
			return from + loc[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %s after offset %d in\n%s", re, from, out.String())
	return 0
}

func TestWatchRedrawsAndRevalidatesOnSave(t *testing.T) {
	dir := copyTree(t, samApp)
	asl := filepath.Join(dir, "statemachine", "sign-off.asl.json")
	original, _ := os.ReadFile(asl)

	graphOut := startWatching(t, "graph", "--watch", "--color", "never", dir, "--state-machine", "SignOffMachine")
	validateOut := startWatching(t, "validate", "--watch", dir)
	g := waitFor(t, graphOut, regexp.MustCompile(`Archive`), 0)
	v := waitFor(t, validateOut, regexp.MustCompile(`SignOffMachine \(sign-off-dev\): OK`), 0)

	// A renamed state: the graph shows the new name.
	renamed := strings.ReplaceAll(string(original), "Archive", "Store Signed Copy")
	renamed = strings.Replace(renamed, "${Store Signed CopyMachineArn}", "${ArchiveMachineArn}", 1)
	if err := os.WriteFile(asl, []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	g = waitFor(t, graphOut, regexp.MustCompile(`Store Signed Copy`), g)
	v = waitFor(t, validateOut, regexp.MustCompile(`SignOffMachine \(sign-off-dev\): OK`), v)

	// A broken edit: both print the diagnostic at its line in the ASL file.
	broken := strings.Replace(renamed, `"Next": "Store Signed Copy"`, `"Next": "Nowhere"`, 1)
	if err := os.WriteFile(asl, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	line := 1 + strings.Count(broken[:strings.Index(broken, `"Nowhere"`)], "\n")
	at := regexp.MustCompile(regexp.QuoteMeta(asl) + ":" + strconv.Itoa(line) + `:\d+: ERROR MISSING_TRANSITION_TARGET`)
	waitFor(t, graphOut, at, g)
	waitFor(t, validateOut, at, v)

	// A template edit counts too: the folder is watched.
	tpl := filepath.Join(dir, "template.yaml")
	data, _ := os.ReadFile(tpl)
	os.WriteFile(tpl, []byte(strings.Replace(string(data), "Default: dev", "Default: qa", 1)), 0o644)
	waitFor(t, validateOut, regexp.MustCompile(`SignOffMachine \(sign-off-qa\)`), v)
}

// test-state takes a state of a machine of any source.
func TestTestStateTakesSources(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{samApp, "--state-machine", "ArchiveMachine", "--state", "Store", "--input", `{"documentId":"d-1"}`, "--mock-result", "{}"},
			`"TableName":"ArchiveTable"`},
		{[]string{cfnFile, "--state-machine", "orders-prod", "--state", "Ship", "--input", `{"order":7}`, "--mock-result", `{"MessageId":"m"}`},
			`"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/ShipQueue"`},
		{[]string{cdkApp, "--state-machine", "Archive9D2C4E1A", "--state", "Notify Author", "--input", `{"documentId":"d-1"}`, "--mock-result", "{}"},
			`"archivedTo":"ArchiveBucket4C1E7A2B"`},
	} {
		out, code, err := execute(t, append([]string{"test-state"}, c.args...)...)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("test-state %v: exit %d %v\n%s", c.args, code, err, out)
		}
	}
}
