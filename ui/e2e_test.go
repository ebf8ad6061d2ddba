package ui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEndToEndInTmux runs the real binary with no arguments in a tmux pane, as a person
// would on a fresh machine: the examples load, hello is started from the input editor,
// and its execution is seen to succeed. Skipped without tmux and with -short.
func TestEndToEndInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and drives it in tmux")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "stepdeck")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/stepdeck").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	session := fmt.Sprintf("stepdeck-e2e-%d", os.Getpid())
	tmux := func(args ...string) string {
		out, err := exec.Command("tmux", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "32",
		"env", "STEPDECK_DATA_DIR="+filepath.Join(dir, "data"), bin)
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", session).Run() })

	// screen waits, for a bounded number of captures, until the pane shows every part.
	screen := func(parts ...string) string {
		t.Helper()
		var last string
		for range 200 {
			last = tmux("capture-pane", "-p", "-t", session)
			ok := true
			for _, p := range parts {
				ok = ok && strings.Contains(last, p)
			}
			if ok {
				return last
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("the pane never showed %q:\n%s", parts, last)
		return ""
	}
	screen("State machines", "batch-job-poller", "document-sign-off", "hello")
	tmux("send-keys", "-t", session, "Down", "Down", "s")
	screen("Start an execution of hello", `"name": "you"`)
	tmux("send-keys", "-t", session, "C-s")
	got := screen("SUCCEEDED", "ExecutionSucceeded", "Hello, you!")
	t.Logf("final screen:\n%s", got)
	tmux("send-keys", "-t", session, "q")
}
