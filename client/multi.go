package client

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// Named is one backend of a Multi: a context of the configuration file.
type Named struct {
	Name string
	API  API
}

// Multi shows several backends (accounts, regions, endpoints) as one: state machines
// and activities are listed from all of them, and every other call goes to the backend
// the ARN it names came from, so a screen opened on any of them works as it would on
// that backend alone. Each backend keeps its own request budget; an error listing one
// is kept for that backend (ContextErrors) while the others' rows still show.
type Multi struct {
	ctxs []Named

	mu     sync.Mutex
	owner  map[string]int // ARN (machine, execution, activity) or task token -> backend
	errors map[string]error
}

var _ API = (*Multi)(nil)

// NewMulti returns a Multi over ctxs, in the order given.
func NewMulti(ctxs []Named) *Multi {
	return &Multi{ctxs: ctxs, owner: map[string]int{}, errors: map[string]error{}}
}

// Contexts are the backends, in order.
func (m *Multi) Contexts() []Named { return m.ctxs }

// ContextOf names the backend an ARN came from ("" when it is not known yet).
func (m *Multi) ContextOf(arn string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if i, ok := m.lookup(arn); ok {
		return m.ctxs[i].Name
	}
	return ""
}

// ContextErrors are the errors of the last listing, by backend name.
func (m *Multi) ContextErrors() map[string]error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.errors)
}

// lookup finds the backend of an ARN: itself, or the machine or activity it belongs
// to (an execution's ARN names its machine; a version or alias ARN extends its
// machine's).
func (m *Multi) lookup(arn string) (int, bool) {
	if i, ok := m.owner[arn]; ok {
		return i, true
	}
	if machine := machineOfARN(arn); machine != "" {
		if i, ok := m.owner[machine]; ok {
			return i, true
		}
	}
	return 0, false
}

// machineOfARN is the state machine ARN of an execution, version, alias or map run ARN.
func machineOfARN(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) < 7 {
		return ""
	}
	switch parts[5] {
	case "execution", "express", "mapRun":
		parts[5] = "stateMachine"
		return strings.Join(parts[:7], ":")
	case "stateMachine":
		return strings.Join(parts[:7], ":")
	}
	return ""
}

func (m *Multi) learn(arn string, i int) {
	if arn == "" {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, known := m.owner[arn]; !known {
		m.owner[arn] = i
	}
}

// route is the backend for an ARN; one not seen in a listing is asked of each backend
// in turn until one knows it.
func (m *Multi) route(arn string) (API, int, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if i, ok := m.lookup(arn); ok {
		return m.ctxs[i].API, i, true
	}
	return nil, -1, false
}

// byARN calls do on the backend of arn; for an ARN not seen yet, on each backend until
// one answers with something other than "does not exist".
func byARN[T any](m *Multi, arn string, do func(API) (T, error)) (T, error) {
	if api, _, ok := m.route(arn); ok {
		return do(api)
	}
	var zero T
	var last error
	for i, c := range m.ctxs {
		out, err := do(c.API)
		if err == nil {
			m.learn(arn, i)
			return out, nil
		}
		last = err
		if !notHere(err) {
			return zero, fmt.Errorf("%s: %w", c.Name, err)
		}
	}
	if last == nil {
		last = errors.New("no backend")
	}
	return zero, last
}

// notHere reports an error that says the thing is in another backend.
func notHere(err error) bool {
	var a *types.ExecutionDoesNotExist
	var b *types.StateMachineDoesNotExist
	var c *types.ActivityDoesNotExist
	var d *types.InvalidArn
	var e *types.ResourceNotFound
	var t *types.InvalidToken
	var u *types.TaskDoesNotExist
	return errors.As(err, &a) || errors.As(err, &b) || errors.As(err, &c) || errors.As(err, &d) ||
		errors.As(err, &e) || errors.As(err, &t) || errors.As(err, &u)
}

// multiToken is the position in each backend's listing, as a nextToken.
type multiToken map[string]string

func decodeToken(tok *string) (multiToken, error) {
	if tok == nil {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*tok)
	var t multiToken
	if err == nil {
		err = json.Unmarshal(b, &t)
	}
	if err != nil {
		return nil, &types.InvalidToken{Message: aws.String("not a token of this listing")}
	}
	return t, nil
}

func encodeToken(t multiToken) *string {
	if len(t) == 0 {
		return nil
	}
	b, _ := json.Marshal(t)
	return aws.String(base64.RawURLEncoding.EncodeToString(b))
}

// fanOut lists from every backend still to be read (all on the first page, those with a
// token after), at once, keeping each backend's error for it.
func fanOut[T any](ctx context.Context, m *Multi, token *string, list func(API, *string) (T, *string, error)) ([]T, *string, error) {
	pos, err := decodeToken(token)
	if err != nil {
		return nil, nil, err
	}
	outs := make([]T, len(m.ctxs))
	nexts := make([]*string, len(m.ctxs))
	errs := make([]error, len(m.ctxs))
	asked := make([]bool, len(m.ctxs))
	var wg sync.WaitGroup
	for i, c := range m.ctxs {
		var from *string
		if pos != nil {
			t, more := pos[c.Name]
			if !more {
				continue
			}
			from = aws.String(t)
		}
		asked[i] = true
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], nexts[i], errs[i] = list(c.API, from)
		}()
	}
	wg.Wait()
	next := multiToken{}
	var got []T
	failed := 0
	m.mu.Lock()
	for i, c := range m.ctxs {
		if !asked[i] {
			continue
		}
		if errs[i] != nil {
			m.errors[c.Name] = errs[i]
			failed++
			continue
		}
		delete(m.errors, c.Name)
		got = append(got, outs[i])
		if nexts[i] != nil {
			next[c.Name] = *nexts[i]
		}
	}
	m.mu.Unlock()
	if failed > 0 && len(got) == 0 {
		// Nothing to show: say why (the first backend's error).
		for i, c := range m.ctxs {
			if errs[i] != nil {
				return nil, nil, fmt.Errorf("%s: %w", c.Name, errs[i])
			}
		}
	}
	return got, encodeToken(next), nil
}

func (m *Multi) ListStateMachines(ctx context.Context, in *sfn.ListStateMachinesInput, optFns ...func(*sfn.Options)) (*sfn.ListStateMachinesOutput, error) {
	type page struct {
		items []types.StateMachineListItem
		i     int
	}
	index := map[API]int{}
	for i, c := range m.ctxs {
		index[c.API] = i
	}
	pages, next, err := fanOut(ctx, m, in.NextToken, func(api API, tok *string) (page, *string, error) {
		cp := *in
		cp.NextToken = tok
		out, err := api.ListStateMachines(ctx, &cp, optFns...)
		if err != nil {
			return page{}, nil, err
		}
		return page{out.StateMachines, index[api]}, out.NextToken, nil
	})
	if err != nil {
		return nil, err
	}
	out := &sfn.ListStateMachinesOutput{NextToken: next}
	for _, p := range pages {
		for _, sm := range p.items {
			m.learn(aws.ToString(sm.StateMachineArn), p.i)
		}
		out.StateMachines = append(out.StateMachines, p.items...)
	}
	return out, nil
}

func (m *Multi) ListActivities(ctx context.Context, in *sfn.ListActivitiesInput, optFns ...func(*sfn.Options)) (*sfn.ListActivitiesOutput, error) {
	type page struct {
		items []types.ActivityListItem
		api   API
	}
	pages, next, err := fanOut(ctx, m, in.NextToken, func(api API, tok *string) (page, *string, error) {
		cp := *in
		cp.NextToken = tok
		out, err := api.ListActivities(ctx, &cp, optFns...)
		if err != nil {
			return page{}, nil, err
		}
		return page{out.Activities, api}, out.NextToken, nil
	})
	if err != nil {
		return nil, err
	}
	out := &sfn.ListActivitiesOutput{NextToken: next}
	for _, p := range pages {
		for i, c := range m.ctxs {
			if c.API == p.api {
				for _, a := range p.items {
					m.learn(aws.ToString(a.ActivityArn), i)
				}
			}
		}
		out.Activities = append(out.Activities, p.items...)
	}
	return out, nil
}

func (m *Multi) DescribeStateMachine(ctx context.Context, in *sfn.DescribeStateMachineInput, optFns ...func(*sfn.Options)) (*sfn.DescribeStateMachineOutput, error) {
	return byARN(m, aws.ToString(in.StateMachineArn), func(a API) (*sfn.DescribeStateMachineOutput, error) {
		return a.DescribeStateMachine(ctx, in, optFns...)
	})
}

// CreateStateMachine creates in the first backend: a Multi is for looking across
// accounts; creating belongs to one of them (switch with :context).
func (m *Multi) CreateStateMachine(ctx context.Context, in *sfn.CreateStateMachineInput, optFns ...func(*sfn.Options)) (*sfn.CreateStateMachineOutput, error) {
	out, err := m.ctxs[0].API.CreateStateMachine(ctx, in, optFns...)
	if err == nil {
		m.learn(aws.ToString(out.StateMachineArn), 0)
	}
	return out, err
}

func (m *Multi) UpdateStateMachine(ctx context.Context, in *sfn.UpdateStateMachineInput, optFns ...func(*sfn.Options)) (*sfn.UpdateStateMachineOutput, error) {
	return byARN(m, aws.ToString(in.StateMachineArn), func(a API) (*sfn.UpdateStateMachineOutput, error) {
		return a.UpdateStateMachine(ctx, in, optFns...)
	})
}

func (m *Multi) DeleteStateMachine(ctx context.Context, in *sfn.DeleteStateMachineInput, optFns ...func(*sfn.Options)) (*sfn.DeleteStateMachineOutput, error) {
	return byARN(m, aws.ToString(in.StateMachineArn), func(a API) (*sfn.DeleteStateMachineOutput, error) {
		return a.DeleteStateMachine(ctx, in, optFns...)
	})
}

func (m *Multi) ValidateStateMachineDefinition(ctx context.Context, in *sfn.ValidateStateMachineDefinitionInput, optFns ...func(*sfn.Options)) (*sfn.ValidateStateMachineDefinitionOutput, error) {
	return m.ctxs[0].API.ValidateStateMachineDefinition(ctx, in, optFns...)
}

func (m *Multi) StartExecution(ctx context.Context, in *sfn.StartExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	return byARN(m, aws.ToString(in.StateMachineArn), func(a API) (*sfn.StartExecutionOutput, error) {
		return a.StartExecution(ctx, in, optFns...)
	})
}

func (m *Multi) StartSyncExecution(ctx context.Context, in *sfn.StartSyncExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StartSyncExecutionOutput, error) {
	return byARN(m, aws.ToString(in.StateMachineArn), func(a API) (*sfn.StartSyncExecutionOutput, error) {
		return a.StartSyncExecution(ctx, in, optFns...)
	})
}

func (m *Multi) StopExecution(ctx context.Context, in *sfn.StopExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StopExecutionOutput, error) {
	return byARN(m, aws.ToString(in.ExecutionArn), func(a API) (*sfn.StopExecutionOutput, error) {
		return a.StopExecution(ctx, in, optFns...)
	})
}

func (m *Multi) DescribeExecution(ctx context.Context, in *sfn.DescribeExecutionInput, optFns ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	return byARN(m, aws.ToString(in.ExecutionArn), func(a API) (*sfn.DescribeExecutionOutput, error) {
		return a.DescribeExecution(ctx, in, optFns...)
	})
}

func (m *Multi) ListExecutions(ctx context.Context, in *sfn.ListExecutionsInput, optFns ...func(*sfn.Options)) (*sfn.ListExecutionsOutput, error) {
	arn := aws.ToString(in.StateMachineArn)
	if arn == "" {
		arn = aws.ToString(in.MapRunArn)
	}
	return byARN(m, arn, func(a API) (*sfn.ListExecutionsOutput, error) {
		return a.ListExecutions(ctx, in, optFns...)
	})
}

func (m *Multi) DescribeStateMachineForExecution(ctx context.Context, in *sfn.DescribeStateMachineForExecutionInput, optFns ...func(*sfn.Options)) (*sfn.DescribeStateMachineForExecutionOutput, error) {
	return byARN(m, aws.ToString(in.ExecutionArn), func(a API) (*sfn.DescribeStateMachineForExecutionOutput, error) {
		return a.DescribeStateMachineForExecution(ctx, in, optFns...)
	})
}

func (m *Multi) GetExecutionHistory(ctx context.Context, in *sfn.GetExecutionHistoryInput, optFns ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error) {
	return byARN(m, aws.ToString(in.ExecutionArn), func(a API) (*sfn.GetExecutionHistoryOutput, error) {
		return a.GetExecutionHistory(ctx, in, optFns...)
	})
}

// RememberToken says which backend a task token was found in (the callbacks scan reads
// it in that backend's history), so answering it goes there at once.
func (m *Multi) RememberToken(token, executionArn string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if i, ok := m.lookup(executionArn); ok {
		m.owner[token] = i
	}
}

func (m *Multi) SendTaskSuccess(ctx context.Context, in *sfn.SendTaskSuccessInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error) {
	return byARN(m, aws.ToString(in.TaskToken), func(a API) (*sfn.SendTaskSuccessOutput, error) {
		return a.SendTaskSuccess(ctx, in, optFns...)
	})
}

func (m *Multi) SendTaskFailure(ctx context.Context, in *sfn.SendTaskFailureInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskFailureOutput, error) {
	return byARN(m, aws.ToString(in.TaskToken), func(a API) (*sfn.SendTaskFailureOutput, error) {
		return a.SendTaskFailure(ctx, in, optFns...)
	})
}

func (m *Multi) SendTaskHeartbeat(ctx context.Context, in *sfn.SendTaskHeartbeatInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskHeartbeatOutput, error) {
	return byARN(m, aws.ToString(in.TaskToken), func(a API) (*sfn.SendTaskHeartbeatOutput, error) {
		return a.SendTaskHeartbeat(ctx, in, optFns...)
	})
}

func (m *Multi) CreateActivity(ctx context.Context, in *sfn.CreateActivityInput, optFns ...func(*sfn.Options)) (*sfn.CreateActivityOutput, error) {
	return m.ctxs[0].API.CreateActivity(ctx, in, optFns...)
}

func (m *Multi) DescribeActivity(ctx context.Context, in *sfn.DescribeActivityInput, optFns ...func(*sfn.Options)) (*sfn.DescribeActivityOutput, error) {
	return byARN(m, aws.ToString(in.ActivityArn), func(a API) (*sfn.DescribeActivityOutput, error) {
		return a.DescribeActivity(ctx, in, optFns...)
	})
}

func (m *Multi) DeleteActivity(ctx context.Context, in *sfn.DeleteActivityInput, optFns ...func(*sfn.Options)) (*sfn.DeleteActivityOutput, error) {
	return byARN(m, aws.ToString(in.ActivityArn), func(a API) (*sfn.DeleteActivityOutput, error) {
		return a.DeleteActivity(ctx, in, optFns...)
	})
}

func (m *Multi) GetActivityTask(ctx context.Context, in *sfn.GetActivityTaskInput, optFns ...func(*sfn.Options)) (*sfn.GetActivityTaskOutput, error) {
	i, ok := 0, false
	m.mu.Lock()
	i, ok = m.lookup(aws.ToString(in.ActivityArn))
	m.mu.Unlock()
	if !ok {
		return nil, &types.ActivityDoesNotExist{Message: aws.String("list the activities first: " + aws.ToString(in.ActivityArn))}
	}
	out, err := m.ctxs[i].API.GetActivityTask(ctx, in, optFns...)
	if err == nil && out.TaskToken != nil {
		m.learn(*out.TaskToken, i)
	}
	return out, err
}

// RedriveExecution goes to the execution's backend when that backend can redrive.
func (m *Multi) RedriveExecution(ctx context.Context, in *sfn.RedriveExecutionInput, optFns ...func(*sfn.Options)) (*sfn.RedriveExecutionOutput, error) {
	return byARN(m, aws.ToString(in.ExecutionArn), func(a API) (*sfn.RedriveExecutionOutput, error) {
		r, ok := a.(RedriveAPI)
		if !ok {
			return nil, errors.New("this backend cannot redrive")
		}
		return r.RedriveExecution(ctx, in, optFns...)
	})
}
