package graph

import (
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/history"
)

// Painting is what a history says about each state: the statuses outside any Map
// iteration, and those inside each iteration of each Map. It is built by Paint, a pure
// function of the definition and the events, so both backends (and time travel, which
// is Paint over the first N events) paint the same graph.
type Painting struct {
	// States holds the status of every state outside Map iterations (Parallel branches
	// included), by state name. States not in the map have not started.
	States map[string]Status
	iters  map[string]map[string]Status // iteration path → state → status
	maps   map[string]*mapRun           // iteration path + "\x1d" + Map name → run
	parent map[string]string            // Map name → the Map whose iterations hold it
}

type mapRun struct {
	length int
	iters  map[int]Status
}

// Statuses is Paint(def, events).States.
func Statuses(def *asl.Definition, events []history.Event) map[string]Status {
	return Paint(def, events).States
}

// frame is one level of nesting an event happens in: a Parallel ('P') or a Map ('M')
// running, or one Map iteration ('I').
type frame struct {
	kind  byte
	name  string
	index int
}

type eventCtx struct {
	frames []frame
	owner  string
}

// iterPath is the key of the iteration frames of fs ("" outside any iteration).
func iterPath(fs []frame) string {
	var b strings.Builder
	for _, f := range fs {
		if f.kind == 'I' {
			b.WriteString(iterKey(f.name, f.index))
		}
	}
	return b.String()
}

func iterKey(name string, index int) string {
	return "\x1e" + name + "\x1f" + strconv.Itoa(index)
}

func mapKey(path, name string) string { return path + "\x1d" + name }

// cutAt drops the innermost frame of kind k named name, and everything inside it; keep
// keeps that frame itself.
func cutAt(fs []frame, k byte, name string, keep bool) ([]frame, bool) {
	for i := len(fs) - 1; i >= 0; i-- {
		if fs[i].kind == k && fs[i].name == name {
			if keep {
				return fs[: i+1 : i+1], true
			}
			return fs[:i:i], true
		}
	}
	return fs, false
}

func innermost(fs []frame, k byte) (int, bool) {
	for i := len(fs) - 1; i >= 0; i-- {
		if fs[i].kind == k {
			return i, true
		}
	}
	return 0, false
}

func push(fs []frame, f frame) []frame {
	out := make([]frame, len(fs)+1)
	copy(out, fs)
	out[len(fs)] = f
	return out
}

type painter struct {
	p      *Painting
	failed map[string]bool // path + "\x00" + state: its last attempt failed
	under  map[string]map[string]bool
	def    *asl.Definition
}

// Paint derives the statuses from the events of one execution, in the order
// GetExecutionHistory returns them. Events are tied to their state through
// previousEventId, as AWS links them; events it cannot place are ignored, so a partial
// or damaged history paints what it can.
func Paint(def *asl.Definition, events []history.Event) *Painting {
	p := &Painting{States: map[string]Status{}, iters: map[string]map[string]Status{},
		maps: map[string]*mapRun{}, parent: map[string]string{}}
	pt := &painter{p: p, failed: map[string]bool{}, under: map[string]map[string]bool{}, def: def}
	ctx := make(map[int64]eventCtx, len(events))
	for i := range events {
		e := &events[i]
		prev := ctx[e.PreviousEventID]
		cur := pt.event(e, prev)
		ctx[e.ID] = cur
	}
	return p
}

func (pt *painter) set(path, name string, s Status) {
	if path == "" {
		pt.p.States[name] = s
		return
	}
	m := pt.p.iters[path]
	if m == nil {
		m = map[string]Status{}
		pt.p.iters[path] = m
	}
	m[name] = s
}

func (pt *painter) get(path, name string) Status {
	if path == "" {
		return pt.p.States[name]
	}
	return pt.p.iters[path][name]
}

func (pt *painter) run(path, name string) *mapRun {
	k := mapKey(path, name)
	r := pt.p.maps[k]
	if r == nil {
		r = &mapRun{iters: map[int]Status{}}
		pt.p.maps[k] = r
	}
	return r
}

func (pt *painter) event(e *history.Event, prev eventCtx) eventCtx {
	t := string(e.Type)
	name, hasName := e.StateName()
	cur := eventCtx{frames: prev.frames, owner: prev.owner}
	switch {
	case history.IsEntered(e.Type) && hasName:
		cur.frames, _ = cutAt(prev.frames, 'P', name, false)
		cur.frames, _ = cutAt(cur.frames, 'M', name, false)
		cur.owner = name
		path := iterPath(cur.frames)
		delete(pt.failed, path+"\x00"+name)
		if history.StateType(e.Type) == string(asl.Fail) {
			pt.set(path, name, Failed)
		} else {
			pt.set(path, name, Running)
		}
		return cur
	case history.IsExited(e.Type) && hasName:
		cur.frames, _ = cutAt(prev.frames, 'P', name, false)
		cur.frames, _ = cutAt(cur.frames, 'M', name, false)
		cur.owner = name
		path := iterPath(cur.frames)
		if pt.failed[path+"\x00"+name] {
			pt.set(path, name, Caught)
		} else {
			pt.set(path, name, Succeeded)
		}
		return cur
	}
	switch t {
	case "ParallelStateStarted", "MapStateStarted":
		k := byte('P')
		if t == "MapStateStarted" {
			k = 'M'
			outer := ""
			if i, ok := innermost(prev.frames, 'I'); ok {
				outer = prev.frames[i].name
			}
			pt.p.parent[cur.owner] = outer
			if n, ok := mapLength(e); ok {
				pt.run(iterPath(prev.frames), cur.owner).length = n
			}
		}
		path := iterPath(prev.frames)
		delete(pt.failed, path+"\x00"+cur.owner)
		if s := pt.get(path, cur.owner); s == Failed {
			pt.set(path, cur.owner, Running)
		}
		cur.frames = push(prev.frames, frame{kind: k, name: cur.owner})
		return cur
	case "ParallelStateSucceeded", "ParallelStateFailed", "ParallelStateAborted",
		"MapStateSucceeded", "MapStateFailed", "MapStateAborted":
		k := byte('P')
		if strings.HasPrefix(t, "Map") {
			k = 'M'
		}
		i, ok := innermost(prev.frames, k)
		if !ok {
			return cur
		}
		cur.owner = prev.frames[i].name
		cur.frames = prev.frames[:i:i]
		path := iterPath(cur.frames)
		switch {
		case strings.HasSuffix(t, "Failed"):
			pt.failed[path+"\x00"+cur.owner] = true
			pt.set(path, cur.owner, Failed)
			pt.abortWithin(path, cur.owner)
		case strings.HasSuffix(t, "Aborted"):
			pt.set(path, cur.owner, Aborted)
			pt.abortWithin(path, cur.owner)
		}
		return cur
	case "MapIterationStarted", "MapIterationSucceeded", "MapIterationFailed", "MapIterationAborted":
		idx, ok := mapIndex(e)
		if !hasName || !ok {
			return cur
		}
		fs, found := cutAt(prev.frames, 'M', name, true)
		if !found {
			fs = push(prev.frames, frame{kind: 'M', name: name})
		}
		outer := iterPath(fs)
		r := pt.run(outer, name)
		if idx+1 > r.length {
			r.length = idx + 1
		}
		cur.owner = name
		cur.frames = fs
		switch t {
		case "MapIterationStarted":
			r.iters[idx] = Running
			cur.frames = push(fs, frame{kind: 'I', name: name, index: idx})
		case "MapIterationSucceeded":
			r.iters[idx] = Succeeded
		case "MapIterationFailed":
			r.iters[idx] = Failed
			pt.abortPath(outer + iterKey(name, idx))
		case "MapIterationAborted":
			r.iters[idx] = Aborted
			pt.abortPath(outer + iterKey(name, idx))
		}
		return cur
	case "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut":
		if t == "ExecutionFailed" && prev.owner != "" {
			path := iterPath(prev.frames)
			if s := pt.get(path, prev.owner); s == Running || s == Waiting {
				pt.set(path, prev.owner, Failed)
			}
		}
		pt.abortAll()
		return cur
	}
	if cur.owner == "" {
		return cur
	}
	path := iterPath(cur.frames)
	switch {
	case t == "TaskScheduled":
		delete(pt.failed, path+"\x00"+cur.owner)
		res, _ := e.Resource()
		if strings.HasSuffix(res, ".waitForTaskToken") {
			pt.set(path, cur.owner, Waiting)
		} else {
			pt.set(path, cur.owner, Running)
		}
	case t == "ActivityScheduled":
		delete(pt.failed, path+"\x00"+cur.owner)
		pt.set(path, cur.owner, Waiting)
	case t == "LambdaFunctionScheduled":
		delete(pt.failed, path+"\x00"+cur.owner)
		pt.set(path, cur.owner, Running)
	case t == "ActivityStarted", strings.HasSuffix(t, "Succeeded") && t != "ExecutionSucceeded":
		pt.set(path, cur.owner, Running)
	case strings.HasSuffix(t, "Failed"), strings.HasSuffix(t, "TimedOut"), t == "EvaluationFailed":
		pt.failed[path+"\x00"+cur.owner] = true
		pt.set(path, cur.owner, Failed)
	}
	return cur
}

// abortWithin marks as aborted what still runs inside the Parallel or Map named name:
// a failing branch or iteration stops its siblings. AWS's *StateAborted events cannot
// say which state they belong to (their previousEventId is the failure that caused
// them), so the definition says instead.
func (pt *painter) abortWithin(path, name string) {
	inside := pt.descendants(name)
	abort := func(m map[string]Status) {
		for n, s := range m {
			if (s == Running || s == Waiting) && inside[n] {
				m[n] = Aborted
			}
		}
	}
	abort(pt.statesAt(path))
	for k, m := range pt.p.iters {
		if strings.HasPrefix(k, path) && k != path {
			abort(m)
		}
	}
	for k, r := range pt.p.maps {
		if strings.HasPrefix(k, path) {
			for i, s := range r.iters {
				if s == Running {
					r.iters[i] = Aborted
				}
			}
		}
	}
}

func (pt *painter) statesAt(path string) map[string]Status {
	if path == "" {
		return pt.p.States
	}
	return pt.p.iters[path]
}

func (pt *painter) abortPath(path string) {
	for k, m := range pt.p.iters {
		if strings.HasPrefix(k, path) {
			for n, s := range m {
				if s == Running || s == Waiting {
					m[n] = Aborted
				}
			}
		}
	}
}

func (pt *painter) abortAll() {
	all := []map[string]Status{pt.p.States}
	for _, m := range pt.p.iters {
		all = append(all, m)
	}
	for _, m := range all {
		for n, s := range m {
			if s == Running || s == Waiting {
				m[n] = Aborted
			}
		}
	}
	for _, r := range pt.p.maps {
		for i, s := range r.iters {
			if s == Running {
				r.iters[i] = Aborted
			}
		}
	}
}

// descendants lists the states nested anywhere inside the Parallel or Map named name.
func (pt *painter) descendants(name string) map[string]bool {
	if d, ok := pt.under[name]; ok {
		return d
	}
	d := map[string]bool{}
	if pt.def != nil {
		if st := pt.def.Scope.Find(name); st != nil {
			var walk func(s *asl.Scope)
			walk = func(s *asl.Scope) {
				if s == nil {
					return
				}
				for n, x := range s.States {
					d[n] = true
					for _, b := range x.Branches {
						walk(b)
					}
					walk(x.ItemProcessor)
				}
			}
			for _, b := range st.Branches {
				walk(b)
			}
			walk(st.ItemProcessor)
		}
	}
	pt.under[name] = d
	return d
}
