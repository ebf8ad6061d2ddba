package conformance

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// The corpus ships the normalization it was made with as a Python program. When python3
// is present, the Go normalizer must agree with it on the same raw histories.

const pythonDriver = `
import json, sys
sys.path.insert(0, sys.argv[1])
from normalize_reference import normalize_history
jobs = json.load(sys.stdin)
print(json.dumps([normalize_history(j["events"], j["case"]) for j in jobs]))
`

type pyJob struct {
	Events json.RawMessage `json:"events"`
	Case   pyCase          `json:"case"`
}

type pyCase struct {
	Expected      map[string]string `json:"expected"`
	Normalization Normalization     `json:"normalization"`
}

func runReference(t *testing.T, jobs []pyJob) []any {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: cannot compare with normalize_reference.py")
	}
	dir := dataDir(t)
	if _, err := os.Stat(filepath.Join(dir, "normalize_reference.py")); err != nil {
		t.Skipf("normalize_reference.py not found: %v", err)
	}
	in, _ := json.Marshal(jobs)
	cmd := exec.Command(py, "-c", pythonDriver, dir)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("normalize_reference.py: %v\n%s", err, stderr.String())
	}
	v, err := value.Parse(out)
	if err != nil {
		t.Fatalf("normalize_reference.py output: %v", err)
	}
	return v.([]any)
}

// rawHistory exercises every step of the normalization: JSON text in and out of
// objects, text that is JSON of another kind, non-ASCII, floats written differently by
// Python and Java, dates, UUIDs under id keys, a JSON payload quoted in a cause, a map
// run ARN, SDK metadata, x-localstack, a Parallel block closed twice.
const rawHistory = `[
 {"id":1,"previousEventId":0,"timestamp":1707312722.123,"type":"ExecutionStarted","executionStartedEventDetails":{"input":"{\"b\":1,\"a\":\"2024-01-02T03:04:05.678Z\",\"caf\u00e9\":\"\u00e9\u20ac\ud83d\ude00\",\"f\":1e-05,\"g\":1e16,\"h\":0.1,\"i\":12345678.5,\"j\":1e15,\"k\":-0.0001}","inputDetails":{"truncated":false},"roleArn":"arn:aws:iam::111111111111:role/r"}},
 {"id":2,"previousEventId":0,"timestamp":1707312722.2,"type":"ParallelStateEntered","stateEnteredEventDetails":{"name":"P","input":"[1,2]"}},
 {"id":3,"previousEventId":2,"timestamp":1707312722.3,"type":"ParallelStateStarted"},
 {"id":4,"previousEventId":3,"timestamp":1707312722.4,"type":"PassStateEntered","stateEnteredEventDetails":{"name":"B","input":"{}"}},
 {"id":5,"previousEventId":3,"timestamp":1707312722.5,"type":"PassStateEntered","stateEnteredEventDetails":{"name":"A","input":"{\"z\":[\"{\\\"in\\\":1}\"]}"}},
 {"id":6,"previousEventId":5,"timestamp":1707312722.6,"type":"PassStateExited","stateExitedEventDetails":{"name":"A","output":"{\"x\":\"arn:aws:states:us-east-1:111111111111:execution:m:e\"}"}},
 {"id":7,"previousEventId":6,"timestamp":1707312722.7,"type":"ParallelStateSucceeded"},
 {"id":8,"previousEventId":7,"timestamp":1707312722.8,"type":"ParallelStateExited","stateExitedEventDetails":{"name":"P","output":"[{},{}]"}},
 {"id":9,"previousEventId":8,"timestamp":1707312722.9,"type":"TaskFailed","taskFailedEventDetails":{"error":"E","cause":"Lambda failed with input '{\"k\": 1}' oops","resource":"r","resourceType":"lambda"}},
 {"id":10,"previousEventId":9,"timestamp":1707312723,"type":"MapRunStarted","mapRunStartedEventDetails":{"mapRunArn":"arn:aws:states:us-east-1:111111111111:mapRun:m/label:0a1b2c3d-0000-4000-8000-00000000abcd"}},
 {"id":11,"previousEventId":10,"timestamp":1707312723.1,"type":"TaskSucceeded","taskSucceededEventDetails":{"output":"{\"Payload\":{\"RequestId\":\"0a1b2c3d-1111-4000-8000-00000000abcd\",\"executionId\":\"0a1b2c3d-1111-4000-8000-00000000abcd\",\"x-localstack\":1,\"SdkHttpMetadata\":{\"HttpHeaders\":{\"Date\":\"Thu\"}},\"ts\":{\"creationTime\":12,\"timestampX\":\"2024-01-02T03:04:05Z\",\"myTimestamp\":\"later\"},\"quote\":\"say \\\"hi\\\"\",\"label\":\"label\"},\"ResponseMetadata\":{\"HTTPHeaders\":{\"content_type\":\"json\",\"x\":1},\"HTTPStatusCode\":200}}"}},
 {"id":12,"previousEventId":11,"timestamp":1707312723.2,"type":"ExecutionSucceeded","executionSucceededEventDetails":{"output":"\"text\""}}
]`

func syntheticTransformerSets() [][]Transformer {
	f := false
	return [][]Transformer{
		nil,
		{
			{Kind: "SfnNoneRecursiveParallelTransformer"},
			{Kind: "regex", Regex: "m:e", Replacement: "<exec>"},
			{Kind: "regex", Regex: `(Lambda) failed`, Replacement: `\1 \g<0>!`},
			{Kind: "jsonpath", JSONPath: "$..Payload.quote", Replacement: "q"},
			{Kind: "jsonpath", JSONPath: "$..roleArn", Replacement: "role", ReplaceReference: &f},
			{Kind: "jsonpath", JSONPath: "$..events[0].id", Replacement: "first"},
			{Kind: "jsonpath", JSONPath: "$..events[-1].type", Replacement: "last", ReplaceReference: &f},
			{Kind: "jsonpath", JSONPath: "$..input.*", Replacement: "any"},
			{Kind: "remove_key", Key: "h"},
			// numbers as Python writes them: 1e-05, 1000000000000000.0, -0.0001
			{Kind: "regex", Regex: `1e-05|1000000000000000\.0|-0\.0001\b`, Replacement: "7"},
			{Kind: "utility", Name: "stepfunctions_api"},
			{Kind: "generic", Fn: "def other(): pass"},
		},
	}
}

func TestAgreesWithReferenceNormalizer(t *testing.T) {
	type job struct {
		c    *Case
		wire []byte
		name string
	}
	var jobs []job
	for i, ts := range syntheticTransformerSets() {
		c := &Case{ID: "synthetic", Expected: &Expected{SnapshotHistoryKey: "exec_hist"},
			Normalization: Normalization{TestTransformers: ts}}
		jobs = append(jobs, job{c, []byte(rawHistory), "synthetic #" + itoa(i)})
	}
	for _, c := range Executions(loadCases(t)) {
		if c.HasHistory() && !deliberatelyDifferent(c) {
			jobs = append(jobs, job{c, toWire(c, recordedEvents(t, c)), c.ID})
		}
	}
	var py []pyJob
	for _, j := range jobs {
		n := j.c.Normalization
		if n.TestTransformers == nil {
			n.TestTransformers = []Transformer{}
		}
		py = append(py, pyJob{Events: j.wire, Case: pyCase{
			Expected:      map[string]string{"snapshot_history_key": j.c.historyKey()},
			Normalization: n,
		}})
	}
	want := runReference(t, py)
	if len(want) != len(jobs) {
		t.Fatalf("reference returned %d histories for %d", len(want), len(jobs))
	}
	for i, j := range jobs {
		raw, err := parseEvents(j.wire)
		if err != nil {
			t.Fatal(err)
		}
		// The reference always applies the SDK-metadata substitutions.
		got, err := normalizeEventList(j.c, raw, true)
		if err != nil {
			t.Errorf("%s: %v", j.name, err)
			continue
		}
		if m := ExactDiff(want[i], got); m != nil {
			t.Errorf("%s: differs from normalize_reference.py %s", j.name, m)
		}
	}
	t.Logf("%d histories compared", len(jobs))
}

// deliberatelyDifferent reports cases whose recordings show a behaviour of the
// recording tool that normalize_reference.py does not have, and which the Go
// normalizer follows (see hyphenated, outputsToJSON and the utility sets).
func deliberatelyDifferent(c *Case) bool {
	for _, t := range c.Normalization.TestTransformers {
		if t.Kind == "key_value" || t.Kind == "generic" || (t.Kind == "utility" && t.Name != "stepfunctions_api") {
			return true
		}
	}
	return false
}
