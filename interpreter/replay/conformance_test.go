package replay

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// awsEvents turns a case's normalized recording back into history events: normalization
// parsed JSON-looking texts into objects, and a history holds them as text.
func awsEvents(t *testing.T, c *conformance.Case) ([]history.Event, bool) {
	doc, err := value.Parse(c.Expected.Events)
	list, isList := doc.([]any)
	if err != nil || !isList {
		return nil, false
	}
	var out []history.Event
	for _, item := range list {
		obj, ok := item.(*value.Object)
		if !ok {
			return nil, false
		}
		obj = obj.Clone()
		obj.Delete("timestamp")
		for _, k := range obj.Keys() {
			if d, ok := obj.Get(k); ok {
				if det, isObj := d.(*value.Object); isObj {
					obj.Set(k, textual(det))
				}
			}
		}
		var e history.Event
		if err := e.UnmarshalJSON(value.Marshal(obj)); err != nil {
			t.Logf("%s: %v", c.ID, err)
			return nil, false
		}
		out = append(out, e)
	}
	return out, true
}

// textual re-encodes the members of event details that normalization parsed: a text
// that started with "{" and parsed as JSON became an object.
func textual(d *value.Object) *value.Object {
	d = d.Clone()
	for _, k := range d.Keys() {
		v, _ := d.Get(k)
		o, isObj := v.(*value.Object)
		switch {
		case !isObj:
		case k == "assignedVariables":
			d.Set(k, textual(o))
		case k == "inputDetails" || k == "outputDetails" || k == "assignedVariablesDetails" || k == "taskCredentials":
		default:
			d.Set(k, value.String(o))
		}
	}
	return d
}

// placeholders reports whether the normalization put placeholders for names (an
// activity's ARN) into the recording: the replay runs on the names themselves.
func placeholders(c *conformance.Case) bool {
	for _, tr := range c.Normalization.TestTransformers {
		// every recording has the role's placeholder, in ExecutionStarted: no state sees it
		if tr.Replacement != "" && tr.Replacement != "snf_role_arn" && bytes.Contains(c.Expected.Events, []byte(tr.Replacement)) {
			return true
		}
	}
	return false
}

// Values from the clock or from randomness cannot replay the same, nor names the
// normalization replaced by placeholders.
var unreplayable = regexp.MustCompile(`States\.(MathRandom|UUID)|\$random|\$uuid|\$now|\$millis|EnteredTime|StartTime|Timestamp|"date"|<[A-Za-z]+Part_\d+idx>|<partition>`)

// TestAWSRecordingsReplayTheSame replays executions recorded on AWS against their own
// definitions: whatever the place analysis makes of AWS's interleaved branches and
// iterations, the replay must find no difference.
func TestAWSRecordingsReplayTheSame(t *testing.T) {
	root := conformance.DataDir(t, "asl")
	var cases []*conformance.Case
	// external/ holds executions with Lambda, SQS, callback and nested tasks: their
	// recorded results answer the replay's tasks.
	for _, sub := range []string{"self_contained", "external"} {
		cs, err := conformance.Load(filepath.Join(root, sub))
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, cs...)
	}
	checked, differ := 0, 0
	for _, c := range conformance.Executions(cases) {
		if !c.HasHistory() || c.Expected.Status == "ABORTED" || unreplayable.Match(c.Definition) || unreplayable.Match(c.Expected.Events) {
			continue
		}
		if placeholders(c) || regexp.MustCompile(`"DISTRIBUTED"`).Match(c.Definition) {
			// A distributed Map's iterations are child executions: the tasks they ran
			// are not in this history, and the replay has nothing to answer them with.
			continue
		}
		def, err := asl.Parse(c.Definition)
		if err != nil {
			continue
		}
		events, ok := awsEvents(t, c)
		if !ok || len(events) == 0 {
			continue
		}
		res, err := Run(context.Background(), def, events)
		if err != nil {
			continue
		}
		checked++
		if !res.Same() {
			differ++
			t.Errorf("%s:\n%s", c.ID, res.Report())
		}
	}
	t.Logf("%d AWS recordings replayed, %d differ", checked, differ)
	if checked < 100 {
		t.Fatalf("only %d recordings replayed", checked)
	}
}
