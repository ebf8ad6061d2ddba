package mock

import (
	"context"
	"maps"
	"strings"
	"sync"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Invocations counts the calls of each state in one execution, so that each call gets
// the mocked response for its index. It is safe for concurrent use: Map iterations and
// Parallel branches take indexes in the order their calls arrive.
type Invocations struct {
	tc     *TestCase
	mu     sync.Mutex
	counts map[string]int
}

// ForExecution starts the invocation counts of a new execution.
func (tc *TestCase) ForExecution() *Invocations {
	return &Invocations{tc: tc, counts: map[string]int{}}
}

// Resume continues counting from counts, as Counts returned them before a restart.
func (tc *TestCase) Resume(counts map[string]int) *Invocations {
	inv := tc.ForExecution()
	for k, n := range counts {
		inv.counts[k] = n
	}
	return inv
}

// Counts returns how many times each mocked state has been called so far, for saving
// alongside the execution.
func (inv *Invocations) Counts() map[string]int {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return maps.Clone(inv.counts)
}

// Next looks up the response for the state's next call and counts the call. mocked is
// false, and nothing is counted, when the test case does not mock the state.
func (inv *Invocations) Next(stateName string) (r *Response, mocked bool, err error) {
	if _, ok := inv.tc.states[stateName]; !ok {
		return nil, false, nil
	}
	inv.mu.Lock()
	n := inv.counts[stateName]
	inv.counts[stateName] = n + 1
	inv.mu.Unlock()
	return inv.tc.Lookup(stateName, n)
}

// Handler serves the test case's mocked states and passes every other task to fallback
// (which may be nil: such tasks then fail, naming the state and the test case).
func (inv *Invocations) Handler(fallback engine.Handler) engine.Handler {
	return func(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
		r, mocked, err := inv.Next(call.StateName)
		if err != nil {
			return nil, failure.New(failure.Runtime, err.Error())
		}
		if !mocked {
			if fallback == nil {
				return nil, failure.Newf(failure.Runtime,
					"The state '%s' is not mocked in test case '%s' of state machine '%s', and no local handler serves its resource '%s'. Mock it in the mock config, or serve the resource with --handlers or --lambda-endpoint.",
					call.StateName, inv.tc.Name, inv.tc.Machine, call.Resource)
			}
			return fallback(ctx, call)
		}
		switch {
		case r.Throw != nil:
			return nil, failure.New(r.Throw.Name, r.Throw.Cause)
		case r.Wait:
			if !strings.HasSuffix(call.Resource, ".waitForTaskToken") {
				return nil, failure.Newf(failure.Runtime,
					"The mock of state '%s' says \"WaitForCallback\": true, but its resource '%s' is not a .waitForTaskToken integration, so nothing could answer it.",
					call.StateName, call.Resource)
			}
			return nil, &engine.CallbackWait{Output: r.Return, Token: call.Token}
		}
		return r.Return, nil
	}
}
