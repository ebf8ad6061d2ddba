package localtask

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The tests' handler commands are this test binary, re-executed with helperEnv naming
// what it should do: no python, no shell, the same on every machine.
const helperEnv = "LOCALTASK_TEST_HELPER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(helper(mode))
	}
	os.Exit(m.Run())
}

func helper(mode string) int {
	in, _ := io.ReadAll(os.Stdin)
	switch mode {
	case "echo":
		os.Stdout.Write(in)
	case "wrap":
		fmt.Printf("  {\"got\": %s}\n", in)
		fmt.Fprintln(os.Stderr, "logs go to stderr")
	case "env":
		out := map[string]string{}
		for _, k := range []string{"STEPDECK_STATE_NAME", "STEPDECK_RESOURCE", "STEPDECK_ATTEMPT", "STEPDECK_TASK_TOKEN", "STAGE", "PATH"} {
			out[k] = os.Getenv(k)
		}
		wd, _ := os.Getwd()
		out["cwd"] = wd
		json.NewEncoder(os.Stdout).Encode(out)
	case "lambda-error":
		fmt.Println(`{"errorType": "ValueError", "errorMessage": "bad order", "stackTrace": []}`)
		return 1
	case "sfn-error":
		fmt.Fprintln(os.Stderr, "Traceback: something")
		fmt.Fprintln(os.Stderr, `{"Error": "Order.Invalid", "Cause": {"id": 7}}`)
		return 3
	case "traceback":
		fmt.Fprintln(os.Stderr, "Traceback (most recent call last):")
		fmt.Fprintln(os.Stderr, "KeyError: 'order'   ")
		return 2
	case "huge-stderr":
		os.Stderr.WriteString(strings.Repeat("x", 100_000) + "THE END\n")
		return 1
	case "silent-fail":
		return 4
	case "bad-json":
		fmt.Println("done: ok")
	case "empty":
	case "huge-stdout":
		os.Stdout.WriteString(`"` + strings.Repeat("a", maxStdout) + `"`)
	case "no-stdin":
		fmt.Println(`{"ignored":"input"}`)
	case "sleep":
		// A child in the same process group, to show the whole group is killed.
		child := exec.Command(os.Args[0])
		child.Env = append(os.Environ(), helperEnv+"=sleep-child")
		child.Stdout = os.Stdout
		if err := child.Start(); err != nil {
			return 9
		}
		if f := os.Getenv("LOCALTASK_PIDFILE"); f != "" {
			os.WriteFile(f, []byte(fmt.Sprint(child.Process.Pid)), 0o600)
		}
		time.Sleep(time.Hour)
	case "sleep-child":
		time.Sleep(time.Hour)
	default:
		fmt.Fprintln(os.Stderr, "unknown helper mode", mode)
		return 99
	}
	return 0
}
