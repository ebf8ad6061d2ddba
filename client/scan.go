package client

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

// CallbackScan finds the tasks waiting on a token across an account, at a cost that
// does not grow with the machines that cannot wait on one. It is incremental and is
// driven one Step at a time by its caller, never two at once:
//
//   - the machines are listed once, and again every RelistEvery for new ones;
//   - each machine is described once (DescribeStateMachine; a definition is parsed once
//     per revision) to learn whether it can wait on a token at all: a .waitForTaskToken
//     resource or an activity;
//   - only those machines are scanned: ListExecutions(RUNNING), then each running
//     execution's history through its own Follower, so a history is read once and then
//     only its new events;
//   - each machine is scanned on its own cadence: soon after something changed, less
//     and less often while nothing does;
//   - an error on one machine is kept on that machine, and every other callback still
//     shows.
type CallbackScan struct {
	api  API
	opts ScanOptions

	mu       sync.Mutex // guards what the workers of one step share
	machines []string
	listedAt time.Time
	listed   bool
	info     map[string]*machineInfo // by machine ARN
	parsed   map[string]*asl.Definition
	running  map[string]*runningExec  // by execution ARN
	cached   map[string]cachedMachine // what the cache file holds, kept up to date
	unsaved  bool                     // cached changed since the file was written
}

// ScanOptions tune a CallbackScan; the zero value suits AWS.
type ScanOptions struct {
	// StateMachineArns limits the scan to these machines (no listing); empty: all.
	StateMachineArns []string
	// RelistEvery is how often the machines are listed again for new ones (5 min).
	RelistEvery time.Duration
	// MinInterval and MaxInterval bound how often one machine is scanned: MinInterval
	// after a change, stretching by half while nothing changes, up to MaxInterval
	// (defaults 5 s and 60 s).
	MinInterval, MaxInterval time.Duration
	// Workers is how many calls one step makes at once (default 8); the request budget
	// paces them in any case.
	Workers int
	// Slice bounds the time one step spends describing machines (default 2 s), so a
	// first scan of hundreds of machines shows its progress and what it found so far.
	Slice time.Duration
	// Now is the clock (tests fix it).
	Now func() time.Time
	// Cache, if set, keeps what was learned of the definitions between runs.
	Cache *ScanCache
}

func (o *ScanOptions) defaults() {
	if o.RelistEvery <= 0 {
		o.RelistEvery = 5 * time.Minute
	}
	if o.MinInterval <= 0 {
		o.MinInterval = 5 * time.Second
	}
	if o.MaxInterval < o.MinInterval {
		o.MaxInterval = max(60*time.Second, o.MinInterval)
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.Slice <= 0 {
		o.Slice = 2 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

type machineInfo struct {
	described bool
	def       *asl.Definition
	canWait   bool
	err       error // the last error of this machine, shown on its row
	due       time.Time
	interval  time.Duration
}

type runningExec struct {
	machine  string
	name     string
	f        *Follower
	events   []types.HistoryEvent
	due      time.Time // when its history is next read
	interval time.Duration
}

// tokenRouter is an API over several backends (Multi), told where a token was found.
type tokenRouter interface {
	RememberToken(token, executionArn string)
}

// MachineError is an error met on one machine.
type MachineError struct {
	StateMachineArn string
	Err             error
}

// ScanResult is what a scan knows after a step.
type ScanResult struct {
	Callbacks []PendingCallback
	Errors    []MachineError
	// Machines is how many machines there are, Described how many of them were read
	// so far, CanWait how many of those can wait on a token.
	Machines, Described, CanWait int
	// Running is the running executions of those machines being followed.
	Running int
	// Complete: every machine has been described (and each that can wait scanned).
	Complete bool
	// Next is when the next step has something to do.
	Next time.Duration
}

// Progress is a line for the screen: "scanned 40 of 212 machines".
func (r ScanResult) Progress() string {
	if r.Complete {
		return fmt.Sprintf("%d machines, %d can wait on a token, %d running executions of them followed",
			r.Machines, r.CanWait, r.Running)
	}
	return fmt.Sprintf("scanned %d of %d machines…", r.Described, r.Machines)
}

// NewCallbackScan returns a scan over api.
func NewCallbackScan(api API, o ScanOptions) *CallbackScan {
	o.defaults()
	s := &CallbackScan{api: api, opts: o, info: map[string]*machineInfo{}, parsed: map[string]*asl.Definition{},
		running: map[string]*runningExec{}}
	if len(o.StateMachineArns) > 0 {
		s.machines, s.listed = append([]string(nil), o.StateMachineArns...), true
		s.listedAt = o.Now()
	}
	if o.Cache != nil {
		s.cached = o.Cache.load(o.Now())
		for arn, m := range s.cached {
			in := s.infoOf(arn)
			in.canWait = m.CanWait
			if m.CanWait {
				if in.def, in.err = s.parse(m.Revision, m.Definition); in.err != nil {
					continue // read it again
				}
			}
			in.described = true
		}
	}
	return s
}

// Rescan forgets what the scan has read of definitions and when machines are due, so
// the next step reads everything again (r on the screen).
func (s *CallbackScan) Rescan() {
	if len(s.opts.StateMachineArns) == 0 {
		s.listed = false
	}
	s.info = map[string]*machineInfo{}
	s.cached = map[string]cachedMachine{}
}

// Due makes a machine's turn come at the next step (a callback of it was answered).
func (s *CallbackScan) Due(machineArn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in := s.info[machineArn]; in != nil {
		in.due, in.interval = time.Time{}, s.opts.MinInterval
	}
	for _, r := range s.running {
		if r.machine == machineArn {
			r.due, r.interval = time.Time{}, s.opts.MinInterval
		}
	}
}

// Step does what is due: listing, describing (for at most Slice), and scanning the
// machines that can wait whose turn it is. The error is returned only when the
// machines cannot be listed at all; errors on single machines are in the result.
func (s *CallbackScan) Step(ctx context.Context) (ScanResult, error) {
	now := s.opts.Now()
	if !s.listed || now.Sub(s.listedAt) >= s.opts.RelistEvery {
		if err := s.list(ctx); err != nil {
			return s.result(), err
		}
	}
	s.describe(ctx)
	s.scanDue(ctx)
	return s.result(), nil
}

func (s *CallbackScan) list(ctx context.Context) error {
	var arns []string
	var express []string
	p := sfn.NewListStateMachinesPaginator(s.api, &sfn.ListStateMachinesInput{MaxResults: 1000})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("listing state machines: %w", err)
		}
		for _, m := range page.StateMachines {
			arns = append(arns, aws.ToString(m.StateMachineArn))
			if m.Type == types.StateMachineTypeExpress {
				express = append(express, aws.ToString(m.StateMachineArn))
			}
		}
	}
	// Express workflows support neither .waitForTaskToken nor activities: nothing to
	// describe there.
	s.mu.Lock()
	for _, m := range express {
		if in := s.infoOf(m); !in.described {
			in.described, in.canWait = true, false
		}
	}
	s.mu.Unlock()
	s.machines, s.listed, s.listedAt = arns, true, s.opts.Now()
	keep := make(map[string]bool, len(arns))
	for _, a := range arns {
		keep[a] = true
	}
	for a := range s.info {
		if !keep[a] {
			delete(s.info, a)
		}
	}
	for a := range s.cached {
		if !keep[a] {
			delete(s.cached, a)
			s.unsaved = true
		}
	}
	return nil
}

// parallel runs do over items with the scan's workers, stopping early when stop says so.
func (s *CallbackScan) parallel(items []string, stop func() bool, do func(string)) {
	work := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < s.opts.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				do(it)
			}
		}()
	}
	for _, it := range items {
		if stop() {
			break
		}
		work <- it
	}
	close(work)
	wg.Wait()
}

// describe reads the definitions not read yet, for at most one time slice.
func (s *CallbackScan) describe(ctx context.Context) {
	var todo []string
	for _, m := range s.machines {
		if in := s.info[m]; in == nil || !in.described {
			todo = append(todo, m)
		}
	}
	if len(todo) == 0 {
		return
	}
	until := s.opts.Now().Add(s.opts.Slice)
	s.parallel(todo, func() bool { return ctx.Err() != nil || s.opts.Now().After(until) }, func(m string) {
		out, err := s.api.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(m)})
		if ctx.Err() != nil {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		in := s.infoOf(m)
		if err != nil {
			in.err = fmt.Errorf("reading the definition: %w", err)
			in.described = true // shown on its row; r reads it again
			return
		}
		def, perr := s.parse(aws.ToString(out.RevisionId), aws.ToString(out.Definition))
		in.described, in.def, in.err = true, def, perr
		in.canWait = def != nil && canWaitOnToken(def)
		if s.opts.Cache != nil && perr == nil {
			c := cachedMachine{CanWait: in.canWait, Revision: aws.ToString(out.RevisionId), Read: s.opts.Now()}
			if in.canWait {
				c.Definition = aws.ToString(out.Definition)
			}
			if s.cached == nil {
				s.cached = map[string]cachedMachine{}
			}
			s.cached[m] = c
			s.unsaved = true
		}
	})
	if s.unsaved {
		// Best effort: a cache that cannot be written only makes the next open slower.
		if s.opts.Cache.save(s.cached) == nil {
			s.unsaved = false
		}
	}
}

func (s *CallbackScan) infoOf(m string) *machineInfo {
	in := s.info[m]
	if in == nil {
		in = &machineInfo{interval: s.opts.MinInterval}
		s.info[m] = in
	}
	return in
}

// parse parses a definition once per revision (the text itself keys a definition with
// no revision id, as some endpoints give).
func (s *CallbackScan) parse(revision, text string) (*asl.Definition, error) {
	key := revision + "\x00" + text
	if revision != "" {
		key = revision
	}
	if d := s.parsed[key]; d != nil {
		return d, nil
	}
	d, err := asl.Parse([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("the definition does not parse: %w", err)
	}
	s.parsed[key] = d
	return d, nil
}

// canWaitOnToken reports whether a definition has a state that waits on a task token:
// a .waitForTaskToken integration or an activity, at any depth.
func canWaitOnToken(def *asl.Definition) bool {
	for _, t := range callbackTasks(def) {
		if t.waits || t.activity {
			return true
		}
	}
	return false
}

// scanDue scans the machines that can wait whose turn has come (their running
// executions), then reads the histories whose turn has come, all on the workers at
// once: a machine with a hundred running executions does not hold up the others.
func (s *CallbackScan) scanDue(ctx context.Context) {
	now := s.opts.Now()
	var due []string
	for _, m := range s.machines {
		if in := s.info[m]; in != nil && in.canWait && !now.Before(in.due) {
			due = append(due, m)
		}
	}
	changedMachines := map[string]bool{}
	var mu sync.Mutex
	s.parallel(due, func() bool { return ctx.Err() != nil }, func(m string) {
		if s.listRunning(ctx, m) {
			mu.Lock()
			changedMachines[m] = true
			mu.Unlock()
		}
	})
	var execs []string
	s.mu.Lock()
	for arn, x := range s.running {
		if !now.Before(x.due) {
			execs = append(execs, arn)
		}
	}
	s.mu.Unlock()
	sort.Strings(execs)
	s.parallel(execs, func() bool { return ctx.Err() != nil }, func(arn string) {
		if m, changed := s.readHistory(ctx, arn); changed {
			mu.Lock()
			changedMachines[m] = true
			mu.Unlock()
		}
	})
	if ctx.Err() != nil {
		return
	}
	// A machine slows down while neither its executions nor their histories change.
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range due {
		in := s.infoOf(m)
		switch {
		case changedMachines[m] || in.err != nil:
			in.interval = s.opts.MinInterval
		default:
			in.interval = min(in.interval+in.interval/2, s.opts.MaxInterval)
		}
		in.due = s.opts.Now().Add(in.interval)
	}
}

// listRunning reads a machine's running executions: new ones are followed from their
// first event, ended ones dropped. It reports whether the set changed.
func (s *CallbackScan) listRunning(ctx context.Context, m string) bool {
	var execs []types.ExecutionListItem
	p := sfn.NewListExecutionsPaginator(s.api, &sfn.ListExecutionsInput{StateMachineArn: aws.String(m),
		StatusFilter: types.ExecutionStatusRunning, MaxResults: 1000})
	var err error
	for p.HasMorePages() {
		var page *sfn.ListExecutionsOutput
		if page, err = p.NextPage(ctx); err != nil {
			err = fmt.Errorf("listing its running executions: %w", err)
			break
		}
		execs = append(execs, page.Executions...)
	}
	if ctx.Err() != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.infoOf(m)
	in.err = err
	if err != nil {
		return false
	}
	changed := false
	live := map[string]bool{}
	for _, x := range execs {
		arn := aws.ToString(x.ExecutionArn)
		live[arn] = true
		if s.running[arn] == nil {
			s.running[arn] = &runningExec{machine: m, name: aws.ToString(x.Name),
				f: NewFollower(s.api, arn, FollowOptions{NoEndCheck: true}), interval: s.opts.MinInterval}
			changed = true
		}
	}
	for arn, r := range s.running {
		if r.machine == m && !live[arn] {
			delete(s.running, arn)
			changed = true
		}
	}
	return changed
}

// readHistory reads what is new in one running execution's history. An execution
// whose history does not change is read less and less often (up to execMaxFactor times
// the machines' longest interval); its machine's listing still notices when it ends.
func (s *CallbackScan) readHistory(ctx context.Context, arn string) (machine string, changed bool) {
	s.mu.Lock()
	r := s.running[arn]
	s.mu.Unlock()
	if r == nil {
		return "", false
	}
	var err error
	// Pages follow at once; one poll of the tail is enough for this turn.
	for i := 0; i < 30; i++ {
		p, perr := r.f.Poll(ctx)
		if perr == nil && p.Retry != nil {
			perr = p.Retry
		}
		if perr != nil {
			err = perr
			break
		}
		if len(p.Events) > 0 {
			r.events = append(r.events, p.Events...)
			changed = true
		}
		if p.Done || p.Wait > 0 {
			break
		}
	}
	if ctx.Err() != nil {
		return r.machine, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		if in := s.infoOf(r.machine); in.err == nil {
			in.err = fmt.Errorf("reading the history of %s: %w", r.name, err)
		}
	}
	switch {
	case changed || err != nil:
		r.interval = s.opts.MinInterval
	default:
		r.interval = min(r.interval+r.interval/2, execMaxFactor*s.opts.MaxInterval)
	}
	r.due = s.opts.Now().Add(r.interval)
	return r.machine, changed
}

// execMaxFactor bounds how much more slowly than a machine an unchanging execution's
// history is read.
const execMaxFactor = 3

func (s *CallbackScan) result() ScanResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := ScanResult{Machines: len(s.machines), Running: len(s.running)}
	next := time.Duration(-1)
	now := s.opts.Now()
	for _, m := range s.machines {
		in := s.info[m]
		if in == nil || !in.described {
			continue
		}
		r.Described++
		if in.err != nil {
			r.Errors = append(r.Errors, MachineError{StateMachineArn: m, Err: in.err})
		}
		if in.canWait {
			r.CanWait++
			if d := in.due.Sub(now); next < 0 || d < next {
				next = d
			}
		}
	}
	for _, x := range s.running {
		if d := x.due.Sub(now); next < 0 || d < next {
			next = d
		}
	}
	r.Complete = r.Described == r.Machines
	switch {
	case !r.Complete:
		r.Next = 0
	case next < 0:
		r.Next = s.opts.MaxInterval
	default:
		r.Next = max(next, 0)
	}
	for arn, x := range s.running {
		in := s.info[x.machine]
		if in == nil || in.def == nil {
			continue
		}
		for _, cb := range CallbacksInHistory(in.def, arn, x.events) {
			cb.StateMachineArn = x.machine
			if tr, ok := s.api.(tokenRouter); ok && cb.Token != "" {
				tr.RememberToken(cb.Token, arn)
			}
			r.Callbacks = append(r.Callbacks, cb)
		}
	}
	sort.Slice(r.Callbacks, func(i, j int) bool {
		a, b := r.Callbacks[i], r.Callbacks[j]
		if !a.Scheduled.Equal(b.Scheduled) {
			return a.Scheduled.Before(b.Scheduled)
		}
		if a.ExecutionArn != b.ExecutionArn {
			return a.ExecutionArn < b.ExecutionArn
		}
		return a.ScheduledEventID < b.ScheduledEventID
	})
	return r
}

// PendingCallbacks lists the tasks waiting on a token across running executions, in
// one whole scan (the screen keeps a CallbackScan instead, to read only what is new).
// Errors on single machines are joined into the error, after what was found.
func PendingCallbacks(ctx context.Context, api API, o CallbackOptions) ([]PendingCallback, error) {
	s := NewCallbackScan(api, ScanOptions{StateMachineArns: o.StateMachineArns})
	var r ScanResult
	var err error
	for !r.Complete {
		if r, err = s.Step(ctx); err != nil {
			return nil, err
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	var errs []error
	for _, e := range r.Errors {
		errs = append(errs, fmt.Errorf("%s: %w", e.StateMachineArn, e.Err))
	}
	cbs := r.Callbacks
	if o.MaxExecutions > 0 {
		cbs = firstExecutions(cbs, o.MaxExecutions)
	}
	return cbs, errors.Join(errs...)
}

// firstExecutions keeps the callbacks of the first n executions.
func firstExecutions(cbs []PendingCallback, n int) []PendingCallback {
	seen := map[string]bool{}
	var out []PendingCallback
	for _, cb := range cbs {
		if !seen[cb.ExecutionArn] && len(seen) == n {
			continue
		}
		seen[cb.ExecutionArn] = true
		out = append(out, cb)
	}
	return out
}

// MachineName is the name in a state machine ARN.
func MachineName(arn string) string {
	if i := strings.LastIndexByte(arn, ':'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}
