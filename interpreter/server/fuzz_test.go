package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzRequest sends arbitrary targets and bodies: every answer is a well-formed API
// response, never a panic or a server error for a bad request.
func FuzzRequest(f *testing.F) {
	_, srv := client(f)
	h := srv.Config.Handler
	f.Add("AWSStepFunctions.ListStateMachines", `{"maxResults":5}`)
	f.Add("AWSStepFunctions.StartExecution", `{"stateMachineArn":"arn:aws:states:us-east-1:1:stateMachine:x","input":"{"}`)
	f.Add("AWSStepFunctions.CreateStateMachine", `{"name":"a","definition":"{\"StartAt\":\"A\"}","roleArn":"r"}`)
	f.Add("AWSStepFunctions.GetExecutionHistory", `{"executionArn":"arn:aws:states:us-east-1:1:execution:x:y","nextToken":"zz"}`)
	f.Add("AWSStepFunctions.SendTaskSuccess", `{"taskToken":"","output":null}`)
	f.Fuzz(func(t *testing.T, target, body string) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", target)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q: status %d: %s", target, body, rec.Code, rec.Body.String())
		}
		if rec.Code != 200 && rec.Header().Get("X-Amzn-ErrorType") == "" {
			t.Fatalf("%s %q: an error without a type", target, body)
		}
	})
}
