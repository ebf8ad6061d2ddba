package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/stepdeck/stepdeck/examples"
)

// TestTimelineOfBundledExamples runs each bundled example on the local engine with its
// mocks and draws its history at widths from 40 to 200: never wider than asked, a row
// for every state the run entered.
func TestTimelineOfBundledExamples(t *testing.T) {
	dir := filepath.Join("..", "..", "examples")
	mocks := filepath.Join(dir, "mocks.json")
	list, err := examples.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range list {
		def := filepath.Join(dir, ex.Name+".asl.json")
		input := "@" + filepath.Join(dir, ex.Name+".input.json")
		args := []string{"run", def, "--input", input, "-o", "json", "--time-scale", "0", "--state-machine-name", ex.Name}
		if strings.Contains(string(examples.Mocks()), `"`+ex.Name+`"`) {
			args = append(args, "--mock-config", mocks, "--test-case", examples.DefaultTestCase)
		}
		out, code, err := execute(t, args...)
		if code == 2 {
			t.Fatalf("%s: run: %v %s", ex.Name, err, out)
		}
		hist := writeFile(t, ex.Name+".json", out)
		entered := strings.Count(out, "StateEntered\"")
		for w := 40; w <= 200; w += 10 {
			chart, code, err := execute(t, "timeline", "--history", hist, "--width", itoa(w))
			if code != 0 {
				t.Fatalf("%s at %d: exit %d: %v\n%s", ex.Name, w, code, err, chart)
			}
			lines := strings.Split(strings.TrimRight(chart, "\n"), "\n")
			for _, l := range lines {
				if ansi.StringWidth(l) > w {
					t.Fatalf("%s at %d: a line %d wide: %q", ex.Name, w, ansi.StringWidth(l), l)
				}
			}
			visits := 0
			for _, l := range lines[2 : len(lines)-1] {
				if strings.ContainsAny(l, "✓✗■●") {
					visits++
				}
			}
			if visits != entered {
				t.Errorf("%s at %d: %d visits drawn, %d states entered:\n%s", ex.Name, w, visits, entered, chart)
			}
		}
	}
}

func TestTimelineRejectsBadInput(t *testing.T) {
	cases := map[string][]string{
		"--history is required":   {"timeline"},
		"no such file":            {"timeline", "--history", filepath.Join(t.TempDir(), "none.json")},
		"not valid JSON":          {"timeline", "--history", writeFile(t, "bad.json", "{")},
		"has no events":           {"timeline", "--history", writeFile(t, "empty.json", `{"events":[]}`)},
		"must not be negative":    {"timeline", "--history", writeFile(t, "one.json", `{"events":[]}`), "--width", "-1"},
		"must be auto, always or": {"timeline", "--history", writeFile(t, "ok.json", `[{"id":1,"type":"ExecutionStarted","timestamp":1}]`), "--color", "pink"},
	}
	for want, args := range cases {
		out, code, err := execute(t, args...)
		if code != 2 || err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: exit %d, %v (%s); want 2 and %q", args, code, err, out, want)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestTimelineTinyWidth: even a width too small for a label and a bar is kept to.
func TestTimelineTinyWidth(t *testing.T) {
	hist := writeFile(t, "h.json", `{"events":[{"id":1,"previousEventId":0,"type":"ExecutionStarted","timestamp":1},
		{"id":2,"previousEventId":1,"type":"PassStateEntered","timestamp":1.5,"stateEnteredEventDetails":{"name":"A state with a long name","input":"{}"}},
		{"id":3,"previousEventId":2,"type":"PassStateExited","timestamp":2,"stateExitedEventDetails":{"name":"A state with a long name","output":"{}"}},
		{"id":4,"previousEventId":3,"type":"ExecutionSucceeded","timestamp":2,"executionSucceededEventDetails":{"output":"{}"}}]}`)
	for _, w := range []int{1, 5, 12, 25} {
		out, code, err := execute(t, "timeline", "--history", hist, "--width", strconv.Itoa(w))
		if code != 0 {
			t.Fatalf("width %d: exit %d: %v", w, code, err)
		}
		for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
			if ansi.StringWidth(l) > w {
				t.Errorf("width %d: a line %d wide: %q", w, ansi.StringWidth(l), l)
			}
		}
	}
}
