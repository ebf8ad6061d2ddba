package localtask

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// closingBody fails every read once closed, as the SDK's request bodies do.
type closingBody struct {
	r      io.Reader
	closed bool
}

func (b *closingBody) Read(p []byte) (int, error) {
	if b.closed {
		return 0, io.ErrClosedPipe
	}
	return b.r.Read(p)
}

func (b *closingBody) Close() error { b.closed = true; return nil }

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// The transport's copy of a body stays readable after the caller closes its own.
func TestBufferedBodiesOutliveTheCallersBody(t *testing.T) {
	var seen io.Reader
	rt := bufferedBodies{roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = r.Body
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})}
	body := &closingBody{r: strings.NewReader(`{"a":1}`)}
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/", body)
	if _, err := rt.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	body.Close()
	got, err := io.ReadAll(seen)
	if err != nil || string(got) != `{"a":1}` {
		t.Fatalf("the transport read %q, %v; want the whole body", got, err)
	}
}

// A fast endpoint answering a large payload: without the buffered bodies about one call
// in fifty failed with "use of closed network connection", so a hundred calls catch a
// regression most of the time; the test above pins the mechanism itself.
func TestLambdaLargeResponsesFromAFastEndpoint(t *testing.T) {
	payload := value.Marshal(strings.Repeat("a", 200*1024))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Write(payload)
	}))
	defer srv.Close()
	l, err := NewLambda(srv.URL, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	call := &engine.TaskCall{StateName: "S", Resource: "arn:aws:lambda:us-east-1:123456789012:function:f", Input: value.ObjectOf()}
	for i := range 100 {
		if _, err := l.Function(context.Background(), call); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
}
