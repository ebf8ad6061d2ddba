package service

import (
	"fmt"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
)

// TestConformanceExternal replays the recorded executions whose tasks call services
// outside Step Functions through the service, as a Step Functions Local user would run
// them, and compares result, event summary and events with AWS's recording:
//
//   - Lambda functions run on a fake Lambda endpoint that plays each handler as
//     lambda_handlers.json describes it (echo, fixed payload, raise, hang), through the
//     service's Lambda handler, so a raising function takes the error shape the Lambda
//     client builds;
//   - every other service (SQS, SNS, S3, DynamoDB, EventBridge, ...) is answered by a
//     MockConfigFile.json written from the recording's own task responses (Return for
//     TaskSucceeded, Throw for TaskFailed, WaitForCallback for TaskSubmitted, indexed by
//     call), loaded by interpreter/mock as a user's file is, and picked by "#TestCase" on
//     the state machine ARN. This checks what the engine does with the responses, not
//     the services: a mock returns what AWS returned by construction;
//   - a distributed Map's ItemReader and ResultWriter call a fake S3 (external_s3_test.go)
//     plugged in as local handlers, holding the objects the recording's setup put
//     (put_object), so the engine parses what AWS parsed;
//   - callback tasks are answered through SendTaskSuccess/SendTaskFailure (after a
//     SendTaskHeartbeat where the recording's worker sent one), with the token read
//     from the TaskScheduled event, as the recording's callback was answered.
//
// Waits and retry delays pass at once (time scale 0); task timeouts and heartbeats keep
// their real seconds, so cases run several at once. Cases that cannot be served are
// listed in the log with the reason.
func TestConformanceExternal(t *testing.T) {
	root := conformance.CorpusDir(t)
	behaviours, unplayable, err := handlerBehaviours(filepath.Join(root, "lambda_handlers.json"))
	if err != nil {
		t.Fatal(err)
	}
	all, err := conformance.Load(filepath.Join(root, "external"))
	if err != nil {
		t.Fatal(err)
	}
	skippedMembers, err := readSkippedMembers(skippedMembersFile)
	if err != nil {
		t.Fatal(err)
	}
	skipFound := map[string]bool{}
	execs := conformance.Executions(all)
	plans := map[string]*externalPlan{}
	var cases []*conformance.Case
	skipped := map[string][]string{} // category → case ids
	for _, c := range execs {
		p, why := planExternal(c, behaviours, unplayable)
		if p == nil {
			category, _, _ := strings.Cut(why, ":")
			skipped[category] = append(skipped[category], c.ID+": "+why)
			continue
		}
		plans[c.ID] = p
		cases = append(cases, stripSkipped(c, skippedMembers, skipFound))
	}
	logUnserved(t, len(execs), len(cases), skipped)
	if len(cases) == 0 {
		t.Fatal("no external case can be served by mocks or the fake Lambda endpoint")
	}
	for _, p := range skippedMembers {
		if !skipFound[p.String()] {
			t.Errorf("%s skips %s, which occurs in no served recording: remove the line", skippedMembersFile, p)
		}
	}
	replayed := replayAll(cases, plans, t.TempDir)
	conformance.Run(t, cases, filepath.Join("testdata", "known_failures_external.txt"), func(c *conformance.Case) (*conformance.Result, error) {
		r, err := replayed[c.ID].result, replayed[c.ID].err
		if err != nil {
			return nil, err
		}
		if r.Output != nil {
			r.Output = aws.String(string(withoutMembers([]byte(*r.Output), skippedMembers, nil)))
		}
		if r.Events != nil {
			r.Events = withoutMembers(r.Events, skippedMembers, nil)
		}
		return r, nil
	})
}

func logUnserved(t *testing.T, total, served int, skipped map[string][]string) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "external executions: %d; served by mocks, the fake Lambda endpoint and the fake S3: %d; not served here: %d\n",
		total, served, total-served)
	categories := make([]string, 0, len(skipped))
	for k := range skipped {
		categories = append(categories, k)
	}
	sort.Strings(categories)
	for _, k := range categories {
		fmt.Fprintf(&b, "  not served (%s): %d\n", k, len(skipped[k]))
		for _, why := range skipped[k] {
			fmt.Fprintf(&b, "    %s\n", why)
		}
	}
	t.Log(b.String())
	if !testing.Verbose() {
		// Like the pass table conformance.Run prints: the count shows in plain runs too.
		fmt.Printf("external conformance: %d executions, %d served here, %d not served (listed with -v)\n", total, served, total-served)
	}
}

// replayedCase is the outcome of one case's run.
type replayedCase struct {
	result *conformance.Result
	err    error
}

// replayParallel bounds the cases run at once. Most of a case's time is a recorded task
// timeout or heartbeat running out on the wall clock, so they overlap well.
const replayParallel = 8

// replayAll runs every case, several at once, each in its own service and directory.
func replayAll(cases []*conformance.Case, plans map[string]*externalPlan, tempDir func() string) map[string]replayedCase {
	out := make(map[string]replayedCase, len(cases))
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, replayParallel)
	for _, c := range cases {
		dir := tempDir()
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			var rc replayedCase
			func() {
				defer func() {
					if p := recover(); p != nil {
						rc.err = fmt.Errorf("replay panicked: %v\n%s", p, debug.Stack())
					}
				}()
				rc.result, rc.err = replayExternal(c, plans[c.ID], dir)
			}()
			mu.Lock()
			out[c.ID] = rc
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}
