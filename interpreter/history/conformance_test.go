package history

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/awsjson"
	"github.com/stepdeck/stepdeck/interpreter/conformance/corpus"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func conformanceDir(t testing.TB) string {
	t.Helper()
	return corpus.Dir(t, "asl")
}

// recordedEvents returns every recorded event of every case, by file.
func recordedEvents(t *testing.T) map[string][]*value.Object {
	dir := conformanceDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*", "*.json"))
	out := map[string][]*value.Object{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := value.Parse(data)
		if err != nil {
			continue // not a case file
		}
		root, _ := doc.(*value.Object)
		if root == nil {
			continue
		}
		exp, _ := root.Get("expected")
		eo, _ := exp.(*value.Object)
		if eo == nil {
			continue
		}
		evs, _ := eo.Get("events")
		list, _ := evs.([]any)
		for _, e := range list {
			if o, ok := e.(*value.Object); ok {
				out[f] = append(out[f], o)
			}
		}
	}
	return out
}

// TestRecordedHistories: every event AWS recorded has the details member DetailsField
// names, and reading it and writing it back gives the same document (after the
// recordings' normalization), so no member name, omission rule or number format of
// ours differs from AWS's.
func TestRecordedHistories(t *testing.T) {
	byFile := recordedEvents(t)
	if len(byFile) == 0 {
		t.Fatal("no recorded events found: has the layout of the conformance data changed?")
	}
	problems := map[string]int{}
	example := map[string]string{}
	report := func(kind, file string, detail string) {
		problems[kind]++
		if _, ok := example[kind]; !ok {
			example[kind] = filepath.Base(file) + ": " + detail
		}
	}
	total := 0
	for file, events := range byFile {
		for _, rec := range events {
			total++
			tv, _ := rec.Get("type")
			typ, _ := tv.(string)
			want := DetailsField(types.HistoryEventType(typ))
			for _, k := range rec.Keys() {
				if strings.HasSuffix(k, "EventDetails") && k != want {
					report(typ+": recorded "+k+", DetailsField says "+strconvQuote(want), file, k)
				}
			}
			if want != "" && !rec.Has(want) {
				report(typ+": "+want+" missing from the recording", file, value.String(rec))
			}
			// Inside Parallel and Map blocks the recordings mask ids (their order is not
			// deterministic); the ids' own format is covered by the other events.
			rec = maskIDs(rec)
			in := restring(rec, reflect.TypeFor[types.HistoryEvent]())
			var e Event
			if err := e.UnmarshalJSON(value.Marshal(in)); err != nil {
				report(typ+": UnmarshalJSON failed", file, err.Error())
				continue
			}
			e.Timestamp = e.Timestamp.UTC()
			out, err := e.MarshalJSON()
			if err != nil {
				report(typ+": MarshalJSON failed", file, err.Error())
				continue
			}
			got := maskIDs(normalize(value.MustParse(string(out))).(*value.Object))
			if msg := sameShape(withoutTimestamp(rec), withoutTimestamp(got), typ); msg != "" {
				report(msg, file, string(out))
			}
		}
	}
	t.Logf("%d recorded events in %d cases", total, len(byFile))
	kinds := make([]string, 0, len(problems))
	for k := range problems {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		t.Errorf("%s (%d events), e.g. %s", k, problems[k], example[k])
	}
}

// maskIDs replaces an id or previousEventId that is not a number by 0.
func maskIDs(o *value.Object) *value.Object {
	c := o
	for _, k := range []string{"id", "previousEventId"} {
		v, ok := o.Get(k)
		if _, num := v.(int64); ok && !num {
			if c == o {
				c = o.Clone()
			}
			c.Set(k, int64(0))
		}
	}
	return c
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

func withoutTimestamp(o *value.Object) *value.Object {
	c := o.Clone()
	c.Delete("timestamp")
	return c
}

// sameShape compares a recorded document with ours and names the first member that
// differs in presence or value.
func sameShape(rec, got value.Value, path string) string {
	ro, ok1 := rec.(*value.Object)
	goo, ok2 := got.(*value.Object)
	if ok1 && ok2 {
		for _, k := range ro.Keys() {
			rv, _ := ro.Get(k)
			gv, ok := goo.Get(k)
			if !ok {
				return path + "." + k + ": recorded, not written by us"
			}
			if msg := sameShape(rv, gv, path+"."+k); msg != "" {
				return msg
			}
		}
		for _, k := range goo.Keys() {
			if !ro.Has(k) {
				return path + "." + k + ": written by us, not recorded"
			}
		}
		return ""
	}
	if gs, ok := got.(string); ok {
		if _, recString := rec.(string); !recString {
			// Some cases' own transformers parse payloads that are not objects ("[1,2]",
			// "3"): compare our text as the value it holds.
			if p, err := value.ParseString(gs); err == nil {
				got = p
			}
		}
	}
	if !value.Equal(rec, got) {
		return path + ": value differs"
	}
	return ""
}

// normalize applies the recordings' rule (asl/normalize_reference.py): an object member
// that is a string starting with "{" and parsing as JSON is replaced by the parsed value,
// without looking into what was just parsed; strings in arrays stay strings.
func normalize(v value.Value) value.Value {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			if _, isString := e.(string); !isString {
				e = normalize(e)
			}
			out[i] = e
		}
		return out
	case *value.Object:
		out := value.NewObject(x.Len())
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			if s, ok := e.(string); ok && strings.HasPrefix(s, "{") {
				if p, err := value.ParseString(s); err == nil {
					out.Set(k, p)
					continue
				}
			}
			out.Set(k, normalize(e))
		}
		return out
	}
	return v
}

// restring undoes the normalization where the Go type says a member is text: the
// recordings hold parsed objects where AWS sent JSON strings.
func restring(v value.Value, t reflect.Type) value.Value {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		if _, ok := v.(string); !ok && v != nil {
			return value.String(v)
		}
	case reflect.Struct:
		o, ok := v.(*value.Object)
		if !ok {
			return v
		}
		out := value.NewObject(o.Len())
		for i := 0; i < o.Len(); i++ {
			k, e := o.At(i)
			if f, ok := fieldByMember(t, k); ok {
				e = restring(e, f.Type)
			}
			out.Set(k, e)
		}
		return out
	case reflect.Map:
		o, ok := v.(*value.Object)
		if !ok {
			return v
		}
		out := value.NewObject(o.Len())
		for i := 0; i < o.Len(); i++ {
			k, e := o.At(i)
			out.Set(k, restring(e, t.Elem()))
		}
		return out
	case reflect.Slice:
		a, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(a))
		for i, e := range a {
			out[i] = restring(e, t.Elem())
		}
		return out
	}
	return v
}

func fieldByMember(t reflect.Type, member string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.IsExported() && awsjson.MemberName(t, f.Name) == member {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
