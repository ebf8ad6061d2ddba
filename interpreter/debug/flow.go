package debug

import (
	"github.com/stepdeck/stepdeck/interpreter/dataflow"
	"github.com/stepdeck/stepdeck/interpreter/engine"
)

// flowRun is the data flow of one run of a state, as the engine computed it.
type flowRun struct {
	attempt int64
	stages  []dataflow.Stage
	// at holds, for each stage, the id of the last event in the history when the
	// engine computed it, so that a look back at an earlier stop sees only the stages
	// computed by then.
	at []int64
}

// recordFlow keeps a stage the engine computed (engine.Options.Flow; the engine calls
// it with s.mu held). A retry computes the state's stages again: the last attempt's
// replace the earlier ones.
func (s *Session) recordFlow(st engine.FlowStage) {
	if st.Entered == 0 {
		return // a distributed Map's child execution: its events are not kept
	}
	if s.flows == nil {
		s.flows = map[int64]*flowRun{}
	}
	r := s.flows[st.Entered]
	if r == nil || r.attempt != st.Attempt {
		r = &flowRun{attempt: st.Attempt}
		s.flows[st.Entered] = r
	}
	r.stages = append(r.stages, st.Stage)
	r.at = append(r.at, s.x.LastEventID())
}

// Flow returns the stages of the run of a state entered at event id entered, as the
// engine computed them by the time the history ended at event asOf (0: by now): what
// the state really did, up to where it was (a task that had not answered has no result)
// or to the stage that failed. It reports false when the engine computed none.
func (s *Session) Flow(entered, asOf int64) ([]dataflow.Stage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.flows[entered]
	if r == nil {
		return nil, false
	}
	n := len(r.stages)
	for asOf > 0 && n > 0 && r.at[n-1] > asOf {
		n--
	}
	return append([]dataflow.Stage(nil), r.stages[:n]...), n > 0
}
