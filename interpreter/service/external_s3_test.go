package service

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// fakeS3 stands in for the buckets a recording's setup filled (put_object calls), so a
// distributed Map's ItemReader reads the objects AWS read, and its ResultWriter has
// somewhere to write. It is plugged in as local handlers, the way a user maps
// s3:getObject to a command.
type fakeS3 struct {
	mu      sync.Mutex
	objects map[string]map[string]s3Object // bucket → key → object
}

type s3Object struct {
	body     string
	modified time.Time
}

// s3SetupCall is one S3 call of a recording's setup.
type s3SetupCall struct {
	Service string `json:"service"`
	Op      string `json:"op"`
	Kwargs  struct {
		Bucket string `json:"Bucket"`
		Key    string `json:"Key"`
		Body   any    `json:"Body"`
	} `json:"kwargs"`
}

// newFakeS3 fills the buckets from a recording's setup calls.
func newFakeS3(setup json.RawMessage, at time.Time) (*fakeS3, error) {
	s := &fakeS3{objects: map[string]map[string]s3Object{}}
	if len(setup) == 0 || string(setup) == "null" {
		return s, nil
	}
	var calls []s3SetupCall
	if err := json.Unmarshal(setup, &calls); err != nil {
		return nil, fmt.Errorf("unreadable setup_calls: %v", err)
	}
	for _, c := range calls {
		if c.Service != "s3" || c.Op != "put_object" {
			continue
		}
		body, ok := c.Kwargs.Body.(string)
		if !ok {
			return nil, fmt.Errorf("put_object %s/%s: a body that is not text", c.Kwargs.Bucket, c.Kwargs.Key)
		}
		s.put(c.Kwargs.Bucket, c.Kwargs.Key, body, at)
	}
	return s, nil
}

func (s *fakeS3) put(bucket, key, body string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.objects[bucket] == nil {
		s.objects[bucket] = map[string]s3Object{}
	}
	s.objects[bucket][key] = s3Object{body: body, modified: at}
}

// register serves the S3 calls a Map makes: getObject and listObjectsV2 for its
// ItemReader, putObject for its ResultWriter.
func (s *fakeS3) register(reg *engine.Registry) {
	reg.Handle("arn:aws:states:::s3:getObject", s.getObject)
	reg.Handle("arn:aws:states:::s3:listObjectsV2", s.listObjectsV2)
	reg.Handle("arn:aws:states:::s3:putObject", s.putObject)
}

func s3Param(call *engine.TaskCall, name string) string {
	o, _ := call.Input.(*value.Object)
	if o == nil {
		return ""
	}
	v, _ := o.Get(name)
	s, _ := v.(string)
	return s
}

func (s *fakeS3) getObject(_ context.Context, call *engine.TaskCall) (value.Value, error) {
	bucket, key := s3Param(call, "Bucket"), s3Param(call, "Key")
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.objects[bucket][key]
	if !ok {
		return nil, failure.New("S3.NoSuchKeyException", "The specified key does not exist.")
	}
	return o.body, nil
}

// listObjectsV2 answers with the bucket's objects in key order, as S3 lists them, each
// with the fields Step Functions gives a Map's items.
func (s *fakeS3) listObjectsV2(_ context.Context, call *engine.TaskCall) (value.Value, error) {
	bucket, prefix := s3Param(call, "Bucket"), s3Param(call, "Prefix")
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]string, 0, len(s.objects[bucket]))
	for k := range s.objects[bucket] {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	contents := make([]any, 0, len(keys))
	for _, k := range keys {
		o := s.objects[bucket][k]
		sum := md5.Sum([]byte(o.body))
		contents = append(contents, value.ObjectOf(
			"Etag", `"`+hex.EncodeToString(sum[:])+`"`,
			"LastModified", o.modified.UTC().Format(time.RFC3339),
			"Key", k,
			"Size", int64(len(o.body)),
			"StorageClass", "STANDARD"))
	}
	return value.ObjectOf("Contents", contents, "Name", bucket, "KeyCount", int64(len(contents))), nil
}

func (s *fakeS3) putObject(_ context.Context, call *engine.TaskCall) (value.Value, error) {
	o, _ := call.Input.(*value.Object)
	body := ""
	if o != nil {
		if v, ok := o.Get("Body"); ok {
			if text, isText := v.(string); isText {
				body = text
			} else {
				body = value.String(v)
			}
		}
	}
	s.put(s3Param(call, "Bucket"), s3Param(call, "Key"), body, time.Now())
	sum := md5.Sum([]byte(body))
	return value.ObjectOf("ETag", `"`+hex.EncodeToString(sum[:])+`"`), nil
}
