package conformance

import (
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// matcher decides whether the member k: v of an object is to be replaced, and by what
// text reference (for reference replacements).
type matcher func(k string, v value.Value) (value.Value, bool)

// walkMembers visits the members of every object reachable through objects and arrays of
// objects, replacing the matched ones. It does not descend into a matched member, and
// it stops at the first reference it cannot register, as the recording tool did.
func walkMembers(d value.Value, match matcher, replacement string, byRef bool, r *replacer) error {
	o, ok := d.(*value.Object)
	if !ok {
		return nil
	}
	for i, k := range o.Keys() {
		_, v := o.At(i)
		if m, hit := match(k, v); hit {
			if byRef {
				if err := r.reference(m, replacement); err != nil {
					return err
				}
				continue
			}
			o.Set(k, replacement)
			continue
		}
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				if _, isObj := e.(*value.Object); isObj {
					if err := walkMembers(e, match, replacement, byRef, r); err != nil {
						return err
					}
				}
			}
		case *value.Object:
			if err := walkMembers(x, match, replacement, byRef, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// keyIs matches the members named key, except those that are null or "": the recorder
// left those alone.
func keyIs(key string) matcher {
	return func(k string, v value.Value) (value.Value, bool) { return v, k == key && v != nil && v != "" }
}

func removeKey(v value.Value, key string) {
	switch x := v.(type) {
	case *value.Object:
		x.Delete(key)
		for i := range x.Keys() {
			_, e := x.At(i)
			removeKey(e, key)
		}
	case []any:
		for _, e := range x {
			removeKey(e, key)
		}
	}
}

// sdkMetadataDefaults are the substitutions every Step Functions recording got, for headers and
// request ids that AWS SDK integrations echo back.
var sdkMetadataDefaults = []Transformer{
	{Kind: "jsonpath", JSONPath: "$..SdkHttpMetadata..Date", Replacement: "date", ReplaceReference: ptrFalse},
	{Kind: "jsonpath", JSONPath: "$..SdkResponseMetadata..RequestId", Replacement: "RequestId", ReplaceReference: ptrFalse},
	{Kind: "jsonpath", JSONPath: "$..X-Amzn-Trace-Id", Replacement: "X-Amzn-Trace-Id", ReplaceReference: ptrFalse},
	{Kind: "jsonpath", JSONPath: "$..x-amz-crc32", Replacement: "x-amz-crc32", ReplaceReference: ptrFalse},
	{Kind: "jsonpath", JSONPath: "$..x-amzn-RequestId", Replacement: "x-amzn-RequestId", ReplaceReference: ptrFalse},
	{Kind: "jsonpath", JSONPath: "$..x-amzn-requestid", Replacement: "x-amzn-requestid", ReplaceReference: ptrFalse},
}

var ptrFalse = new(bool)

// applyTransformer applies one transformer to state. An errUnsupported result means the
// transformer (or its remainder) was skipped.
func applyTransformer(state value.Value, t Transformer, r *replacer) error {
	switch t.Kind {
	case "regex":
		return r.regex(t.Regex, t.Replacement)
	case "jsonpath":
		slots, err := findPath(state, t.JSONPath)
		if err != nil {
			return err
		}
		for _, s := range slots {
			if t.byReference() {
				if err := r.reference(s.get(), t.Replacement); err != nil {
					return err
				}
				continue
			}
			s.set(t.Replacement)
		}
		return nil
	case "key_value":
		return walkMembers(state, keyIs(t.Key), hyphenated(t.Replacement), t.byReference(), r)
	case "remove_key":
		removeKey(state, t.Key)
		return nil
	case "SfnNoneRecursiveParallelTransformer":
		slots, err := findPath(state, "$..events")
		if err != nil {
			return err
		}
		for _, s := range slots {
			if events, ok := s.get().([]any); ok {
				s.set(sortParallelBranches(events))
			}
		}
		return nil
	case "utility":
		return applyUtility(state, t.Name, r)
	case "generic":
		if strings.Contains(t.Fn, "def "+outputsToJSONFn+"(") {
			outputsToJSON(state)
			return nil
		}
		return unsupported("generic transformer (Python code)")
	}
	return unsupported("transformer kind %q", t.Kind)
}

// hyphenated writes a key_value replacement the way the recordings show it. The case
// files list these replacements in snake_case, derived from the key ("api_endpoint",
// "x-_amz-_cf-_pop"), but the recording tool derived them with hyphens, and the
// recorded values read "<api-endpoint:1>" and "x--amz--cf--pop". The recordings win.
func hyphenated(s string) string { return strings.ReplaceAll(s, "_", "-") }

// outputsToJSONFn names the one code transformer the recordings use: it parses every
// "output" text of the history that holds JSON, including arrays and scalars, which
// the general rule (only text starting with "{") leaves alone.
const outputsToJSONFn = "_convert_output_to_json"

// outputsToJSON follows that function's walk exactly: in each object, the first member
// that is an object with a text "output" holding JSON gets it parsed, and the walk of
// that object ends there.
func outputsToJSON(v value.Value) {
	o, ok := v.(*value.Object)
	if !ok {
		return
	}
	for i := range o.Keys() {
		_, e := o.At(i)
		switch x := e.(type) {
		case *value.Object:
			if out, has := x.Get("output"); has {
				if s, isText := out.(string); isText {
					if parsed, err := value.ParseString(s); err == nil {
						x.Set("output", parsed)
						return
					}
				}
			}
			outputsToJSON(x)
		case []any:
			for _, item := range x {
				outputsToJSON(item)
			}
		}
	}
}
