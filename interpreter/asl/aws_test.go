package asl

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
)

// The API recordings hold definitions AWS rejected, with its exact messages, and
// ValidateStateMachineDefinition results. Cases recorded against LocalStack rather than
// AWS (no validation date) are left out: they say what LocalStack does.

type apiCase struct {
	ID         string          `json:"id"`
	API        string          `json:"api"`
	Definition json.RawMessage `json:"definition"`
	// DefinitionString is the definition as sent when it is not a JSON object.
	DefinitionString *string         `json:"definition_string"`
	Request          map[string]any  `json:"request"`
	Expected         json.RawMessage `json:"expected"`
	Source           struct {
		LastValidated *string `json:"last_validated_date"`
	} `json:"source"`
}

func loadAPICases(t *testing.T, kind string) []apiCase {
	t.Helper()
	dir := conformance.DataDir(t, "asl", "api", kind)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Fatalf("no cases under %s", dir)
	}
	var out []apiCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c apiCase
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if c.Source.LastValidated != nil && *c.Source.LastValidated != "" {
			out = append(out, c)
		}
	}
	return out
}

// normalizeARNs writes ARNs the way the recordings were normalized.
func normalizeARNs(s string) string { return strings.ReplaceAll(s, "arn:aws:", "arn:<partition>:") }

func TestRejectedDefinitionsAsAWS(t *testing.T) {
	known := conformance.ReadKnownCases(t, filepath.Join("testdata", "known_failures_rejected.txt"))
	seen := map[string]bool{}
	for _, c := range loadAPICases(t, "api_error") {
		if c.API != "CreateStateMachine" || !strings.Contains(string(c.Expected), "InvalidDefinition") {
			continue
		}
		var exp struct {
			Message string `json:"message"`
			Value   string `json:"exception_value"`
		}
		_ = json.Unmarshal(c.Expected, &exp)
		want := exp.Message
		if want == "" {
			_, want, _ = strings.Cut(exp.Value, "CreateStateMachine operation: ")
		}
		typ, _ := c.Request["type"].(string)
		seen[c.ID] = true
		_, err := ParseFor(c.Definition, typ)
		got := "(accepted)"
		if err != nil {
			got = normalizeARNs(err.Error())
		}
		failure := ""
		if got != want {
			failure = fmt.Sprintf("\n got %s\nwant %s", got, want)
		}
		known.Check(t, c.ID, failure)
	}
	known.Done(t)
	if len(seen) == 0 {
		t.Fatal("no rejected definitions found in the recordings")
	}
}

func TestValidateDefinitionAsAWS(t *testing.T) {
	known := conformance.ReadKnownCases(t, filepath.Join("testdata", "known_failures_validate.txt"))
	n := 0
	for _, c := range loadAPICases(t, "validate_definition") {
		var exp struct {
			Result      string `json:"result"`
			Diagnostics []struct {
				Code, Message, Location, Severity string
			} `json:"diagnostics"`
		}
		if err := json.Unmarshal(c.Expected, &exp); err != nil || exp.Result == "" {
			continue
		}
		def := string(c.Definition)
		if c.DefinitionString != nil {
			def = *c.DefinitionString
		}
		n++
		diags := Validate([]byte(def))
		var got, want []string
		for _, d := range diags {
			got = append(got, d.Code+"|"+d.Message+"|"+d.Location)
		}
		for _, d := range exp.Diagnostics {
			if d.Code == InvalidJSONDescription {
				// Jackson's parser message and position cannot be matched by ours;
				// the code is what a client acts on.
				want = append(want, d.Code)
				continue
			}
			want = append(want, d.Code+"|"+d.Message+"|"+d.Location)
		}
		for i, g := range got {
			if strings.HasPrefix(g, InvalidJSONDescription+"|") {
				got[i] = InvalidJSONDescription
			}
		}
		sort.Strings(got)
		sort.Strings(want)
		same := strings.Join(got, "\n") == strings.Join(want, "\n")
		failure := ""
		if !same {
			failure = fmt.Sprintf("definition %.80q\n got %q\nwant %q", def, got, want)
		}
		known.Check(t, c.ID, failure)
	}
	known.Done(t)
	if n == 0 {
		t.Fatal("no ValidateStateMachineDefinition recordings found")
	}
}
