package conformance

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// dataDir is the recorded corpus, which a plain clone does not have.
func dataDir(t testing.TB) string { return CorpusDir(t) }

var corpus struct {
	once  sync.Once
	cases []*Case
	err   error
}

// loadCases loads the corpus once per test binary; tests must not modify the cases.
func loadCases(t testing.TB) []*Case {
	t.Helper()
	dir := dataDir(t)
	corpus.once.Do(func() { corpus.cases, corpus.err = Load(dir) })
	if corpus.err != nil {
		t.Fatal(corpus.err)
	}
	return corpus.cases
}

// wireFields hold JSON text on the wire and were parsed by the normalization.
var wireFields = map[string]bool{"input": true, "output": true, "parameters": true, "cause": true}

// toWire rebuilds, from a case's recorded (normalized) events, the GetExecutionHistory
// events AWS would have sent: JSON held as text, numeric timestamps, and the literal
// substitutions of the case undone so that normalization has real work to do.
func toWire(c *Case, events []any) []byte {
	undo := undoSubstitutions(c)
	out := make([]any, len(events))
	for i, e := range events {
		o := undo(value.DeepCopy(e)).(*value.Object)
		for j, k := range o.Keys() {
			_, d := o.At(j)
			if det, ok := d.(*value.Object); ok && strings.HasSuffix(k, "EventDetails") {
				o.Set(k, detailsToWire(det))
			}
		}
		o.Set("timestamp", 1.7073127221e9+float64(i)/1000)
		out[i] = o
	}
	return value.Marshal(out)
}

func detailsToWire(d *value.Object) *value.Object {
	for i, k := range d.Keys() {
		_, v := d.At(i)
		switch {
		case wireFields[k]:
			if _, isText := v.(string); !isText {
				d.Set(k, value.String(v))
			}
		case k == "assignedVariables":
			if vars, ok := v.(*value.Object); ok {
				for j, name := range vars.Keys() {
					_, vv := vars.At(j)
					if _, isText := vv.(string); !isText {
						vars.Set(name, value.String(vv))
					}
				}
			}
		}
	}
	return d
}

var uuidRef = regexp.MustCompile(`<uuid:(\d+)>`)

// resourceRef finds the resource names that the ARN rule of some utility sets hid; a
// name of fixed width stands for each, so that no name is a prefix of another.
var resourceRef = regexp.MustCompile(`<resource:(\d+)>`)

func undoSubstitutions(c *Case) func(value.Value) value.Value {
	type pair struct{ from, to string }
	var pairs []pair
	ts := c.Normalization.TestTransformers
	for i := len(ts) - 1; i >= 0; i-- {
		t := ts[i]
		if t.Kind != "regex" {
			continue
		}
		re, err := regexp.Compile(t.Regex)
		if err != nil {
			continue
		}
		if lit, complete := re.LiteralPrefix(); complete && !strings.Contains(t.Replacement, `\`) {
			pairs = append(pairs, pair{t.Replacement, lit})
		}
	}
	pairs = append(pairs, pair{"<region>", recordedRegion}, pair{"arn:<partition>:", "arn:aws:"})
	var walk func(v value.Value) value.Value
	walk = func(v value.Value) value.Value {
		switch x := v.(type) {
		case string:
			if x == "date" {
				return "2024-02-07T13:52:02.123Z"
			}
			for _, p := range pairs {
				x = strings.ReplaceAll(x, p.from, p.to)
			}
			x = resourceRef.ReplaceAllStringFunc(x, func(m string) string {
				var n int
				fmt.Sscanf(m, "<resource:%d>", &n)
				return fmt.Sprintf("res%08d", n)
			})
			return uuidRef.ReplaceAllStringFunc(x, func(m string) string {
				var n int
				fmt.Sscanf(m, "<uuid:%d>", &n)
				return fmt.Sprintf("%08x-0000-4000-8000-%012x", n, 0xabc)
			})
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		case *value.Object:
			for i, k := range x.Keys() {
				_, e := x.At(i)
				x.Set(k, walk(e))
			}
		}
		return v
	}
	return walk
}

func recordedEvents(t testing.TB, c *Case) []any {
	t.Helper()
	v, err := value.Parse(c.Expected.Events)
	if err != nil {
		t.Fatalf("%s: %v", c.ID, err)
	}
	return v.([]any)
}
