package client

import (
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// tokenPlace is where a Task state's Parameters (JSONPath) or Arguments (JSONata) put
// the task token: a list of object keys (string) and array indexes (int), as they appear
// in the TaskScheduled event's parameters.
type tokenPlace []any

func (p tokenPlace) String() string {
	var b strings.Builder
	for _, step := range p {
		switch s := step.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		case int:
			b.WriteString("[" + strconv.Itoa(s) + "]")
		}
	}
	return b.String()
}

// read returns the string at the place in v.
func (p tokenPlace) read(v value.Value) (string, bool) {
	for _, step := range p {
		switch s := step.(type) {
		case string:
			o, ok := v.(*value.Object)
			if !ok {
				return "", false
			}
			if v, ok = o.Get(s); !ok {
				return "", false
			}
		case int:
			a, ok := v.([]any)
			if !ok || s >= len(a) {
				return "", false
			}
			v = a[s]
		}
	}
	s, ok := v.(string)
	return s, ok && s != ""
}

// callbackTask is what the finder needs to know of one Task state.
type callbackTask struct {
	waits    bool         // the resource is a .waitForTaskToken integration
	activity bool         // the resource is an activity: worked with GetActivityTask
	place    []tokenPlace // where the token goes; empty when the definition hides it in an expression
}

// callbackTasks indexes the Task states of a definition by name, at every depth (state
// names are unique in a whole state machine).
func callbackTasks(def *asl.Definition) map[string]callbackTask {
	out := map[string]callbackTask{}
	var walk func(sc *asl.Scope)
	walk = func(sc *asl.Scope) {
		if sc == nil {
			return
		}
		for name, st := range sc.States {
			for _, b := range st.Branches {
				walk(b)
			}
			walk(st.ItemProcessor)
			if st.Type != asl.Task {
				continue
			}
			ct := callbackTask{waits: strings.HasSuffix(st.Resource, ".waitForTaskToken"),
				activity: strings.Contains(st.Resource, ":activity:")}
			if st.Source != nil {
				if v, ok := st.Source.Get("Parameters"); ok {
					ct.place = findJSONPathToken(v, nil, ct.place)
				}
				if v, ok := st.Source.Get("Arguments"); ok {
					ct.place = findJSONataToken(v, nil, ct.place)
				}
			}
			out[name] = ct
		}
	}
	walk(&def.Scope)
	return out
}

// findJSONPathToken finds the keys "X.$" whose value is the context path of the token;
// the event's parameters carry them as "X".
func findJSONPathToken(v value.Value, at tokenPlace, found []tokenPlace) []tokenPlace {
	switch t := v.(type) {
	case *value.Object:
		for i := 0; i < t.Len(); i++ {
			k, child := t.At(i)
			if name, ok := strings.CutSuffix(k, ".$"); ok {
				if s, ok := child.(string); ok && strings.TrimSpace(s) == "$$.Task.Token" {
					found = append(found, extend(at, name))
				}
				continue
			}
			found = findJSONPathToken(child, extend(at, k), found)
		}
	case []any:
		for i, child := range t {
			found = findJSONPathToken(child, extend(at, i), found)
		}
	}
	return found
}

// findJSONataToken finds the string values that are JSONata expressions mentioning the
// token. An Arguments that is one expression as a whole hides the place: none is found.
func findJSONataToken(v value.Value, at tokenPlace, found []tokenPlace) []tokenPlace {
	switch t := v.(type) {
	case string:
		s := strings.TrimSpace(t)
		if len(at) > 0 && strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}") &&
			strings.Contains(s, "$states.context.Task.Token") {
			found = append(found, at)
		}
	case *value.Object:
		for i := 0; i < t.Len(); i++ {
			k, child := t.At(i)
			found = findJSONataToken(child, extend(at, k), found)
		}
	case []any:
		for i, child := range t {
			found = findJSONataToken(child, extend(at, i), found)
		}
	}
	return found
}

// extend copies: the caller's path is shared by siblings.
func extend(p tokenPlace, step any) tokenPlace {
	out := make(tokenPlace, len(p), len(p)+1)
	copy(out, p)
	return append(out, step)
}

// guessToken looks for a token in parameters whose place the definition hides (inside
// an intrinsic or one JSONata expression): the first string under a key that names a
// token, depth first.
func guessToken(v value.Value, at tokenPlace) (string, tokenPlace, bool) {
	switch t := v.(type) {
	case *value.Object:
		for i := 0; i < t.Len(); i++ {
			k, child := t.At(i)
			if s, ok := child.(string); ok && s != "" && strings.Contains(strings.ToLower(k), "token") {
				return s, extend(at, k), true
			}
		}
		for i := 0; i < t.Len(); i++ {
			k, child := t.At(i)
			if s, p, ok := guessToken(child, extend(at, k)); ok {
				return s, p, true
			}
		}
	case []any:
		for i, child := range t {
			if s, p, ok := guessToken(child, extend(at, i)); ok {
				return s, p, true
			}
		}
	}
	return "", nil, false
}
