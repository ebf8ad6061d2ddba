package jsonpath

import (
	"fmt"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Reference is a compiled reference path (ResultPath): $ followed by names and indexes.
type Reference struct {
	src   string
	steps []step
}

// CompileReference parses a reference path: $ followed by .name, ['name'] and [index]
// steps only. It refuses $$, variables, wildcards, slices, unions, filters and deep
// scans, saying which and where.
func CompileReference(src string) (*Reference, error) {
	p := &parser{src: src}
	path, err := p.parsePath()
	if err != nil {
		return nil, err
	}
	start := strings.IndexByte(src, '$')
	switch path.root {
	case RootContext:
		return nil, &SyntaxError{Src: src, Offset: start, Msg: "a reference path cannot start with '$$': the context object cannot be written"}
	case RootVariable:
		return nil, &SyntaxError{Src: src, Offset: start, Msg: fmt.Sprintf("a reference path cannot name a variable ($%s); use Assign to set variables", path.variable)}
	}
	for i := range path.steps {
		s := &path.steps[i]
		what := ""
		switch s.kind {
		case kProp:
			if len(s.names) > 1 {
				what = "a union of names"
			} else if strings.ContainsAny(s.names[0], "@,:?*") && src[s.pos] == '.' {
				what = "the operators @ , : ? *"
			}
		case kIndex:
			if len(s.idx) > 1 {
				what = "a union of indexes"
			}
		case kSlice:
			what = "a slice"
		case kWild:
			what = "a wildcard"
		case kScan:
			what = "a deep scan (..)"
		case kFilter:
			what = "a filter"
		case kFunc:
			what = "a function"
		}
		if what != "" {
			return nil, &SyntaxError{Src: src, Offset: s.pos, Msg: "a reference path selects one node and cannot hold " + what}
		}
	}
	return &Reference{src: src, steps: path.steps}, nil
}

// MustCompileReference is CompileReference for paths written in code; it panics on a
// bad path.
func MustCompileReference(src string) *Reference {
	r, err := CompileReference(src)
	if err != nil {
		panic(err)
	}
	return r
}

func (r *Reference) String() string { return r.src }

// Normalized returns the path in Jayway's bracket form.
func (r *Reference) Normalized() string { return jaywayText(r.steps) }

// Path returns the reference as a Path, for reading what it points at.
func (r *Reference) Path() *Path {
	return &Path{src: r.src, steps: r.steps, definite: true, simple: true}
}

// Set returns a copy of doc with v placed at the reference, creating missing objects
// on the way, as ResultPath does. doc is not modified: only the containers on the path
// are copied. A name step needs an object and an index step an existing element;
// otherwise Set fails with a *NotFoundError worded as Jayway words it (a missing array
// reads "Missing property in path $['no']").
func (r *Reference) Set(doc, v value.Value) (value.Value, error) {
	return r.set(doc, 0, v)
}

func (r *Reference) set(cur value.Value, i int, v value.Value) (value.Value, error) {
	if i == len(r.steps) {
		return v, nil
	}
	s := &r.steps[i]
	if s.kind == kProp {
		o, ok := cur.(*value.Object)
		if !ok {
			var b strings.Builder
			writeStep(&b, s)
			return nil, notAnObject(r.src, b.String(), jaywayText(r.steps[:i]), cur)
		}
		child, found := o.Get(s.names[0])
		if !found && i+1 < len(r.steps) {
			if r.steps[i+1].kind == kIndex {
				return nil, missingProperty(r.src, jaywayText(r.steps[:i+1]))
			}
			child = value.NewObject(1)
		}
		nc, err := r.set(child, i+1, v)
		if err != nil {
			return nil, err
		}
		return o.With(s.names[0], nc), nil
	}
	a, ok := cur.([]any)
	if !ok {
		var b strings.Builder
		writeSteps(&b, r.steps[i:])
		return nil, notAnArray(r.src, b.String(), jaywayText(r.steps[:i]), cur)
	}
	n := s.idx[0]
	eff := n
	if eff < 0 {
		eff += len(a)
	}
	if eff < 0 || eff >= len(a) {
		return nil, &NotFoundError{Path: r.src, Msg: fmt.Sprintf("Index %d is out of bounds for the array of length %d in path %s", n, len(a), jaywayText(r.steps[:i+1]))}
	}
	nc, err := r.set(a[eff], i+1, v)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(a))
	copy(out, a)
	out[eff] = nc
	return out, nil
}
