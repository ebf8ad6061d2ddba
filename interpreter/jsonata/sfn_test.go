package jsonata

import (
	"errors"
	"regexp"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

func evalSFN(t *testing.T, expr string, input any) (any, error) {
	t.Helper()
	e, err := Compile(expr)
	if err != nil {
		t.Fatalf("Compile(%q): %v", expr, err)
	}
	return e.Evaluate(input, nil, &Options{Functions: StepFunctions(func() float64 { return 0.25 })})
}

func TestStepFunctionsFunctions(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`$partition([1,2,3,4,5], 2)`, `[[1,2],[3,4],[5]]`},
		{`$partition([0], 5)`, `[[0]]`},
		{`$partition([], 2)`, `[]`},
		{`$range(0, 10, 3)`, `[0,3,6,9]`},
		{`$range(1, 9, 2)`, `[1,3,5,7,9]`},
		{`$range(5, 1, -2)`, `[5,3,1]`},
		{`$range(1, 3)`, `[1,2,3]`},
		{`$range(3, 1, 1)`, `[]`},
		{`$hash("input data", "MD5")`, `"812f45842bc6d66ee14572ce20db8e86"`},
		{`$hash("input data", "SHA-1")`, `"aaff4a450a104cd177d28d18d74485e8cae074b7"`},
		{`$hash("abc", "SHA-256")`, `"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"`},
		{`$parse('{"a": [1, 2.5, "x"]}')`, `{"a":[1,2.5,"x"]}`},
		{`$parse("-0")`, `0`},
		{`$random()`, `0.25`},
		{`$random(7) = $random(7)`, `true`},
		{`$count($partition([1..10], 3))`, `4`},
	}
	for _, tt := range tests {
		got, err := evalSFN(t, tt.expr, nil)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if s := value.String(got); s != tt.want {
			t.Errorf("%s = %s, want %s", tt.expr, s, tt.want)
		}
	}
}

func TestStepFunctionsUUID(t *testing.T) {
	got, err := evalSFN(t, `$uuid()`, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := got.(string)
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(s) {
		t.Errorf("$uuid() = %q, not a version 4 UUID", s)
	}
	other, _ := evalSFN(t, `$uuid()`, nil)
	if other == got {
		t.Errorf("two $uuid() calls gave the same %q", s)
	}
}

func TestStepFunctionsErrors(t *testing.T) {
	for _, expr := range []string{
		`$partition([1,2], 0)`,
		`$partition([1,2], 1.5)`,
		`$range(1, 5, 0)`,
		`$range(1, 5, 0.5)`,
		`$range(0, 1e9)`,
		`$hash("x", "SHA-3")`,
		`$parse("{")`,
		`$partition("abc", 2, 3)`,
	} {
		_, err := evalSFN(t, expr, nil)
		var je *Error
		if !errors.As(err, &je) {
			t.Errorf("%s: want an *Error, got %v", expr, err)
		}
	}
}

func TestStepFunctionsRemovesEval(t *testing.T) {
	_, err := evalSFN(t, `$eval("1 + 1")`, nil)
	var je *Error
	if !errors.As(err, &je) || je.Code != "T1006" {
		t.Errorf("$eval under Step Functions: want T1006, got %v", err)
	}
	// Without the Step Functions set, $eval is there.
	v, err := MustCompile(`$eval("1 + 1")`).Evaluate(nil, nil, nil)
	if err != nil || value.String(v) != "2" {
		t.Errorf("$eval: got %v, %v", v, err)
	}
}
