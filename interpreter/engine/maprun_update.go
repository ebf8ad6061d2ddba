package engine

import "time"

// MapRunUpdate changes a running distributed Map as UpdateMapRun does; nil fields stay
// as they are.
type MapRunUpdate struct {
	MaxConcurrency        *int // 0: no limit
	ToleratedFailureCount *int64
	ToleratedFailurePct   *float64
}

// UpdateMapRun applies u to the Map that frame runs, while it runs its items. A higher
// concurrency starts more items at once; a new tolerance counts from the next failure.
// It reports false when the frame is not a running Map.
func (e *Execution) UpdateMapRun(frame int, u MapRunUpdate, now time.Time) (*Result, bool) {
	f := e.frames[frame]
	if f == nil || f.Phase != PhaseChildren || f.Items == nil || e.Done() {
		return nil, false
	}
	e.begin(now)
	e.muted = f.Silent
	if c := u.ToleratedFailureCount; c != nil {
		f.TolCount, f.TolCountSet = *c, true
	}
	if p := u.ToleratedFailurePct; p != nil {
		f.TolPct, f.TolPctSet = *p, true
	}
	if m := u.MaxConcurrency; m != nil {
		f.Limit = *m
		if f.Limit <= 0 || f.Limit > len(f.Items) {
			f.Limit = len(f.Items)
		}
		st := f.scope.States[f.State]
		for f.Running < f.Limit && f.NextItem < len(f.Items) && f.Phase == PhaseChildren {
			e.startIteration(f, st, f.Prev)
		}
	}
	e.drain()
	return e.end(), true
}

// toleranceOf is the failure tolerance a Map applies now: the state's, unless
// UpdateMapRun changed it.
func (f *Frame) toleranceOf(count int64, pct float64) (int64, float64) {
	if f.TolCountSet {
		count = f.TolCount
	}
	if f.TolPctSet {
		pct = f.TolPct
	}
	return count, pct
}
