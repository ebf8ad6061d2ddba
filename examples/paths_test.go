package examples

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/service"
)

// runExample creates the bundled example name and runs it on input to its end.
func runExample(t *testing.T, svc *service.Service, name, input string) map[string]any {
	t.Helper()
	ctx := context.Background()
	def := ""
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range all {
		if ex.Name == name {
			def = ex.Definition
		}
	}
	if def == "" {
		t.Fatalf("no bundled example %s", name)
	}
	// Creating it again with the same definition returns the same machine, as on AWS.
	m, err := svc.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(def),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/stepdeck")})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out, err := svc.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Input: aws.String(input)})
	if err != nil {
		t.Fatal(err)
	}
	d := settle(t, svc, aws.ToString(out.ExecutionArn), func(string) { t.Fatal("no callback expected") })
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("%s ended %s: %s %s", name, d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(d.Output)), &got); err != nil {
		t.Fatalf("output %q: %v", aws.ToString(d.Output), err)
	}
	return got
}

// The image analysis takes the branch its picked item's type asks for.
func TestImageAnalysisBranches(t *testing.T) {
	sample, ok := SampleInput("image-analysis")
	if !ok {
		t.Fatal("no sample input")
	}
	svc := newService(t)
	want := map[int]string{0: "labels", 1: "description", 2: "skipped"}
	for pick := range 3 {
		var in map[string]any
		if err := json.Unmarshal([]byte(sample), &in); err != nil {
			t.Fatal(err)
		}
		in["pick"] = pick
		b, _ := json.Marshal(in)
		out := runExample(t, svc, "image-analysis", string(b))
		analysis, _ := out["analysis"].(map[string]any)
		if _, ok := analysis[want[pick]]; !ok || len(analysis) != 1 {
			t.Errorf("pick %d: analysis %v, want only %q", pick, analysis, want[pick])
		}
		item, _ := out["item"].(map[string]any)
		items := in["items"].([]any)
		if !reflect.DeepEqual(item, items[pick]) {
			t.Errorf("pick %d: item %v, want %v", pick, item, items[pick])
		}
	}
}

// The shipping quote carries its figures in variables: the sample cart (50.50, 2.1 kg)
// ships free, a lighter cheaper one pays by weight.
func TestShippingQuoteUsesVariables(t *testing.T) {
	sample, ok := SampleInput("jsonata-shipping-quote")
	if !ok {
		t.Fatal("no sample input")
	}
	svc := newService(t)
	out := runExample(t, svc, "jsonata-shipping-quote", sample)
	if out["shipping"] != float64(0) || out["total"] != 50.5 || out["items"] != float64(3) {
		t.Errorf("sample quote = %v", out)
	}
	if s, _ := out["summary"].(string); !strings.HasPrefix(s, "Ada: 50.50 (free") {
		t.Errorf("summary %q", s)
	}
	out = runExample(t, svc, "jsonata-shipping-quote", `{"customer":"Bo","cart":[{"sku":"mug","price":8,"quantity":1,"weightKg":0.5}]}`)
	if out["shipping"] != 5.5 || out["total"] != 13.5 {
		t.Errorf("by-weight quote = %v", out)
	}
}
