// Package conformance measures the local engine against executions recorded on real AWS
// Step Functions (the case files under ../shared/conformance/asl). It loads the cases,
// normalizes what the engine produced exactly as the recordings were normalized,
// compares at three levels (result, event summary, full events) and keeps a ratchet of
// known failures so that progress is never lost silently.
//
// Plugging an engine in is one function, func(*Case) (*Result, error), given to Run:
//
//	func TestConformance(t *testing.T) {
//		cases, err := conformance.Load(conformance.CorpusDir(t))
//		if err != nil {
//			t.Fatal(err)
//		}
//		conformance.Run(t, cases, "testdata/known_failures.txt", runOnEngine)
//	}
//
// runOnEngine creates the state machine with the case's names and ARNs (account
// 111111111111, us-east-1), starts the execution with c.InputString, and returns the
// status, output or error and cause, and the history as GetExecutionHistory's JSON.
// `go test -update-known` writes the known-failures file from the run.
package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Case is one recorded execution (or, under api/, one recorded API call).
type Case struct {
	ID            string          `json:"id"`
	Area          string          `json:"area"`
	Features      []string        `json:"features"`
	SelfContained bool            `json:"self_contained"`
	Requires      []string        `json:"requires"`
	TaskResources []TaskResource  `json:"task_resources"`
	Source        Source          `json:"source"`
	StateMachine  *StateMachine   `json:"state_machine"`
	Execution     *Execution      `json:"execution"`
	Definition    json.RawMessage `json:"definition"`
	InputString   string          `json:"input_string"`
	// DefinitionString is the definition text where the recording sent one that is not
	// a JSON object.
	DefinitionString string `json:"definition_string,omitempty"`
	// Lambdas says what each Lambda function of an external case did.
	Lambdas            json.RawMessage `json:"lambdas,omitempty"`
	SetupCalls         json.RawMessage `json:"setup_calls,omitempty"`
	PostStartCalls     json.RawMessage `json:"post_start_calls,omitempty"`
	OtherStateMachines json.RawMessage `json:"other_state_machines,omitempty"`
	// Kind, API and Request describe the API cases (api/...), which are not executions.
	Kind    string          `json:"kind,omitempty"`
	API     string          `json:"api,omitempty"`
	Request json.RawMessage `json:"request,omitempty"`
	// Expected is nil when the file's expected field is not an object (a few API cases
	// record a bare message); ExpectedRaw always holds it.
	Expected      *Expected       `json:"-"`
	ExpectedRaw   json.RawMessage `json:"expected"`
	Normalization Normalization   `json:"normalization"`
	// File is where the case was read from.
	File string `json:"-"`
}

// TaskResource names the resource a Task state calls.
type TaskResource struct {
	State    string `json:"state"`
	Resource string `json:"resource"`
}

// Source says where a recording comes from and whether AWS validated it.
type Source struct {
	TestFile  string `json:"test_file"`
	NodeID    string `json:"nodeid"`
	AWSMarker string `json:"aws_marker"`
	// RecordedDate is "dd-mm-yyyy, hh:mm:ss".
	RecordedDate      string   `json:"recorded_date"`
	LastValidatedDate string   `json:"last_validated_date"`
	SkipVerifyPaths   []string `json:"localstack_skip_verify_paths"`
	SnapshotKeys      []string `json:"snapshot_keys"`
}

// StateMachine is the state machine the recording created.
type StateMachine struct {
	Name    string `json:"name"`
	ARN     string `json:"arn"`
	Type    string `json:"type"`
	RoleARN string `json:"role_arn"`
}

// Execution is the execution the recording started.
type Execution struct {
	Name string `json:"name"`
	ARN  string `json:"arn"`
	// API is StartExecution or StartSyncExecution.
	API          string  `json:"api"`
	MockTestName *string `json:"mock_test_name"`
}

// Expected is what AWS did, already normalized. Output and Cause are raw JSON because
// normalization turns JSON-looking text into objects; absent fields are nil.
type Expected struct {
	Status string          `json:"status"`
	Output json.RawMessage `json:"output"`
	// Error is raw because API cases record an "Error" object, which encoding/json
	// would match to this field regardless of case; see ErrorName.
	Error              json.RawMessage `json:"error"`
	Cause              json.RawMessage `json:"cause"`
	EventSummary       []string        `json:"event_summary"`
	Events             json.RawMessage `json:"events"`
	SnapshotHistoryKey string          `json:"snapshot_history_key"`
}

// ErrorName returns the recorded error name, if the recording has one.
func (e *Expected) ErrorName() (string, bool) {
	var s string
	if len(e.Error) == 0 || json.Unmarshal(e.Error, &s) != nil {
		return "", false
	}
	return s, true
}

// Normalization holds the substitutions that were applied to this case's recording.
type Normalization struct {
	TestTransformers []Transformer `json:"test_transformers"`
}

// Transformer is one recorded substitution. Kind is regex, jsonpath, key_value,
// remove_key, utility, generic or SfnNoneRecursiveParallelTransformer.
type Transformer struct {
	Kind        string `json:"kind"`
	Regex       string `json:"regex,omitempty"`
	JSONPath    string `json:"jsonpath,omitempty"`
	Key         string `json:"key,omitempty"`
	Replacement string `json:"replacement,omitempty"`
	// ReplaceReference defaults to true: the value is collected and replaced everywhere
	// by a numbered placeholder instead of being overwritten in place.
	ReplaceReference *bool  `json:"replace_reference,omitempty"`
	Name             string `json:"name,omitempty"`
	Fn               string `json:"fn,omitempty"`
}

func (t Transformer) byReference() bool { return t.ReplaceReference == nil || *t.ReplaceReference }

// IsExecution reports whether the case records an execution (rather than an API call).
func (c *Case) IsExecution() bool {
	return c.StateMachine != nil && c.Execution != nil && c.Expected != nil && c.Expected.Status != ""
}

// HasHistory reports whether the recording holds the execution's events; Choice-operator
// cases, for one, carry only the result.
func (c *Case) HasHistory() bool {
	return c.Expected != nil && len(c.Expected.Events) > 0 && !isNull(c.Expected.Events)
}

// HasDefinition reports whether the recording kept the definition; a few state machines
// were deployed by other means and their cases have none.
func (c *Case) HasDefinition() bool {
	return (len(c.Definition) > 0 && !isNull(c.Definition)) || c.DefinitionString != ""
}

// IsJSONata reports whether any part of the definition sets "QueryLanguage": "JSONata".
func (c *Case) IsJSONata() bool {
	v, err := value.Parse(c.Definition)
	if err != nil {
		return false
	}
	return mentionsJSONata(v)
}

// IsJSONPathOnly reports whether the definition never uses JSONata.
func (c *Case) IsJSONPathOnly() bool { return !c.IsJSONata() }

func mentionsJSONata(v value.Value) bool {
	switch x := v.(type) {
	case *value.Object:
		for i, k := range x.Keys() {
			_, e := x.At(i)
			if k == "QueryLanguage" && e == "JSONata" {
				return true
			}
			if mentionsJSONata(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if mentionsJSONata(e) {
				return true
			}
		}
	}
	return false
}

// historyKey is the snapshot key the recording stored the history under; it decides
// nothing but is kept so normalization sees the same document the recording did.
func (c *Case) historyKey() string {
	if c.Expected != nil && c.Expected.SnapshotHistoryKey != "" {
		return c.Expected.SnapshotHistoryKey
	}
	return "get_execution_history"
}

// apiDefaultsApplied reports whether the recording tool replaced the SDK metadata of
// service integrations (request ids, dates, trace ids) when this case was recorded.
// It did not before 2025: the older recordings number those request ids as UUIDs
// instead (every recording with SDK metadata made in 2023-2024 shows it, every one
// made since 2025 shows the fixed replacements). An unknown date gets the current tool.
func (c *Case) apiDefaultsApplied() bool {
	d := c.Source.RecordedDate
	if len(d) < 10 {
		return true
	}
	year, err := strconv.Atoi(d[6:10])
	if err != nil {
		return true
	}
	return year >= 2025
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// errNotACase marks a JSON file without a case id, such as lambda_handlers.json.
var errNotACase = errors.New("not a case file: no \"id\"")

// ReadCase reads one case file.
func ReadCase(path string) (*Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c := &Case{File: path}
	if err := json.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("%s: not a case file: %w", path, err)
	}
	if c.ID == "" {
		return nil, fmt.Errorf("%s: %w", path, errNotACase)
	}
	if raw := bytes.TrimSpace(c.ExpectedRaw); len(raw) > 0 && raw[0] == '{' {
		c.Expected = new(Expected)
		if err := json.Unmarshal(raw, c.Expected); err != nil {
			return nil, fmt.Errorf("%s: field expected: %w", path, err)
		}
	}
	return c, nil
}

// Load reads every case file under dir (recursively), sorted by id. Files that are not
// cases (lambda_handlers.json, anything without an "id") are skipped; a case file that
// cannot be read is an error naming the file.
func Load(dir string) ([]*Case, error) {
	var cases []*Case
	seen := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".json") {
			return nil
		}
		c, err := ReadCase(path)
		if errors.Is(err, errNotACase) {
			return nil
		}
		if err != nil {
			return err
		}
		if prev, dup := seen[c.ID]; dup {
			return fmt.Errorf("case id %q appears in both %s and %s", c.ID, prev, path)
		}
		seen[c.ID] = path
		cases = append(cases, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].ID < cases[j].ID })
	return cases, nil
}

// Executions keeps the cases that record an execution.
func Executions(cases []*Case) []*Case {
	var out []*Case
	for _, c := range cases {
		if c.IsExecution() {
			out = append(out, c)
		}
	}
	return out
}
