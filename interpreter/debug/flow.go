package debug

import (
	"github.com/stepdeck/stepdeck/interpreter/dataflow"
	"github.com/stepdeck/stepdeck/interpreter/engine"
)

// flowRun is the data flow of one run of a state, as the engine computed it.
type flowRun struct {
	attempt int64
	stages  []dataflow.Stage
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
}

// Flow returns the stages of the run of a state entered at event id entered, as the
// engine computed them: what the state really did, up to where it is now (a task that
// has not answered yet has no result) or to the stage that failed. It reports false
// when the engine computed none for that run.
func (s *Session) Flow(entered int64) ([]dataflow.Stage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.flows[entered]
	if r == nil {
		return nil, false
	}
	return append([]dataflow.Stage(nil), r.stages...), true
}
