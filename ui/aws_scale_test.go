package ui

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/client/faults"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/server"
	"github.com/stepdeck/stepdeck/interpreter/service"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// faultyAccount is a big account behind a fault-injecting endpoint, reached with the
// AWS SDK as stepdeck --endpoint does: machines m000…, the first of them waiting on a
// token with one running execution each.
func faultyAccount(t *testing.T, machines, waiters int) (client.API, *faults.Endpoint, *service.Service) {
	return faultyAccountNamed(t, "m", machines, waiters)
}

// faultyAccountNamed is faultyAccount with machines named prefix000…: two local services
// share an account id and region, so only the names tell their ARNs apart (on AWS the
// account or region does).
func faultyAccountNamed(t *testing.T, prefix string, machines, waiters int) (client.API, *faults.Endpoint, *service.Service) {
	t.Helper()
	isolateAWSEnv(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Store: st, Clock: engine.RealClock{}})
	if err != nil {
		t.Fatal(err)
	}
	ep := &faults.Endpoint{Next: server.New(svc)}
	srv := httptest.NewServer(ep)
	t.Cleanup(func() { srv.Close(); svc.Close(); st.Close() })
	ctx := context.Background()
	for i := 0; i < machines; i++ {
		def := `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
		if i < waiters {
			def = approvalDef
		}
		m, err := svc.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(fmt.Sprintf("%s%03d", prefix, i)),
			Definition: aws.String(def), RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
		if err != nil {
			t.Fatal(err)
		}
		if i < waiters {
			out, err := svc.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn,
				Name: aws.String(fmt.Sprintf("wait-%d", i)), Input: aws.String(`{}`)})
			if err != nil {
				t.Fatal(err)
			}
			waitCallback(t, svc, aws.ToString(out.ExecutionArn))
		}
	}
	fast := client.NewBudget(client.Limits{Ops: map[string]client.Limit{}, Default: client.Limit{Rate: 1000, Burst: 1000}})
	api, err := client.NewAWS(ctx, client.Options{Endpoint: srv.URL, MaxAttempts: 1, Budget: fast})
	if err != nil {
		t.Fatal(err)
	}
	return api, ep, svc
}

// The machines list of a big account reads one page, asks for the last execution of
// the rows on screen only, shows a denial on its own row, and reads the next page when
// the selection comes near the end.
func TestMachinesListOnABigAccount(t *testing.T) {
	api, ep, _ := faultyAccount(t, 250, 0)
	denied := "arn:aws:states:us-east-1:123456789012:stateMachine:m001"
	ep.Set(func(e *faults.Endpoint) {
		e.Rules = []*faults.Rule{{Op: "ListExecutions", BodyContains: denied, Status: 403}}
	})
	a := New(fixedCommon(api, 120, 30), "test")
	drain(a, a.Init())
	screen := a.Render()
	mustContain(t, screen, "State machines (first 100)", "m000", "none", "⚠ needs ListExecutions")
	if n := ep.Calls("ListStateMachines"); n != 1 {
		t.Errorf("%d ListStateMachines calls for the first screen", n)
	}
	if n := ep.Calls("ListExecutions"); n > 2*a.c.BodyHeight() {
		t.Errorf("%d ListExecutions calls for a screen of %d rows", n, a.c.BodyHeight())
	}
	for i := 0; i < 90; i++ {
		press(a, "down")
	}
	if n := ep.Calls("ListStateMachines"); n != 2 {
		t.Errorf("%d ListStateMachines calls after scrolling near the end", n)
	}
	mustContain(t, a.Render(), "State machines (first 200)")
	for i := 0; i < 200; i++ {
		press(a, "down")
	}
	mustContain(t, a.Render(), "m249")
	if strings.Contains(a.Render(), "(first") {
		t.Error("every machine read, and the title still says first")
	}
}

// The callbacks screen finds the waiting tokens of a big account, shows a machine it
// cannot read on that machine's row, and every other callback all the same.
func TestCallbacksOnABigAccount(t *testing.T) {
	api, ep, _ := faultyAccount(t, 120, 3)
	denied := "arn:aws:states:us-east-1:123456789012:stateMachine:m001"
	ep.Set(func(e *faults.Endpoint) {
		e.Rules = []*faults.Rule{{Op: "ListExecutions", BodyContains: denied, Status: 403}}
	})
	a := New(fixedCommon(api, 120, 30), "test")
	drain(a, a.Init())
	press(a, "c")
	mustContain(t, a.Render(), "wait-0", "wait-2", "m000", "m002", "⚠ m001: access denied: needs states:ListExecutions on "+denied[:40])
	if strings.Contains(a.Render(), "wait-1") {
		t.Error("a callback of the denied machine shows")
	}
	if n := ep.Calls("ListExecutions"); n > 3+2*a.c.BodyHeight() {
		t.Errorf("%d ListExecutions calls", n)
	}
}

// The executions of a machine with more than two pages of them: the first page read,
// older ones as the selection nears the end (none left out), and a search for an old
// execution by its name found beyond what is held.
func TestExecutionsListBeyondTheFirstPage(t *testing.T) {
	api, ep, svc := faultyAccount(t, 1, 0)
	ctx := context.Background()
	machine := "arn:aws:states:us-east-1:123456789012:stateMachine:m000"
	for i := 0; i < 251; i++ {
		if _, err := svc.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machine),
			Name: aws.String(fmt.Sprintf("run-%03d", i)), Input: aws.String(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	waitStatus(t, svc, "arn:aws:states:us-east-1:123456789012:execution:m000:run-250", "SUCCEEDED")
	a := New(fixedCommon(api, 120, 30), "test")
	drain(a, a.Init())
	press(a, "enter")
	mustContain(t, a.Render(), "Executions of m000 (newest 100)", "run-250")
	if n := ep.Calls("ListExecutions"); n > 1+2*a.c.BodyHeight() {
		t.Errorf("%d ListExecutions calls to open the list", n)
	}
	press(a, "/")
	typeText(a, "run-003")
	press(a, "enter")
	mustContain(t, a.Render(), "run-003", "SUCCEEDED")
	press(a, "esc")
	for i := 0; i < 260; i++ {
		press(a, "down")
	}
	screen := a.Render()
	mustContain(t, screen, "run-000")
	if strings.Contains(screen, "(newest") {
		t.Errorf("all 251 read, and the title still says newest: %s", screen)
	}
}

// Two accounts shown together: each row names its context, the callbacks of both show
// and are answered each in its own, an execution opens from either, and a context that
// cannot be listed says so while the other's rows stay.
func TestContextsShownTogether(t *testing.T) {
	apiA, _, _ := faultyAccount(t, 3, 1)
	apiB, epB, _ := faultyAccountNamed(t, "s", 2, 1)
	multi := client.NewMulti([]client.Named{{Name: "prod-eu", API: apiA}, {Name: "staging", API: apiB}})
	a := New(fixedCommon(multi, 140, 30), "contexts prod-eu + staging")
	drain(a, a.Init())
	mustContain(t, a.Render(), "Context", "prod-eu", "staging", "m002")
	press(a, "c")
	mustContain(t, a.Render(), "prod-eu/m000", "staging/s000")
	press(a, "a", "ctrl+s", "y")
	mustContain(t, statusLine(a), "approve Ask: sent")
	press(a, "esc", "esc")
	epB.Set(func(e *faults.Endpoint) { e.Rules = []*faults.Rule{{Op: "ListStateMachines", Status: 403}} })
	press(a, "r")
	screen := a.Render()
	mustContain(t, screen, "⚠ context staging: access denied: needs states:ListStateMachines", "prod-eu")
	if strings.Contains(screen, "staging  ") {
		t.Errorf("the denied context's rows still show:\n%s", screen)
	}
}
