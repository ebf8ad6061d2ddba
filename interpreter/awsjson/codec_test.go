package awsjson

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// TestWireBytes pins the exact text for one output: member order (Go field order),
// omission of unset members (stateMachineArn), a pointer to zero written, timestamp
// digits, and no HTML escaping.
func TestWireBytes(t *testing.T) {
	out := &sfn.DescribeExecutionOutput{
		ExecutionArn: aws.String("arn:aws:states:us-east-1:111111111111:execution:m:e"),
		StartDate:    aws.Time(time.UnixMilli(1700000000120).UTC()),
		Status:       types.ExecutionStatusSucceeded,
		Input:        aws.String(`{"a":"<b>"}`),
		StopDate:     aws.Time(time.Unix(1700000001, 0)),
		RedriveCount: aws.Int32(0), // set to zero: written
	}
	got, err := Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"executionArn":"arn:aws:states:us-east-1:111111111111:execution:m:e",` +
		`"startDate":1700000000.12,"status":"SUCCEEDED",` +
		`"input":"{\"a\":\"<b>\"}","redriveCount":0,"stopDate":1700000001}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestTimestamps(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.UnixMilli(1700000000123), "1700000000.123"},
		{time.UnixMilli(1700000000100), "1700000000.1"},
		{time.UnixMilli(1700000000000), "1700000000"},
		{time.UnixMilli(1700000000123).Add(999 * time.Microsecond), "1700000000.123"}, // truncated, as the SDK does
		{time.UnixMilli(-1500), "-1.5"},
		{time.UnixMilli(5), "0.005"},
	} {
		if got := string(AppendTimestamp(nil, c.t)); got != c.want {
			t.Errorf("AppendTimestamp(%v) = %s, want %s", c.t, got, c.want)
		}
		var back struct{ T time.Time }
		if err := Unmarshal([]byte(`{"t":`+c.want+`}`), &back); err != nil {
			t.Fatal(err)
		}
		if !back.T.Equal(c.t.Truncate(time.Millisecond)) && c.t.UnixMilli() >= 0 {
			t.Errorf("%s reads back as %v, want %v", c.want, back.T, c.t)
		}
	}
	var v struct{ T *time.Time }
	if err := Unmarshal([]byte(`{"t":"2024-05-06T07:08:09.5Z"}`), &v); err != nil || v.T.UnixMilli() != 1714979289500 {
		t.Errorf("RFC 3339 timestamp: %v, %v", v.T, err)
	}
	if v.T.Location() != time.UTC {
		t.Errorf("decoded times must be UTC, like the SDK's: %v", v.T.Location())
	}
}

func TestFloats(t *testing.T) {
	for _, f := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 12.5, 0} {
		in := &types.MapRunItemCounts{}
		m := &sfn.DescribeMapRunOutput{ToleratedFailurePercentage: f, ItemCounts: in}
		data, err := Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back sfn.DescribeMapRunOutput
		if err := Unmarshal(data, &back); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		g := back.ToleratedFailurePercentage
		if !(g == f || (math.IsNaN(float64(g)) && math.IsNaN(float64(f)))) {
			t.Errorf("%v round trips to %v via %s", f, g, data)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct{ in, path string }{
		{`{"events":[{"id":1},{"id":"two"}]}`, "events[1].id"},
		{`{"events":[{"stateEnteredEventDetails":{"name":5}}]}`, "events[0].stateEnteredEventDetails.name"},
		{`{"events":[{"mapStateStartedEventDetails":{"length":3000000000}}]}`, "events[0].mapStateStartedEventDetails.length"},
		{`{"events":[{"id":1.5}]}`, "events[0].id"},
		{`{"events":[{"timestamp":true}]}`, "events[0].timestamp"},
		{`{"events":[{"timestamp":1e300}]}`, "events[0].timestamp"},
		{`{"events":{}}`, "events"},
		{`[]`, ""},
		{`{"events":[`, ""},
	} {
		var out sfn.GetExecutionHistoryOutput
		err := Unmarshal([]byte(c.in), &out)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Unmarshal(%s) = %v, want an *Error", c.in, err)
			continue
		}
		if e.Path != c.path {
			t.Errorf("Unmarshal(%s): path %q, want %q (%v)", c.in, e.Path, c.path, err)
		}
	}
	if err := Unmarshal([]byte(`{}`), sfn.GetExecutionHistoryOutput{}); err == nil {
		t.Error("Unmarshal into a non-pointer must fail")
	}
	if err := Unmarshal([]byte(`{}`), nil); err == nil {
		t.Error("Unmarshal into nil must fail")
	}
}

func TestDecodeLeniency(t *testing.T) {
	var out sfn.GetExecutionHistoryOutput
	in := `{"events":[{"id":2.0,"previousEventId":null,"type":"PassStateEntered","unknownMember":{"x":[1]},` +
		`"stateEnteredEventDetails":{"name":"S","input":null}}],"nextToken":null}`
	if err := Unmarshal([]byte(in), &out); err != nil {
		t.Fatal(err)
	}
	e := out.Events[0]
	if e.Id != 2 || e.PreviousEventId != 0 || e.StateEnteredEventDetails == nil ||
		aws.ToString(e.StateEnteredEventDetails.Name) != "S" || e.StateEnteredEventDetails.Input != nil || out.NextToken != nil {
		t.Errorf("got %+v", out)
	}
}

func TestMapsAndBytes(t *testing.T) {
	type inner struct {
		Data  []byte
		Tags  map[string][]string
		Free  any
		Names []string
	}
	v := inner{Data: []byte{0, 1, 254}, Tags: map[string][]string{"b": {"2"}, "a": {"1"}}, Free: 3, Names: []string{}}
	got, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"data":"AAH+","tags":{"a":["1"],"b":["2"]},"free":3,"names":[]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	var back inner
	if err := Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if string(back.Data) != string(v.Data) || back.Tags["b"][0] != "2" || back.Free != int64(3) || back.Names == nil {
		t.Errorf("got %+v", back)
	}
	if _, err := Marshal(struct{ C chan int }{make(chan int)}); err == nil || !strings.Contains(err.Error(), "c:") {
		t.Errorf("an unsupported member must fail with its path, got %v", err)
	}
}
