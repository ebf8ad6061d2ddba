package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/server"
	"github.com/stepdeck/stepdeck/interpreter/service"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

var ctx = context.Background()

func newLocal(t *testing.T) API {
	t.Helper()
	api, closeFn, err := NewLocal(ctx, LocalOptions{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := closeFn(); err != nil {
			t.Error(err)
		}
	})
	return api
}

// newService is the local service behind an HTTP server, for the AWS backend.
func newService(t testing.TB) *service.Service {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Store: st, Clock: engine.RealClock{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close(); st.Close() })
	return svc
}

func start(t *testing.T, api API, name, def string) string {
	t.Helper()
	m, err := api.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(def),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := api.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Input: aws.String(`{"n":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.ExecutionArn)
}

const approvalDef = `{"StartAt":"Prepare","States":{
 "Prepare":{"Type":"Pass","Next":"Approve"},
 "Approve":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
  "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"Next":"Done"},
 "Done":{"Type":"Pass","End":true}}}`

// pendingSoon polls until want callbacks are pending: the engine schedules tasks on its
// own goroutine, after StartExecution returns.
func pendingSoon(t *testing.T, api API, o CallbackOptions, want int) []PendingCallback {
	t.Helper()
	var got []PendingCallback
	for i := 0; i < 1000; i++ {
		var err error
		if got, err = PendingCallbacks(ctx, api, o); err != nil {
			t.Fatal(err)
		}
		if len(got) >= want {
			return got
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%d callbacks pending, want %d: %+v", len(got), want, got)
	return nil
}

func answer(t *testing.T, api API, token string) {
	t.Helper()
	if _, err := api.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{"ok":true}`)}); err != nil {
		t.Fatalf("answering %q: %v", token, err)
	}
}

func collect(t *testing.T, ch <-chan Update) []types.HistoryEvent {
	t.Helper()
	var all []types.HistoryEvent
	for u := range ch {
		if u.Err != nil {
			t.Fatal(u.Err)
		}
		all = append(all, u.Events...)
	}
	return all
}

func TestFollowTheLocalService(t *testing.T) {
	api := newLocal(t)
	exec := start(t, api, "approval", approvalDef)
	ch := Follow(ctx, api, exec, FollowOptions{PageSize: 2, MinInterval: time.Millisecond, MaxInterval: 5 * time.Millisecond})
	cbs := pendingSoon(t, api, CallbackOptions{}, 1)
	answer(t, api, cbs[0].Token)
	evs := collect(t, ch)
	checkContiguous(t, evs, len(evs))
	if last := evs[len(evs)-1].Type; last != types.HistoryEventTypeExecutionSucceeded {
		t.Errorf("last event %s", last)
	}
}

// throttler answers every other call with AWS's throttling error, as awsJson1_0 does.
type throttler struct {
	next  http.Handler
	calls atomic.Int64
}

func (h *throttler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.calls.Add(1)%2 == 1 {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate exceeded"}`))
		return
	}
	h.next.ServeHTTP(w, r)
}

func awsClient(t testing.TB, h http.Handler) *AWS { return awsClientWith(t, h, fastBudget()) }

// awsClientWith is the SDK client over HTTP to h, its calls paced by budget.
func awsClientWith(t testing.TB, h http.Handler, budget *Budget) *AWS {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	isolateAWSEnv(t)
	c, err := NewAWS(ctx, Options{Endpoint: srv.URL, MaxAttempts: 1, Budget: budget})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fastBudget paces calls as the app does, and slows down on throttling as it does, but
// from rates a test does not wait for.
func fastBudget() *Budget {
	return NewBudget(Limits{Ops: map[string]Limit{}, Default: Limit{Rate: 1000, Burst: 1000}})
}

func TestFollowThroughAThrottlingEndpoint(t *testing.T) {
	svc := newService(t)
	th := &throttler{next: server.New(svc)}
	c := awsClient(t, th)
	exec := start(t, svc, "approval", approvalDef)
	var throttled atomic.Int64
	ch := Follow(ctx, c, exec, FollowOptions{PageSize: 2, MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond,
		ErrorBase: time.Millisecond, ErrorMax: 4 * time.Millisecond,
		OnRetry: func(err error, _ time.Duration) {
			if !transient(err) {
				t.Errorf("retried a fatal error: %v", err)
			}
			throttled.Add(1)
		}})
	cbs := pendingSoon(t, svc, CallbackOptions{}, 1)
	answer(t, svc, cbs[0].Token)
	evs := collect(t, ch)
	checkContiguous(t, evs, len(evs))
	if evs[len(evs)-1].Type != types.HistoryEventTypeExecutionSucceeded {
		t.Errorf("last event %s", evs[len(evs)-1].Type)
	}
	if throttled.Load() == 0 {
		t.Error("the follower never heard of the throttling")
	}
}

func TestFollowReportsAMissingExecution(t *testing.T) {
	c := awsClient(t, server.New(newService(t)))
	var dne *types.ExecutionDoesNotExist
	for u := range Follow(ctx, c, "arn:aws:states:us-east-1:123456789012:execution:m:nope", FollowOptions{}) {
		if !errors.As(u.Err, &dne) {
			t.Errorf("got %+v", u)
		}
	}
}

func TestAWSBackendTalksToTheLocalServer(t *testing.T) {
	svc := newService(t)
	c := awsClient(t, server.New(svc))
	m, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("x"), Type: types.StateMachineTypeExpress,
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`), RoleArn: aws.String("r")})
	if err != nil {
		t.Fatal(err)
	}
	// The "sync-" host prefix would send this one to sync-127.0.0.1 without the fix.
	out, err := c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: m.StateMachineArn, Input: aws.String(`{"a":1}`)})
	if err != nil || out.Status != types.SyncExecutionStatusSucceeded || aws.ToString(out.Output) != `{"a":1}` {
		t.Fatalf("sync: %v %+v", err, out)
	}
}

func TestNewAWSExplainsBadSettings(t *testing.T) {
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_SFN", "")
	if _, err := NewAWS(ctx, Options{Endpoint: "127.0.0.1:8083"}); err == nil {
		t.Error("an endpoint without a scheme was accepted")
	}
	if _, err := NewAWS(ctx, Options{}); err == nil {
		t.Error("no region and no endpoint was accepted")
	}
	if _, err := NewAWS(ctx, Options{Profile: "nope"}); err == nil {
		t.Error("a missing profile was accepted")
	}
	c, err := NewAWS(ctx, Options{Region: "eu-west-1"})
	if err != nil || c.Options().Region != "eu-west-1" || c.Options().BaseEndpoint != nil {
		t.Errorf("region flag: %v", err)
	}
	t.Setenv("AWS_ENDPOINT_URL_SFN", "http://127.0.0.1:9")
	if c, err = NewAWS(ctx, Options{}); err != nil || aws.ToString(c.Options().BaseEndpoint) != "http://127.0.0.1:9" || c.Options().Region == "" {
		t.Errorf("endpoint from the environment: %v", err)
	}
	if c, err = NewAWS(ctx, Options{Endpoint: "http://localhost:8083"}); err != nil || aws.ToString(c.Options().BaseEndpoint) != "http://localhost:8083" {
		t.Errorf("the flag must win over the environment: %v", err)
	}
}

func TestNewLocalRefusesBadOptions(t *testing.T) {
	if _, _, err := NewLocal(ctx, LocalOptions{}); err == nil {
		t.Error("no data dir accepted")
	}
	if _, _, err := NewLocal(ctx, LocalOptions{DataDir: t.TempDir(), TimeScale: -1}); err == nil {
		t.Error("negative time scale accepted")
	}
	if _, _, err := NewLocal(ctx, LocalOptions{DataDir: t.TempDir(), MockConfig: filepath.Join(t.TempDir(), "missing.json")}); err == nil {
		t.Error("missing mock file accepted")
	}
}

// isolateAWSEnv keeps the profile, credentials and endpoint of the machine running the
// test out of it.
func isolateAWSEnv(t testing.TB) {
	t.Helper()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_SFN", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}
