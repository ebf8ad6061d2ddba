package conformance

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The ratchet is exercised end to end in a child test process, since a failing Run
// must fail the test that calls it. The child runs TestRatchetChild with two small
// cases and an engine chosen by environment variables.

const childEnv = "CONFORMANCE_RATCHET_CHILD"

func ratchetCases(t testing.TB) []*Case {
	t.Helper()
	c := func(id string) *Case {
		return &Case{
			ID: id, Area: "demo",
			StateMachine: &StateMachine{Name: "m"}, Execution: &Execution{Name: "e"},
			Expected: &Expected{Status: "SUCCEEDED", Output: []byte(`{"a":1}`)},
		}
	}
	return []*Case{c("demo/ok #1"), c("demo/broken #2")}
}

func TestRatchetChild(t *testing.T) {
	file := os.Getenv(childEnv)
	if file == "" {
		t.Skip("run by TestRatchet")
	}
	if os.Getenv(childEnv+"_UPDATE") != "" {
		*updateKnown = true
	}
	Run(t, ratchetCases(t), file, func(c *Case) (*Result, error) {
		if strings.Contains(c.ID, "broken") && os.Getenv(childEnv+"_FIXED") == "" {
			return nil, errors.New("not implemented")
		}
		out := `{"a":1.0}`
		return &Result{Status: "SUCCEEDED", Output: &out}, nil
	})
}

func runChild(t *testing.T, file string, env ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRatchetChild$", "-test.v")
	cmd.Env = append(append(os.Environ(), childEnv+"="+file), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err == nil
}

func TestRatchet(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("child process")
	}
	file := filepath.Join(t.TempDir(), "known_failures.txt")

	out, ok := runChild(t, file)
	if ok || !strings.Contains(out, "not a known failure") || !strings.Contains(out, "not implemented") {
		t.Fatalf("an unlisted failure must fail the run:\n%s", out)
	}

	out, ok = runChild(t, file, childEnv+"_UPDATE=1")
	if !ok {
		t.Fatalf("-update-known must not fail:\n%s", out)
	}
	data, _ := os.ReadFile(file)
	if !strings.Contains(string(data), `"demo/broken #2" result # TODO: reason`) || strings.Contains(string(data), "demo/ok") {
		t.Fatalf("rewritten file:\n%s", data)
	}

	// A reason written by a person survives rewriting.
	os.WriteFile(file, bytes.Replace(data, []byte("TODO: reason"), []byte("engine missing"), 1), 0o644)
	if out, ok = runChild(t, file); !ok || !strings.Contains(out, "fails as known (engine missing)") {
		t.Fatalf("a listed failure must pass the run:\n%s", out)
	}
	if !strings.Contains(out, "demo") || !strings.Contains(out, "1/2  50.0%") {
		t.Errorf("summary missing or wrong:\n%s", out)
	}
	if out, ok = runChild(t, file, childEnv+"_UPDATE=1"); !ok {
		t.Fatal(out)
	}
	if data, _ := os.ReadFile(file); !strings.Contains(string(data), "# engine missing") {
		t.Fatalf("reason lost:\n%s", data)
	}

	out, ok = runChild(t, file, childEnv+"_FIXED=1")
	if ok || !strings.Contains(out, "now passes: remove the line") {
		t.Fatalf("a listed case that passes must fail the run:\n%s", out)
	}
	if out, ok = runChild(t, file, childEnv+"_FIXED=1", childEnv+"_UPDATE=1"); !ok {
		t.Fatal(out)
	}
	if data, _ := os.ReadFile(file); strings.Contains(string(data), "demo/broken") {
		t.Fatalf("fixed case still listed:\n%s", data)
	}
}

func TestParseKnownFailures(t *testing.T) {
	good := "# comment\n\n\"a b#c\" events # why\n\"x\" result\n"
	k, err := ParseKnownFailures([]byte(good), "f")
	if err != nil {
		t.Fatal(err)
	}
	if k[knownKey{"a b#c", LevelEvents}] != "why" || len(k) != 2 {
		t.Fatalf("parsed %v", k)
	}
	again, err := ParseKnownFailures(k.Format(), "f")
	if err != nil || len(again) != 2 || again[knownKey{"x", LevelResult}] != "TODO: reason" {
		t.Fatalf("format does not round trip: %v %v", again, err)
	}
	for _, bad := range []string{"a events # unquoted", `"a" deep # unknown level`, "\"a\" result\n\"a\" result"} {
		if _, err := ParseKnownFailures([]byte(bad), "f"); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
