package source

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// FuzzTemplate feeds arbitrary text to the template and definition reader. It must
// never panic; every failure must be an *Error naming the file; and every machine it
// returns must carry a definition that is JSON (a DefinitionString excepted: its text
// is the user's) and positions inside the file.
func FuzzTemplate(f *testing.F) {
	for _, p := range []string{"sam-app/template.yaml", "cfn/template.yaml", "cdk-app/cdk.out/SignOffStack.template.json",
		"sam-app/statemachine/sign-off.asl.json"} {
		data, err := os.ReadFile(filepath.Join(fixtures, p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, filepath.Ext(p) == ".json")
	}
	f.Add([]byte("Resources: {M: {Type: AWS::StepFunctions::StateMachine, Properties: {DefinitionString: !Sub '${AWS::Region}'}}}"), false)
	f.Add([]byte("a: &a [*a]"), false)
	f.Add([]byte("StartAt: A\nStates: {A: {Type: Pass, <<: {End: true}}}"), false)
	f.Add([]byte("Resources: {M: {Type: AWS::StepFunctions::StateMachine, Properties: {Definition: {StartAt: !Select [9, !Split [',', 'a,b']]}}}}"), false)
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		name := "template.yaml"
		if isJSON {
			name = "template.json"
		}
		// A folder that does not exist: files a template names are not found.
		path := filepath.Join(os.TempDir(), "stepdeck-fuzz-nowhere", name)
		ms, err := loadFile(path, data, true)
		if err != nil {
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		// Lines end at \n, \r\n or a lone \r, as in YAML.
		lines := 1
		for i, c := range data {
			if c == '\n' || c == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
				lines++
			}
		}
		for _, m := range ms {
			if m.Origin.Path == path {
				for ptr, pos := range m.positions {
					if pos.Line < 0 || pos.Line > lines {
						t.Fatalf("%s at %v, outside the %d-line file", ptr, pos, lines)
					}
				}
			}
			// What the package builds (an inline Definition, a YAML definition) is JSON;
			// only the user's own text (a DefinitionString, a JSON file) may not be.
			if !m.userText {
				if _, err := value.Parse(m.Definition); err != nil {
					t.Fatalf("definition is not JSON: %v\n%s", err, m.Definition)
				}
			}
		}
	})
}
