package service

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// The external conformance test compares everything the engine produces, except the
// members listed, each with its reason, in skippedMembersFile: values that only a real
// AWS endpoint has (a response's Date header, an X-Ray trace id) and that the fake
// endpoints serving the tasks cannot reproduce. The recordings' own skip paths (from
// LocalStack, which skipped what LocalStack got wrong, such as "$..cause" and
// "$..previousEventId") are not used: a difference there is the engine's to fix or a
// known failure to list with its reason.

const skippedMembersFile = "testdata/skipped_members_external.txt"

// memberPath is a member path of the skip file: member names, matched at any depth.
type memberPath []string

// readSkippedMembers reads the skip file: "a.b.c # reason" a line, the reason required.
func readSkippedMembers(file string) ([]memberPath, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var out []memberPath
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		path, reason, _ := strings.Cut(line, "#")
		path = strings.TrimSpace(path)
		if strings.TrimSpace(reason) == "" || path == "" || strings.ContainsAny(path, " \t") {
			return nil, fmt.Errorf("%s:%d: want: member.path # reason", file, n)
		}
		out = append(out, strings.Split(path, "."))
	}
	return out, sc.Err()
}

func (p memberPath) String() string { return strings.Join(p, ".") }

// stripSkipped returns a copy of c whose recorded output and events lack the skipped
// members, and records in found which paths occurred in it.
func stripSkipped(c *conformance.Case, paths []memberPath, found map[string]bool) *conformance.Case {
	if c.Expected == nil {
		return c
	}
	cc, exp := *c, *c.Expected
	if len(exp.Output) > 0 {
		exp.Output = withoutMembers(exp.Output, paths, found)
	}
	if len(exp.Events) > 0 {
		exp.Events = withoutMembers(exp.Events, paths, found)
	}
	cc.Expected = &exp
	return &cc
}

// withoutMembers removes the members at paths anywhere in a JSON text, also inside
// strings that hold JSON objects (event details carry outputs as text). found, when
// not nil, gets the paths that matched.
func withoutMembers(text []byte, paths []memberPath, found map[string]bool) []byte {
	if len(paths) == 0 {
		return text
	}
	v, err := value.Parse(text)
	if err != nil {
		return text
	}
	return value.Marshal(dropMembers(v, paths, found))
}

// dropMembers removes, at every depth of v, the members that paths lead to.
func dropMembers(v value.Value, paths []memberPath, found map[string]bool) value.Value {
	anchored := make([]pathRest, len(paths))
	for i, p := range paths {
		anchored[i] = pathRest{p.String(), p}
	}
	v = dropAt(v, anchored, found)
	switch x := v.(type) {
	case string:
		if strings.HasPrefix(x, "{") {
			// The text is rewritten only when a member was dropped from it, so that
			// its spacing is compared as the engine wrote it.
			if inner, err := value.ParseString(x); err == nil {
				before := value.Marshal(inner)
				if after := value.Marshal(dropMembers(inner, paths, found)); !bytes.Equal(before, after) {
					return string(after)
				}
			}
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = dropMembers(e, paths, found)
		}
		return out
	case *value.Object:
		out := value.NewObject(x.Len())
		for i := range x.Len() {
			k, e := x.At(i)
			out.Set(k, dropMembers(e, paths, found))
		}
		return out
	}
	return v
}

// pathRest is what is left of a skip path (named full) below the object being walked.
type pathRest struct {
	full string
	rest []string
}

// dropAt removes from v the members that the paths, anchored at v, lead to.
func dropAt(v value.Value, paths []pathRest, found map[string]bool) value.Value {
	obj, ok := v.(*value.Object)
	if !ok {
		return v
	}
	out := value.NewObject(obj.Len())
	for i := range obj.Len() {
		k, e := obj.At(i)
		drop := false
		var deeper []pathRest
		for _, p := range paths {
			switch {
			case p.rest[0] != k:
			case len(p.rest) == 1:
				drop = true
				if found != nil {
					found[p.full] = true
				}
			default:
				deeper = append(deeper, pathRest{p.full, p.rest[1:]})
			}
		}
		if drop {
			continue
		}
		if len(deeper) > 0 {
			e = dropAt(e, deeper, found)
		}
		out.Set(k, e)
	}
	return out
}
