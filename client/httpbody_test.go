package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// With one attempt and nothing to retry it, a call must not fail on a healthy
// connection. Without ownRequestBody about one call in 150 here failed with "use of
// closed network connection" while its 200 was being read, so 600 calls fail almost
// every run without it.
func TestCallsDoNotLoseTheirConnection(t *testing.T) {
	isolateAWSEnv(t)
	var page strings.Builder
	page.WriteString(`{"stateMachines":[`)
	for i := 0; i < 100; i++ {
		if i > 0 {
			page.WriteString(",")
		}
		page.WriteString(`{"creationDate":1.7e9,"name":"machine-with-a-long-name-to-fill-the-page","stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:machine-with-a-long-name-to-fill-the-page","type":"STANDARD"}`)
	}
	page.WriteString(`]}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		io.WriteString(w, page.String())
	}))
	defer srv.Close()
	fast := NewBudget(Limits{Ops: map[string]Limit{}, Default: Limit{Rate: 1e6, Burst: 1e6}})
	api, err := NewAWS(context.Background(), Options{Endpoint: srv.URL, MaxAttempts: 1, Budget: fast})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 600; i++ {
		if _, err := api.ListStateMachines(context.Background(), &sfn.ListStateMachinesInput{}); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
}
