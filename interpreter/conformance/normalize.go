package conformance

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// The account, region and partition the recordings were made in. An engine under test
// must use the ARNs of the case (which carry these) for its output to normalize alike.
const (
	recordedAccount   = "111111111111"
	recordedRegion    = "us-east-1"
	recordedPartition = "aws"
)

const uuidPattern = `[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}`

// isoPattern matches an ISO-8601 date-time with a valid calendar date.
const isoPattern = `(?:[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|` +
	`(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)` +
	`T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-][01]\d:?([0-5]\d)?)`

var (
	uuidPrefix   = regexp.MustCompile(`^` + uuidPattern)
	isoAnywhere  = regexp.MustCompile(isoPattern)
	isoPrefix    = regexp.MustCompile(`^(?:` + isoPattern + `)`)
	timestampKey = regexp.MustCompile(`(?i)^.*timestamp.*\n?$`)
	// causeWithJSON finds JSON quoted inside an error message, as in
	// "... input '{"a":1}' ...".
	causeWithJSON = regexp.MustCompile(`^.*'(\{.*\})'`)
)

// NormalizeState normalizes a snapshot (snapshot key → raw API response) the way the
// recordings were: keys sorted, JSON text in object members parsed, the standard and the
// case's transformers applied, then every collected substitution applied to the JSON
// text of each top-level entry. state is not modified.
func NormalizeState(state *value.Object, transformers []Transformer) (*value.Object, error) {
	return normalizeState(state, transformers, true)
}

// normalizeState is NormalizeState with the SDK-metadata substitutions optional; see
// Case.apiDefaultsApplied.
func normalizeState(state *value.Object, transformers []Transformer, apiDefaults bool) (*value.Object, error) {
	st := sortKeys(value.DeepCopy(state).(*value.Object))
	parseJSONMembers(st)
	r := newReplacer()

	removeKey(st, "x-localstack")
	for _, t := range sdkMetadataDefaults {
		if !apiDefaults {
			break
		}
		if err := applyTransformer(st, t, r); err != nil {
			return nil, err
		}
	}
	// A JSON payload quoted in a cause is replaced as a whole: its text may not survive
	// a round trip through the engine byte for byte.
	if err := walkMembers(st, causeJSON, "json-input", true, r); err != nil {
		return nil, err
	}
	for _, t := range transformers {
		err := applyTransformer(st, t, r)
		var skip *errUnsupported
		if err != nil && !errors.As(err, &skip) {
			return nil, err
		}
	}
	if err := registerMapRuns(st, r); err != nil {
		return nil, err
	}
	r.compiled(regexp.MustCompile(regexp.QuoteMeta(recordedRegion)), "<region>")
	r.compiled(regexp.MustCompile(regexp.QuoteMeta("arn:"+recordedPartition+":")), "arn:<partition>:")
	simplifyResponseMetadata(st)
	if err := walkMembers(st, uuidUnderID, "uuid", true, r); err != nil {
		return nil, err
	}
	r.compiled(isoAnywhere, "date")
	r.subs[len(r.subs)-1].mayMatch = mayHoldISODate
	if err := walkMembers(st, timestampMember, "timestamp", false, r); err != nil {
		return nil, err
	}

	out := value.NewObject(st.Len())
	for i, k := range st.Keys() {
		_, v := st.At(i)
		text := r.apply(pyDumps(v))
		parsed, err := value.ParseString(text)
		if err != nil {
			return nil, fmt.Errorf("normalizing %q: the substitutions of the case broke the JSON text: %v", k, err)
		}
		out.Set(k, parsed)
	}
	return out, nil
}

func causeJSON(k string, v value.Value) (value.Value, bool) {
	s, ok := v.(string)
	if k != "cause" || !ok {
		return nil, false
	}
	m := causeWithJSON.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	if _, err := value.ParseString(m[1]); err != nil {
		return nil, false
	}
	return m[1], true
}

func uuidUnderID(k string, v value.Value) (value.Value, bool) {
	s, ok := v.(string)
	return v, ok && strings.HasSuffix(strings.ToLower(k), "id") && uuidPrefix.MatchString(s)
}

func timestampMember(k string, v value.Value) (value.Value, bool) {
	if !isTimestampKey(k) && k != "creationTime" && k != "ingestionTime" {
		return nil, false
	}
	s, isText := v.(string)
	return v, !(isText && isoPrefix.MatchString(s))
}

// mayHoldISODate reports whether text has a "-ddT" (the end of a date and the start of
// a time), without which isoPattern cannot match; the regexp engine is slow on long
// texts for a pattern with no literal prefix.
func mayHoldISODate(text string) bool {
	for i := strings.IndexByte(text, 'T'); i >= 0; {
		if i >= 3 && text[i-3] == '-' && isDigit(text[i-2]) && isDigit(text[i-1]) {
			return true
		}
		next := strings.IndexByte(text[i+1:], 'T')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isTimestampKey reports whether a key names a timestamp, as the pattern timestampKey
// says; plain ASCII keys, nearly all of them, skip the regexp engine.
func isTimestampKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if k[i] >= utf8.RuneSelf || k[i] == '\n' {
			return timestampKey.MatchString(k)
		}
	}
	return strings.Contains(strings.ToLower(k), "timestamp")
}

// registerMapRuns replaces the parts of map run ARNs that are random (the label or
// generated id, and the run's UUID) by placeholders numbered in order of appearance.
func registerMapRuns(st value.Value, r *replacer) error {
	slots, err := findPath(st, "$..mapRunArn")
	if err != nil {
		return err
	}
	var seen []string
	for _, s := range slots {
		arn, ok := s.get().(string)
		if !ok || contains(seen, arn) {
			continue
		}
		seen = append(seen, arn)
	}
	for i, arn := range seen {
		tail := arn[strings.LastIndexByte(arn, '/')+1:]
		parts := strings.Split(tail, ":")
		if len(parts) < 2 {
			continue
		}
		r.compiled(regexp.MustCompile(regexp.QuoteMeta(parts[1])), fmt.Sprintf("<MapRunArnPart1_%didx>", i))
		if uuidPrefix.MatchString(parts[0]) {
			r.compiled(regexp.MustCompile(regexp.QuoteMeta(parts[0])), fmt.Sprintf("<MapRunArnPart0_%didx>", i))
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// sortKeys orders the members of every object by key, moving ResponseMetadata last. Like
// the recording tool it reaches objects through objects and arrays, but not arrays
// nested directly in arrays.
func sortKeys(o *value.Object) *value.Object {
	keys := append([]string(nil), o.Keys()...)
	sort.Strings(keys)
	out := value.NewObject(len(keys))
	var meta value.Value
	hasMeta := false
	for _, k := range keys {
		v, _ := o.Get(k)
		switch x := v.(type) {
		case *value.Object:
			v = sortKeys(x)
		case []any:
			for i, e := range x {
				if eo, ok := e.(*value.Object); ok {
					x[i] = sortKeys(eo)
				}
			}
		}
		if k == "ResponseMetadata" {
			meta, hasMeta = v, true
			continue
		}
		out.Set(k, v)
	}
	if hasMeta {
		out.Set("ResponseMetadata", meta)
	}
	return out
}

// parseJSONMembers replaces every object member whose text starts with "{" and is JSON
// by the parsed value (its keys left in document order). Text in arrays, and text that
// is JSON of another kind, stays text; the parsed value is not searched again.
func parseJSONMembers(o *value.Object) {
	for i, k := range o.Keys() {
		_, v := o.At(i)
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				if eo, ok := e.(*value.Object); ok {
					parseJSONMembers(eo)
				}
			}
		case *value.Object:
			parseJSONMembers(x)
		case string:
			if strings.HasPrefix(x, "{") {
				if parsed, err := value.ParseString(x); err == nil {
					o.Set(k, parsed)
				}
			}
		}
	}
}

// simplifyResponseMetadata keeps only the content type and status code of recorded
// HTTP metadata.
func simplifyResponseMetadata(o *value.Object) {
	for i, k := range o.Keys() {
		_, v := o.At(i)
		vo, ok := v.(*value.Object)
		if !ok {
			continue
		}
		if k != "ResponseMetadata" {
			simplifyResponseMetadata(vo)
			continue
		}
		hv, _ := vo.Get("HTTPHeaders")
		headers, ok := hv.(*value.Object)
		if !ok {
			continue
		}
		kept := value.NewObject(1)
		if ct, _ := headers.Get("content_type"); truthy(ct) {
			kept.Set("content_type", ct)
		}
		simple := value.ObjectOf("HTTPHeaders", kept)
		if code, _ := vo.Get("HTTPStatusCode"); truthy(code) {
			simple.Set("HTTPStatusCode", code)
		}
		o.Set(k, simple)
	}
}

// truthy is Python's truth value of a JSON value.
func truthy(v value.Value) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int64:
		return x != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case *value.Object:
		return x.Len() > 0
	}
	return false
}
