package service

import (
	"container/heap"
	"encoding/json"
	"errors"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/store"
)

// An acknowledged call is durable, and a call that failed leaves no trace. The loop
// changes its memory as it runs a turn's work and commits the turn's writes at the end,
// so a commit that fails (a full disk) must take back what the turn changed: each piece
// of work runs as a unit of the batch, and when the commit fails every unit that wrote
// something is undone. Its after-commit actions are dropped, its undo functions run (for
// the maps the loop keeps: tokens, activity queues, nested waits, activities), the
// executions it changed are read back from the store as they were last committed, and
// if it was internal work (a task outcome, work the loop gave itself) it is tried again
// after a delay that grows while commits keep failing. Timers and ready executions come
// back with their executions' state.
//
// A unit that wrote nothing stands: it changed only memory (an EXPRESS execution, which
// is never stored, or a poller's place in line). So that undoing a unit never needs to
// undo an EXPRESS execution, a unit that writes never changes one it did not create:
// such changes are made after the commit, by the work it defers (see later).

// storeError is a commit that failed: the call's change was not stored.
type storeError struct{ err error }

func (e *storeError) Error() string { return "storing the change: " + e.err.Error() }
func (e *storeError) Unwrap() error { return e.err }

// batch collects what one turn of the loop writes and what it does after the commit.
type batch struct {
	writes []func(*store.Tx) error
	after  []afterAction
	undos  []undoAction
	units  []*unit
	cur    *unit
	// tasks counts the tasks this turn hands out after its commit; a virtual clock
	// waits for their outcomes before it jumps.
	tasks int
}

// unit is one piece of a turn's work.
type unit struct {
	writesAt int
	writesTo int
	// touched are the executions the unit changed, created those it started.
	touched map[string]*liveExec
	created map[string]bool
	// retry is internal work to run again when the unit is undone.
	retry  func(b *batch) error
	undone bool
}

func (u *unit) wrote() bool { return u.writesTo > u.writesAt }

type afterAction struct {
	f    func()
	unit *unit
	// exec is the EXPRESS execution the action belongs to, if any: its change stands
	// even when its unit is undone, so the action runs, unless the unit started it.
	exec string
}

// runs reports whether the action runs: always after a commit, and after a failed one
// if its unit stands or it belongs to an EXPRESS execution its unit did not start.
func (a afterAction) runs() bool {
	return a.unit == nil || !a.unit.undone || (a.exec != "" && !a.unit.created[a.exec])
}

type undoAction struct {
	f    func()
	unit *unit
}

// run runs fn as a unit of the batch. internal work is run again if the unit is undone.
func (b *batch) run(fn func(b *batch) error, internal bool) (error, *unit) {
	u := &unit{writesAt: len(b.writes)}
	b.units = append(b.units, u)
	if internal {
		u.retry = fn
	}
	prev := b.cur
	b.cur = u
	err := fn(b)
	b.cur = prev
	u.writesTo = len(b.writes)
	return err, u
}

func (b *batch) write(w func(*store.Tx) error) { b.writes = append(b.writes, w) }

// then runs f once the turn is committed.
func (b *batch) then(f func()) { b.after = append(b.after, afterAction{f: f, unit: b.cur}) }

// thenFor is then for an action that belongs to an execution.
func (b *batch) thenFor(le *liveExec, f func()) {
	a := afterAction{f: f, unit: b.cur}
	if le.ephemeral {
		a.exec = le.arn()
	}
	b.after = append(b.after, a)
}

// undo registers what takes back a change to the loop's memory if the commit fails.
// Outside a unit (while the service starts) there is nothing to take back.
func (b *batch) undo(f func()) {
	if b.cur != nil {
		b.undos = append(b.undos, undoAction{f: f, unit: b.cur})
	}
}

// touch notes an execution the current unit changed, or read in a way its answer
// depends on.
func (b *batch) touch(le *liveExec) {
	u := b.cur
	if u == nil {
		return
	}
	if u.touched == nil {
		u.touched = map[string]*liveExec{}
	}
	u.touched[le.arn()] = le
}

// created notes an execution the current unit started.
func (b *batch) created(le *liveExec) {
	u := b.cur
	if u == nil {
		return
	}
	if u.created == nil {
		u.created = map[string]bool{}
	}
	u.created[le.arn()] = true
	b.touch(le)
}

// later runs f as internal work of the next turn, once this one is committed: for a
// change to an EXPRESS execution that a unit which writes would otherwise make.
func (s *Service) later(b *batch, f func(b *batch) error) {
	b.then(func() { s.deferred = append(s.deferred, f) })
}

// rollback undoes the units of a turn whose commit failed: every unit that wrote.
func (s *Service) rollback(b *batch) {
	for i := len(b.undos) - 1; i >= 0; i-- {
		if b.undos[i].unit.wrote() {
			b.undos[i].f()
		}
	}
	reload := map[string]bool{}
	gone := map[string]bool{}
	for _, u := range b.units {
		if !u.wrote() {
			continue
		}
		u.undone = true
		for a, le := range u.touched {
			switch {
			case !le.ephemeral:
				reload[a] = true
			case u.created[a]:
				gone[a] = true
			}
		}
	}
	// A unit that only read an execution a failed unit changed (StartExecution
	// finding it started) saw what was not stored: it fails too.
	for _, u := range b.units {
		for a, le := range u.touched {
			if !u.undone && !le.ephemeral && reload[a] {
				u.undone = true
			}
		}
	}
	if len(gone) > 0 {
		for a := range gone {
			delete(s.live, a)
		}
		s.forgetTimers(gone)
	}
	s.reload(reload)
	for _, u := range b.units {
		if u.undone && u.retry != nil {
			s.deferred = append(s.deferred, u.retry)
		}
	}
}

// backOff delays internal work after a failed commit: 10ms, doubling to 2s.
func (s *Service) backOff() {
	switch {
	case s.retryDelay == 0:
		s.retryDelay = 10 * time.Millisecond
	case s.retryDelay < 2*time.Second:
		s.retryDelay *= 2
	}
	s.retryAt = time.Now().Add(s.retryDelay)
}

// forgetTimers drops the timers of some executions.
func (s *Service) forgetTimers(arns map[string]bool) {
	kept := s.timers[:0]
	for _, t := range s.timers {
		if !arns[t.Exec] {
			kept = append(kept, t)
		}
	}
	s.timers = kept
	heap.Init(&s.timers)
}

// reload replaces the loop's memory of some STANDARD executions by what the store holds:
// an execution the store has as running is revived as after a restart, without running
// its tasks again (they were handed out when they were committed, and their outcomes
// are on their way); any other is let go. If the store cannot be read, the executions
// wait in unloaded for the next turn.
func (s *Service) reload(arns map[string]bool) {
	if len(arns) == 0 {
		return
	}
	mockCalls := map[string]map[string]int{}
	for a := range arns {
		if le := s.live[a]; le != nil {
			// Mocked answers already handed out stay consumed.
			mockCalls[a] = le.rec.MockCalls
		}
		delete(s.live, a)
	}
	s.forgetTimers(arns)
	kept := s.runnable[:0]
	for _, a := range s.runnable {
		if !arns[a] {
			kept = append(kept, a)
		}
	}
	s.runnable = kept
	type stored struct {
		rec     *executionRecord
		defText string
	}
	var rows []stored
	err := s.st.View(func(tx *store.Tx) error {
		for a := range arns {
			row, err := tx.GetExecution(a)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if row.Status != store.StatusRunning {
				continue
			}
			rec := &executionRecord{}
			if err := json.Unmarshal(row.Record, rec); err != nil {
				continue
			}
			def, err := tx.Get(kindDefinitions, rec.DefinitionHash)
			if err != nil {
				continue
			}
			rows = append(rows, stored{rec, string(def)})
		}
		return nil
	})
	if err != nil {
		if s.unloaded == nil {
			s.unloaded = map[string]bool{}
		}
		for a := range arns {
			s.unloaded[a] = true
		}
		return
	}
	for a := range arns {
		delete(s.unloaded, a)
	}
	open := map[string][]string{}
	for tok, t := range s.tokens {
		if arns[t.Execution] && !t.Closed {
			open[t.Execution] = append(open[t.Execution], tok)
		}
	}
	for _, r := range rows {
		le, err := s.revive(r.rec, r.defText)
		if err != nil {
			continue
		}
		a := le.arn()
		for state, n := range mockCalls[a] {
			if le.rec.MockCalls == nil {
				le.rec.MockCalls = map[string]int{}
			}
			if n > le.rec.MockCalls[state] {
				le.rec.MockCalls[state] = n
			}
		}
		le.tokens = open[a]
		s.live[a] = le
		s.rearmTimers(le)
	}
}

// untilStored runs fn, a call whose change the loop stores, again while its commit
// fails (a failed commit leaves no trace), with a growing delay, until it is stored,
// fails otherwise, or the service closes (ErrClosed).
func (s *Service) untilStored(fn func() error) error {
	for delay := 10 * time.Millisecond; ; delay = min(2*delay, 2*time.Second) {
		err := fn()
		var se *storeError
		if !errors.As(err, &se) {
			return err
		}
		select {
		case <-time.After(delay):
		case <-s.quit:
			return ErrClosed
		}
	}
}
