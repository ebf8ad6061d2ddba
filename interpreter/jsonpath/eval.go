package jsonpath

import (
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// walkSimple follows single names and in-range indexes. It reports false for anything
// else (a miss, an index past the end) so the general evaluator can say what Jayway says.
func walkSimple(steps []step, v value.Value) (value.Value, bool) {
	for i := range steps {
		s := &steps[i]
		if s.kind == kProp {
			o, ok := v.(*value.Object)
			if !ok {
				return nil, false
			}
			if v, ok = o.Get(s.names[0]); !ok {
				return nil, false
			}
			continue
		}
		a, ok := v.([]any)
		if !ok {
			return nil, false
		}
		n := s.idx[0]
		if n < 0 {
			n += len(a)
		}
		if n < 0 || n >= len(a) {
			return nil, false
		}
		v = a[n]
	}
	return v, true
}

// seg is one element of the concrete path to the node being visited, kept only to
// print Jayway's messages.
type seg struct {
	name  string
	idx   int
	isIdx bool
}

// evaluator runs Jayway's token evaluation over one document.
type evaluator struct {
	src  string
	root value.Value // the document, which $ names inside filters
	// strict is Jayway's REQUIRE_PROPERTIES, which Jayway sets for paths inside filters:
	// any missing property makes the whole path a miss.
	strict bool
	out    []any
	trail  []seg
}

func (e *evaluator) current() string {
	var b strings.Builder
	b.WriteByte('$')
	for _, s := range e.trail {
		if s.isIdx {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.idx))
			b.WriteByte(']')
		} else {
			b.WriteString("['")
			b.WriteString(s.name)
			b.WriteString("']")
		}
	}
	return b.String()
}

func (p *Path) evalGeneral(doc value.Value) (value.Value, error) {
	steps := p.steps
	var fn *step
	if n := len(steps); n > 0 && steps[n-1].kind == kFunc {
		fn = &steps[n-1]
		steps = steps[:n-1]
	}
	e := &evaluator{src: p.src, root: doc}
	err := e.eval(steps, 0, doc)
	prefixDefinite := p.definite
	if fn != nil {
		prefixDefinite, _ = link(append([]step(nil), steps...))
	}
	if err != nil {
		if _, ok := err.(*NotFoundError); ok && !prefixDefinite {
			// AWS gives an indefinite path that misses an empty array, even where
			// Jayway throws on a missing property before the indefinite step.
			e.out, err = nil, nil
		} else {
			return nil, err
		}
	}
	var result value.Value
	if prefixDefinite {
		if len(e.out) == 0 {
			return nil, noResults(p.src, jaywayText(p.steps))
		}
		result = e.out[0]
	} else {
		if e.out == nil {
			e.out = []any{}
		}
		result = e.out
	}
	if fn != nil {
		return applyFunction(p.src, fn.fn, result)
	}
	return result, nil
}

// eval applies steps[i:] to model, collecting results in e.out.
func (e *evaluator) eval(steps []step, i int, model value.Value) error {
	if i == len(steps) {
		e.out = append(e.out, model)
		return nil
	}
	s := &steps[i]
	switch s.kind {
	case kProp:
		return e.prop(steps, i, model)
	case kIndex:
		a, err := e.array(steps, i, model)
		if a == nil {
			return err
		}
		for _, n := range s.idx {
			if err := e.index(steps, i, a, n); err != nil {
				return err
			}
		}
		return nil
	case kSlice:
		a, err := e.array(steps, i, model)
		if a == nil {
			return err
		}
		return e.slice(steps, i, a)
	case kWild:
		switch x := model.(type) {
		case *value.Object:
			for j := 0; j < x.Len(); j++ {
				k, v := x.At(j)
				if err := e.descend(steps, i, seg{name: k}, v); err != nil {
					return err
				}
			}
		case []any:
			for j, v := range x {
				if err := e.descend(steps, i, seg{idx: j, isIdx: true}, v); err != nil {
					return err
				}
			}
		}
		return nil
	case kScan:
		return e.scan(steps, i+1, model)
	case kFilter:
		return e.filterStep(steps, i, model)
	case kFunc:
		v, err := applyFunction(e.src, s.fn, model)
		if err != nil {
			return err
		}
		e.out = append(e.out, v)
		return nil
	}
	return nil
}

// descend visits child as the node reached by step i.
func (e *evaluator) descend(steps []step, i int, sg seg, child value.Value) error {
	e.trail = append(e.trail, sg)
	err := e.eval(steps, i+1, child)
	e.trail = e.trail[:len(e.trail)-1]
	return err
}

func (e *evaluator) prop(steps []step, i int, model value.Value) error {
	s := &steps[i]
	o, ok := model.(*value.Object)
	if !ok {
		if !s.upDefinite {
			return nil
		}
		var b strings.Builder
		writeStep(&b, s)
		return notAnObject(e.src, b.String(), e.current(), model)
	}
	if len(s.names) == 1 {
		v, found := o.Get(s.names[0])
		if !found {
			if s.leaf && !e.strict {
				return nil // the caller reports a definite path with no result
			}
			if !e.strict && !(s.upDefinite && s.definite()) {
				return nil
			}
			e.trail = append(e.trail, seg{name: s.names[0]})
			path := e.current()
			e.trail = e.trail[:len(e.trail)-1]
			if s.leaf {
				return noResults(e.src, path)
			}
			return missingProperty(e.src, path)
		}
		return e.descend(steps, i, seg{name: s.names[0]}, v)
	}
	evalPath := e.current() + "['" + strings.Join(s.names, "', '") + "']"
	if !s.leaf {
		return &InvalidPathError{Path: e.src, Msg: "Multi properties can only be used as path leafs: " + evalPath}
	}
	merged := value.NewObject(len(s.names))
	for _, n := range s.names {
		if v, found := o.Get(n); found {
			merged.Set(n, v)
		} else if e.strict {
			return missingProperty(e.src, evalPath)
		}
	}
	e.out = append(e.out, merged)
	return nil
}

// array checks that an index or slice step meets an array. It returns nil, nil when
// the step quietly selects nothing (an indefinite path).
func (e *evaluator) array(steps []step, i int, model value.Value) ([]any, error) {
	if a, ok := model.([]any); ok {
		return a, nil
	}
	if !steps[i].upDefinite {
		return nil, nil
	}
	var b strings.Builder
	writeSteps(&b, steps[i:])
	return nil, notAnArray(e.src, b.String(), e.current(), model)
}

// index visits a[n]. Past either end it visits null: Jackson's ArrayNode.get returns
// null there and Jayway takes it as the element.
func (e *evaluator) index(steps []step, i int, a []any, n int) error {
	eff := n
	if eff < 0 {
		eff += len(a)
	}
	var v value.Value
	if eff >= 0 && eff < len(a) {
		v = a[eff]
	}
	return e.descend(steps, i, seg{idx: n, isIdx: true}, v)
}

// slice follows Jayway's three slice forms, including their quirks: [from:to] does not
// adjust a negative bound, so it reaches elements through negative indexes.
func (e *evaluator) slice(steps []step, i int, a []any) error {
	s := &steps[i]
	n := len(a)
	lo, hi := 0, 0
	switch {
	case s.hasFrom && !s.hasTo:
		lo = s.from
		if lo < 0 {
			lo = max(0, n+lo)
		}
		if n == 0 || lo >= n {
			return nil
		}
		hi = n
	case !s.hasFrom:
		if n == 0 {
			return nil
		}
		hi = s.to
		if hi < 0 {
			hi += n
		}
		hi = min(n, hi)
	default:
		lo, hi = s.from, min(n, s.to)
		if lo >= hi || n == 0 {
			return nil
		}
	}
	for j := lo; j < hi; j++ {
		if err := e.index(steps, i, a, j); err != nil {
			return err
		}
	}
	return nil
}

// scan is Jayway's deep scan: steps[i] is tried at the node and at every node below
// it, in document order, the node before its children.
func (e *evaluator) scan(steps []step, i int, model value.Value) error {
	s := &steps[i]
	switch x := model.(type) {
	case *value.Object:
		ok, err := e.scanMatches(s, model)
		if err != nil {
			return err
		}
		if ok {
			if err := e.eval(steps, i, model); err != nil {
				return err
			}
		}
		for j := 0; j < x.Len(); j++ {
			k, v := x.At(j)
			e.trail = append(e.trail, seg{name: k})
			err := e.scan(steps, i, v)
			e.trail = e.trail[:len(e.trail)-1]
			if err != nil {
				return err
			}
		}
	case []any:
		ok, err := e.scanMatches(s, model)
		if err != nil {
			return err
		}
		if ok {
			if s.leaf {
				err = e.eval(steps, i, model)
			} else {
				// Jayway hands each element to the step after the matched one,
				// skipping the matched step itself.
				for j, v := range x {
					if err = e.descend(steps, i, seg{idx: j, isIdx: true}, v); err != nil {
						break
					}
				}
			}
			if err != nil {
				return err
			}
		}
		for j, v := range x {
			e.trail = append(e.trail, seg{idx: j, isIdx: true})
			err := e.scan(steps, i, v)
			e.trail = e.trail[:len(e.trail)-1]
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *evaluator) scanMatches(s *step, model value.Value) (bool, error) {
	switch s.kind {
	case kProp:
		o, ok := model.(*value.Object)
		if !ok {
			return false, nil
		}
		if !s.definite() {
			return true, nil
		}
		for _, n := range s.names {
			if !o.Has(n) {
				return false, nil
			}
		}
		return true, nil
	case kIndex, kSlice:
		_, ok := model.([]any)
		return ok, nil
	case kWild:
		return true, nil
	case kFilter:
		return e.accept(s.filter, model)
	}
	return false, nil
}

func (e *evaluator) filterStep(steps []step, i int, model value.Value) error {
	s := &steps[i]
	switch x := model.(type) {
	case *value.Object:
		ok, err := e.accept(s.filter, model)
		if err != nil || !ok {
			return err
		}
		return e.eval(steps, i+1, model)
	case []any:
		for j, v := range x {
			ok, err := e.accept(s.filter, v)
			if err != nil {
				return err
			}
			if ok {
				if err := e.descend(steps, i, seg{idx: j, isIdx: true}, v); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if !s.upDefinite {
		return nil
	}
	var b strings.Builder
	writeSteps(&b, steps[i:])
	return &InvalidPathError{Path: e.src, Msg: "Filter: " + b.String() + " can not be applied to primitives. Current context is: " + javaString(model)}
}
