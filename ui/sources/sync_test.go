package sources

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/common"
)

var samApp = filepath.Join("..", "..", "testdata", "sources", "sam-app")

func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// localAPI is the local engine with the SAM app's handlers file, which answers its
// Lambda tasks.
func localAPI(t *testing.T) client.API {
	t.Helper()
	api, closeFn, err := client.NewLocal(context.Background(), client.LocalOptions{DataDir: t.TempDir(), TimeScale: 0,
		Handlers: filepath.Join(samApp, "handlers.json")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeFn() })
	return api
}

func waitChange(t *testing.T, s *Syncer, want string) common.SourceChange {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case ev := <-s.Changes():
			if strings.Contains(ev.Text, want) {
				return ev
			}
		case <-deadline:
			t.Fatalf("no change saying %q", want)
		}
	}
}

func describe(t *testing.T, api client.API, arn string) *sfn.DescribeStateMachineOutput {
	t.Helper()
	out, err := api.DescribeStateMachine(context.Background(), &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A save updates the machine (a new revision) while an execution started before it
// goes on; a broken save leaves the machine as it was and shows its problem at its line.
func TestSaveUpdatesTheMachineAndABrokenSaveShowsItsProblem(t *testing.T) {
	ctx := context.Background()
	dir := copyTree(t, samApp)
	api := localAPI(t)
	s := New(func() client.API { return api })
	defer s.Close()
	summary, err := s.Load(ctx, dir)
	if err != nil || !strings.Contains(summary, "2 created") {
		t.Fatalf("load: %q %v", summary, err)
	}
	origin, problem, ok := s.Origin("sign-off-dev")
	if !ok || problem != "" || !strings.Contains(origin, "template.yaml#SignOffMachine") || !strings.Contains(origin, "sign-off.asl.json") {
		t.Fatalf("origin %q problem %q", origin, problem)
	}
	list, _ := api.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	var arn string
	for _, sm := range list.StateMachines {
		if aws.ToString(sm.Name) == "sign-off-dev" {
			arn = aws.ToString(sm.StateMachineArn)
		}
		if aws.ToString(sm.Name) == "ArchiveMachine" && sm.Type != types.StateMachineTypeExpress {
			t.Errorf("ArchiveMachine created as %s", sm.Type)
		}
	}
	if arn == "" {
		t.Fatalf("no sign-off-dev in %+v", list.StateMachines)
	}
	// Ask Legal waits for its callback: the execution stays running through the edits.
	exec, err := api.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String(`{"documentId":"d-1"}`)})
	if err != nil {
		t.Fatal(err)
	}
	before := describe(t, api, arn)

	asl := filepath.Join(dir, "statemachine", "sign-off.asl.json")
	data, _ := os.ReadFile(asl)
	edited := strings.ReplaceAll(string(data), `"Archive"`, `"File It"`)
	edited = strings.Replace(edited, `"Archive": {`, `"File It": {`, 1)
	if err := os.WriteFile(asl, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	waitChange(t, s, "sign-off-dev updated")
	after := describe(t, api, arn)
	if !strings.Contains(aws.ToString(after.Definition), `"File It"`) || aws.ToString(after.RevisionId) == aws.ToString(before.RevisionId) {
		t.Errorf("not a new revision: %s -> %s\n%s", aws.ToString(before.RevisionId), aws.ToString(after.RevisionId), aws.ToString(after.Definition))
	}

	broken := strings.Replace(edited, `"Next": "File It"`, `"Next": "Nowhere"`, 1)
	if err := os.WriteFile(asl, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	ev := waitChange(t, s, "with problems")
	line := 1 + strings.Count(broken[:strings.Index(broken, `"Nowhere"`)], "\n")
	_, problem, _ = s.Origin("sign-off-dev")
	if !ev.Err || !strings.Contains(problem, asl+":"+strconv.Itoa(line)+":") || !strings.Contains(problem, "MISSING_TRANSITION_TARGET") {
		t.Errorf("event %+v, problem %q (want line %d)", ev, problem, line)
	}
	if got := describe(t, api, arn); aws.ToString(got.Definition) != aws.ToString(after.Definition) {
		t.Errorf("a broken edit changed the machine")
	}
	x, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: exec.ExecutionArn})
	if err != nil || x.Status != types.ExecutionStatusRunning {
		t.Errorf("the running execution: %v %v", x.Status, err)
	}

	// Fixing it clears the problem.
	if err := os.WriteFile(asl, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	waitChange(t, s, "sign-off-dev fixed")
	if _, problem, _ := s.Origin("sign-off-dev"); problem != "" {
		t.Errorf("still a problem: %q", problem)
	}
}

// A syntax error in a template is placed at its line and marks the machines it holds.
func TestTemplateSyntaxErrorMarksItsMachines(t *testing.T) {
	dir := copyTree(t, samApp)
	api := localAPI(t)
	s := New(func() client.API { return api })
	defer s.Close()
	tpl := filepath.Join(dir, "template.yaml")
	if _, err := s.Load(context.Background(), tpl); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(tpl)
	os.WriteFile(tpl, []byte(strings.Replace(string(data), "Type: EXPRESS", "Type: [EXPRESS", 1)), 0o644)
	waitChange(t, s, "with problems")
	_, problem, _ := s.Origin("ArchiveMachine")
	if !strings.Contains(problem, tpl+":") {
		t.Errorf("problem %q", problem)
	}
}

func TestLoadRejectsAMissingPath(t *testing.T) {
	api := localAPI(t)
	s := New(func() client.API { return api })
	defer s.Close()
	if _, err := s.Load(context.Background(), filepath.Join(t.TempDir(), "nope.yaml")); err == nil {
		t.Fatal("a missing path loaded")
	}
}

// A machine its template no longer declares stays, and says so.
func TestRemovedMachineIsKeptAndSaysSo(t *testing.T) {
	dir := copyTree(t, samApp)
	api := localAPI(t)
	s := New(func() client.API { return api })
	defer s.Close()
	tpl := filepath.Join(dir, "template.yaml")
	if _, err := s.Load(context.Background(), tpl); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(tpl)
	text := string(data)
	i, j := strings.Index(text, "  ArchiveMachine:\n"), strings.Index(text, "  SignerFunction:\n")
	// The sign-off machine refers to the archive machine; give it a literal instead.
	edited := strings.Replace(text[:i]+text[j:], "ArchiveMachineArn: !Ref ArchiveMachine", "ArchiveMachineArn: arn:aws:states:us-east-1:123456789012:stateMachine:elsewhere", 1)
	if err := os.WriteFile(tpl, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	waitChange(t, s, "ArchiveMachine is no longer in its source")
	if _, problem, ok := s.Origin("ArchiveMachine"); !ok || !strings.Contains(problem, "no longer in") {
		t.Errorf("problem %q", problem)
	}
	if arn := s.find(context.Background(), api, "ArchiveMachine"); arn == "" {
		t.Error("the machine was deleted")
	}
}
