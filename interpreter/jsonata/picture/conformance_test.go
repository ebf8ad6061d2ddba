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
	"time"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
)

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
	suiteDir := conformance.DataDir(t, "jsonata", "groups")
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

// TestSuite runs every reference case built only from calls of this package's functions
// on literals (see the reader in callparse_test.go) and counts the rest as skipped.
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
			if !mentionsOurs(c.Expr) {
				continue
			}
			got, err := evalExpr(c.Expr, callFunction)
			if errors.Is(err, errUnsupported) {
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

// suiteNow is the fixed "now" for parses that take components from the current time; the
// suite's cases that depend on the date of today are skipped.
var suiteNow = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC).UnixMilli()

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
		if _, ok := got.(undefined); !ok || err != nil {
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
		case bool:
			if g, ok := got.(bool); !ok || g != w {
				return "want " + strconv.FormatBool(w) + ", got " + describe(got, nil)
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

// callFunction applies one of this package's functions the way the JSONata function of
// that name would; argument shapes it does not handle are errUnsupported.
func callFunction(fn string, args []any) (any, error) {
	num := func(i int) (float64, bool) {
		if i >= len(args) {
			return 0, false
		}
		f, ok := args[i].(float64)
		return f, ok
	}
	str := func(i int) (string, bool) {
		if i >= len(args) {
			return "", false
		}
		s, ok := args[i].(string)
		return s, ok
	}
	switch fn {
	case "now":
		// The evaluation's fixed instant, the same one the parses below see.
		return FormatISO(suiteNow), nil
	case "substringBefore", "substringAfter":
		s, ok1 := str(0)
		sep, ok2 := str(1)
		if !ok1 || !ok2 {
			return nil, errUnsupported
		}
		before, after, found := strings.Cut(s, sep)
		if fn == "substringBefore" {
			return before, nil
		}
		if !found {
			return s, nil
		}
		return after, nil
	case "formatNumber":
		x, ok1 := num(0)
		p, ok2 := str(1)
		if !ok1 || !ok2 || len(args) > 3 {
			return nil, errUnsupported
		}
		var opts map[string]string
		if len(args) == 3 {
			m, ok := args[2].(map[string]string)
			if !ok {
				return nil, errUnsupported
			}
			opts = m
		}
		return FormatNumber(x, p, opts)
	case "formatInteger":
		x, ok1 := num(0)
		p, ok2 := str(1)
		if !ok1 || !ok2 || len(args) != 2 {
			return nil, errUnsupported
		}
		return FormatInteger(x, p)
	case "parseInteger":
		s, ok1 := str(0)
		p, ok2 := str(1)
		if !ok1 || !ok2 || len(args) != 2 {
			return nil, errUnsupported
		}
		return ParseInteger(s, p)
	case "fromMillis":
		x, ok := num(0)
		if !ok || x != math.Trunc(x) {
			return nil, errUnsupported
		}
		switch len(args) {
		case 1:
			return FormatISO(int64(x)), nil
		case 2, 3:
			p, ok := str(1)
			tz := ""
			if len(args) == 3 {
				tz, ok = str(2)
			}
			if !ok {
				return nil, errUnsupported
			}
			return FormatDateTime(int64(x), p, tz)
		}
	case "toMillis":
		s, ok := str(0)
		if !ok {
			return nil, errUnsupported
		}
		switch len(args) {
		case 1:
			v, err := ParseISO(s)
			return float64(v), err
		case 2:
			p, ok := str(1)
			if !ok {
				return nil, errUnsupported
			}
			v, err := ParseDateTimeAt(s, p, suiteNow)
			return float64(v), err
		}
	}
	return nil, errUnsupported
}
