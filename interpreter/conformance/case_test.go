package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestQueryLanguageHelpers(t *testing.T) {
	for _, tc := range []struct {
		def     string
		jsonata bool
	}{
		{`{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`, false},
		{`{"QueryLanguage":"JSONata","StartAt":"A","States":{}}`, true},
		{`{"StartAt":"A","States":{"A":{"Type":"Pass","QueryLanguage":"JSONata","End":true}}}`, true},
		{`{"Comment":"QueryLanguage JSONata","StartAt":"A","States":{}}`, false},
		{`not json`, false},
	} {
		c := &Case{Definition: []byte(tc.def)}
		if c.IsJSONata() != tc.jsonata || c.IsJSONPathOnly() == tc.jsonata {
			t.Errorf("%s: IsJSONata = %v", tc.def, c.IsJSONata())
		}
	}
}

func TestLoad(t *testing.T) {
	cases := loadCases(t)
	var execs, histories, jsonata, api, undefined int
	for _, c := range cases {
		switch {
		case c.IsExecution():
			execs++
			if c.HasHistory() {
				histories++
			}
			if c.IsJSONata() {
				jsonata++
			}
			if !c.HasDefinition() {
				undefined++
			}
			if c.Execution.ARN == "" {
				t.Errorf("%s: no execution ARN", c.ID)
			}
		default:
			api++
		}
	}
	if execs == 0 || histories == 0 || jsonata == 0 || api == 0 {
		t.Fatalf("executions %d, with history %d, JSONata %d, others %d", execs, histories, jsonata, api)
	}
	if undefined*10 > execs {
		t.Errorf("%d of %d executions have no definition", undefined, execs)
	}
	t.Logf("%d cases: %d executions (%d with history, %d JSONata, %d without definition), %d others",
		len(cases), execs, histories, jsonata, undefined, api)
}

func TestLoadReportsTheBadFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "handlers.json"), []byte(`{"x.py":{}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "ok.json"), []byte(`{"id":"a","expected":"text"}`), 0o644)
	cases, err := Load(dir)
	if err != nil || len(cases) != 1 || cases[0].Expected != nil || cases[0].IsExecution() {
		t.Fatalf("Load = %v, %v", cases, err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"id": 3}`), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("error %v does not name %s", err, bad)
	}
}
