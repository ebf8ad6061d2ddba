package localtask

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// fakeLambda speaks the Lambda Invoke REST API (POST /2015-03-31/functions/{name}/invocations)
// with a few functions whose behaviour their name says.
type fakeLambda struct {
	mu       sync.Mutex
	requests []fakeRequest
}

type fakeRequest struct {
	function, qualifier, invocationType, logType string
	body                                         string
	hasBody                                      bool
}

const pythonError = `{"errorMessage": "Some exception was raised.", "errorType": "Exception", "requestId": "r-1", "stackTrace": ["  File \"/var/task/handler.py\", line 2, in handler\n"]}`

func (f *fakeLambda) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/2015-03-31/functions/")
	name, ok2 := strings.CutSuffix(rest, "/invocations")
	if r.Method != http.MethodPost || !ok || !ok2 {
		http.Error(w, "unexpected request "+r.Method+" "+r.URL.Path, http.StatusBadRequest)
		return
	}
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, fakeRequest{function: name, qualifier: r.URL.Query().Get("Qualifier"),
		invocationType: r.Header.Get("X-Amz-Invocation-Type"), logType: r.Header.Get("X-Amz-Log-Type"),
		body: string(body), hasBody: len(body) > 0})
	f.mu.Unlock()
	w.Header().Set("X-Amzn-Requestid", "req-"+name)
	w.Header().Set("Content-Type", "application/json")
	switch name {
	case "echo":
		w.Header().Set("X-Amz-Executed-Version", "$LATEST")
		if r.Header.Get("X-Amz-Log-Type") == "Tail" {
			w.Header().Set("X-Amz-Log-Result", "bG9ncw==")
		}
		if len(body) == 0 {
			body = []byte("{}") // what Lambda runtimes hand a function invoked without payload
		}
		w.Write(body)
	case "raise":
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
		w.Write([]byte(pythonError))
	case "timeout":
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
		w.Write([]byte(`{"errorMessage":"2026-01-01T00:00:00Z Task timed out after 3.00 seconds"}`))
	case "text":
		w.Write([]byte("not json"))
	case "hang":
		<-r.Context().Done()
	case "throttle":
		w.Header().Set("X-Amzn-Errortype", "TooManyRequestsException")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"Type":"User","message":"Rate exceeded","Reason":"ReservedFunctionConcurrentInvocationLimitExceeded"}`))
	default:
		w.Header().Set("X-Amzn-Errortype", "ResourceNotFoundException")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:000000000000:function:` + name + `"}`))
	}
}

func (f *fakeLambda) last() fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[len(f.requests)-1]
}

func newFake(t *testing.T) (*fakeLambda, *Lambda) {
	t.Helper()
	fake := &fakeLambda{}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	l, err := NewLambda(srv.URL, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	return fake, l
}

func lambdaCall(resource, input string) *engine.TaskCall {
	return &engine.TaskCall{StateName: "Call", Resource: resource, Input: value.MustParse(input)}
}

func TestLambdaInvokeResponseShape(t *testing.T) {
	fake, l := newFake(t)
	out, err := l.Invoke(context.Background(), lambdaCall(LambdaInvoke, `{"FunctionName":"echo","Payload":{"a":[1,2]}}`))
	if err != nil {
		t.Fatal(err)
	}
	obj := out.(*value.Object)
	if got := strings.Join(obj.Keys(), ","); got != "ExecutedVersion,Payload,SdkHttpMetadata,SdkResponseMetadata,StatusCode" {
		t.Errorf("keys = %s", got)
	}
	for key, want := range map[string]string{"ExecutedVersion": `"$LATEST"`, "Payload": `{"a":[1,2]}`,
		"SdkResponseMetadata": `{"RequestId":"req-echo"}`, "StatusCode": `200`} {
		if v, _ := obj.Get(key); value.String(v) != want {
			t.Errorf("%s = %s, want %s", key, value.String(v), want)
		}
	}
	meta, _ := obj.Get("SdkHttpMetadata")
	m := meta.(*value.Object)
	all, _ := m.Get("AllHttpHeaders")
	single, _ := m.Get("HttpHeaders")
	status, _ := m.Get("HttpStatusCode")
	if v, _ := all.(*value.Object).Get("x-amzn-RequestId"); value.String(v) != `["req-echo"]` {
		t.Errorf("AllHttpHeaders = %s", value.String(all))
	}
	if v, _ := single.(*value.Object).Get("X-Amz-Executed-Version"); v != "$LATEST" {
		t.Errorf("HttpHeaders = %s", value.String(single))
	}
	if status != int64(200) {
		t.Errorf("HttpStatusCode = %v", status)
	}
	if r := fake.last(); r.function != "echo" || r.body != `{"a":[1,2]}` {
		t.Errorf("request = %+v", r)
	}
}

func TestLambdaInvokePayloads(t *testing.T) {
	tests := []struct {
		params, wantSent, wantPayload string
		sent                          bool
	}{
		// A string Payload goes out as it is, so JSON text in it is parsed by the function.
		{params: `{"FunctionName":"echo","Payload":"0.0"}`, sent: true, wantSent: `0.0`, wantPayload: `0.0`},
		{params: `{"FunctionName":"echo","Payload":"\"HelloWorld\""}`, sent: true, wantSent: `"HelloWorld"`, wantPayload: `"HelloWorld"`},
		{params: `{"FunctionName":"echo","Payload":null}`, sent: false, wantPayload: `{}`},
		{params: `{"FunctionName":"echo"}`, sent: false, wantPayload: `{}`},
		{params: `{"FunctionName":"echo","Payload":[true,1.5]}`, sent: true, wantSent: `[true,1.5]`, wantPayload: `[true,1.5]`},
		{params: `{"FunctionName":"text","Payload":{}}`, sent: true, wantSent: `{}`, wantPayload: `"not json"`},
	}
	for _, tt := range tests {
		fake, l := newFake(t)
		out, err := l.Invoke(context.Background(), lambdaCall(LambdaInvoke, tt.params))
		if err != nil {
			t.Errorf("%s: %v", tt.params, err)
			continue
		}
		r := fake.last()
		if r.hasBody != tt.sent || (tt.sent && r.body != tt.wantSent) {
			t.Errorf("%s: sent %v %q, want %v %q", tt.params, r.hasBody, r.body, tt.sent, tt.wantSent)
		}
		if p, _ := out.(*value.Object).Get("Payload"); value.String(p) != tt.wantPayload {
			t.Errorf("%s: Payload = %s, want %s", tt.params, value.String(p), tt.wantPayload)
		}
	}
}

func TestLambdaInvokeParameters(t *testing.T) {
	fake, l := newFake(t)
	out, err := l.Invoke(context.Background(), lambdaCall(LambdaInvoke,
		`{"FunctionName":"arn:aws:lambda:eu-west-1:123456789012:function:echo:live","LogType":"Tail","InvocationType":"RequestResponse","Payload":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	r := fake.last()
	if r.function != "echo" || r.qualifier != "live" || r.logType != "Tail" || r.invocationType != "RequestResponse" {
		t.Errorf("request = %+v; a function ARN becomes its name and qualifier", r)
	}
	if v, _ := out.(*value.Object).Get("LogResult"); v != "bG9ncw==" {
		t.Errorf("LogResult = %v", v)
	}
	if _, err := l.Invoke(context.Background(), lambdaCall(LambdaInvoke, `{"FunctionName":"123456789012:function:echo"}`)); err != nil {
		t.Fatal(err)
	}
	if r := fake.last(); r.function != "echo" || r.qualifier != "" {
		t.Errorf("partial ARN: request = %+v", r)
	}
	for _, bad := range []string{`{"Payload":{}}`, `{"FunctionName":7}`, `[1]`, `{"FunctionName":"echo","Qualifier":1}`} {
		_, err := l.Invoke(context.Background(), lambdaCall(LambdaInvoke, bad))
		var fe *failure.Error
		if !errors.As(err, &fe) || fe.Name != failure.Runtime || !strings.Contains(fe.Cause, "'Call'") {
			t.Errorf("%s: err = %v, want a States.Runtime naming the state", bad, err)
		}
	}
}

func TestLambdaFunctionARN(t *testing.T) {
	fake, l := newFake(t)
	for _, input := range []string{`{"x":1}`, `0.0`, `"HelloWorld"`, `[]`, `true`} {
		out, err := l.Function(context.Background(), lambdaCall("arn:aws:lambda:us-east-1:111111111111:function:echo", input))
		if err != nil {
			t.Fatal(err)
		}
		if value.String(out) != value.String(value.MustParse(input)) {
			t.Errorf("legacy result for %s = %s, want the payload itself", input, value.String(out))
		}
		if r := fake.last(); r.function != "echo" || r.body != value.String(value.MustParse(input)) {
			t.Errorf("request = %+v", r)
		}
	}
	if _, err := l.Function(context.Background(), lambdaCall("arn:aws:lambda:us-east-1:111111111111:function:echo:3", `{}`)); err != nil {
		t.Fatal(err)
	}
	if r := fake.last(); r.qualifier != "3" {
		t.Errorf("qualifier = %q", r.qualifier)
	}
	_, err := l.Function(context.Background(), lambdaCall("arn:aws:lambda:us-east-1:111111111111:layer:x", `{}`))
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Name != failure.Runtime {
		t.Errorf("not a function ARN: err = %v", err)
	}
}

func TestLambdaFailures(t *testing.T) {
	tests := []struct {
		name, resource, input, wantName, wantCause string
	}{
		// lambda:invoke records the payload as compact JSON, a legacy function ARN keeps
		// the runtime's text (as AWS's recordings of the same function show).
		{"function error, optimized", LambdaInvoke, `{"FunctionName":"raise"}`, "Exception", compactJSON(t, pythonError)},
		{"function error, legacy", "arn:aws:lambda:us-east-1:1:function:raise", `{}`, "Exception", pythonError},
		{"no errorType", LambdaInvoke, `{"FunctionName":"timeout"}`, "Lambda.Unknown", `{"errorMessage":"2026-01-01T00:00:00Z Task timed out after 3.00 seconds"}`},
		{"no such function", LambdaInvoke, `{"FunctionName":"nope"}`, "Lambda.ResourceNotFoundException",
			"Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: req-nope; Proxy: null)"},
		{"throttled", LambdaInvoke, `{"FunctionName":"throttle"}`, "Lambda.TooManyRequestsException", "(Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, l := newFake(t)
			reg := &engine.Registry{}
			l.Register(reg)
			h, ok := reg.Lookup(tt.resource)
			if !ok {
				t.Fatalf("no handler for %s", tt.resource)
			}
			_, err := h(context.Background(), lambdaCall(tt.resource, tt.input))
			var fe *failure.Error
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v (%T)", err, err)
			}
			if fe.Name != tt.wantName || !strings.Contains(fe.Cause, tt.wantCause) {
				t.Errorf("failure = %s / %s\nwant      %s / containing %s", fe.Name, fe.Cause, tt.wantName, tt.wantCause)
			}
		})
	}
}

func TestLambdaUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	l, err := NewLambda(url, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Invoke(context.Background(), lambdaCall(LambdaInvoke, `{"FunctionName":"echo"}`))
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Name != "Lambda.SdkClientException" || !strings.Contains(fe.Cause, url) {
		t.Errorf("err = %v, want Lambda.SdkClientException naming the endpoint", err)
	}
}

func TestLambdaTimeoutAndCancel(t *testing.T) {
	_, l := newFake(t)
	c := lambdaCall(LambdaInvoke, `{"FunctionName":"hang"}`)
	c.TimeoutSeconds = 1
	_, err := l.Invoke(context.Background(), c)
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Name != failure.Timeout {
		t.Errorf("err = %v, want States.Timeout", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Invoke(ctx, lambdaCall(LambdaInvoke, `{"FunctionName":"echo"}`)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

func TestLambdaWaitForTaskToken(t *testing.T) {
	fake, l := newFake(t)
	reg := &engine.Registry{}
	l.Register(reg)
	h, _ := reg.Lookup(LambdaInvokeCallback)
	c := lambdaCall(LambdaInvokeCallback, `{"FunctionName":"echo","Payload":{"token":"tok-1"}}`)
	c.Token = "tok-1"
	_, err := h(context.Background(), c)
	var w *engine.CallbackWait
	if !errors.As(err, &w) || w.Token != "tok-1" {
		t.Fatalf("err = %v, want a CallbackWait", err)
	}
	if p, _ := w.Output.(*value.Object).Get("Payload"); value.String(p) != `{"token":"tok-1"}` {
		t.Errorf("submitted output = %s", value.String(w.Output))
	}
	if fake.last().function != "echo" {
		t.Error("the function was not invoked")
	}
}

func TestNewLambdaRejectsBadEndpoints(t *testing.T) {
	for _, e := range []string{"", "localhost:3001", "ftp://x", "http://", "::"} {
		if _, err := NewLambda(e, ""); err == nil || !strings.Contains(err.Error(), "http://127.0.0.1:3001") {
			t.Errorf("NewLambda(%q): err = %v", e, err)
		}
	}
}

func BenchmarkLambdaInvoke(b *testing.B) {
	srv := httptest.NewServer(&fakeLambda{})
	defer srv.Close()
	l, err := NewLambda(srv.URL, "us-east-1")
	if err != nil {
		b.Fatal(err)
	}
	c := lambdaCall(LambdaInvoke, `{"FunctionName":"echo","Payload":{"order":{"id":1,"items":[1,2,3]}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Invoke(context.Background(), c); err != nil {
			b.Fatal(err)
		}
	}
}

func compactJSON(t *testing.T, text string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(text)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
