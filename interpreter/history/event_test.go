package history

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/awsjson"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func typeOf(s string) types.HistoryEventType { return types.HistoryEventType(s) }

func allTypes(t *testing.T) []types.HistoryEventType {
	all := types.HistoryEventType("").Values()
	// 62 in sfn v1.41.2; fewer means the enum is not what this package was written for.
	if len(all) < 62 {
		t.Fatalf("only %d history event types", len(all))
	}
	return all
}

// TestDetailsFieldByHand pins the cases where the rule could go wrong, independent of
// the rule itself (docs/asl-notes.md §7.1).
func TestDetailsFieldByHand(t *testing.T) {
	for typ, want := range map[string]string{
		"PassStateEntered":      "stateEnteredEventDetails",
		"FailStateEntered":      "stateEnteredEventDetails",
		"MapStateEntered":       "stateEnteredEventDetails",
		"ParallelStateExited":   "stateExitedEventDetails",
		"MapIterationStarted":   "mapIterationStartedEventDetails",
		"MapIterationSucceeded": "mapIterationSucceededEventDetails",
		"MapIterationFailed":    "mapIterationFailedEventDetails",
		"MapIterationAborted":   "mapIterationAbortedEventDetails",
		"MapStateStarted":       "mapStateStartedEventDetails",
		"MapRunStarted":         "mapRunStartedEventDetails",
		"MapRunRedriven":        "mapRunRedrivenEventDetails",
		"ExecutionRedriven":     "executionRedrivenEventDetails",
		"TaskScheduled":         "taskScheduledEventDetails",
		"EvaluationFailed":      "evaluationFailedEventDetails",
		"LambdaFunctionStarted": "",
		"ParallelStateStarted":  "",
		"ParallelStateFailed":   "",
		"MapStateSucceeded":     "",
		"MapStateAborted":       "",
		"MapRunSucceeded":       "",
		"MapRunAborted":         "",
		"TaskStateAborted":      "",
		"WaitStateAborted":      "",
		"NoSuchEventType":       "",
	} {
		if got := DetailsField(typeOf(typ)); got != want {
			t.Errorf("DetailsField(%s) = %q, want %q", typ, got, want)
		}
	}
}

// TestEveryEventType: each type's details land in one SDK field, the one DetailsField
// names, and survive both round trips.
func TestEveryEventType(t *testing.T) {
	used := map[string]bool{}
	withDetails := 0
	for i, typ := range allTypes(t) {
		e := sampleEvent(string(typ), int64(i+1))
		h := e.ToSDK()
		set := setDetailFields(h)
		key := DetailsField(typ)
		switch {
		case key == "" && len(set) != 0:
			t.Errorf("%s: no details field, but ToSDK set %v", typ, set)
		case key != "" && (len(set) != 1 || set[0] != key):
			t.Errorf("%s: ToSDK set %v, want [%s]", typ, set, key)
		}
		if key != "" {
			withDetails++
			used[key] = true
		}
		if back := FromSDK(h); !reflect.DeepEqual(back, e) {
			t.Errorf("%s: FromSDK(ToSDK(e)) = %+v, want %+v", typ, back, e)
		}
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("%s: MarshalJSON: %v", typ, err)
		}
		var back Event
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatalf("%s: UnmarshalJSON: %v\n%s", typ, err, data)
		}
		if !reflect.DeepEqual(back, e) {
			t.Errorf("%s: JSON round trip gives %+v, want %+v\n%s", typ, back, e, data)
		}
		// The hand-written header must agree with the generic codec on the SDK type.
		generic, err := awsjson.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		if !value.Equal(value.MustParse(string(data)), value.MustParse(string(generic))) {
			t.Errorf("%s: MarshalJSON\n%s\nawsjson.Marshal(ToSDK())\n%s", typ, data, generic)
		}
	}
	// Every details field of the SDK's HistoryEvent must be reachable from some type.
	for _, i := range detailFields {
		key := awsjson.MemberName(historyEventType, historyEventType.Field(i).Name)
		if !used[key] {
			t.Errorf("no event type puts its details in %s", key)
		}
	}
	if withDetails < 40 {
		t.Errorf("only %d event types have details", withDetails)
	}
}

// setDetailFields lists the wire names of the details fields set in h.
func setDetailFields(h types.HistoryEvent) []string {
	var out []string
	v := reflect.ValueOf(h)
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if f.IsExported() && strings.HasSuffix(f.Name, "EventDetails") && !v.Field(i).IsNil() {
			out = append(out, awsjson.MemberName(v.Type(), f.Name))
		}
	}
	return out
}

func TestMismatchedDetails(t *testing.T) {
	e := Event{ID: 3, Type: types.HistoryEventTypeTaskStateEntered, Details: &types.TaskFailedEventDetails{}}
	if err := e.Check(); err == nil || !strings.Contains(err.Error(), "StateEnteredEventDetails") {
		t.Errorf("Check() = %v, want an error naming the expected type", err)
	}
	if _, err := json.Marshal(e); err == nil {
		t.Error("MarshalJSON accepted mismatched details")
	}
	if set := setDetailFields(e.ToSDK()); len(set) != 0 {
		t.Errorf("ToSDK put mismatched details in %v", set)
	}
	none := Event{ID: 4, Type: types.HistoryEventTypeParallelStateStarted, Details: Entered("x", "{}")}
	if err := none.Check(); err == nil {
		t.Error("Check() accepted details on a type that has none")
	}
	// A typed nil pointer is as good as no details.
	var nilDetails *types.StateEnteredEventDetails
	tn := Event{ID: 5, Type: types.HistoryEventTypePassStateEntered, Details: nilDetails}
	data, err := json.Marshal(tn)
	if err != nil || strings.Contains(string(data), "EventDetails") {
		t.Errorf("typed nil details: %s, %v", data, err)
	}
}

// TestUnknownTypeKeepsDetails: a history from a newer AWS, with an event type this SDK
// does not list, still shows its details.
func TestUnknownTypeKeepsDetails(t *testing.T) {
	var e Event
	err := e.UnmarshalJSON([]byte(`{"type":"FutureThing","id":9,"previousEventId":8,"taskFailedEventDetails":{"error":"E"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if e.Type != "FutureThing" || e.ID != 9 {
		t.Fatalf("got %+v", e)
	}
	if got, ok := e.Error(); !ok || got != "E" {
		t.Errorf("details of an unknown type lost: %+v", e.Details)
	}
}

func TestWireForm(t *testing.T) {
	e := Event{ID: 2, Timestamp: sampleEvent("PassStateEntered", 1).Timestamp, Type: types.HistoryEventTypePassStateEntered,
		Details: Entered("Step <1>", `{"a":"é"}`)}
	// Called directly: encoding/json would HTML-escape what MarshalJSON returns, which
	// AWS does not do.
	got, err := e.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"timestamp":1700000000.037,"type":"PassStateEntered","id":2,"previousEventId":0,` +
		`"stateEnteredEventDetails":{"name":"Step <1>","input":"{\"a\":\"é\"}","inputDetails":{"truncated":false}}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestUnmarshalErrors(t *testing.T) {
	for _, in := range []string{
		`{"type":"PassStateEntered","id":"x"}`,
		`{"type":"PassStateEntered","stateEnteredEventDetails":{"name":3}}`,
		`[1]`,
		`{"timestamp":"yesterday"}`,
		`{`,
	} {
		var e Event
		if err := e.UnmarshalJSON([]byte(in)); err == nil {
			t.Errorf("UnmarshalJSON(%s) accepted it: %+v", in, e)
		}
	}
}

// The quick readers of Entered and Exited events agree with the general ones, and leave
// details that do not fit their event's type to them.
func TestQuickReadersAgree(t *testing.T) {
	in, out, name := "{\"a\":1}", "{\"b\":2}", "S"
	entered := Event{ID: 1, Type: types.HistoryEventTypePassStateEntered, Details: &types.StateEnteredEventDetails{Name: &name, Input: &in}}
	exited := Event{ID: 2, Type: types.HistoryEventTypeTaskStateExited, Details: &types.StateExitedEventDetails{Name: &name, Output: &out}}
	misfit := Event{ID: 3, Type: types.HistoryEventTypeExecutionStarted, Details: &types.StateEnteredEventDetails{Name: &name, Input: &in}}
	empty := Event{ID: 4, Type: types.HistoryEventTypePassStateEntered, Details: &types.StateEnteredEventDetails{}}
	for _, c := range []struct {
		ev        Event
		read      func(*Event) (string, bool)
		want      string
		wantFound bool
	}{
		{entered, (*Event).StateName, "S", true},
		{entered, (*Event).Input, in, true},
		{exited, (*Event).StateName, "S", true},
		{exited, (*Event).Output, out, true},
		{misfit, (*Event).StateName, "", false},
		{misfit, (*Event).Input, "", false},
		{empty, (*Event).StateName, "", false},
	} {
		got, found := c.read(&c.ev)
		slow, slowFound := c.ev.text(func(a *access) int { return a.name })
		if got != c.want || found != c.wantFound {
			t.Errorf("event %d: got %q %v, want %q %v", c.ev.ID, got, found, c.want, c.wantFound)
		}
		if c.want == "S" && (slow != got || slowFound != found) {
			t.Errorf("event %d: the general reader says %q %v", c.ev.ID, slow, slowFound)
		}
	}
}
