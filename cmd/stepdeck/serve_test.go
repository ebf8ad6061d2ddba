package main

import (
	"bufio"
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui"
)

// buildStepdeck compiles the command once per test run.
func buildStepdeck(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "stepdeck")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startServe runs `stepdeck serve` on a free port and returns the process and its URL.
func startServe(t *testing.T, bin, dataDir string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir, "--time-scale", "0.01")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(stderr)
	re := regexp.MustCompile(`on (http://[0-9.:]+)`)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			go func() {
				for sc.Scan() {
				}
			}()
			return cmd, m[1]
		}
	}
	t.Fatal("stepdeck serve did not say where it listens")
	return nil, ""
}

func sdkClient(url string) *sfn.Client {
	return sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "k", SecretAccessKey: "s"}, nil
		})})
}

// TestServeSurvivesSIGKILL starts executions that wait on task tokens and timers, kills
// the server with SIGKILL, starts it again, answers the tokens, and checks that every
// execution ends with a complete, gap-free history.
func TestServeSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	bin := buildStepdeck(t)
	dataDir := t.TempDir()
	proc, url := startServe(t, bin, dataDir)
	c := sdkClient(url)
	ctx := context.Background()
	def := `{"StartAt":"Pause","States":{
		"Pause":{"Type":"Wait","Seconds":60,"Next":"Approve"},
		"Approve":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
			"Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}`
	m, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("approval"), Definition: aws.String(def), RoleArn: aws.String("r")})
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	var arns []string
	for i := 0; i < n; i++ {
		out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn})
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, aws.ToString(out.ExecutionArn))
	}
	// Half-way through the 0.6 s waits, kill the server outright.
	time.Sleep(300 * time.Millisecond)
	if err := proc.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = proc.Wait()

	_, url = startServe(t, bin, dataDir)
	c = sdkClient(url)
	for _, a := range arns {
		tok := waitForToken(t, c, a)
		if _, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(`{"ok":true}`)}); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	for _, a := range arns {
		d := waitForEnd(t, c, a)
		if d.Status != types.ExecutionStatusSucceeded {
			t.Errorf("%s ended %s", a, d.Status)
		}
		h, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(a)})
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for i, e := range h.Events {
			if e.Id != int64(i+1) {
				t.Fatalf("%s: event %d has id %d: a gap or a duplicate", a, i+1, e.Id)
			}
			kinds = append(kinds, string(e.Type))
		}
		want := "ExecutionStarted WaitStateEntered WaitStateExited TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited ExecutionSucceeded"
		if got := strings.Join(kinds, " "); got != want {
			t.Errorf("%s history:\n got %s\nwant %s", a, got, want)
		}
	}
}

func waitForToken(t *testing.T, c *sfn.Client, execArn string) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		h, err := c.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(execArn)})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range h.Events {
			if d := e.TaskScheduledEventDetails; d != nil {
				p := value.MustParse(aws.ToString(d.Parameters)).(*value.Object)
				body, _ := p.Get("MessageBody")
				tok, _ := body.(*value.Object).Get("token")
				return tok.(string)
			}
		}
	}
	t.Fatalf("%s never asked for a callback", execArn)
	return ""
}

func waitForEnd(t *testing.T, c *sfn.Client, execArn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		d, err := c.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(execArn)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			return d
		}
	}
	t.Fatalf("%s did not end", execArn)
	return nil
}

// TestServeAnswersLongPollsOnSIGTERM: a worker polling GetActivityTask when the server
// gets SIGTERM is answered at once with no task, and the server exits promptly.
func TestServeAnswersLongPollsOnSIGTERM(t *testing.T) {
	bin := buildStepdeck(t)
	cmd, url := startServe(t, bin, t.TempDir())
	c := sdkClient(url)
	act, err := c.CreateActivity(context.Background(), &sfn.CreateActivityInput{Name: aws.String("work")})
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		out *sfn.GetActivityTaskOutput
		err error
	}
	got := make(chan answer, 1)
	go func() {
		out, err := c.GetActivityTask(context.Background(), &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
		got <- answer{out, err}
	}()
	time.Sleep(300 * time.Millisecond) // the poll waits
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case a := <-got:
		if a.err != nil || a.out.TaskToken != nil {
			t.Fatalf("the poller got %+v, %v; want an empty answer", a.out, a.err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the long poll was not answered within 3s of SIGTERM")
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve exited with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not exit within 5s of SIGTERM")
	}
}

func TestServeLogFlags(t *testing.T) {
	for _, args := range [][]string{{"--log-level", "loud"}, {"--log-format", "xml"}} {
		var stderr strings.Builder
		cmd := newRootCommand()
		cmd.SetArgs(append([]string{"serve", "--data-dir", t.TempDir(), "--addr", "127.0.0.1:0"}, args...))
		cmd.SetErr(&stderr)
		cmd.SetOut(&stderr)
		if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: %v, want an error naming %s", args, err, args[0])
		}
	}
	for _, level := range []string{"debug", "info", "warn", "error"} {
		if _, err := requestLogger(&strings.Builder{}, level, "json"); err != nil {
			t.Errorf("--log-level %s: %v", level, err)
		}
	}
}

func TestServeCompact(t *testing.T) {
	dir := t.TempDir()
	var stderr strings.Builder
	cmd := newRootCommand()
	cmd.SetArgs([]string{"serve", "--compact", "--data-dir", dir})
	cmd.SetErr(&stderr)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "compacted") {
		t.Fatalf("said %q", stderr.String())
	}
}

// One store, two front ends: with stepdeck serve holding the data directory, the UI's
// local backend on it talks to that serve over HTTP instead of refusing; once serve
// has stopped, the record of its address is gone.
func TestUIOnADataDirServeHolds(t *testing.T) {
	bin := buildStepdeck(t)
	dir := t.TempDir()
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	serve, url := startServe(t, bin, dir)
	if got, err := readServeAddr(dir); err != nil || got != url {
		t.Fatalf("recorded %q, %v; serve says %s", got, err, url)
	}
	api, name, closeFn, err := backendFactory(tuiOptions{dataDir: dir, timeScale: 0}, nil)(context.Background(), ui.BackendSpec{Local: true})
	if err != nil {
		t.Fatal(err)
	}
	if closeFn != nil {
		defer closeFn()
	}
	if want := "local engine via stepdeck serve " + strings.TrimPrefix(url, "http://"); name != want {
		t.Errorf("name %q, want %q", name, want)
	}
	// The examples were seeded through serve, into its store.
	out, err := sdkClient(url).ListStateMachines(context.Background(), &sfn.ListStateMachinesInput{})
	if err != nil || len(out.StateMachines) == 0 {
		t.Fatalf("machines through serve: %v %v", err, out)
	}
	if _, err := api.ListStateMachines(context.Background(), &sfn.ListStateMachinesInput{}); err != nil {
		t.Fatal(err)
	}
	serve.Process.Signal(syscall.SIGTERM)
	serve.Wait()
	if _, err := readServeAddr(dir); err == nil {
		t.Error("the address is still recorded after serve stopped")
	}
}
