package jsonata

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

var errMissingFile = errors.New("expression file missing")

const knownFailuresFile = "testdata/known_failures.txt"

// suiteDir is the JSONata reference suite in the conformance data.
func suiteDir(t testing.TB) string {
	t.Helper()
	return conformance.DataDir(t, "jsonata")
}

type suiteCase struct {
	id        string
	expr      string
	input     any
	hasInput  bool
	bindings  map[string]any
	result    any
	hasResult bool
	undefined bool
	code      string
	timelimit int
	depth     int
	unordered bool
}

func loadSuite(t testing.TB) []suiteCase {
	dir := suiteDir(t)
	datasets := map[string]any{}
	files, _ := filepath.Glob(filepath.Join(dir, "datasets", "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v, err := value.Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		datasets[strings.TrimSuffix(filepath.Base(f), ".json")] = v
	}
	groups, _ := filepath.Glob(filepath.Join(dir, "groups", "*", "*.json"))
	sort.Strings(groups)
	var out []suiteCase
	for _, f := range groups {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var raw json.RawMessage = b
		var list []json.RawMessage
		single := true
		if strings.HasPrefix(strings.TrimSpace(string(b)), "[") {
			if err := json.Unmarshal(b, &list); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			single = false
		} else {
			list = []json.RawMessage{raw}
		}
		rel := filepath.Base(filepath.Dir(f)) + "/" + strings.TrimSuffix(filepath.Base(f), ".json")
		for i, item := range list {
			id := rel
			if !single {
				id = fmt.Sprintf("%s#%d", rel, i)
			}
			c, err := decodeCase(item, filepath.Dir(f), datasets)
			if errors.Is(err, errMissingFile) {
				// The sample of the suite here lacks a few expression files.
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			c.id = id
			out = append(out, c)
		}
	}
	return out
}

func decodeCase(b []byte, dir string, datasets map[string]any) (suiteCase, error) {
	var c suiteCase
	v, err := value.Parse(b)
	if err != nil {
		return c, err
	}
	o, ok := v.(*value.Object)
	if !ok {
		return c, errors.New("case is not an object")
	}
	get := func(k string) (any, bool) { return o.Get(k) }
	if e, ok := get("expr"); ok {
		c.expr, _ = e.(string)
	} else if f, ok := get("expr-file"); ok {
		src, err := os.ReadFile(filepath.Join(dir, f.(string)))
		if err != nil {
			return c, errMissingFile
		}
		c.expr = string(src)
	}
	if d, ok := get("data"); ok {
		c.input, c.hasInput = d, true
	} else if ds, ok := get("dataset"); ok && ds != nil {
		c.input, c.hasInput = datasets[ds.(string)], true
	}
	if bs, ok := get("bindings"); ok {
		if bo, ok := bs.(*value.Object); ok {
			c.bindings = map[string]any{}
			for i := 0; i < bo.Len(); i++ {
				k, v := bo.At(i)
				c.bindings[k] = v
			}
		}
	}
	if r, ok := get("result"); ok {
		c.result, c.hasResult = r, true
	}
	if u, ok := get("undefinedResult"); ok && u == true {
		c.undefined = true
	}
	if code, ok := get("code"); ok {
		c.code, _ = code.(string)
	}
	if e, ok := get("error"); ok {
		if eo, ok := e.(*value.Object); ok {
			if code, ok := eo.Get("code"); ok {
				c.code, _ = code.(string)
			}
		}
	}
	if tl, ok := get("timelimit"); ok {
		f, _ := value.ToFloat(tl)
		c.timelimit = int(f)
	}
	if d, ok := get("depth"); ok {
		f, _ := value.ToFloat(d)
		c.depth = int(f)
	}
	if u, ok := get("unordered"); ok && u == true {
		c.unordered = true
	}
	return c, nil
}

// runCase returns "" when the case passes, or what went wrong.
func runCase(c suiteCase) (problem string) {
	e, err := Compile(c.expr)
	var got any
	if err == nil {
		opts := &Options{Deadline: time.Now().Add(10 * time.Second)}
		if c.timelimit > 0 {
			// The limits were set for the reference on its own machine. Where the
			// expected outcome is the timeout, the limit applies as given; elsewhere it
			// is stretched so that a shared, loaded machine (or -race) does not fail a
			// correct result.
			limit := time.Duration(c.timelimit) * time.Millisecond
			if c.code != "U1001" {
				limit *= 6
			}
			opts.Deadline = time.Now().Add(limit)
		}
		if c.depth > 0 {
			opts.MaxDepth = c.depth
		}
		var input any
		if c.hasInput {
			input = c.input
		} else {
			input = Undefined
		}
		got, err = e.Evaluate(input, c.bindings, opts)
	}
	switch {
	case c.code != "":
		var je *Error
		if errors.As(err, &je) {
			if je.Code == c.code {
				return ""
			}
			return fmt.Sprintf("want error %s, got %s", c.code, je.Error())
		}
		if err != nil {
			return fmt.Sprintf("want error %s, got %v", c.code, err)
		}
		return fmt.Sprintf("want error %s, got %s", c.code, value.String(got))
	case c.undefined:
		if errors.Is(err, ErrUndefined) {
			return ""
		}
		if err != nil {
			return "want undefined, got " + err.Error()
		}
		return "want undefined, got " + value.String(got)
	case c.hasResult:
		if err != nil {
			return "want " + value.String(c.result) + ", got " + err.Error()
		}
		if sameResult(got, c.result, c.unordered) {
			return ""
		}
		return "want " + value.String(c.result) + ", got " + value.String(got)
	}
	// A case with no expectation passes when evaluation does not fail.
	if err != nil && !errors.Is(err, ErrUndefined) {
		return "unexpected error " + err.Error()
	}
	return ""
}

func sameResult(got, want any, unordered bool) bool {
	if !unordered {
		return deepEqual(got, want)
	}
	g, ok1 := got.([]any)
	w, ok2 := want.([]any)
	if !ok1 || !ok2 || len(g) != len(w) {
		return deepEqual(got, want)
	}
	used := make([]bool, len(g))
outer:
	for _, x := range w {
		for i, y := range g {
			if !used[i] && deepEqual(x, y) {
				used[i] = true
				continue outer
			}
		}
		return false
	}
	return true
}

// TestConformance runs the reference suite. Cases in testdata/known_failures.txt may
// fail; any other failure fails the test, and so does a listed case that now passes.
func TestConformance(t *testing.T) {
	cases := loadSuite(t)
	known := conformance.ReadKnownCases(t, knownFailuresFile)
	failed := 0
	for _, c := range cases {
		p := runCase(c)
		if p != "" {
			failed++
			if len(p) > 160 {
				p = p[:160] + "..."
			}
		}
		known.Check(t, c.id, p)
	}
	known.Done(t)
	t.Logf("JSONata suite: %d cases, %d pass, %d fail (%.2f%%)", len(cases), len(cases)-failed, failed,
		100*float64(len(cases)-failed)/float64(len(cases)))
}
