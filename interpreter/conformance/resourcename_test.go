package conformance

import (
	"strings"
	"testing"
)

func TestResourceName(t *testing.T) {
	tests := []struct {
		in   any
		want string // "" when the member is not matched
	}{
		{"arn:aws:iam::111111111111:role/service-role/my-role", "my-role"},
		{"arn:aws:sns:us-east-1:111111111111:topic-1.fifo", "topic-1.fifo"},
		{"arn:aws:sqs:us-east-1:111111111111:queue-1", "queue-1"},
		{"arn:aws:states:us-east-1:111111111111:execution:machine:run-7", "run-7"},
		{"arn:aws:lambda:us-east-1:111111111111:function:fn", "fn"},
		{"arn:aws:lambda:us-east-1:111111111111:function:fn:$LATEST", "fn"},
		{"arn:aws:lambda:us-east-1:111111111111:function:fn:alias", "fn:alias"},
		{"arn:aws:lambda:us-east-1:111111111111:layer:lib", "lib"},
		{"arn:aws:lambda:us-east-1:111111111111:layer:lib:3", "lib"},
		{"arn:aws:lambda:us-east-1:111111111111:layer:lib:3:x", "x"},
		{"arn:aws:cloudformation:us-east-1:111111111111:changeSet/cs-1/abc", "cs-1/abc"},
		{"arn:aws:s3:::bucket-1", "bucket-1"},
		{"arn:aws-us-gov:s3:::bucket-2", "bucket-2"},
		{"arn:aws:states:us-east-1:111111111111:stateMachine:<ArnPart_0idx>", "<ArnPart_0idx>"},
		// already a placeholder as a whole: left alone
		{"arn:aws:sns:us-east-1:111111111111:<topic>", ""},
		// not ARNs
		{"arn:<partition>:iam::111111111111:role/r", ""},
		{"see arn:aws:iam::111111111111:role/r", ""},
		{"arn:aws:iam::11111111111:role/r", ""},
		{"text", ""},
		{int64(3), ""},
		{nil, ""},
	}
	for _, tt := range tests {
		got, ok := resourceName("Any", tt.in)
		if !ok {
			if tt.want != "" {
				t.Errorf("resourceName(%v): no match, want %q", tt.in, tt.want)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("resourceName(%v) = %v, want %q", tt.in, got, tt.want)
		}
	}
}

// The resource rule only reads the text; the key does not matter, and a text that
// spans lines is read up to its first line break.
func TestResourceNameStopsAtALineBreak(t *testing.T) {
	got, ok := resourceName("roleArn", "arn:aws:iam::111111111111:role/r\nmore/text")
	if !ok || got != "r" {
		t.Fatalf("got %v %v, want r", got, ok)
	}
}

func FuzzResourceName(f *testing.F) {
	f.Add("arn:aws:lambda:us-east-1:111111111111:function:fn:$LATEST")
	f.Add("arn:aws:cloudformation:us-east-1:111111111111:changeSet/a:changeSet/b")
	f.Add("arn:aws:lambda:r:111111111111:layer:a:b")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := resourceName("k", s)
		if !ok {
			return
		}
		name := got.(string)
		// The name is always a piece of the text, the part after "function:" aside,
		// whose removal may join two pieces.
		if !strings.Contains(s, name) && !strings.Contains(strings.ReplaceAll(s, "function:", ""), name) {
			t.Fatalf("resourceName(%q) = %q, not a part of the text", s, name)
		}
	})
}
