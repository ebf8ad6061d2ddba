package localtask

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// emulated holds the recorded Lambda handlers (by file name, as lambda_handlers.json
// describes them) whose behaviour a fake endpoint can reproduce exactly.
var emulated = map[string]func(event []byte) []byte{
	"id_function.py":      func(event []byte) []byte { return event },
	"echo_function.py":    func([]byte) []byte { return []byte(`{"Return": "HelloWorld"}`) },
	"return_bytes_str.py": func([]byte) []byte { return []byte(`"HelloWorld!"`) },
}

type caseLambda struct {
	Name        string `json:"function_name"`
	HandlerFile string `json:"handler_file"`
}

// TestConformanceLambda replays the recorded executions whose tasks all call Lambda
// functions the fake endpoint can play, through the Lambda handlers and the engine, and
// compares result, event summary and events with AWS's recording. Members the recording
// marks as not to be verified (the SDK's HTTP metadata) are left out on both sides.
// Known failures are listed, with a reason each, in testdata/known_failures.txt.
func TestConformanceLambda(t *testing.T) {
	dir := filepath.Join(conformance.CorpusDir(t), "external")
	all, err := conformance.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var cases []*conformance.Case
	for _, c := range conformance.Executions(all) {
		if _, ok := servable(c); ok {
			cases = append(cases, stripCase(c))
		}
	}
	if len(cases) == 0 {
		t.Skip("no recorded case calls only Lambda functions the fake endpoint can play")
	}
	conformance.Run(t, cases, filepath.Join("testdata", "known_failures.txt"), func(c *conformance.Case) (*conformance.Result, error) {
		functions, _ := servable(c)
		r, err := replayWithLambda(c, functions)
		if err != nil {
			return nil, err
		}
		names := unverified(c)
		if r.Output != nil {
			r.Output = aws.String(string(stripJSON([]byte(*r.Output), names)))
		}
		r.Events = stripJSON(r.Events, names)
		return r, nil
	})
}

// servable picks cases with no setup, no calls during the run, and only Lambda tasks
// whose functions are all emulated.
func servable(c *conformance.Case) (map[string]func([]byte) []byte, bool) {
	if len(c.TaskResources) == 0 || len(c.Lambdas) == 0 || len(c.SetupCalls) > 0 || len(c.PostStartCalls) > 0 ||
		len(c.OtherStateMachines) > 0 || c.Expected == nil || c.StateMachine == nil || c.Execution == nil {
		return nil, false
	}
	for _, tr := range c.TaskResources {
		if tr.Resource != LambdaInvoke && !strings.HasPrefix(tr.Resource, "arn:aws:lambda:") {
			return nil, false
		}
	}
	var lambdas []caseLambda
	if err := json.Unmarshal(c.Lambdas, &lambdas); err != nil {
		return nil, false
	}
	functions := map[string]func([]byte) []byte{}
	for _, l := range lambdas {
		behave, ok := emulated[path.Base(l.HandlerFile)]
		if !ok {
			return nil, false
		}
		functions[l.Name] = behave
	}
	return functions, true
}

func replayWithLambda(c *conformance.Case, functions map[string]func([]byte) []byte) (*conformance.Result, error) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/2015-03-31/functions/"), "/invocations")
		behave, ok := functions[name]
		if !ok {
			w.Header().Set("X-Amzn-Errortype", "ResourceNotFoundException")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, `{"Type":"User","Message":"Function not found: %s"}`, name)
			return
		}
		event, _ := io.ReadAll(r.Body)
		if len(event) == 0 {
			event = []byte("{}")
		}
		w.Header().Set("X-Amz-Executed-Version", "$LATEST")
		if r.Header.Get("X-Amz-Log-Type") == "Tail" {
			// Lambda returns the end of the invocation's log, base64-encoded.
			w.Header().Set("X-Amz-Log-Result", base64.StdEncoding.EncodeToString([]byte("START RequestId: 1\nEND RequestId: 1\n")))
		}
		w.Write(behave(event))
	}))
	defer srv.Close()
	l, err := NewLambda(srv.URL, "us-east-1")
	if err != nil {
		return nil, err
	}
	reg := &engine.Registry{}
	l.Register(reg)

	def, err := asl.Parse(c.Definition)
	if err != nil {
		return nil, err
	}
	input := c.InputString
	if input == "" {
		input = "{}"
	}
	in, err := value.ParseString(input)
	if err != nil {
		return nil, err
	}
	start := time.Now().UTC()
	meta := engine.Meta{ExecutionArn: c.Execution.ARN, Name: c.Execution.Name, StateMachineArn: c.StateMachine.ARN,
		StateMachineName: c.StateMachine.Name, RoleArn: c.StateMachine.RoleARN, Region: "us-east-1",
		Type: types.StateMachineType(c.StateMachine.Type), StartTime: start, Input: input}
	x := engine.New(def, meta, in, engine.Options{RecordHistory: true, HistoryLimit: engine.MaxHistoryEvents, TimeScale: 1})
	if err := (&engine.Runner{Clock: engine.NewVirtualClock(start), Handlers: reg}).Run(context.Background(), x); err != nil {
		return nil, err
	}
	r := &conformance.Result{Status: string(x.Status)}
	if x.HasError {
		r.Error = x.Error
	}
	if x.HasCause {
		r.Cause = x.Cause
	}
	if x.Status == types.ExecutionStatusSucceeded {
		r.Output = aws.String(x.OutputText())
	}
	if r.Events, err = json.Marshal(x.History); err != nil {
		return nil, err
	}
	return r, nil
}

// unverified lists the member names of the recording's "$..Name" skip paths.
func unverified(c *conformance.Case) []string {
	var names []string
	for _, p := range c.Source.SkipVerifyPaths {
		if n, ok := strings.CutPrefix(p, "$.."); ok && !strings.ContainsAny(n, ".[*") {
			names = append(names, n)
		}
	}
	return names
}

// stripCase returns a copy of c whose recorded output and events lack the unverified
// members.
func stripCase(c *conformance.Case) *conformance.Case {
	names := unverified(c)
	if len(names) == 0 {
		return c
	}
	cc, exp := *c, *c.Expected
	if len(exp.Output) > 0 {
		exp.Output = stripJSON(exp.Output, names)
	}
	if len(exp.Events) > 0 {
		exp.Events = stripJSON(exp.Events, names)
	}
	cc.Expected = &exp
	return &cc
}

// stripJSON removes the named members anywhere in a JSON text, including inside
// strings that hold JSON objects (event details carry outputs as text).
func stripJSON(text []byte, names []string) []byte {
	if len(names) == 0 {
		return text
	}
	v, err := value.Parse(text)
	if err != nil {
		return text
	}
	return value.Marshal(without(v, names))
}

func without(v value.Value, names []string) value.Value {
	switch x := v.(type) {
	case string:
		if strings.HasPrefix(x, "{") {
			if inner, err := value.ParseString(x); err == nil {
				return value.String(without(inner, names))
			}
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = without(e, names)
		}
		return out
	case *value.Object:
		out := value.NewObject(x.Len())
		for i := range x.Len() {
			k, e := x.At(i)
			skip := false
			for _, n := range names {
				skip = skip || k == n
			}
			if !skip {
				out.Set(k, without(e, names))
			}
		}
		return out
	}
	return v
}
