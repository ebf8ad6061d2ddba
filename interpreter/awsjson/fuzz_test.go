package awsjson

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// fuzzTargets are the types whose decoding the server and the history reader depend on.
var fuzzTargets = []reflect.Type{
	reflect.TypeFor[sfn.GetExecutionHistoryOutput](),
	reflect.TypeFor[sfn.StartExecutionInput](),
	reflect.TypeFor[sfn.TestStateOutput](),
	reflect.TypeFor[sfn.DescribeMapRunOutput](),
	reflect.TypeFor[sfn.CreateStateMachineInput](),
}

// FuzzUnmarshal: no input makes Unmarshal panic, and whatever it accepts is written and
// read back to the same bytes.
func FuzzUnmarshal(f *testing.F) {
	for i, typ := range fuzzTargets {
		v := reflect.New(typ)
		newFiller(uint64(i), 0.3).fill(v.Elem())
		data, err := Marshal(v.Interface())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{`{}`, `null`, `{"events":[{"timestamp":-1e20}]}`, `{"toleratedFailurePercentage":"nan"}`,
		`{"events":[{"id":9223372036854775807,"previousEventId":-9223372036854775808}]}`, `{"tags":[{"key":null}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, typ := range fuzzTargets {
			v := reflect.New(typ)
			if err := Unmarshal(data, v.Interface()); err != nil {
				continue
			}
			once, err := Marshal(v.Interface())
			if err != nil {
				t.Fatalf("%s: decoded %q but cannot write it back: %v", typ, data, err)
			}
			w := reflect.New(typ)
			if err := Unmarshal(once, w.Interface()); err != nil {
				t.Fatalf("%s: cannot read our own output %s: %v", typ, once, err)
			}
			twice, _ := Marshal(w.Interface())
			if !bytes.Equal(once, twice) {
				t.Fatalf("%s: unstable round trip\n%s\n%s", typ, once, twice)
			}
		}
	})
}
