package asl

import (
	"errors"
	"strings"
	"testing"
)

func diagnostics(t *testing.T, def string) []Diagnostic {
	t.Helper()
	_, err := Parse([]byte(def))
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse returned %T, want *asl.Error", err)
	}
	return e.Diagnostics
}

func TestDiagnostics(t *testing.T) {
	for _, tc := range []struct {
		name string
		def  string
		want []string // "CODE: message at location", each must appear
	}{
		{"not an object", `[]`, []string{"SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object"}},
		{"not JSON", `{"StartAt":`, []string{"INVALID_JSON_DESCRIPTION: "}},
		{"empty object", `{}`, []string{"SCHEMA_VALIDATION_FAILED: These fields are required: [States, StartAt] at /"}},
		{"no StartAt", `{"States":{"A":{"Type":"Pass","End":true}}}`, []string{"These fields are required: [StartAt] at /"}},
		{"bad type", `{"StartAt":"A","States":{"A":{"Type":"Nope","End":true}}}`,
			[]string{"The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/A/Type"}},
		{"missing target and unreachable", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"X"},"B":{"Type":"Succeed"}}}`,
			[]string{"MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /States/A/Next", `MISSING_TRANSITION_TARGET: State "B" is not reachable. at /States/B`}},
		{"next and end", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A","End":true}}}`, []string{"Only one of 'Next' or 'End' may be set at /States/A"}},
		{"unknown field", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Bogus":1}}}`, []string{"Field 'Bogus' is not supported at /States/A"}},
		{"empty branches", `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[]}}}`, []string{"Value cannot be empty at /States/P/Branches"}},
		{"target across a branch", `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Next":"P"}}}]}}}`,
			[]string{"Missing 'Next' target: P at /States/P/Branches/0/States/B/Next"}},
		{"duplicate names across scopes", `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"P","States":{"P":{"Type":"Succeed"}}}]}}}`,
			[]string{"DUPLICATE_STATE_NAME"}},
		{"bad path", `{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"not a path","End":true}}}`, []string{"The value for the field 'InputPath' must be a valid JSONPath at /States/A/InputPath"}},
		{"bad template value", `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"nope"},"End":true}}}`,
			[]string{"The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call at /States/A/Parameters"}},
		{"bad timestamp", `{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"2016-03-14 01:59:00Z","End":true}}}`, []string{"String does not match RFC3339 timestamp at /States/W/Timestamp"}},
		{"wait without duration", `{"StartAt":"W","States":{"W":{"Type":"Wait","End":true}}}`, []string{"exactly one of"}},
		{"retry out of range", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"Retry":[{"ErrorEquals":["X"],"BackoffRate":0.5}]}}}`,
			[]string{"BackoffRate"}},
		{"States.ALL not last", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"T"},{"ErrorEquals":["X"],"Next":"T"}]}}}`,
			[]string{"States.ALL must be in the last catcher"}},
		{"credentials without role", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Credentials":{},"End":true}}}`,
			[]string{"The field 'RoleArn' is required but was missing at /States/T/Credentials"}},
		{"bad variable name", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"states":1},"End":true}}}`, []string{"The variable name 'states' is not valid"}},
		{"duplicate names in one States object", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"},"A":{"Type":"Pass","End":true}}}`,
			[]string{"DUPLICATE_STATE_NAME: Duplicate State name: A at /States/A"}},
		{"JSON errors have a line and a column", "{\"StartAt\":\"A\",\n  \"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}\n  ,}}",
			[]string{"INVALID_JSON_DESCRIPTION: invalid JSON at line 3, column 4: unexpected '}', expected a string for an object key"}},
		{"columns count characters", "{\"StartAt\":\"é\" x}",
			[]string{"INVALID_JSON_DESCRIPTION: invalid JSON at line 1, column 16: unexpected 'x', expected ',' or '}' in an object"}},
		{"choice problems are positioned", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","Next":"D"}],"Default":"D"},"D":{"Type":"Succeed"}}}`,
			[]string{"at /States/C/Choices/0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := diagnostics(t, tc.def)
			var lines []string
			for _, d := range got {
				lines = append(lines, d.String())
			}
			all := strings.Join(lines, "\n")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("want a diagnostic containing %q; got:\n%s", w, all)
				}
			}
		})
	}
}

// A state with an error of its own still exists: the state pointing at it has no missing
// target, and the states after it are still reachable.
func TestAStateWithAnErrorStillExists(t *testing.T) {
	for _, def := range []string{
		`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Passs","Next":"C"},"C":{"Type":"Pass","End":true}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Choice","Choices":[{"Variable":"$.x","StringEquals":1,"Next":"C"}]},"C":{"Type":"Pass","End":true}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Bogus":1,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}],"End":true},"C":{"Type":"Pass","End":true}}}`,
	} {
		got := diagnostics(t, def)
		if len(got) != 1 {
			t.Errorf("%s: want only the state's own error, got %v", def, got)
		}
	}
}

// Each diagnostic says where its location is in the text: the Next on line 4 starts at
// column 15 (after seven spaces and "Next":), the missing end state is the document's.
func TestDiagnosticsHaveLineAndColumn(t *testing.T) {
	def := "{\"StartAt\":\"A\",\n \"States\":{\n  \"A\":{\"Type\":\"Pass\",\n       \"Next\":\"B\"}}}"
	got := map[string][2]int{}
	for _, d := range diagnostics(t, def) {
		got[d.Code] = [2]int{d.Line, d.Column}
	}
	want := map[string][2]int{MissingTransitionTarget: {4, 15}, MissingEndState: {1, 1}}
	if len(got) != len(want) || got[MissingTransitionTarget] != want[MissingTransitionTarget] || got[MissingEndState] != want[MissingEndState] {
		t.Errorf("positions %v, want %v", got, want)
	}
	// EXPRESS rules point into the text too.
	_, err := ParseFor([]byte("{\"StartAt\":\"T\",\"States\":{\n\"T\":{\"Type\":\"Task\",\"End\":true,\n \"Resource\":\"arn:aws:states:::sqs:sendMessage.waitForTaskToken\"}}}"), "EXPRESS")
	var e *Error
	if !errors.As(err, &e) || len(e.Diagnostics) != 1 || e.Diagnostics[0].Line != 3 || e.Diagnostics[0].Column != 13 {
		t.Errorf("EXPRESS diagnostic: %+v", err)
	}
}

// A message names a position once.
func TestMessagesNameOnePosition(t *testing.T) {
	got := diagnostics(t, `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"$.a["},"End":true}}}`)
	if len(got) != 1 {
		t.Fatalf("diagnostics %v", got)
	}
	text := got[0].String() + " " + got[0].Detail
	if strings.Count(text, "offset") != 1 || !strings.Contains(text, "unclosed '[' at offset 3") {
		t.Errorf("message %q", text)
	}
}

func TestValidDefinitionsParse(t *testing.T) {
	for _, def := range []string{
		`{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`,
		`{"StartAt":"M","States":{"M":{"Type":"Map","Iterator":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"Parameters":{"v.$":"$$.Map.Item.Value"},"End":true}}}`,
		`{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"2016-03-14T01:59:00.123+02:00","End":true}}}`,
		`{"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('{}', $.c)"}}}`,
	} {
		d, err := Parse([]byte(def))
		if err != nil {
			t.Errorf("Parse(%s): %v", def, err)
			continue
		}
		if d.Start() == nil {
			t.Errorf("no start state for %s", def)
		}
	}
}

func TestInvalidDefinitionMessageIsAWSShaped(t *testing.T) {
	_, err := Parse([]byte(`{"States":{}}`))
	want := "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /'"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}

func TestUsesContext(t *testing.T) {
	d, err := Parse([]byte(`{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"$$.State.Name"},"Next":"B"},"B":{"Type":"Pass","End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if !d.States["A"].UsesContext || d.States["B"].UsesContext {
		t.Errorf("UsesContext: A=%v B=%v", d.States["A"].UsesContext, d.States["B"].UsesContext)
	}
}

func TestDeepNestingIsRefused(t *testing.T) {
	def := `{"StartAt":"S","States":{"S":{"Type":"Succeed"}}}`
	for i := 0; i < maxNesting+5; i++ {
		def = `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[` + strings.Replace(def, `"P"`, `"P`+strings.Repeat("x", i%70)+`"`, -1) + `]}}}`
	}
	_, err := Parse([]byte(def))
	if err == nil {
		t.Fatal("a definition nested past the limit was accepted")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`,
		`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.x","IsNull":true},"Next":"D"}],"Default":"D"},"D":{"Type":"Succeed"}}}`,
		`{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.a","MaxConcurrencyPath":"$.m","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Fail"}}},"Catch":[{"ErrorEquals":["States.ALL"],"Next":"M"}],"End":true}}}`,
		`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"a.$":"States.Array($.x, 'y')"},"Retry":[{"ErrorEquals":["A"]}],"End":true}}}`,
		`{"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaders":["a"],"MaxItemsPath":"$.n"},"Parameters":{"Key.$":"$.k"}},"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b"}},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err == nil && d.Start() == nil {
			t.Fatalf("a valid definition without a start state: %s", data)
		}
		if err != nil {
			_ = err.Error()
		}
	})
}
