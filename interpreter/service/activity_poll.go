package service

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Activity tasks and the workers that poll for them meet on the loop: a task nobody
// polls for waits in its activity's queue, a worker no task is there for waits in its
// poller queue, and whichever comes second takes the first of the other. Neither holds
// a goroutine of the loop.

// DefaultActivityPoll is how long GetActivityTask waits for a task, as on AWS.
const DefaultActivityPoll = 60 * time.Second

// activityTask is a scheduled activity task no worker has taken yet.
type activityTask struct {
	exec  string
	frame int
	seq   uint64
	token string
	input value.Value
}

// poller is a GetActivityTask call waiting for a task.
type poller struct {
	worker string
	got    chan *sfn.GetActivityTaskOutput // buffered: the loop never waits on it
	handed bool                            // set on the loop when a task went to it
}

// activityQueues is owned by the loop.
type activityQueues struct {
	tasks   map[string][]activityTask
	pollers map[string][]*poller
}

// offerActivity hands a newly scheduled task to the first waiting worker, or queues it.
func (s *Service) offerActivity(b *batch, activity string, t activityTask) {
	if !s.activityWanted(t) {
		return
	}
	q := &s.actQueues
	if list := q.pollers[activity]; len(list) > 0 {
		p := list[0]
		s.dropPoller(activity, p)
		b.undo(func() { s.returnPoller(activity, p) })
		s.handActivity(b, p, t)
		return
	}
	if q.tasks == nil {
		q.tasks = map[string][]activityTask{}
	}
	q.tasks[activity] = append(q.tasks[activity], t)
	b.undo(func() { s.dropTask(activity, t.token) })
}

// returnPoller puts a poller back at the head of its line (undoing a hand-over).
func (s *Service) returnPoller(activity string, p *poller) {
	q := &s.actQueues
	for _, x := range q.pollers[activity] {
		if x == p {
			return
		}
	}
	if q.pollers == nil {
		q.pollers = map[string][]*poller{}
	}
	q.pollers[activity] = append([]*poller{p}, q.pollers[activity]...)
}

// returnTask puts a task back at the head of its activity's queue (undoing a take).
func (s *Service) returnTask(activity string, t activityTask) {
	q := &s.actQueues
	if q.tasks == nil {
		q.tasks = map[string][]activityTask{}
	}
	q.tasks[activity] = append([]activityTask{t}, q.tasks[activity]...)
}

// dropTask removes a queued task (undoing an offer).
func (s *Service) dropTask(activity, token string) {
	q := &s.actQueues
	list := q.tasks[activity]
	for i, x := range list {
		if x.token == token {
			q.tasks[activity] = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(q.tasks[activity]) == 0 {
		delete(q.tasks, activity)
	}
}

// activityWanted reports whether a queued task still waits for a worker: it may have
// timed out or its execution stopped meanwhile.
func (s *Service) activityWanted(t activityTask) bool {
	le := s.live[t.exec]
	tok := s.tokens[t.token]
	if le == nil || tok == nil || tok.Closed {
		return false
	}
	f := le.x.Frame(t.frame)
	return f != nil && f.Seq == t.seq && f.Phase == engine.PhaseTask && !f.Submitted
}

// takeActivity gives a worker the oldest task of an activity that is still wanted.
func (s *Service) takeActivity(b *batch, activity string, p *poller) bool {
	q := &s.actQueues
	for len(q.tasks[activity]) > 0 {
		t := q.tasks[activity][0]
		q.tasks[activity] = q.tasks[activity][1:]
		if len(q.tasks[activity]) == 0 {
			delete(q.tasks, activity)
		}
		b.undo(func() { s.returnTask(activity, t) })
		if s.handActivity(b, p, t) {
			return true
		}
	}
	return false
}

// handActivity records that a worker took a task and answers the worker once that is
// stored. It returns false for a task that ended while it waited.
func (s *Service) handActivity(b *batch, p *poller, t activityTask) bool {
	if !s.activityWanted(t) {
		return false
	}
	le := s.live[t.exec]
	s.apply(b, le, le.x.Advance(engine.Input{Kind: engine.InputActivityStarted, Frame: t.frame, Seq: t.seq, Worker: p.worker}, s.clock.Now()))
	out := &sfn.GetActivityTaskOutput{TaskToken: aws.String(t.token), Input: aws.String(value.String(t.input))}
	p.handed = true
	b.undo(func() { p.handed = false })
	b.thenFor(le, func() { p.got <- out })
	return true
}

func (s *Service) dropPoller(activity string, p *poller) {
	q := &s.actQueues
	list := q.pollers[activity]
	for i, x := range list {
		if x == p {
			q.pollers[activity] = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(q.pollers[activity]) == 0 {
		delete(q.pollers, activity)
	}
}

// Drain ends every GetActivityTask that waits for a task, answering it empty as a long
// poll that ends without a task does, and answers later ones empty at once. A server
// calls it as it shuts down, so that its pollers get an answer rather than a cut
// connection.
func (s *Service) Drain() { s.drainOnce.Do(func() { close(s.draining) }) }

// GetActivityTask waits up to a minute for a task of an activity. With none, it returns
// an output whose token and input are nil, as AWS does.
func (s *Service) GetActivityTask(ctx context.Context, in *sfn.GetActivityTaskInput, _ ...func(*sfn.Options)) (*sfn.GetActivityTaskOutput, error) {
	a, err := activityArn(aws.ToString(in.ActivityArn))
	if err != nil {
		return nil, err
	}
	worker := aws.ToString(in.WorkerName)
	if utf8.RuneCountInString(worker) > 80 {
		return nil, errValidation("1 validation error detected: Value '%s' at 'workerName' failed to satisfy constraint: Member must have length less than or equal to 80", worker)
	}
	select {
	case <-s.draining:
		return &sfn.GetActivityTaskOutput{}, nil
	default:
	}
	p := &poller{worker: worker, got: make(chan *sfn.GetActivityTaskOutput, 1)}
	err = s.do(ctx, func(b *batch) error {
		if !s.activityExists(a) {
			return errActivityDoesNotExist(a)
		}
		if s.takeActivity(b, a, p) {
			return nil
		}
		q := &s.actQueues
		if q.pollers == nil {
			q.pollers = map[string][]*poller{}
		}
		q.pollers[a] = append(q.pollers[a], p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	wait := s.cfg.ActivityPoll
	if wait <= 0 {
		wait = DefaultActivityPoll
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	var why error
	select {
	case out := <-p.got:
		return out, nil
	case <-timer.C:
	case <-s.draining:
	case <-ctx.Done():
		why = ctx.Err()
	case <-s.done:
		return nil, ErrClosed
	}
	// Leave the line. A task handed over meanwhile is already recorded as started, so
	// the worker gets it rather than losing it; it arrives once its turn is committed.
	handed := false
	_ = s.do(context.Background(), func(b *batch) error {
		s.dropPoller(a, p)
		handed = p.handed
		return nil
	})
	if handed {
		select {
		case out := <-p.got:
			return out, nil
		case <-s.done:
			return nil, ErrClosed
		}
	}
	if why != nil {
		return nil, why
	}
	return &sfn.GetActivityTaskOutput{}, nil
}
