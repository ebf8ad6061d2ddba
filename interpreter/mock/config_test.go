package mock

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/configfile"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

const orderFlow = `{
  "StateMachines": {
    "OrderFlow": {"TestCases": {
      "Happy": {"ChargeCard": "ChargeOk"},
      "Flaky": {"ChargeCard": "ChargeFlaky", "Ship": "ShipOk"}
    }}
  },
  "MockedResponses": {
    "ChargeOk": {"0": {"Return": {"StatusCode": 200, "Payload": {"ok": true}}}},
    "ChargeFlaky": {
      "2": {"Return": {"StatusCode": 200, "Payload": {"ok": true}}},
      "0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "busy"}}
    },
    "ShipOk": {"0-4": {"Return": null}},
    "Approval": {"0": {"WaitForCallback": true}}
  }
}`

func mustCase(t *testing.T, src, machine, name string) *TestCase {
	t.Helper()
	c, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	tc, err := c.TestCase(machine, name)
	if err != nil {
		t.Fatalf("TestCase: %v", err)
	}
	return tc
}

func TestLookup(t *testing.T) {
	tc := mustCase(t, orderFlow, "OrderFlow", "Flaky")
	tests := []struct {
		state      string
		invocation int
		mocked     bool
		wantErr    string
		wantThrow  string
		wantReturn string
	}{
		{state: "ChargeCard", invocation: 0, mocked: true, wantThrow: "Lambda.TooManyRequestsException"},
		{state: "ChargeCard", invocation: 1, mocked: true, wantThrow: "Lambda.TooManyRequestsException"},
		{state: "ChargeCard", invocation: 2, mocked: true, wantReturn: `{"StatusCode":200,"Payload":{"ok":true}}`},
		{state: "ChargeCard", invocation: 3, mocked: true, wantErr: `state "ChargeCard" is mocked by "ChargeFlaky" in test case "Flaky", which covers invocations 0-1, 2; invocation 3 has no entry`},
		{state: "ChargeCard", invocation: -1, mocked: true, wantErr: "invocation -1 has no entry"},
		{state: "Ship", invocation: 4, mocked: true, wantReturn: `null`},
		{state: "Ship", invocation: 5, mocked: true, wantErr: "covers invocations 0-4; invocation 5"},
		{state: "Unmocked", invocation: 0, mocked: false},
	}
	for _, tt := range tests {
		r, mocked, err := tc.Lookup(tt.state, tt.invocation)
		if mocked != tt.mocked {
			t.Errorf("Lookup(%s, %d): mocked = %v, want %v", tt.state, tt.invocation, mocked, tt.mocked)
		}
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Lookup(%s, %d): err = %v, want it to contain %q", tt.state, tt.invocation, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("Lookup(%s, %d): %v", tt.state, tt.invocation, err)
			continue
		}
		if !tt.mocked {
			if r != nil {
				t.Errorf("Lookup(%s, %d) = %+v for an unmocked state", tt.state, tt.invocation, r)
			}
			continue
		}
		if tt.wantThrow != "" {
			if r.Throw == nil || r.Throw.Name != tt.wantThrow || r.Throw.Cause != "busy" {
				t.Errorf("Lookup(%s, %d).Throw = %v, want %s: busy", tt.state, tt.invocation, r.Throw, tt.wantThrow)
			}
			continue
		}
		if r.Throw != nil || r.Wait {
			t.Errorf("Lookup(%s, %d) = %+v, want a plain Return", tt.state, tt.invocation, r)
		}
		if got := value.String(r.Return); got != tt.wantReturn {
			t.Errorf("Lookup(%s, %d).Return = %s, want %s", tt.state, tt.invocation, got, tt.wantReturn)
		}
	}
}

func TestTestCaseNotFound(t *testing.T) {
	c, err := Parse([]byte(orderFlow))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.TestCase("Nope", "Happy"); err == nil || !strings.Contains(err.Error(), `no state machine named "Nope" under StateMachines (it has "OrderFlow")`) {
		t.Errorf("unknown machine: err = %v", err)
	}
	if _, err := c.TestCase("OrderFlow", "Sad"); err == nil || !strings.Contains(err.Error(), `has no test case "Sad" in the mock config (it has "Flaky", "Happy")`) {
		t.Errorf("unknown case: err = %v", err)
	}
	empty, err := Parse([]byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := empty.TestCase("A", "B"); err == nil || !strings.Contains(err.Error(), "(it has none)") {
		t.Errorf("empty config: err = %v", err)
	}
	if got := strings.Join(c.TestCases("OrderFlow"), ","); got != "Flaky,Happy" {
		t.Errorf("TestCases = %s", got)
	}
	if got := c.TestCases("Nope"); got != nil {
		t.Errorf("TestCases(unknown) = %v", got)
	}
	tc, _ := c.TestCase("OrderFlow", "Flaky")
	if got := strings.Join(tc.States(), ","); got != "ChargeCard,Ship" {
		t.Errorf("States = %s", got)
	}
}

func TestWaitForCallbackEntry(t *testing.T) {
	src := `{"StateMachines":{"M":{"TestCases":{"T":{"Ask":"Approval"}}}},
	  "MockedResponses":{"Approval":{"0":{"WaitForCallback":true},"1":{"WaitForCallback":true,"Return":{"MessageId":"m"}},"2":{"WaitForCallback":false,"Return":1}}}}`
	tc := mustCase(t, src, "M", "T")
	for i, want := range []struct {
		wait bool
		ret  string
	}{{true, "null"}, {true, `{"MessageId":"m"}`}, {false, "1"}} {
		r, _, err := tc.Lookup("Ask", i)
		if err != nil {
			t.Fatal(err)
		}
		if r.Wait != want.wait || value.String(r.Return) != want.ret {
			t.Errorf("invocation %d: Wait=%v Return=%s, want %v %s", i, r.Wait, value.String(r.Return), want.wait, want.ret)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"not json", "{\n  \"StateMachines\": ,\n}", "not valid JSON: line 2, column 20"},
		{"not object", `[]`, `$: must be an object with "StateMachines" and "MockedResponses", not an empty array`},
		{"unknown top field", `{"MockedResponse":{}}`, `$.MockedResponse: unknown field (did you mean "MockedResponses"?)`},
		{"machines not object", `{"StateMachines":[]}`, "$.StateMachines: must be an object keyed by state machine name, not an empty array"},
		{"machine not object", `{"StateMachines":{"M":1}}`, `$.StateMachines.M: must be an object with "TestCases", not a number`},
		{"no test cases", `{"StateMachines":{"M":{}}}`, `$.StateMachines.M: "TestCases" is missing`},
		{"machine unknown field", `{"StateMachines":{"M":{"TestCase":{}}}}`, `$.StateMachines.M.TestCase: unknown field (did you mean "TestCases"?)`},
		{"case not object", `{"StateMachines":{"M":{"TestCases":{"T":"x"}}}}`, `$.StateMachines.M.TestCases.T: must be an object mapping Task state names`},
		{"state ref not string", `{"StateMachines":{"M":{"TestCases":{"T":{"S":{}}}}}}`, `$.StateMachines.M.TestCases.T.S: must be the name of an entry of MockedResponses (a string), not an object`},
		{"dangling ref", `{"StateMachines":{"M":{"TestCases":{"T":{"S":"Nope"}}}},"MockedResponses":{"R":{"0":{"Return":1}}}}`, `$.StateMachines.M.TestCases.T.S: MockedResponses has no entry named "Nope" (it has "R")`},
		{"quoted path", `{"StateMachines":{"My Machine":{"TestCases":{"T":{"S":"Nope"}}}}}`, `$.StateMachines["My Machine"].TestCases.T.S:`},
		{"responses not object", `{"MockedResponses":true}`, "$.MockedResponses: must be an object keyed by response name, not a boolean"},
		{"empty response", `{"MockedResponses":{"R":{}}}`, `$.MockedResponses.R: has no entries`},
		{"bad key", `{"MockedResponses":{"R":{"a":{"Return":1}}}}`, `$.MockedResponses.R.a: invalid invocation key "a"`},
		{"negative key", `{"MockedResponses":{"R":{"-1":{"Return":1}}}}`, `invalid invocation key "-1": a number is missing`},
		{"signed key", `{"MockedResponses":{"R":{"+1":{"Return":1}}}}`, `"+1" is not a non-negative whole number`},
		{"spaced key", `{"MockedResponses":{"R":{"0 - 1":{"Return":1}}}}`, `invalid invocation key "0 - 1"`},
		{"reversed range", `{"MockedResponses":{"R":{"3-1":{"Return":1}}}}`, `$.MockedResponses.R["3-1"]: invalid invocation range "3-1": the end comes before the start`},
		{"open range", `{"MockedResponses":{"R":{"0-":{"Return":1}}}}`, `invalid invocation range "0-"`},
		{"huge key", `{"MockedResponses":{"R":{"99999999999999999999":{"Return":1}}}}`, "is too large"},
		{"three parts", `{"MockedResponses":{"R":{"0-1-2":{"Return":1}}}}`, `invalid invocation range "0-1-2"`},
		{"not from zero", `{"MockedResponses":{"R":{"1":{"Return":1}}}}`, `$.MockedResponses.R: invocations 0 have no entry: entries must follow on from 0 without gaps (covered: 1)`},
		{"gap", `{"MockedResponses":{"R":{"0":{"Return":1},"3-4":{"Return":1}}}}`, `invocations 1-2 have no entry`},
		{"overlap", `{"MockedResponses":{"R":{"0-2":{"Return":1},"2":{"Return":1}}}}`, `$.MockedResponses.R["2"]: overlaps another entry: invocation 2 is covered twice (covered: 0-2, 2)`},
		{"same index twice", `{"MockedResponses":{"R":{"0":{"Return":1},"00":{"Return":2}}}}`, "invocation 0 is covered twice"},
		{"entry not object", `{"MockedResponses":{"R":{"0":1}}}`, `$.MockedResponses.R["0"]: must be an object with "Return" or "Throw", not a number`},
		{"both", `{"MockedResponses":{"R":{"0":{"Return":1,"Throw":{"Error":"E","Cause":"c"}}}}}`, `has both "Return" and "Throw"`},
		{"neither", `{"MockedResponses":{"R":{"0":{}}}}`, `has neither "Return" nor "Throw"`},
		{"wait false alone", `{"MockedResponses":{"R":{"0":{"WaitForCallback":false}}}}`, `has neither "Return" nor "Throw"`},
		{"typo field", `{"MockedResponses":{"R":{"0":{"Returns":1}}}}`, `$.MockedResponses.R["0"].Returns: unknown field (did you mean "Return"?)`},
		{"swapped letters", `{"MockedResponses":{"R":{"0":{"Retrun":1}}}}`, `$.MockedResponses.R["0"].Retrun: unknown field (did you mean "Return"?); the fields here are Return, Throw, WaitForCallback`},
		{"wait not bool", `{"MockedResponses":{"R":{"0":{"WaitForCallback":"yes"}}}}`, `.WaitForCallback: must be true or false, not a string`},
		{"wait and throw", `{"MockedResponses":{"R":{"0":{"WaitForCallback":true,"Throw":{"Error":"E","Cause":"c"}}}}}`, `has "Throw" with "WaitForCallback": true`},
		{"throw not object", `{"MockedResponses":{"R":{"0":{"Throw":"E"}}}}`, `.Throw: must be an object with "Error" and "Cause", not a string`},
		{"throw no cause", `{"MockedResponses":{"R":{"0":{"Throw":{"Error":"E"}}}}}`, `$.MockedResponses.R["0"].Throw: "Cause" is missing`},
		{"throw no error", `{"MockedResponses":{"R":{"0":{"Throw":{"Cause":"c"}}}}}`, `.Throw: "Error" is missing`},
		{"throw empty error", `{"MockedResponses":{"R":{"0":{"Throw":{"Error":"","Cause":"c"}}}}}`, `.Throw.Error: is empty`},
		{"throw error not string", `{"MockedResponses":{"R":{"0":{"Throw":{"Error":1,"Cause":"c"}}}}}`, `.Throw.Error: must be a string, not a number`},
		{"throw extra", `{"MockedResponses":{"R":{"0":{"Throw":{"Error":"E","Cause":"c","Message":"m"}}}}}`, `.Throw.Message: unknown field`},
		{"throw long error", `{"MockedResponses":{"R":{"0":{"Throw":{"Error":"` + strings.Repeat("é", 257) + `","Cause":"c"}}}}}`, `.Throw.Error: is 257 characters long; Step Functions allows at most 256`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src))
			if err == nil {
				t.Fatalf("Parse accepted it; want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q\nwant it to contain %q", err, tt.want)
			}
			var ce *configfile.Error
			if !errors.As(err, &ce) || ce.File != "mock config" {
				t.Errorf("error is %#v, want a *configfile.Error about the mock config", err)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "MockConfigFile.json")
	if err := os.WriteFile(good, []byte(orderFlow), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(good)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := strings.Join(c.StateMachines(), ","); got != "OrderFlow" {
		t.Errorf("StateMachines = %s", got)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"MockedResponses":{"R":{}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), bad+": mock config: $.MockedResponses.R") {
		t.Errorf("Load(bad): err = %v, want the file and the path", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("Load(missing): err = %v", err)
	}
}

func TestSplitARN(t *testing.T) {
	arn, tc, ok := SplitARN("arn:aws:states:us-east-1:111111111111:stateMachine:OrderFlow#Happy")
	if !ok || arn != "arn:aws:states:us-east-1:111111111111:stateMachine:OrderFlow" || tc != "Happy" {
		t.Errorf("SplitARN = %q, %q, %v", arn, tc, ok)
	}
	if _, _, ok := SplitARN("arn:aws:states:us-east-1:111111111111:stateMachine:OrderFlow"); ok {
		t.Error("SplitARN found a test case in a plain ARN")
	}
}
