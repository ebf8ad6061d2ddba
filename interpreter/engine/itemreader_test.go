package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// readerMap is a distributed Map that reads its items with the given ReaderConfig from
// s3:getObject, with Bucket and Key from its input.
func readerMap(config string) string {
	return `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
		"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":` + config + `,
			"Parameters":{"Bucket.$":"$.Bucket","Key.$":"$.Key"}},
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
			"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`
}

// s3Objects serves s3:getObject from a map of keys to bodies, and records the calls.
type s3Objects struct {
	bodies map[string]string
	calls  []*TaskCall
}

func (s *s3Objects) registry() *Registry {
	reg := &Registry{}
	reg.Handle("arn:aws:states:::s3:getObject", func(ctx context.Context, c *TaskCall) (value.Value, error) {
		s.calls = append(s.calls, c)
		o, _ := c.Input.(*value.Object)
		key, _ := o.Get("Key")
		body, ok := s.bodies[plain(key)]
		if !ok {
			return nil, failure.New("S3.NoSuchKeyException", "The specified key does not exist.")
		}
		return body, nil
	})
	return reg
}

func TestItemReaderParsesTheObject(t *testing.T) {
	const csvBody = "a,b\n1,x\n2,\"y,z\"\n3\n4,w,extra\n"
	for _, tc := range []struct {
		name, config, body, want string
	}{
		{"JSON", `{"InputType":"JSON"}`, `[{"n":1},2,"three"]`, `[{"n":1},2,"three"]`},
		{"JSON MaxItems", `{"InputType":"JSON","MaxItems":2}`, `[1,2,3]`, `[1,2]`},
		{"JSON MaxItems 0 reads all", `{"InputType":"JSON","MaxItems":0}`, `[1,2,3]`, `[1,2,3]`},
		{"JSONL", `{"InputType":"JSONL"}`, "{\"a\":1}\n\n[2]\n\"s\"\n", `[{"a":1},[2],"s"]`},
		{"CSV first row", `{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}`, csvBody,
			`[{"a":"1","b":"x"},{"a":"2","b":"y,z"},{"a":"3","b":""},{"a":"4","b":"w"}]`},
		{"CSV given headers", `{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["k","v"]}`, "1,true\nnull,  \n",
			`[{"k":"1","v":"true"},{"k":"null","v":"  "}]`},
		{"CSV MaxItems path", `{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","MaxItemsPath":"$.Max"}`, csvBody,
			`[{"a":"1","b":"x"}]`},
		{"CSV pipe", `{"InputType":"CSV","CSVDelimiter":"PIPE"}`, "a|b\n1|2\n", `[{"a":"1","b":"2"}]`},
		{"CSV keys sorted", `{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["z","","a"]}`, "1,2,3\n", `[{"":"2","a":"3","z":"1"}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s3 := &s3Objects{bodies: map[string]string{"k": tc.body}}
			x := run(t, readerMap(tc.config), `{"Bucket":"b","Key":"k","Max":1}`, s3.registry())
			if x.Status != types.ExecutionStatusSucceeded {
				t.Fatalf("status %s: %s %s", x.Status, x.Error, x.Cause)
			}
			if got := value.String(x.Output); got != tc.want {
				t.Errorf("output %s, want %s", got, tc.want)
			}
			if len(s3.calls) != 1 || s3.calls[0].StateName != "M" || value.String(s3.calls[0].Input) != `{"Bucket":"b","Key":"k"}` {
				t.Errorf("calls %+v, want one getObject named after the Map with the evaluated parameters", s3.calls)
			}
		})
	}
}

func TestItemReaderEventsAsAWSRecordsThem(t *testing.T) {
	s3 := &s3Objects{bodies: map[string]string{"k": `[1,2]`}}
	x := run(t, readerMap(`{"InputType":"JSON"}`), `{"Bucket":"b","Key":"k"}`, s3.registry())
	want := "1 ExecutionStarted(0) · 2 MapStateEntered(0) · 3 MapStateStarted(2) · 4 MapRunStarted(3) · 5 MapRunSucceeded(4) · " +
		"6 MapStateSucceeded(5) · 7 MapStateExited(5) · 8 ExecutionSucceeded(7)"
	if got := trace(x); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
	if d := x.History[2].Details.(*types.MapStateStartedEventDetails); d.Length != 0 {
		t.Errorf("MapStateStarted length %d, want 0: AWS counts no items before the read", d.Length)
	}
}

func TestItemReaderIgnoresItemsPath(t *testing.T) {
	def := strings.Replace(readerMap(`{"InputType":"JSON"}`), `"MaxConcurrency":1,`, `"MaxConcurrency":1,"ItemsPath":"$.other",`, 1)
	s3 := &s3Objects{bodies: map[string]string{"k": `[["from-file"]]`}}
	x := run(t, def, `{"Bucket":"b","Key":"k","other":["from-input"]}`, s3.registry())
	if got := value.String(x.Output); got != `[["from-file"]]` {
		t.Errorf("output %s, want the file's items", got)
	}
}

func TestItemReaderFailures(t *testing.T) {
	for _, tc := range []struct {
		name, config, body, input, cause string
	}{
		{"negative MaxItems", `{"InputType":"CSV","MaxItemsPath":"$.Max"}`, "a\n1\n", `{"Bucket":"b","Key":"k","Max":-1}`, "field MaxItems must be positive"},
		{"not an array", `{"InputType":"JSON"}`, `{"a":1}`, `{"Bucket":"b","Key":"k"}`, "must hold a JSON array"},
		{"not JSON", `{"InputType":"JSON"}`, `[1,`, `{"Bucket":"b","Key":"k"}`, "not valid JSON"},
		{"bad JSONL line", `{"InputType":"JSONL"}`, "1\n{x\n", `{"Bucket":"b","Key":"k"}`, "line 2"},
		{"bad CSV quote", `{"InputType":"CSV"}`, "a\n\"x\n", `{"Bucket":"b","Key":"k"}`, "CSV is malformed"},
		{"duplicate header", `{"InputType":"CSV"}`, "a,a\n1,2\n", `{"Bucket":"b","Key":"k"}`, "appears more than once"},
		{"the read fails", `{"InputType":"JSON"}`, "", `{"Bucket":"b","Key":"missing"}`, "S3.NoSuchKeyException: The specified key does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s3 := &s3Objects{bodies: map[string]string{"k": tc.body}}
			x := run(t, readerMap(tc.config), tc.input, s3.registry())
			if x.Status != types.ExecutionStatusFailed || x.Error != failure.ItemReaderFailed || !strings.Contains(x.Cause, tc.cause) {
				t.Fatalf("ended %s %s %q; want FAILED States.ItemReaderFailed with a cause holding %q", x.Status, x.Error, x.Cause, tc.cause)
			}
			want := "1 ExecutionStarted(0) · 2 MapStateEntered(0) · 3 MapStateStarted(2) · 4 MapRunStarted(3) · 5 MapRunFailed(4) · " +
				"6 MapStateFailed(5) · 7 ExecutionFailed(6)"
			if got := trace(x); got != want {
				t.Errorf("events:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestItemReaderFailureIsCaught(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map",
		"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b","Key":"missing"}},
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
			"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
		"Retry":[{"ErrorEquals":["States.ItemReaderFailed"],"MaxAttempts":1,"IntervalSeconds":1}],
		"Catch":[{"ErrorEquals":["States.ItemReaderFailed"],"Next":"C"}],"End":true},
		"C":{"Type":"Pass","End":true}}}`
	s3 := &s3Objects{bodies: map[string]string{}}
	x := run(t, def, `{}`, s3.registry())
	if x.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("ended %s %s %s; want the Catch to take the failure", x.Status, x.Error, x.Cause)
	}
	if len(s3.calls) != 2 {
		t.Errorf("%d reads, want 2 (the Retry reads again)", len(s3.calls))
	}
	o := x.Output.(*value.Object)
	if e, _ := o.Get("Error"); e != failure.ItemReaderFailed {
		t.Errorf("caught %s, want the error output of States.ItemReaderFailed", value.String(x.Output))
	}
}

func TestItemReaderWithoutHandlerNamesTheResource(t *testing.T) {
	x := run(t, readerMap(`{"InputType":"JSON"}`), `{"Bucket":"b","Key":"k"}`, &Registry{})
	if x.Status != types.ExecutionStatusFailed || !strings.Contains(x.Cause, "arn:aws:states:::s3:getObject") || !strings.Contains(x.Cause, "--mock-config") {
		t.Errorf("ended %s %s %q; want a failure that names the resource and how to mock it", x.Status, x.Error, x.Cause)
	}
}

// A Map waiting for its items survives a snapshot: restored, it is re-asked for the
// read, and the run's history is the uninterrupted one.
func TestItemReaderSurvivesSnapshots(t *testing.T) {
	def := strings.Replace(readerMap(`{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}`), `"End":true}}},"End":true`,
		`"End":true}}},"ItemBatcher":{"MaxItemsPerBatch":2},"End":true`, 1)
	bodies := map[string]string{"k": "h\n1\n2\n3\n"}
	straight := run(t, def, `{"Bucket":"b","Key":"k"}`, (&s3Objects{bodies: bodies}).registry())
	x := newExec(t, def, `{"Bucket":"b","Key":"k"}`, Options{RecordHistory: true, HistoryLimit: MaxHistoryEvents, TimeScale: 1})
	first := x.Start(epoch)
	var read *Command
	for _, c := range first.Commands {
		if c.Kind == CmdInvokeTask {
			read = &c
		}
	}
	if read == nil || read.Task.StateName != "M" {
		t.Fatalf("commands %+v, want the read", first.Commands)
	}
	data, err := x.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	restored, err := Restore(x.Def, data, x.Opts)
	if err != nil {
		t.Fatal(err)
	}
	var again *Command
	for _, c := range restored.Rearm() {
		if c.Kind == CmdInvokeTask {
			again = &c
		}
	}
	if again == nil || again.Task.Resource != "arn:aws:states:::s3:getObject" || value.String(again.Task.Input) != value.String(read.Task.Input) {
		t.Fatalf("Rearm gave %+v, want the read again", again)
	}
	res := restored.Advance(invokeNow((&s3Objects{bodies: bodies}).registry(), *again), epoch)
	if restored.Status != types.ExecutionStatusSucceeded || value.String(restored.Output) != value.String(straight.Output) {
		t.Fatalf("restored run ended %s %s, want %s", restored.Status, value.String(restored.Output), value.String(straight.Output))
	}
	x.History = append(first.Events, res.Events...)
	if a, b := trace(straight), trace(x); a != b {
		t.Errorf("histories differ:\nuninterrupted %s\nrestored      %s", a, b)
	}
}

func TestResultWriterPutsResultsAndManifest(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailureCount":1,"ItemsPath":"$.items",
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
			"C":{"Type":"Choice","Choices":[{"Variable":"$","StringEquals":"bad","Next":"F"}],"Default":"P"},
			"F":{"Type":"Fail","Error":"Bad","Cause":"bad item"},
			"P":{"Type":"Pass","End":true}}},
		"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix.$":"$.prefix"}},
		"Label":"L","End":true}}}`
	puts := map[string]string{}
	var order []string
	reg := &Registry{}
	reg.Handle("arn:aws:states:::s3:putObject", func(ctx context.Context, c *TaskCall) (value.Value, error) {
		o := c.Input.(*value.Object)
		b, _ := o.Get("Bucket")
		k, _ := o.Get("Key")
		body, _ := o.Get("Body")
		if b != "out" || c.StateName != "M" {
			t.Errorf("put %s to bucket %v from %s", k, b, c.StateName)
		}
		puts[plain(k)] = plain(body)
		order = append(order, plain(k))
		return value.ObjectOf("ETag", "x"), nil
	})
	x := run(t, def, `{"prefix":"jobs/","items":["ok","bad"]}`, reg)
	if x.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("ended %s %s %s", x.Status, x.Error, x.Cause)
	}
	out := x.Output.(*value.Object)
	runArn, _ := out.Get("MapRunArn")
	id := plain(runArn)[strings.LastIndex(plain(runArn), ":")+1:]
	dir := "jobs/" + id + "/"
	if want := []string{dir + "SUCCEEDED_0.json", dir + "FAILED_0.json", dir + "manifest.json"}; strings.Join(order, " ") != strings.Join(want, " ") {
		t.Fatalf("puts %v, want %v", order, want)
	}
	if got := value.String(x.Output); got != `{"MapRunArn":"`+plain(runArn)+`","ResultWriterDetails":{"Bucket":"out","Key":"`+dir+`manifest.json"}}` {
		t.Errorf("output %s", got)
	}
	if got := puts[dir+"SUCCEEDED_0.json"]; got != `[{"Input":"\"ok\"","Output":"\"ok\"","Status":"SUCCEEDED"}]` {
		t.Errorf("succeeded file %s", got)
	}
	if got := puts[dir+"FAILED_0.json"]; got != `[{"Input":"\"bad\"","Error":"Bad","Cause":"bad item","Status":"FAILED"}]` {
		t.Errorf("failed file %s", got)
	}
	manifest := value.MustParse(puts[dir+"manifest.json"]).(*value.Object)
	files, _ := manifest.Get("ResultFiles")
	succeeded, _ := files.(*value.Object).Get("SUCCEEDED")
	if n := len(succeeded.([]any)); n != 1 {
		t.Errorf("manifest %s lists %d succeeded files, want 1", puts[dir+"manifest.json"], n)
	}
	want := "1 ExecutionStarted(0) · 2 MapStateEntered(0) · 3 MapStateStarted(2) · 4 MapRunStarted(3) · 5 MapRunSucceeded(4) · " +
		"6 MapStateSucceeded(5) · 7 MapStateExited(5) · 8 ExecutionSucceeded(7)"
	if got := trace(x); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
}

func TestResultWriterFailure(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map",
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
		"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out"}},"End":true}}}`
	reg := &Registry{}
	reg.Handle("arn:aws:states:::s3:putObject", func(ctx context.Context, c *TaskCall) (value.Value, error) {
		return nil, failure.New("S3.NoSuchBucketException", "The specified bucket does not exist")
	})
	x := run(t, def, `[1]`, reg)
	if x.Status != types.ExecutionStatusFailed || x.Error != failure.ResultWriterFailed || !strings.Contains(x.Cause, "NoSuchBucket") {
		t.Fatalf("ended %s %s %q; want States.ResultWriterFailed with S3's error in the cause", x.Status, x.Error, x.Cause)
	}
	if got := trace(x); !strings.Contains(got, "MapRunFailed(4) · 6 MapStateFailed(5)") {
		t.Errorf("events %s, want the map run to fail", got)
	}
}

// Written out and read back before every step, a Map that reads, batches, runs and
// writes its results records what an uninterrupted run records.
func TestItemReaderAndWriterThroughSnapshots(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
		"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSONL","MaxItems":5},
			"Parameters":{"Bucket":"b","Key":"k"}},
		"ItemBatcher":{"MaxItemsPerBatch":2},
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}},
		"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"o"}},"End":true}}}`
	registry := func(puts *[]string) *Registry {
		reg := (&s3Objects{bodies: map[string]string{"k": "1\n2\n3\n4\n5\n6\n"}}).registry()
		reg.Handle("arn:aws:states:::s3:putObject", func(ctx context.Context, c *TaskCall) (value.Value, error) {
			body, _ := c.Input.(*value.Object).Get("Body")
			*puts = append(*puts, plain(body))
			return value.ObjectOf("ETag", "e"), nil
		})
		return reg
	}
	var straightPuts, restoredPuts []string
	straight := run(t, def, `{}`, registry(&straightPuts))
	restored, events := driveThroughSnapshots(t, newExec(t, def, `{}`, Options{RecordHistory: true, TimeScale: 1}), registry(&restoredPuts))
	if straight.Status != types.ExecutionStatusSucceeded || restored.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("uninterrupted %s %s, restored %s %s", straight.Status, straight.Cause, restored.Status, restored.Cause)
	}
	restored.History = events
	if a, b := trace(straight), trace(restored); a != b {
		t.Errorf("histories differ:\nuninterrupted %s\nrestored      %s", a, b)
	}
	if len(straightPuts) != 2 || straightPuts[0] != restoredPuts[0] || len(restoredPuts) != 2 {
		t.Errorf("puts\nuninterrupted %q\nrestored      %q\nwant the results file then the manifest, alike", straightPuts, restoredPuts)
	}
	if want := `[{"Input":"{\"Items\":[1,2]}","Output":"{\"Items\":[1,2]}","Status":"SUCCEEDED"},` +
		`{"Input":"{\"Items\":[3,4]}","Output":"{\"Items\":[3,4]}","Status":"SUCCEEDED"},` +
		`{"Input":"{\"Items\":[5]}","Output":"{\"Items\":[5]}","Status":"SUCCEEDED"}]`; straightPuts[0] != want {
		t.Errorf("results file %s\nwant %s", straightPuts[0], want)
	}
}

// An empty object gives a map run with no items; its writer still puts the manifest,
// also across snapshots (the empty item list tells the write from the read).
func TestEmptyReadStillWritesTheManifest(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map",
		"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b","Key":"k"}},
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
		"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"o"}},"End":true}}}`
	var keys []string
	reg := (&s3Objects{bodies: map[string]string{"k": "[]"}}).registry()
	reg.Handle("arn:aws:states:::s3:putObject", func(ctx context.Context, c *TaskCall) (value.Value, error) {
		k, _ := c.Input.(*value.Object).Get("Key")
		keys = append(keys, plain(k))
		return value.ObjectOf(), nil
	})
	x, _ := driveThroughSnapshots(t, newExec(t, def, `{}`, Options{RecordHistory: true, TimeScale: 1}), reg)
	if x.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("ended %s %s %s", x.Status, x.Error, x.Cause)
	}
	if len(keys) != 1 || !strings.HasSuffix(keys[0], "/manifest.json") {
		t.Errorf("puts %v, want only the manifest", keys)
	}
}

// A batching error after the read ends the started map run with its own error.
func TestItemReaderBatchErrorFailsTheMapRun(t *testing.T) {
	def := strings.Replace(readerMap(`{"InputType":"JSON"}`), `"End":true}}},"End":true`,
		`"End":true}}},"ItemBatcher":{"MaxItemsPerBatchPath":"$.n"},"End":true`, 1)
	s3 := &s3Objects{bodies: map[string]string{"k": `[1,2]`}}
	x := run(t, def, `{"Bucket":"b","Key":"k","n":"many"}`, s3.registry())
	if x.Status != types.ExecutionStatusFailed || x.Error != failure.Runtime || !strings.Contains(x.Cause, "MaxItemsPerBatchPath") {
		t.Fatalf("ended %s %s %q; want the batcher's States.Runtime", x.Status, x.Error, x.Cause)
	}
	if got := trace(x); !strings.Contains(got, "4 MapRunStarted(3) · 5 MapRunFailed(4) · 6 MapStateFailed(5)") {
		t.Errorf("events %s, want the map run to fail", got)
	}
}
