package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/service"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// syncBuffer is a log destination the server's goroutines share with the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// served is the service behind the real HTTP server serve runs, on a loopback port.
type served struct {
	svc *service.Service
	st  *store.Store
	srv *http.Server
	url string
	log *syncBuffer
}

func serveHTTP(t *testing.T, storeOpts store.Options, maxConns int, tune func(*http.Server)) *served {
	t.Helper()
	storeOpts.NoSync = true
	st, err := store.Open(filepath.Join(t.TempDir(), "stepdeck.db"), storeOpts)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Store: st, Clock: engine.RealClock{}})
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	srv := NewHTTPServer(New(svc), Options{Log: slog.New(slog.NewJSONHandler(logs, nil))})
	if tune != nil {
		tune(srv)
	}
	ln, err := Listen("127.0.0.1:0", maxConns)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		srv.Close()
		svc.Close()
		st.Close()
	})
	return &served{svc: svc, st: st, srv: srv, url: "http://" + ln.Addr().String(), log: logs}
}

func (s *served) client() *sfn.Client {
	return sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.url), RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "k", SecretAccessKey: "s"}, nil
		})})
}

// TestTimeoutsOutlastTheLongestCalls: the server's limits let the slowest legal calls
// finish and cut off what holds a connection for nothing.
func TestTimeoutsOutlastTheLongestCalls(t *testing.T) {
	srv := NewHTTPServer(http.NotFoundHandler(), Options{})
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.IdleTimeout <= 0 {
		t.Fatalf("a limit is missing: header %s, read %s, idle %s", srv.ReadHeaderTimeout, srv.ReadTimeout, srv.IdleTimeout)
	}
	longest := max(service.DefaultActivityPoll, 5*time.Minute) // GetActivityTask, StartSyncExecution
	if srv.WriteTimeout <= longest {
		t.Fatalf("WriteTimeout %s cuts off a call that may take %s", srv.WriteTimeout, longest)
	}
}

func TestASlowClientIsCutOff(t *testing.T) {
	s := serveHTTP(t, store.Options{}, MaxConnections, func(srv *http.Server) {
		srv.ReadHeaderTimeout = 200 * time.Millisecond // the test's own: 10s as served
	})
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Half a request line, then nothing.
	if _, err := conn.Write([]byte("POST / HT")); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	_, err = io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the server still holds a client that sent no headers after 5s")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("cut off after %s", d)
	}
}

func TestConnectionsAreLimited(t *testing.T) {
	const limit = 4
	s := serveHTTP(t, store.Options{}, limit, nil)
	addr := strings.TrimPrefix(s.url, "http://")
	var idle []net.Conn
	for i := 0; i < limit; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		idle = append(idle, c)
	}
	answered := make(chan error, 1)
	go func() {
		_, err := s.client().ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
		answered <- err
	}()
	select {
	case err := <-answered:
		t.Fatalf("a connection beyond the limit was served (%v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	idle[0].Close()
	select {
	case err := <-answered:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting client was not served once a connection closed")
	}
}

func TestForeignHostIsRefused(t *testing.T) {
	s := serveHTTP(t, store.Options{}, MaxConnections, nil)
	for host, want := range map[string]int{
		"localhost":                    http.StatusOK,
		"LOCALHOST:8083":               http.StatusOK,
		"api.localhost:1":              http.StatusOK,
		"127.0.0.1":                    http.StatusOK,
		"127.9.9.9:8083":               http.StatusOK,
		"[::1]:8083":                   http.StatusOK,
		"attacker.example":             http.StatusForbidden,
		"attacker.example:8083":        http.StatusForbidden,
		"localhost.attacker.example":   http.StatusForbidden,
		"192.168.1.10:8083":            http.StatusForbidden,
		"127.0.0.1.attacker.example:1": http.StatusForbidden,
	} {
		req, _ := http.NewRequest(http.MethodPost, s.url, strings.NewReader("{}"))
		req.Host = host
		req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %q: status %d, want %d (%s)", host, resp.StatusCode, want, body)
		}
		if want == http.StatusForbidden && !strings.Contains(string(body), "AccessDeniedException") {
			t.Errorf("Host %q: body %s", host, body)
		}
	}
	// --allow-remote serves any name.
	open := NewHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), Options{AllowAnyHost: true})
	rec := &recorder{header: http.Header{}}
	req, _ := http.NewRequest(http.MethodPost, "http://attacker.example/", nil)
	open.Handler.ServeHTTP(rec, req)
	if rec.status != 0 && rec.status != http.StatusOK {
		t.Errorf("with AllowAnyHost a foreign host got %d", rec.status)
	}
}

type recorder struct {
	header http.Header
	status int
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *recorder) WriteHeader(code int)        { r.status = code }

// TestLongPollIsAnsweredOnShutdown: a worker's GetActivityTask in flight when the
// server shuts down gets the empty answer of a poll that found no task, at once.
func TestLongPollIsAnsweredOnShutdown(t *testing.T) {
	s := serveHTTP(t, store.Options{}, MaxConnections, nil)
	c := s.client()
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("work")})
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		out *sfn.GetActivityTaskOutput
		err error
	}
	got := make(chan answer, 1)
	go func() {
		out, err := c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
		got <- answer{out, err}
	}()
	time.Sleep(200 * time.Millisecond) // the poll is waiting
	start := time.Now()
	shutdown := make(chan error, 1)
	go func() {
		s.svc.Drain()
		shutdown <- s.srv.Shutdown(ctx)
	}()
	select {
	case a := <-got:
		if a.err != nil {
			t.Fatalf("the poller got %v, want an empty answer", a.err)
		}
		if a.out.TaskToken != nil || a.out.Input != nil {
			t.Fatalf("the poller got a task: %+v", a.out)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the long poll was not answered within 3s of the shutdown")
	}
	if err := <-shutdown; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("shutdown took %s", d)
	}
}

// TestInternalFailuresNameNoPath: a failure of the store (a full disk) answers 500 with
// the system's reason but not the file's path, which goes to the log.
func TestInternalFailuresNameNoPath(t *testing.T) {
	var path string
	var failing sync.Mutex
	fail := false
	s := serveHTTP(t, store.Options{BeforeCommit: func() error {
		failing.Lock()
		defer failing.Unlock()
		if fail {
			return &fs.PathError{Op: "write", Path: path, Err: syscall.ENOSPC}
		}
		return nil
	}}, MaxConnections, nil)
	path = s.st.Path()
	failing.Lock()
	fail = true
	failing.Unlock()
	_, err := s.client().CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("full")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InternalFailure" {
		t.Fatalf("got %v, want InternalFailure", err)
	}
	if strings.Contains(ae.ErrorMessage(), path) || strings.Contains(ae.ErrorMessage(), filepath.Dir(path)) {
		t.Fatalf("the answer names the server's file: %s", ae.ErrorMessage())
	}
	if !strings.Contains(ae.ErrorMessage(), "no space left on device") {
		t.Fatalf("the answer does not say why: %s", ae.ErrorMessage())
	}
	if !strings.Contains(s.log.String(), path) {
		t.Fatalf("the log lacks the failure's details:\n%s", s.log.String())
	}
}

// TestOneLogLinePerRequest: each request logs its operation, status, duration and, for
// an error, its type.
func TestOneLogLinePerRequest(t *testing.T) {
	s := serveHTTP(t, store.Options{}, MaxConnections, nil)
	c := s.client()
	if _, err := c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{}); err != nil {
		t.Fatal(err)
	}
	_, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String("arn:aws:states:us-east-1:123456789012:stateMachine:nope")})
	if err == nil {
		t.Fatal("DescribeStateMachine of nothing succeeded")
	}
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s.log.String()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("a log line is not JSON: %s", sc.Text())
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 {
		t.Fatalf("%d log lines for 2 requests:\n%s", len(lines), s.log.String())
	}
	if lines[0]["operation"] != "ListStateMachines" || lines[0]["status"] != float64(200) || lines[0]["error"] != nil {
		t.Errorf("first line %v", lines[0])
	}
	if lines[1]["operation"] != "DescribeStateMachine" || lines[1]["status"] != float64(400) || lines[1]["error"] != "StateMachineDoesNotExist" {
		t.Errorf("second line %v", lines[1])
	}
	for _, l := range lines {
		if _, ok := l["duration"].(float64); !ok {
			t.Errorf("no duration in %v", l)
		}
	}
}
