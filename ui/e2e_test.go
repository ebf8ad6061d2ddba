package ui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
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
	tmux := func(args ...string) string { return runTmux(t, args...) }
	tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "32",
		"env", "STEPDECK_DATA_DIR="+filepath.Join(dir, "data"), bin)
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", session).Run() })

	screen := func(parts ...string) string { t.Helper(); return paneShows(t, session, 200, parts...) }
	screen("State machines", "batch-job-poller", "document-sign-off", "hello")
	tmux("send-keys", "-t", session, "Down", "Down", "s")
	screen("Start an execution of hello", `"name": "you"`)
	tmux("send-keys", "-t", session, "C-s")
	got := screen("SUCCEEDED", "ExecutionSucceeded", "Hello, you!")
	t.Logf("final screen:\n%s", got)
	tmux("send-keys", "-t", session, "q")
}
