package service

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
)

// apiCase is an API error recorded on AWS.
type apiCase struct {
	ID       string `json:"id"`
	API      string `json:"api"`
	Request  map[string]any
	Expected struct {
		Error struct {
			Code    string `json:"Code"`
			Message string `json:"Message"`
		} `json:"Error"`
		ExceptionTypename string `json:"exception_typename"`
		ExceptionValue    string `json:"exception_value"`
	} `json:"expected"`
}

// TestActivityAPIErrors replays the activity API errors recorded on AWS: the error code
// and message of each call.
func TestActivityAPIErrors(t *testing.T) {
	dir := conformance.DataDir(t, "asl", "api", "api_error")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Fatalf("no cases under %s", dir)
	}
	ran := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c apiCase
		if err := json.Unmarshal(data, &c); err != nil {
			continue
		}
		var raw struct {
			Request map[string]any `json:"request"`
		}
		_ = json.Unmarshal(data, &raw)
		c.Request = raw.Request
		switch c.API {
		case "create_activity", "describe_activity", "get_activity_task":
		default:
			continue
		}
		ran++
		t.Run(c.ID, func(t *testing.T) {
			s := newService(t, "", Config{})
			str := func(k string) string { v, _ := c.Request[k].(string); return v }
			var err error
			created := ""
			switch c.API {
			case "create_activity":
				_, err = s.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String(str("name"))})
			case "describe_activity":
				a := str("activityArn")
				if strings.Contains(a, "()") {
					// The recording's ARN of an activity it created and deleted.
					created = createActivity(t, s, "recorded")
					if _, err := s.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: aws.String(created)}); err != nil {
						t.Fatal(err)
					}
					a = created
				}
				_, err = s.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: aws.String(a)})
			case "get_activity_task":
				_, err = s.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(str("activityArn"))})
			}
			var ae smithy.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("got %v, want an API error", err)
			}
			code, msg := ae.ErrorCode(), ae.ErrorMessage()
			if created != "" {
				// The recordings write the ARN of an activity they created as activity_arn.
				msg = strings.ReplaceAll(msg, created, "activity_arn")
			}
			want := c.Expected
			switch {
			case want.Error.Code != "":
				if code != want.Error.Code || msg != want.Error.Message {
					t.Errorf("got %s %q, want %s %q", code, msg, want.Error.Code, want.Error.Message)
				}
			case want.ExceptionTypename != "":
				if code != want.ExceptionTypename || !strings.HasSuffix(want.ExceptionValue, ": "+msg) {
					t.Errorf("got %s %q, want %s %q", code, msg, want.ExceptionTypename, want.ExceptionValue)
				}
			default:
				t.Skip("the recording holds no error to compare")
			}
		})
	}
	if ran == 0 {
		t.Skip("no activity API cases in the conformance data")
	}
}
