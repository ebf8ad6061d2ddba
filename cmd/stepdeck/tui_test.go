package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/client/config"
	"github.com/stepdeck/stepdeck/ui"
)

// The palette's factory opens the local engine with the examples, and can open it
// again once the first is closed (the store takes one opener at a time).
func TestBackendFactoryLocalReopens(t *testing.T) {
	o := tuiOptions{dataDir: filepath.Join(t.TempDir(), "data")}
	var warned []error
	open := backendFactory(o, func(err error) { warned = append(warned, err) })
	for round := range 2 {
		api, name, closeFn, err := open(context.Background(), ui.BackendSpec{Local: true})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		out, err := api.ListStateMachines(context.Background(), &sfn.ListStateMachinesInput{})
		if err != nil || len(out.StateMachines) == 0 || name != "local engine" {
			t.Fatalf("round %d: %q with %d machines, %v", round, name, len(out.StateMachines), err)
		}
		closeFn()
	}
	if len(warned) != 0 {
		t.Fatalf("warnings: %v", warned)
	}
}

func TestBackendFactoryAWSNamesWhatItUses(t *testing.T) {
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_PROFILE", "")
	open := backendFactory(tuiOptions{}, nil)
	_, name, closeFn, err := open(context.Background(), ui.BackendSpec{Region: "eu-west-3", Endpoint: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	if closeFn != nil {
		closeFn()
	}
	if name != "endpoint 127.0.0.1:1" {
		t.Fatalf("name %q", name)
	}
	// An endpoint from the environment is an endpoint too, not AWS.
	t.Setenv("AWS_ENDPOINT_URL_SFN", "http://127.0.0.1:8083")
	if _, name, _, err = open(context.Background(), ui.BackendSpec{}); err != nil || name != "endpoint 127.0.0.1:8083" {
		t.Fatalf("from AWS_ENDPOINT_URL_SFN: %q %v", name, err)
	}
	t.Setenv("AWS_ENDPOINT_URL_SFN", "")
	if _, name, _, err = open(context.Background(), ui.BackendSpec{Region: "eu-west-3"}); err != nil || name != "aws · eu-west-3" {
		t.Fatalf("AWS: %q %v", name, err)
	}
	if _, _, _, err := open(context.Background(), ui.BackendSpec{Region: "eu-west"}); err == nil || !strings.Contains(err.Error(), "not an AWS region") {
		t.Fatalf("a malformed region: %v", err)
	}
	if _, _, _, err := open(context.Background(), ui.BackendSpec{Endpoint: "not a url"}); err == nil {
		t.Fatal("a bad endpoint opened")
	}
}

// What is written to os.Stderr while the UI runs lands in a file that is named on
// restore; with nothing written no file is made.
func TestDivertStderr(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	realErr := os.Stderr
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stderr = w
	defer func() { os.Stderr = realErr }()

	got, restore := divertStderr()
	if got != w || os.Stderr == w {
		t.Fatal("os.Stderr was not diverted")
	}
	fmt.Fprintln(os.Stderr, "SDK WARN falling back")
	restore()
	w.Close()
	said, _ := io.ReadAll(r)
	if os.Stderr != w {
		t.Fatal("os.Stderr was not restored")
	}
	_, name, ok := strings.Cut(strings.TrimSpace(string(said)), " are in ")
	if !ok {
		t.Fatalf("restore said %q", said)
	}
	if b, err := os.ReadFile(name); err != nil || !strings.Contains(string(b), "SDK WARN") {
		t.Fatalf("the file holds %q (%v)", b, err)
	}

	_, restore = divertStderr()
	restore()
	if left, _ := filepath.Glob(filepath.Join(os.Getenv("TMPDIR"), "stepdeck-tui-*")); len(left) != 1 {
		t.Fatalf("files %v, want only the first run's", left)
	}
}

// Given files, the local engine starts without the bundled examples: the files' machines
// are the show.
func TestBackendFactoryWithPathsSeedsNothing(t *testing.T) {
	o := tuiOptions{dataDir: filepath.Join(t.TempDir(), "data"), paths: []string{samApp}}
	api, _, closeFn, err := backendFactory(o, nil)(context.Background(), ui.BackendSpec{Local: true})
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	out, err := api.ListStateMachines(context.Background(), &sfn.ListStateMachinesInput{})
	if err != nil || len(out.StateMachines) != 0 {
		t.Fatalf("%d machines, %v", len(out.StateMachines), err)
	}
}

// Bad paths and paths with AWS flags are refused before the UI starts; off a terminal,
// stepdeck PATH says the UI needs one.
func TestTUIPathsAreChecked(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"tui", filepath.Join(t.TempDir(), "nope.yaml")}, "no such file"},
		{[]string{"tui", samApp, "--region", "eu-west-1"}, "local engine"},
		{[]string{samApp}, "needs a terminal"},
	} {
		if _, code, err := execute(t, c.args...); code != 2 || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: exit %d, %v (want %q)", c.args, code, err, c.want)
		}
	}
}

// With no flag naming a backend, the configuration file's default context is opened,
// and read_only there makes the UI read-only.
func TestConfiguredBackend(t *testing.T) {
	cfg, err := config.Parse("c.toml", []byte("default_context = \"serve\"\n[[context]]\nname = \"serve\"\nendpoint = \"http://127.0.0.1:8083\"\nread_only = true\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := configuredBackend(cfg); got != (ui.BackendSpec{Endpoint: "http://127.0.0.1:8083"}) || !contextReadOnly(cfg, cfg.DefaultContext) {
		t.Errorf("backend %+v", got)
	}
	cfg, _ = config.Parse("c.toml", []byte("region = \"eu-west-1\"\n"))
	if got := configuredBackend(cfg); got != (ui.BackendSpec{Region: "eu-west-1"}) || contextReadOnly(cfg, "") {
		t.Errorf("backend %+v", got)
	}
	cfg, _ = config.Parse("c.toml", nil)
	if got := configuredBackend(cfg); got != (ui.BackendSpec{}) {
		t.Errorf("an empty configuration opens %+v, want the local engine", got)
	}
}
