package awsjson

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// fakeHTTP stands in for the network: it keeps the request body the SDK serialized and
// answers with a canned body, so the SDK's own codecs become the test oracle.
type fakeHTTP struct {
	reqBody  []byte
	target   string
	respBody []byte
}

func (f *fakeHTTP) Do(r *http.Request) (*http.Response, error) {
	f.target = r.Header.Get("X-Amz-Target")
	f.reqBody = nil
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		f.reqBody = b
	}
	h := http.Header{}
	h.Set("Content-Type", "application/x-amz-json-1.0")
	h.Set("X-Amzn-Requestid", "test-request")
	return &http.Response{
		StatusCode: 200, Status: "200 OK", Header: h, Request: r,
		Body: io.NopCloser(bytes.NewReader(f.respBody)), ContentLength: int64(len(f.respBody)),
	}, nil
}

func newClient(f *fakeHTTP) *sfn.Client {
	return sfn.New(sfn.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String("http://localhost:8083"),
		HTTPClient:       f,
		RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET", Source: "test"}, nil
		}),
	})
}

// operation is one method of *sfn.Client: func(ctx, *XInput, ...func(*Options)) (*XOutput, error).
type operation struct {
	name    string
	method  reflect.Value
	inType  reflect.Type // XInput
	outType reflect.Type // XOutput
}

func operations(t *testing.T, c *sfn.Client) []operation {
	cv := reflect.ValueOf(c)
	var ops []operation
	for i := 0; i < cv.NumMethod(); i++ {
		m := cv.Method(i)
		mt := m.Type()
		if mt.NumIn() != 3 || mt.NumOut() != 2 || !mt.IsVariadic() {
			continue
		}
		in, out := mt.In(1), mt.Out(0)
		if in.Kind() != reflect.Pointer || !strings.HasSuffix(in.Elem().Name(), "Input") ||
			out.Kind() != reflect.Pointer || !strings.HasSuffix(out.Elem().Name(), "Output") {
			continue
		}
		ops = append(ops, operation{name: cv.Type().Method(i).Name, method: m, inType: in.Elem(), outType: out.Elem()})
	}
	// 37 operations in sfn v1.41.2; a shrinking count means the discovery broke.
	if len(ops) < 35 {
		t.Fatalf("found only %d operations on *sfn.Client", len(ops))
	}
	return ops
}

func (op operation) call(in reflect.Value) (reflect.Value, error) {
	res := op.method.Call([]reflect.Value{reflect.ValueOf(context.Background()), in})
	err, _ := res[1].Interface().(error)
	return res[0], err
}

// TestInputsMatchSDK: what Marshal writes for an input is what the SDK sends for it, and
// what the SDK sends decodes back to the same input.
func TestInputsMatchSDK(t *testing.T) {
	f := &fakeHTTP{respBody: []byte("{}")}
	c := newClient(f)
	for _, op := range operations(t, c) {
		for seed, sparse := range []float64{0, 0.3, 0.6} {
			in := reflect.New(op.inType)
			newFiller(uint64(seed), sparse).fill(in.Elem())
			if _, err := op.call(in); err != nil {
				if sparse > 0 && strings.Contains(err.Error(), "validation") {
					continue // a required member was left unset: the SDK refuses to send
				}
				t.Fatalf("%s: %v", op.name, err)
			}
			if want := "AWSStepFunctions." + op.name; f.target != want {
				t.Fatalf("%s: X-Amz-Target %q, want %q", op.name, f.target, want)
			}
			mine, err := Marshal(in.Interface())
			if err != nil {
				t.Fatalf("%s: Marshal: %v", op.name, err)
			}
			sdkDoc := value.MustParse(string(f.reqBody))
			myDoc, err := value.Parse(mine)
			if err != nil {
				t.Fatalf("%s: Marshal wrote invalid JSON: %v\n%s", op.name, err, mine)
			}
			if msg := sameRequest(sdkDoc, myDoc, ""); msg != "" {
				t.Errorf("%s (sparse %.1f): %s\nSDK:  %s\nours: %s", op.name, sparse, msg, f.reqBody, mine)
			}
			back := reflect.New(op.inType)
			if err := Unmarshal(f.reqBody, back.Interface()); err != nil {
				t.Fatalf("%s: Unmarshal of the SDK's request: %v", op.name, err)
			}
			if d := firstDiff(back, in, op.inType.Name()); d != "" || !reflect.DeepEqual(in.Interface(), back.Interface()) {
				t.Errorf("%s (sparse %.1f): the SDK's request decodes differently (got vs want) at %s\n%s", op.name, sparse, d, f.reqBody)
			}
		}
	}
}

// sameRequest compares the SDK's request document with ours. The SDK leaves out plain
// bools and numbers that are zero (smithy defaults) where we write them, so a member
// only we have must be false or 0.
func sameRequest(sdk, mine value.Value, path string) string {
	so, ok1 := sdk.(*value.Object)
	mo, ok2 := mine.(*value.Object)
	if ok1 && ok2 {
		for i := 0; i < so.Len(); i++ {
			k, sv := so.At(i)
			mv, ok := mo.Get(k)
			if !ok {
				return path + "." + k + ": missing from ours"
			}
			if msg := sameRequest(sv, mv, path+"."+k); msg != "" {
				return msg
			}
		}
		for i := 0; i < mo.Len(); i++ {
			k, mv := mo.At(i)
			if !so.Has(k) && mv != false && !value.Equal(mv, int64(0)) {
				return path + "." + k + ": ours has " + value.String(mv) + ", the SDK nothing"
			}
		}
		return ""
	}
	sa, ok1 := sdk.([]any)
	ma, ok2 := mine.([]any)
	if ok1 && ok2 && len(sa) == len(ma) {
		for i := range sa {
			if msg := sameRequest(sa[i], ma[i], path+"[]"); msg != "" {
				return msg
			}
		}
		return ""
	}
	if !value.Equal(sdk, mine) {
		return path + ": SDK " + value.String(sdk) + ", ours " + value.String(mine)
	}
	return ""
}

// TestOutputsDecodeInSDK: what Marshal writes for an output, the SDK reads back into an
// equal value; and our Unmarshal reads it back equally too.
func TestOutputsDecodeInSDK(t *testing.T) {
	f := &fakeHTTP{}
	c := newClient(f)
	for _, op := range operations(t, c) {
		for seed, sparse := range []float64{0, 0.3, 0.6} {
			want := reflect.New(op.outType)
			newFiller(uint64(seed)+100, sparse).fill(want.Elem())
			body, err := Marshal(want.Interface())
			if err != nil {
				t.Fatalf("%s: Marshal: %v", op.name, err)
			}
			f.respBody = body
			in := reflect.New(op.inType)
			newFiller(1, 0).fill(in.Elem())
			got, err := op.call(in)
			if err != nil {
				t.Fatalf("%s: the SDK rejects our output: %v\n%s", op.name, err, body)
			}
			clearMetadata(got)
			if d := firstDiff(got, want, op.outType.Name()); d != "" || !reflect.DeepEqual(want.Interface(), got.Interface()) {
				t.Errorf("%s (sparse %.1f): the SDK decodes our output differently (SDK vs want) at %s\n%s", op.name, sparse, d, body)
			}
			back := reflect.New(op.outType)
			if err := Unmarshal(body, back.Interface()); err != nil {
				t.Fatalf("%s: Unmarshal: %v", op.name, err)
			}
			if d := firstDiff(back, want, op.outType.Name()); d != "" || !reflect.DeepEqual(want.Interface(), back.Interface()) {
				t.Errorf("%s (sparse %.1f): the round trip differs (got vs want) at %s\n%s", op.name, sparse, d, body)
			}
		}
	}
}

func clearMetadata(out reflect.Value) {
	if f := out.Elem().FieldByName("ResultMetadata"); f.IsValid() && f.CanSet() {
		f.Set(reflect.Zero(f.Type()))
	}
}
