package engine

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// A distributed Map with a ResultWriter writes its iterations' results to S3 instead of
// returning them: under <Prefix>/<map run id>/ a SUCCEEDED_0.json and a FAILED_0.json
// (each only when some iteration ended so) and last a manifest.json that lists them.
// The state's result is then {"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}},
// Key naming the manifest, as AWS records it. Each file is one call of the writer's
// resource (s3:putObject with Bucket, Key and Body) that the driver makes as it runs a
// task's; the frame waits in PhaseTask, and the call it waits for says which file is
// next, so a snapshot needs nothing more.

// writeFile is one object a ResultWriter puts.
type writeFile struct {
	name string
	body string
}

// startWriter begins the writes of a Map that has a ResultWriter, and reports whether
// it did.
func (e *Execution) startWriter(f *Frame, st *asl.State) bool {
	if st.ResultWriter == nil || !e.distributed(st) {
		return false
	}
	e.writeNext(f, st, "")
	return true
}

// writing reports whether a Map frame in PhaseTask waits for its ResultWriter's call
// rather than its ItemReader's.
func writing(f *Frame, st *asl.State) bool {
	// The items are unset while the reader reads (startReader clears them).
	w := st.ResultWriter
	return w != nil && f.Task != nil && f.Task.Resource == w.Resource && f.Items != nil
}

// writeNext asks for the file after the one named done ("" for the first).
func (e *Execution) writeNext(f *Frame, st *asl.State, done string) {
	bucket, prefix, err := e.writerTarget(f, st)
	if err != nil {
		e.writerFailed(f, st, failureCause(err))
		return
	}
	files := e.resultFiles(f, bucket, prefix)
	next := 0
	if done != "" {
		for i, file := range files {
			if file.name == done {
				next = i + 1
			}
		}
	}
	if next >= len(files) {
		out := value.ObjectOf("MapRunArn", f.MapRunArn,
			"ResultWriterDetails", value.ObjectOf("Bucket", bucket, "Key", files[len(files)-1].name))
		e.finishMap(f, st, out)
		return
	}
	call := &TaskCall{StateName: st.Name, Resource: st.ResultWriter.Resource, Attempt: f.RetryCount,
		Input: value.ObjectOf("Bucket", bucket, "Key", files[next].name, "Body", files[next].body)}
	f.Task = call
	f.Phase = PhaseTask
	f.Seq++
	f.Submitted = false
	f.TaskDeadline, f.HeartbeatDeadline = time.Time{}, time.Time{}
	e.command(Command{Kind: CmdInvokeTask, Frame: f.ID, Seq: f.Seq, Task: call})
}

// written takes the outcome of one write.
func (e *Execution) written(f *Frame, in Input) {
	st := f.scope.States[f.State]
	done := ""
	if o, ok := f.Task.Input.(*value.Object); ok {
		k, _ := o.Get("Key")
		done, _ = k.(string)
	}
	f.Task = nil
	f.Seq++
	if in.Kind != InputTaskSucceeded {
		e.writerFailed(f, st, callFailureCause(in, "the result writer's call failed", failure.ResultWriterFailed))
		return
	}
	e.writeNext(f, st, done)
}

// writerTarget evaluates the writer's Parameters (or Arguments) to its Bucket and
// Prefix.
func (e *Execution) writerTarget(f *Frame, st *asl.State) (bucket, prefix string, err error) {
	w := st.ResultWriter
	var params value.Value
	switch {
	case w.Parameters != nil:
		params, err = e.evalTemplate(w.Parameters, f, st, f.EffInput, nil, "")
	case w.Arguments != nil:
		params, err = e.evalJ(w.Arguments, f, st, statesVar{})
	}
	if err != nil {
		return "", "", err
	}
	o, _ := params.(*value.Object)
	if o == nil {
		return "", "", failure.New(failure.ResultWriterFailed, "the ResultWriter needs a Bucket in its Parameters or Arguments")
	}
	b, _ := o.Get("Bucket")
	p, _ := o.Get("Prefix")
	bucket, _ = b.(string)
	prefix, _ = p.(string)
	if bucket == "" {
		return "", "", failure.New(failure.ResultWriterFailed, "the ResultWriter needs a Bucket in its Parameters or Arguments")
	}
	return bucket, prefix, nil
}

// resultFiles lays out what the writer puts, the manifest last.
func (e *Execution) resultFiles(f *Frame, bucket, prefix string) []writeFile {
	dir := f.MapRunArn[strings.LastIndex(f.MapRunArn, ":")+1:] + "/"
	if prefix = strings.TrimSuffix(prefix, "/"); prefix != "" {
		dir = prefix + "/" + dir
	}
	var succeeded, failed []any
	for i, r := range f.Results {
		var input value.Value
		if i < len(f.Items) {
			input = f.Items[i]
		}
		entry := value.NewObject(4)
		entry.Set("Input", value.String(input))
		if _, isFailed := f.Stopped[i]; isFailed {
			if o, ok := r.(*value.Object); ok {
				er, _ := o.Get("Error")
				ca, _ := o.Get("Cause")
				entry.Set("Error", er)
				entry.Set("Cause", ca)
			}
			entry.Set("Status", "FAILED")
			failed = append(failed, entry)
			continue
		}
		entry.Set("Output", e.text(r))
		entry.Set("Status", "SUCCEEDED")
		succeeded = append(succeeded, entry)
	}
	var files []writeFile
	listed := map[string][]any{"SUCCEEDED": {}, "FAILED": {}, "PENDING": {}}
	for _, g := range []struct {
		status  string
		entries []any
	}{{"SUCCEEDED", succeeded}, {"FAILED", failed}} {
		if len(g.entries) == 0 {
			continue
		}
		file := writeFile{name: dir + g.status + "_0.json", body: value.String(g.entries)}
		files = append(files, file)
		listed[g.status] = append(listed[g.status], value.ObjectOf("Key", file.name, "Size", int64(len(file.body))))
	}
	manifest := value.ObjectOf("DestinationBucket", bucket, "MapRunArn", f.MapRunArn,
		"ResultFiles", value.ObjectOf("FAILED", listed["FAILED"], "PENDING", listed["PENDING"], "SUCCEEDED", listed["SUCCEEDED"]))
	return append(files, writeFile{name: dir + "manifest.json", body: value.String(manifest)})
}

// writerFailed ends the map run with States.ResultWriterFailed.
func (e *Execution) writerFailed(f *Frame, st *asl.State, cause string) {
	r := &Raised{Error: aws.String(failure.ResultWriterFailed), Cause: aws.String(cause)}
	e.childrenFailed(f, st, r, f.Prev, types.HistoryEventTypeMapStateFailed)
}
