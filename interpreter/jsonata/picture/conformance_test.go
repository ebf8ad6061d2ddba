package picture

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// suiteDir is the JSONata reference suite, shared by the project outside the repository.
var suiteDir = filepath.Join("..", "..", "..", "..", "shared", "conformance", "jsonata", "groups")

type suiteCase struct {
	Expr      string          `json:"expr"`
	Result    json.RawMessage `json:"result"`
	Undefined bool            `json:"undefinedResult"`
	Code      string          `json:"code"`
	Data      json.RawMessage `json:"data"`
	Dataset   json.RawMessage `json:"dataset"`
	Bindings  json.RawMessage `json:"bindings"`
}

func loadSuite(t *testing.T) map[string][]suiteCase {
	t.Helper()
	if _, err := os.Stat(suiteDir); err != nil {
		t.Skipf("JSONata reference suite not found at %s (it lives outside the repository): %v", suiteDir, err)
	}
	files, err := filepath.Glob(filepath.Join(suiteDir, "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]suiteCase{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var many []suiteCase
		if err := json.Unmarshal(raw, &many); err != nil {
			var one suiteCase
			if err := json.Unmarshal(raw, &one); err != nil {
				continue
			}
			many = []suiteCase{one}
		}
		rel, _ := filepath.Rel(suiteDir, f)
		out[rel] = many
	}
	return out
}

// TestSuite runs every reference case that is a single call of one of this package's
// functions with literal arguments, and counts the rest as skipped.
func TestSuite(t *testing.T) {
	suite := loadSuite(t)
	names := make([]string, 0, len(suite))
	for n := range suite {
		names = append(names, n)
	}
	sort.Strings(names)
	pass, skip, fail := 0, 0, 0
	for _, name := range names {
		for i, c := range suite[name] {
			call, ok := parseCall(c.Expr)
			if !ok || !handled[call.fn] {
				if mentionsOurs(c.Expr) {
					skip++
					t.Logf("skip %s#%d: %s", name, i, c.Expr)
				}
				continue
			}
			got, err, ok := runCall(call)
			if !ok {
				skip++
				t.Logf("skip %s#%d: %s", name, i, c.Expr)
				continue
			}
			if msg := judge(c, got, err); msg != "" {
				fail++
				t.Errorf("%s#%d %s: %s", name, i, c.Expr, msg)
				continue
			}
			pass++
		}
	}
	t.Logf("reference suite: %d pass, %d skip, %d fail", pass, skip, fail)
	if pass == 0 {
		t.Fatal("no reference case ran; has the suite layout changed?")
	}
}

var handled = map[string]bool{"formatNumber": true, "formatInteger": true, "parseInteger": true,
	"fromMillis": true, "toMillis": true}

func mentionsOurs(expr string) bool {
	for fn := range handled {
		if strings.Contains(expr, "$"+fn+"(") {
			return true
		}
	}
	return false
}

func judge(c suiteCase, got any, err error) string {
	switch {
	case c.Code != "":
		var pe *Error
		if !errors.As(err, &pe) {
			return "want error " + c.Code + ", got " + describe(got, err)
		}
		if pe.Code != c.Code {
			return "want error " + c.Code + ", got " + pe.Code + " (" + pe.Message + ")"
		}
	case c.Undefined:
		if !errors.Is(err, ErrNoMatch) {
			return "want undefined, got " + describe(got, err)
		}
	default:
		if err != nil {
			return "want " + string(c.Result) + ", got error " + err.Error()
		}
		var want any
		if json.Unmarshal(c.Result, &want) != nil {
			return "unreadable expected result"
		}
		switch w := want.(type) {
		case string:
			if g, ok := got.(string); !ok || g != w {
				return "want " + strconv.Quote(w) + ", got " + describe(got, nil)
			}
		case float64:
			g, ok := got.(float64)
			if !ok || g != w {
				return "want " + strconv.FormatFloat(w, 'g', -1, 64) + ", got " + describe(got, nil)
			}
		default:
			return "unexpected result type"
		}
	}
	return ""
}

func describe(v any, err error) string {
	if err != nil {
		return "error " + err.Error()
	}
	switch g := v.(type) {
	case string:
		return strconv.Quote(g)
	case float64:
		return strconv.FormatFloat(g, 'g', -1, 64)
	}
	return "nothing"
}

// runCall applies the call; ok is false when its arguments are not of a shape handled
// here (such as an undefined first argument, which the evaluator deals with).
func runCall(c call) (any, error, bool) {
	num := func(i int) (float64, bool) {
		if i >= len(c.args) {
			return 0, false
		}
		f, ok := c.args[i].(float64)
		return f, ok
	}
	str := func(i int) (string, bool) {
		if i >= len(c.args) {
			return "", false
		}
		s, ok := c.args[i].(string)
		return s, ok
	}
	switch c.fn {
	case "formatNumber":
		x, ok1 := num(0)
		p, ok2 := str(1)
		if !ok1 || !ok2 || len(c.args) > 3 {
			return nil, nil, false
		}
		var opts map[string]string
		if len(c.args) == 3 {
			m, ok := c.args[2].(map[string]string)
			if !ok {
				return nil, nil, false
			}
			opts = m
		}
		s, err := FormatNumber(x, p, opts)
		return s, err, true
	case "formatInteger":
		x, ok1 := num(0)
		p, ok2 := str(1)
		if !ok1 || !ok2 || len(c.args) != 2 {
			return nil, nil, false
		}
		s, err := FormatInteger(x, p)
		return s, err, true
	case "parseInteger":
		s, ok1 := str(0)
		p, ok2 := str(1)
		if !ok1 || !ok2 || len(c.args) != 2 {
			return nil, nil, false
		}
		v, err := ParseInteger(s, p)
		return v, err, true
	case "fromMillis":
		x, ok := num(0)
		if !ok || x != math.Trunc(x) {
			return nil, nil, false
		}
		switch len(c.args) {
		case 1:
			return FormatISO(int64(x)), nil, true
		case 2, 3:
			p, ok := str(1)
			tz := ""
			if len(c.args) == 3 {
				tz, ok = str(2)
			}
			if !ok {
				return nil, nil, false
			}
			s, err := FormatDateTime(int64(x), p, tz)
			return s, err, true
		}
	case "toMillis":
		s, ok := str(0)
		if !ok {
			return nil, nil, false
		}
		switch len(c.args) {
		case 1:
			v, err := ParseISO(s)
			return float64(v), err, true
		case 2:
			p, ok := str(1)
			if !ok {
				return nil, nil, false
			}
			v, err := ParseDateTime(s, p)
			return float64(v), err, true
		}
	}
	return nil, nil, false
}
