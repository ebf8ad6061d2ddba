package ui

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/sources"
)

var fixtureDir = filepath.Join("..", "testdata", "sources")

func copyFixture(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join(fixtureDir, name)
	dst := filepath.Join(t.TempDir(), name)
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

func nextChange(t *testing.T, s *sources.Syncer, want string) common.SourceChange {
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

// showChange hands a change to the app as waitSources would, and reloads the screen.
// The app's own wait for the next change is not run: the test reads the changes.
func showChange(a *App, ev common.SourceChange) {
	a.Update(sourcesMsg(ev))
	drain(a, a.top().Init())
}

// The machines screen shows where each machine came from; a save shows in the status
// line, and an edit that does not validate shows its problem on the machine.
func TestMachinesFromFilesShowTheirSourceAndProblems(t *testing.T) {
	dir := copyFixture(t, "sam-app")
	api, closeFn, err := client.NewLocal(context.Background(), client.LocalOptions{DataDir: t.TempDir(), TimeScale: 0})
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	c := fixedCommon(api, 160, 20)
	c.Local = true
	s := sources.New(func() client.API { return c.API })
	defer s.Close()
	c.Sources = s
	// Run from the project's parent folder, as a person would: sources are named
	// relative to it.
	t.Chdir(filepath.Dir(dir))
	if _, err := s.Load(context.Background(), "sam-app"); err != nil {
		t.Fatal(err)
	}
	a := New(c, "local")
	drain(a, a.top().Init())
	mustContain(t, a.Render(), "Source", "sign-off-dev", "template.yaml#SignOffMachine", "ArchiveMachine", "template.yaml#ArchiveMachine")

	asl := filepath.Join(dir, "statemachine", "sign-off.asl.json")
	data, _ := os.ReadFile(asl)
	broken := strings.Replace(string(data), `"Next": "Archive"`, `"Next": "Nowhere"`, 1)
	if err := os.WriteFile(asl, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	showChange(a, nextChange(t, s, "with problems"))
	line := 1 + strings.Count(broken[:strings.Index(broken, `"Nowhere"`)], "\n")
	screen := a.Render()
	mustContain(t, screen, "✗ ", "sign-off.asl.json:"+strconv.Itoa(line)+":")
	mustContain(t, statusLine(a), "MISSING_TRANSITION_TARGET")

	if err := os.WriteFile(asl, data, 0o644); err != nil {
		t.Fatal(err)
	}
	showChange(a, nextChange(t, s, "fixed"))
	if strings.Contains(a.Render(), "✗ ") {
		t.Errorf("the problem is still shown:\n%s", a.Render())
	}
}

// :load adds the machines of another source.
func TestLoadCommandAddsMachines(t *testing.T) {
	api, closeFn, err := client.NewLocal(context.Background(), client.LocalOptions{DataDir: t.TempDir(), TimeScale: 0})
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	c := fixedCommon(api, 160, 20)
	c.Local = true
	s := sources.New(func() client.API { return c.API })
	defer s.Close()
	c.Sources = s
	a := New(c, "local")
	drain(a, a.top().Init())
	t.Chdir(fixtureDir)
	press(a, ":")
	typeText(a, "load cdk-app")
	press(a, "enter")
	mustContain(t, a.Render(), "SignOff5C9E1B4A", "Archive9D2C4E1A", "SignOffStack.template.json#SignOff5C9E1B4A")
	mustContain(t, statusLine(a), "2 created")
}

// TestSourcesInTmux runs the real binary on each fixture project in a tmux pane, as a
// person would: stepdeck ./my-sam-app lists its machines with their sources, and a save
// of a definition shows in the status line. Skipped without tmux and with -short.
func TestSourcesInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and drives it in tmux")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	bin := filepath.Join(t.TempDir(), "stepdeck")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/stepdeck").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, fx := range []struct {
		dir, file string
		machines  []string
		edit      func(string) string
		after     string
	}{
		{"sam-app", "statemachine/sign-off.asl.json", []string{"sign-off-dev", "ArchiveMachine"},
			func(s string) string { return strings.ReplaceAll(s, `"Archive"`, `"File It"`) }, "sign-off-dev updated"},
		{"cfn", "template.yaml", []string{"orders-prod", "NotifyStateMachine"},
			func(s string) string { return strings.Replace(s, `"Next": "Ship"`, `"Next": "Shp"`, 1) }, "with problems"},
		{"cdk-app", "cdk.out/SignOffStack.template.json", []string{"SignOff5C9E1B4A", "Archive9D2C4E1A"},
			func(s string) string { return strings.ReplaceAll(s, "Finance Signs", "Finance Approves") }, "SignOff5C9E1B4A updated"},
	} {
		t.Run(fx.dir, func(t *testing.T) {
			dir := copyFixture(t, fx.dir)
			session := fmt.Sprintf("stepdeck-src-%d-%s", os.Getpid(), fx.dir)
			tmux := func(args ...string) string { return runTmux(t, args...) }
			tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "30", "-c", filepath.Dir(dir),
				bin, "--data-dir", filepath.Join(t.TempDir(), "data"), "./"+fx.dir)
			t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", session).Run() })
			screen := func(parts ...string) string { t.Helper(); return paneShows(t, session, 300, parts...) }
			got := screen(append([]string{"State machines", "Source"}, fx.machines...)...)
			if strings.Contains(got, "hello") {
				t.Errorf("the bundled examples were created along with the files:\n%s", got)
			}
			p := filepath.Join(dir, fx.file)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(fx.edit(string(data))), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("after the save:\n%s", screen(fx.after))
			tmux("send-keys", "-t", session, "q")
		})
	}
}
