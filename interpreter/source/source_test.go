package source

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

const fixtures = "../../testdata/sources"

func byName(t *testing.T, ms []*Machine) map[string]*Machine {
	t.Helper()
	out := map[string]*Machine{}
	for _, m := range ms {
		out[m.Name] = m
	}
	return out
}

func mustLoad(t *testing.T, path string) map[string]*Machine {
	t.Helper()
	ms, err := Load(path)
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	return byName(t, ms)
}

// mustParse checks that a loaded definition is one Step Functions would accept.
func mustParse(t *testing.T, m *Machine) *asl.Definition {
	t.Helper()
	def, err := asl.ParseFor(m.Definition, m.Type)
	if err != nil {
		t.Fatalf("%s: %v\n%s", m.Name, err, m.Definition)
	}
	return def
}

func placeholderValue(m *Machine, expr string) (string, bool) {
	for _, p := range m.Placeholders {
		if p.Expression == expr {
			return p.Value, true
		}
	}
	return "", false
}

func TestSAMApp(t *testing.T) {
	ms := mustLoad(t, filepath.Join(fixtures, "sam-app"))
	if len(ms) != 2 {
		t.Fatalf("want the template's 2 machines (the DefinitionUri file is not a third), got %v", ms)
	}
	signOff := ms["sign-off-dev"] // Name: !Sub "sign-off-${Stage}" with Stage's default
	if signOff == nil {
		t.Fatalf("no sign-off-dev machine: %v", ms)
	}
	if signOff.LogicalID != "SignOffMachine" || signOff.Type != "STANDARD" || signOff.Origin.Format != FormatSAM {
		t.Errorf("sign-off: %+v", signOff)
	}
	if !strings.HasSuffix(signOff.Origin.Path, filepath.Join("statemachine", "sign-off.asl.json")) ||
		!strings.HasSuffix(signOff.Origin.Template, "template.yaml") {
		t.Errorf("origin %+v", signOff.Origin)
	}
	def := mustParse(t, signOff)
	finance := def.Find("Finance Signs")
	if got := finance.Parameters; got == nil {
		t.Fatalf("Finance Signs has no parameters")
	}
	text := string(signOff.Definition)
	for _, want := range []string{
		`"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:SignerFunction"`,
		`"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/ReviewQueue"`,
		`"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:ArchiveMachine"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("definition lacks %s:\n%s", want, text)
		}
	}
	if v, ok := placeholderValue(signOff, "!GetAtt SignerFunction.Arn"); !ok || v != "arn:aws:lambda:us-east-1:123456789012:function:SignerFunction" {
		t.Errorf("placeholders %+v", signOff.Placeholders)
	}

	archive := ms["ArchiveMachine"]
	if archive == nil || archive.Type != "EXPRESS" || archive.Origin.Path != archive.Origin.Template {
		t.Fatalf("archive: %+v", archive)
	}
	adef := mustParse(t, archive)
	if got := adef.Find("Notify").Resource; got != "arn:aws:lambda:us-east-1:123456789012:function:NotifyFunction" {
		t.Errorf("Notify resource %q", got)
	}
	if _, ok := placeholderValue(archive, "!Ref ArchiveTable"); !ok {
		t.Errorf("placeholders %+v", archive.Placeholders)
	}
}

func TestCloudFormationShortForms(t *testing.T) {
	ms := mustLoad(t, filepath.Join(fixtures, "cfn", "template.yaml"))
	orders := ms["orders-prod"] // !Join ["-", [orders, !Ref Stage]]
	if orders == nil {
		t.Fatalf("machines %v", ms)
	}
	def := mustParse(t, orders)
	if got := def.Find("Check Stock").Resource; got != "arn:aws:lambda:us-east-1:123456789012:function:CheckStock" {
		t.Errorf("Check Stock resource %q", got)
	}
	if got := def.Find("Check Stock").Retry[0].MaxAttempts; got != 5 {
		t.Errorf("MaxAttempts from !FindInMap: %d", got)
	}
	text := string(orders.Definition)
	for _, want := range []string{`"FunctionName": "charge-card"`, "in us-east-1", "/123456789012/ShipQueue"} {
		if !strings.Contains(text, want) {
			t.Errorf("definition lacks %s:\n%s", want, text)
		}
	}
	if orders.RoleArn != "arn:aws:iam::123456789012:role/OrderRole" {
		t.Errorf("role %q", orders.RoleArn)
	}
	// The definition is a block scalar: a pointer into it lands on its line in the
	// template.
	if pos, ok := orders.Position("/States/Check Stock/Retry"); !ok || pos != (Position{Line: 35, Column: 26}) {
		t.Errorf("Retry at %v %v", pos, ok)
	}

	notify := ms["NotifyStateMachine"]
	if notify == nil || notify.Type != "EXPRESS" {
		t.Fatalf("notify %+v", notify)
	}
	ndef := mustParse(t, notify)
	_ = ndef
	ntext := string(notify.Definition)
	for _, want := range []string{`"TopicArn": "arn:aws:sns:us-east-1:123456789012:AlertTopic"`, `"Subject": "Order update"`, `"StringValue": "123456789012/AlertEmail"`} {
		if !strings.Contains(ntext, want) {
			t.Errorf("definition lacks %s:\n%s", want, ntext)
		}
	}
	if v, ok := placeholderValue(notify, "!Ref AlertEmail"); !ok || v != "AlertEmail" {
		t.Errorf("a parameter with no default is a placeholder: %+v", notify.Placeholders)
	}
	if pos, ok := notify.Position("/States/Publish/Parameters/Subject"); !ok || pos.Line != 70 {
		t.Errorf("Subject at %v", pos)
	}
}

func TestCDKAssemblyWithNestedStack(t *testing.T) {
	for _, dir := range []string{filepath.Join(fixtures, "cdk-app", "cdk.out"), filepath.Join(fixtures, "cdk-app")} {
		ms := mustLoad(t, dir)
		if len(ms) != 2 {
			t.Fatalf("%s: want 2 machines, got %v", dir, ms)
		}
		signOff, archive := ms["SignOff5C9E1B4A"], ms["Archive9D2C4E1A"]
		if signOff == nil || archive == nil {
			t.Fatalf("machines %v", ms)
		}
		if signOff.Origin.Stack != "SignOffStack" || signOff.Origin.Format != FormatCDK {
			t.Errorf("origin %+v", signOff.Origin)
		}
		def := mustParse(t, signOff)
		if got := def.Find("Ask Legal").Resource; got != "arn:aws:states:::sqs:sendMessage.waitForTaskToken" {
			t.Errorf("Ask Legal resource %q", got)
		}
		adef := mustParse(t, archive)
		// The nested stack's parameter is the parent's function ARN.
		if got := adef.Find("Notify Author").Resource; got != "arn:aws:lambda:us-east-1:123456789012:function:SignerFunction3A4B2C1D" {
			t.Errorf("Notify Author resource %q", got)
		}
		if _, ok := placeholderValue(archive, "!GetAtt SignerFunction3A4B2C1D.Arn"); !ok {
			t.Errorf("the parent's placeholder is reported by the nested machine: %+v", archive.Placeholders)
		}
		if !strings.Contains(string(archive.Definition), `"archivedTo":"ArchiveBucket4C1E7A2B"`) {
			t.Errorf("DefinitionSubstitutions not applied: %s", archive.Definition)
		}
		if archive.Origin.ParentLogicalID != "ArchiveNestedStackArchiveNestedStackResource5D1B2A8C" || archive.Type != "EXPRESS" {
			t.Errorf("archive %+v", archive.Origin)
		}
	}
}

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestASLInYAMLAndPositions(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "flow.asl.yaml", "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Missing\n")
	ms, err := Load(p)
	if err != nil || len(ms) != 1 {
		t.Fatalf("%v %v", ms, err)
	}
	m := ms[0]
	if m.Name != "flow" || m.Origin.Format != FormatASL {
		t.Errorf("%+v", m)
	}
	_, err = asl.Parse(m.Definition)
	var de *asl.Error
	if !errors.As(err, &de) {
		t.Fatalf("want a diagnostic, got %v", err)
	}
	loc := de.Diagnostics[0].Location
	if got := m.Locate(loc); got != p+":5:11" {
		t.Errorf("diagnostic at %s located at %s", loc, got)
	}
}

func TestJSONSyntaxErrorHasLineAndColumn(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "broken.asl.json", "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\" \"End\": true}\n  }\n}\n")
	_, err := Load(p)
	var se *Error
	if !errors.As(err, &se) || se.Pos.Line != 4 || se.File != p {
		t.Fatalf("want an error on line 4, got %v", err)
	}
}

func TestYAMLSyntaxErrorHasLineAndColumn(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "template.yaml", "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition: {StartAt: [\n")
	_, err := Load(p)
	var se *Error
	if !errors.As(err, &se) || se.Pos.Line == 0 {
		t.Fatalf("want a positioned error, got %v", err)
	}
}

func TestDefinitionS3LocationNamesALocalFile(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "flow.asl.json", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${Fn}","End":true}}}`)
	p := write(t, dir, "template.json", `{"Resources":{
	  "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "worker"}},
	  "M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
	    "DefinitionS3Location": {"Bucket": "b", "Key": "builds/flow.asl.json"},
	    "DefinitionSubstitutions": {"Fn": {"Fn::GetAtt": ["Fn", "Arn"]}}}}}}`)
	ms, err := Load(p)
	if err != nil || len(ms) != 1 {
		t.Fatalf("%v %v", ms, err)
	}
	def := mustParse(t, ms[0])
	if got := def.Find("A").Resource; got != "arn:aws:lambda:us-east-1:123456789012:function:worker" {
		t.Errorf("resource %q", got)
	}
	if !strings.HasSuffix(ms[0].Origin.Path, "flow.asl.json") || ms[0].Name != "M" {
		t.Errorf("%+v", ms[0])
	}
}

func TestUnresolvableReferenceIsAnErrorAtItsPlace(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "template.yaml", "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A: {Type: Task, Resource: !GetAtt Nowhere.Arn, End: true}\n")
	_, err := Load(p)
	var se *Error
	if !errors.As(err, &se) || se.Pos.Line != 8 || !strings.Contains(se.Msg, "Nowhere") {
		t.Fatalf("got %v", err)
	}
}

func TestFolderSkipsOtherFilesAndReportsBrokenOnes(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "package.json", `{"name": "x"}`)
	write(t, dir, "a.asl.json", `{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`)
	write(t, dir, "sub/b.asl.yaml", "StartAt: B\nStates: {B: {Type: Succeed}}\n")
	write(t, dir, "broken.asl.json", `{"StartAt":`)
	write(t, dir, "node_modules/c.asl.json", `{"StartAt":"C","States":{"C":{"Type":"Succeed"}}}`)
	ms, err := Load(dir)
	names := byName(t, ms)
	if len(ms) != 2 || names["a"] == nil || names["b"] == nil {
		t.Errorf("machines %v", names)
	}
	if err == nil || !strings.Contains(err.Error(), "broken.asl.json:1:") {
		t.Errorf("the broken file's error: %v", err)
	}
}

func TestAliasesCannotExplode(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		b.WriteString("a" + itoa(i) + ": &a" + itoa(i) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	b.WriteString("StartAt: A\nStates:\n  A: {Type: Pass, Result: *a11, End: true}\n")
	dir := t.TempDir()
	p := write(t, dir, "bomb.asl.yaml", b.String())
	if _, err := Load(p); err == nil {
		t.Fatal("a billion-laughs document loaded")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestNameFromFile(t *testing.T) {
	for in, want := range map[string]string{"dir/flow.asl.json": "flow", "a b.yaml": "a-b", "d/x[1].asl.yml": "x-1-"} {
		if got := NameFromFile(in); got != want {
			t.Errorf("NameFromFile(%q) = %q, want %q", in, got, want)
		}
	}
}

// A DefinitionString built with Fn::Join (as CDK writes it) places each value at the
// Join part its text is in.
func TestJoinedDefinitionStringPositions(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "t.template.json", `{"Resources": {
  "Fn": {"Type": "AWS::Lambda::Function"},
  "M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": {"Fn::Join": ["", [
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":\"",
    {"Fn::GetAtt": ["Fn", "Arn"]},
    "\",\"Next\":\"Nowhere\"}}}"
  ]]}}}}}`)
	ms, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	m := ms[0]
	_, err = asl.Parse(m.Definition)
	var de *asl.Error
	if !errors.As(err, &de) {
		t.Fatalf("want a diagnostic: %v", err)
	}
	pos, ok := m.Position(de.Diagnostics[0].Location)
	if !ok || pos.Line != 6 {
		t.Errorf("%s at %v, want line 6 (the part with Next)", de.Diagnostics[0].Location, pos)
	}
	if pos, _ := m.Position("/States/A/Resource"); pos.Line != 4 {
		t.Errorf("Resource at %v", pos)
	}
}

// Fn::GetAtt [Nested, Outputs.X] is the nested template's output, in its scope; nested
// stacks that wait on each other's outputs are an error, not a loop.
func TestNestedStackOutputs(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "child.yaml", "Parameters: {Prefix: {Type: String}}\nResources:\n  Table: {Type: AWS::DynamoDB::Table, Properties: {TableName: !Sub '${Prefix}-orders'}}\n  Fn: {Type: AWS::Lambda::Function}\nOutputs:\n  FnArn: {Value: !GetAtt Fn.Arn}\n  Name: {Value: !Sub '${Prefix}-x'}\n")
	p := write(t, dir, "parent.yaml", `Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties: {TemplateURL: child.yaml, Parameters: {Prefix: shop}}
  M:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition:
        StartAt: A
        States:
          A: {Type: Task, Resource: !GetAtt Child.Outputs.FnArn, Parameters: {n: !GetAtt Child.Outputs.Name}, End: true}
`)
	ms, err := Load(p)
	if err != nil || len(ms) != 1 {
		t.Fatalf("%v %v", ms, err)
	}
	def := mustParse(t, ms[0])
	if got := def.Find("A").Resource; got != "arn:aws:lambda:us-east-1:123456789012:function:Fn" {
		t.Errorf("resource %q", got)
	}
	if !strings.Contains(string(ms[0].Definition), `"n": "shop-x"`) {
		t.Errorf("definition %s", ms[0].Definition)
	}
	if _, ok := placeholderValue(ms[0], "!GetAtt Fn.Arn"); !ok {
		t.Errorf("the nested placeholder is reported: %+v", ms[0].Placeholders)
	}

	write(t, dir, "a.yaml", "Parameters: {X: {Type: String}}\nResources: {Q: {Type: AWS::SQS::Queue}}\nOutputs: {Out: {Value: !Ref X}}\n")
	loop := write(t, dir, "loop.yaml", `Resources:
  A: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: a.yaml, Parameters: {X: !GetAtt B.Outputs.Out}}}
  B: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: a.yaml, Parameters: {X: !GetAtt A.Outputs.Out}}}
  M: {Type: AWS::StepFunctions::StateMachine, Properties: {Definition: {StartAt: S, States: {S: {Type: Pass, Result: !GetAtt A.Outputs.Out, End: true}}}}}
`)
	if _, err := Load(loop); err == nil || !strings.Contains(err.Error(), "depends on itself") {
		t.Errorf("a loop of nested outputs: %v", err)
	}
}
