package service

import (
	"container/heap"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// liveExec is a running execution the loop holds.
type liveExec struct {
	x   *engine.Execution
	rec *executionRecord
	// ephemeral executions (EXPRESS) are never stored: AWS keeps no history for them.
	ephemeral bool
	// waiters are closed when the execution ends (StartSyncExecution).
	waiters []chan struct{}
	tokens  []string
	// mapRuns are the distributed Map runs open in the execution, by ARN.
	mapRuns map[string]*mapRunRecord
	// logs is where the execution's events are logged (EXPRESS only), or nil.
	logs *logTarget
}

func (le *liveExec) arn() string { return le.x.Meta.ExecutionArn }

// apply takes the result of one engine call: it stores the new events and the
// execution's state, keeps its timers, and hands its tasks out after the commit.
func (s *Service) apply(b *batch, le *liveExec, res *engine.Result) {
	x := le.x
	s.writeLogs(b, le, res.Events)
	b.touch(le)
	if !le.ephemeral && len(res.Events) > 0 {
		first := res.Events[0].ID
		payloads := make([][]byte, len(res.Events))
		for i := range res.Events {
			data, err := res.Events[i].MarshalJSON()
			if err != nil {
				data = []byte(fmt.Sprintf(`{"id":%d,"type":%q}`, res.Events[i].ID, res.Events[i].Type))
			}
			payloads[i] = data
		}
		a := le.arn()
		b.write(func(tx *store.Tx) error { return tx.AppendEvents(a, first, payloads) })
	}
	// The engine keeps every event it made; the store has them now.
	x.History = nil
	for _, c := range res.Commands {
		switch c.Kind {
		case engine.CmdStartTimer:
			heap.Push(&s.timers, timerEntry{Command: c, Exec: le.arn()})
		case engine.CmdInvokeTask:
			c := c
			if c.Task.Token != "" && !c.Resumed {
				// The token is answerable from the moment the history shows it.
				s.openToken(b, le, c)
			}
			b.tasks++
			b.thenFor(le, func() { s.dispatch(le, c) })
		case engine.CmdCancelTask:
			if c.Task != nil && c.Task.Token != "" {
				s.closeToken(b, c.Task.Token)
			}
			k := engine.KeyOf(le.arn(), c)
			b.thenFor(le, func() { s.tasks.Cancel(k) })
			s.cancelNested(b, le.arn(), c)
		}
	}
	if res.More {
		s.runnable = append(s.runnable, le.arn())
	}
	for _, ev := range res.Events {
		if ev.Type == types.HistoryEventTypeMapRunStarted || ev.Type == types.HistoryEventTypeMapRunSucceeded || ev.Type == types.HistoryEventTypeMapRunFailed ||
			(x.Done() && len(le.mapRuns) > 0) {
			s.recordMapRuns(b, le, res)
			break
		}
	}
	s.store(b, le)
	if x.Done() {
		s.finish(b, le)
	}
}

// store writes an execution's record: its status, and its snapshot while it runs.
func (s *Service) store(b *batch, le *liveExec) {
	if le.ephemeral {
		return
	}
	x, rec := le.x, le.rec
	rec.Status = x.Status
	if x.Done() {
		rec.StopDate = x.StopTime
		rec.Snapshot = nil
		if x.Status != types.ExecutionStatusSucceeded {
			// A closed execution that did not succeed keeps its state for
			// RedriveExecution.
			if snap, err := x.Snapshot(); err == nil {
				rec.Snapshot = snap
			}
		}
		if x.Status == types.ExecutionStatusSucceeded {
			rec.Output = aws.String(x.OutputText())
		}
		if x.HasError {
			rec.Error = aws.String(x.Error)
		}
		if x.HasCause {
			rec.Cause = aws.String(x.Cause)
		}
	} else {
		snap, err := x.Snapshot()
		if err == nil {
			rec.Snapshot = snap
		}
	}
	data, err := json.Marshal(rec)
	rec.Snapshot = nil // the store has it; a waiting execution keeps only its live state
	if err != nil {
		return
	}
	row := store.ExecutionRow{Arn: le.arn(), MachineArn: x.Meta.StateMachineArn, Status: string(x.Status), Start: x.Meta.StartTime, Record: data}
	b.write(func(tx *store.Tx) error { return tx.PutExecution(row) })
}

// finish lets go of an execution that closed.
func (s *Service) finish(b *batch, le *liveExec) {
	delete(s.live, le.arn())
	s.nestedDone(b, le)
	for _, t := range le.tokens {
		s.closeToken(b, t)
	}
	waiters := le.waiters
	le.waiters = nil
	b.thenFor(le, func() {
		for _, w := range waiters {
			close(w)
		}
	})
}

func (s *Service) closeToken(b *batch, token string) {
	t := s.tokens[token]
	if t == nil || t.Closed {
		return
	}
	t.Closed = true
	b.undo(func() { t.Closed = false })
	if t.ephemeral {
		return
	}
	rec := *t
	b.write(func(tx *store.Tx) error { return putJSON(tx, kindTokens, token, rec) })
}

func (s *Service) openToken(b *batch, le *liveExec, c engine.Command) {
	rec := &tokenRecord{Execution: le.arn(), Frame: c.Frame, Seq: c.Seq, ephemeral: le.ephemeral}
	tok := c.Task.Token
	s.tokens[tok] = rec
	b.undo(func() { delete(s.tokens, tok) })
	// A reloaded execution gets its open tokens from s.tokens; le.tokens need no undo.
	le.tokens = append(le.tokens, tok)
	if le.ephemeral {
		return
	}
	copyRec := *rec
	b.write(func(tx *store.Tx) error { return putJSON(tx, kindTokens, tok, copyRec) })
}

func putJSON(tx *store.Tx, kind, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Put(kind, key, data)
}

func getJSON(tx *store.Tx, kind, key string, v any) error {
	data, err := tx.Get(kind, key)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// recover resumes the executions the store holds as running, and reloads task tokens.
func (s *Service) recover() error {
	var rows []store.ExecutionRow
	tokens := map[string]*tokenRecord{}
	defsText := map[string]string{}
	err := s.st.View(func(tx *store.Tx) error {
		if err := tx.RunningExecutions(func(r store.ExecutionRow) error {
			rows = append(rows, r)
			return nil
		}); err != nil {
			return err
		}
		items, _, err := tx.List(kindTokens, "", "", 0)
		if err != nil {
			return err
		}
		for _, kv := range items {
			var t tokenRecord
			if json.Unmarshal(kv.Value, &t) == nil {
				tokens[kv.Key] = &t
			}
		}
		for _, r := range rows {
			var rec executionRecord
			if err := json.Unmarshal(r.Record, &rec); err != nil {
				continue
			}
			if _, ok := defsText[rec.DefinitionHash]; ok {
				continue
			}
			data, err := tx.Get(kindDefinitions, rec.DefinitionHash)
			if err != nil {
				continue
			}
			defsText[rec.DefinitionHash] = string(data)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading the store %s: %w", s.st.Path(), err)
	}
	s.tokens = tokens
	open := map[string][]string{}
	for tok, t := range tokens {
		if !t.Closed {
			open[t.Execution] = append(open[t.Execution], tok)
		}
	}
	for _, r := range rows {
		rec := &executionRecord{}
		if err := json.Unmarshal(r.Record, rec); err != nil {
			continue
		}
		text, ok := defsText[rec.DefinitionHash]
		if !ok {
			continue
		}
		le, err := s.revive(rec, text)
		if err != nil {
			continue
		}
		le.tokens = open[r.Arn]
		s.live[r.Arn] = le
		for _, c := range s.rearmTimers(le) {
			// After a restart a task may or may not have run: run it again (a callback
			// task that was submitted only needs its token, which is answerable again).
			s.dispatch(le, c)
		}
	}
	return nil
}

// revive rebuilds a running execution from its stored record.
func (s *Service) revive(rec *executionRecord, defText string) (*liveExec, error) {
	if len(rec.Snapshot) == 0 {
		return nil, errors.New("the record holds no state")
	}
	def, _, err := s.definition(defText, string(rec.Meta.Type))
	if err != nil {
		return nil, err
	}
	x, err := engine.Restore(def, rec.Snapshot, s.engineOptions(string(rec.Meta.Type)))
	if err != nil {
		return nil, err
	}
	rec.Snapshot = nil // a waiting execution keeps only its live state
	return &liveExec{x: x, rec: rec}, nil
}

// rearmTimers starts a revived execution's timers and lets its ready frames go on. It
// returns the execution's task commands.
func (s *Service) rearmTimers(le *liveExec) []engine.Command {
	var tasks []engine.Command
	for _, c := range le.x.Rearm() {
		switch c.Kind {
		case engine.CmdStartTimer:
			heap.Push(&s.timers, timerEntry{Command: c, Exec: le.arn()})
		case engine.CmdInvokeTask:
			tasks = append(tasks, c)
		}
	}
	if len(le.x.Frames()) > 0 {
		// Frames that were ready to run when the state was stored go on now.
		s.runnable = append(s.runnable, le.arn())
	}
	return tasks
}

var errNoDefinition = errors.New("the definition is missing")

// parsedFor returns the definition an execution runs.
func (s *Service) parsedFor(text string, typ types.StateMachineType) (*asl.Definition, string, error) {
	if text == "" {
		return nil, "", errNoDefinition
	}
	return s.definition(text, string(typ))
}
