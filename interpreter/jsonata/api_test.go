package jsonata

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

func eval(t *testing.T, expr string, input any) (any, error) {
	t.Helper()
	e, err := Compile(expr)
	if err != nil {
		t.Fatalf("Compile(%q): %v", expr, err)
	}
	return e.Evaluate(input, nil, nil)
}

func TestUndefinedIsNotNull(t *testing.T) {
	in := value.MustParse(`{"a": null}`)
	v, err := eval(t, `a`, in)
	if err != nil || v != nil {
		t.Errorf("a on {a: null} = %v, %v; want null", v, err)
	}
	v, err = eval(t, `b`, in)
	if !errors.Is(err, ErrUndefined) || v != nil {
		t.Errorf("b on {a: null} = %v, %v; want ErrUndefined", v, err)
	}
}

func TestResultsUseTheValueModel(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`1 + 1`, `2`},
		{`1 / 4`, `0.25`},
		{`[1, 2.0, 3.5]`, `[1,2,3.5]`},
		{`{"a": [1, 2][0]}`, `{"a":1}`},
		{`Account.Order.Product.Price`, `[34.45,21.67,34.45,107.99]`},
		{`Account.Order[0].OrderID`, `"order103"`},
		{`$string(1e21)`, `"1e+21"`},
		{`$string(0.1 + 0.2)`, `"0.3"`},
		{`$string(1/3)`, `"0.333333333333333"`},
		{`10000000000000000`, `10000000000000000`},
	}
	in := value.MustParse(`{"Account": {"Order": [
		{"OrderID": "order103", "Product": [{"Price": 34.45}, {"Price": 21.67}]},
		{"OrderID": "order104", "Product": [{"Price": 34.45}, {"Price": 107.99}]}]}}`)
	for _, tt := range tests {
		v, err := eval(t, tt.expr, in)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if s := value.String(v); s != tt.want {
			t.Errorf("%s = %s, want %s", tt.expr, s, tt.want)
		}
	}
	v, _ := eval(t, `2 * 3`, nil)
	if _, ok := v.(int64); !ok {
		t.Errorf("2 * 3 gave %T; integral results are int64", v)
	}
}

func TestErrorsCarryCodeAndPosition(t *testing.T) {
	tests := []struct {
		expr, code string
		pos        int
	}{
		{`1 + "a"`, "T2002", 3},
		{`"a" + 1`, "T2001", 5},
		{`(1 + `, "S0207", 5},
		{`[1, 2`, "S0203", 5},
		{`$unknown()`, "T1006", 9},
		{`"abc`, "S0101", 4},
		{`$substring(1)`, "T0411", 11},
		{`$substring("a", "b")`, "T0410", 11},
	}
	for _, tt := range tests {
		e, err := Compile(tt.expr)
		if err == nil {
			_, err = e.Evaluate(nil, nil, nil)
		}
		var je *Error
		if !errors.As(err, &je) {
			t.Errorf("%s: want *Error %s, got %v", tt.expr, tt.code, err)
			continue
		}
		if je.Code != tt.code || je.Position != tt.pos {
			t.Errorf("%s: got %s at %d, want %s at %d (%v)", tt.expr, je.Code, je.Position, tt.code, tt.pos, je)
		}
		if !strings.HasPrefix(je.Error(), tt.code+": ") {
			t.Errorf("%s: message %q does not start with the code", tt.expr, je.Error())
		}
	}
}

func TestDeadlineStopsLoops(t *testing.T) {
	e := MustCompile(`($f := function($n){ $n + $f($n) }; $f(1))`)
	start := time.Now()
	_, err := e.Evaluate(nil, nil, &Options{Deadline: start.Add(50 * time.Millisecond), MaxDepth: 1 << 30})
	var je *Error
	if !errors.As(err, &je) || je.Code != "U1001" {
		t.Fatalf("want U1001, got %v", err)
	}
	tail := MustCompile(`($f := function($n){ $f($n + 1) }; $f(1))`)
	_, err = tail.Evaluate(nil, nil, &Options{Deadline: time.Now().Add(50 * time.Millisecond)})
	if !errors.As(err, &je) || je.Code != "U1001" {
		t.Fatalf("endless tail recursion: want U1001, got %v", err)
	}
}

func TestDepthLimit(t *testing.T) {
	e := MustCompile(`($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(50))`)
	if _, err := e.Evaluate(nil, nil, &Options{MaxDepth: 100}); err == nil {
		t.Error("recursion 50 deep with MaxDepth 100: want U1001")
	}
	v, err := e.Evaluate(nil, nil, &Options{MaxDepth: 1000})
	if err != nil || value.String(v) != "50" {
		t.Errorf("recursion with room: got %v, %v", v, err)
	}
	// Tail calls run in constant depth.
	tail := MustCompile(`($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(100000, 0))`)
	v, err = tail.Evaluate(nil, nil, &Options{MaxDepth: 50})
	if err != nil || value.String(v) != "100000" {
		t.Errorf("tail recursion: got %v, %v", v, err)
	}
}

func TestBindingsAndFunctions(t *testing.T) {
	e := MustCompile(`$double($x) + $count($list)`)
	opts := &Options{Functions: map[string]Function{
		"double": {Signature: "<n:n>", Call: func(args []value.Value) (value.Value, error) {
			f, _ := value.ToFloat(args[0])
			return f * 2, nil
		}},
	}}
	v, err := e.Evaluate(nil, map[string]value.Value{"x": int64(21), "list": []any{1.0, 2.0}}, opts)
	if err != nil || value.String(v) != "44" {
		t.Errorf("got %v, %v; want 44", v, err)
	}
	_, err = MustCompile(`$double("a")`).Evaluate(nil, nil, opts)
	var je *Error
	if !errors.As(err, &je) || je.Code != "T0410" {
		t.Errorf("signature check on a registered function: got %v", err)
	}
	// A registered function may return Undefined.
	opts.Functions["nothing"] = Function{Call: func([]value.Value) (value.Value, error) { return Undefined, nil }}
	if _, err := MustCompile(`$nothing()`).Evaluate(nil, nil, opts); !errors.Is(err, ErrUndefined) {
		t.Errorf("$nothing(): want ErrUndefined, got %v", err)
	}
}

func TestNowIsFixedPerEvaluation(t *testing.T) {
	calls := 0
	opts := &Options{Now: func() time.Time { calls++; return time.UnixMilli(1700000000000 + int64(calls)) }}
	v, err := MustCompile(`[$millis(), $millis()]`).Evaluate(nil, nil, opts)
	if err != nil || value.String(v) != "[1700000000001,1700000000001]" {
		t.Errorf("got %v, %v", value.String(v), err)
	}
}

func TestConcurrentEvaluation(t *testing.T) {
	e := MustCompile(`($s := $sum(items); $s * k)`)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			in := value.ObjectOf("items", []any{1.0, 2.0, 3.0}, "k", float64(k))
			for range 200 {
				v, err := e.Evaluate(in, nil, nil)
				if err != nil || value.String(v) != value.String(int64(6*k)) {
					t.Errorf("k=%d: got %v, %v", k, v, err)
					return
				}
			}
		}(i)
	}
	wg.Wait()
}

func TestArrayInputIsOneValue(t *testing.T) {
	in := value.MustParse(`[{"a": 1}, {"a": 2}]`)
	for expr, want := range map[string]string{
		`a`:         `[1,2]`,
		`$`:         `[{"a":1},{"a":2}]`,
		`$[0]`:      `{"a":1}`,
		`$count($)`: `2`,
	} {
		v, err := eval(t, expr, in)
		if err != nil || value.String(v) != want {
			t.Errorf("%s = %v, %v; want %s", expr, value.String(v), err, want)
		}
	}
}

func TestDeepNestingIsAnError(t *testing.T) {
	src := strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000)
	_, err := Compile(src)
	var je *Error
	if !errors.As(err, &je) || je.Code != "U1001" {
		t.Errorf("100000 nested blocks: want U1001, got %v", err)
	}
	if _, err := Compile(strings.Repeat("(", 500) + "1" + strings.Repeat(")", 500)); err != nil {
		t.Errorf("500 nested blocks: %v", err)
	}
}
