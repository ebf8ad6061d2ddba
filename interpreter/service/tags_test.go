package service

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

func tagsOf(t *testing.T, s *Service, a string) map[string]string {
	t.Helper()
	out, err := s.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String(a)})
	if err != nil {
		t.Fatalf("ListTagsForResource: %v", err)
	}
	m := map[string]string{}
	for _, tg := range out.Tags {
		m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	return m
}

func TestTags(t *testing.T) {
	s := newService(t, "", Config{})
	m := createMachine(t, s, "m", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, "")
	act, err := s.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("a"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("x")}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{m, aws.ToString(act.ActivityArn)} {
		if _, err := s.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: aws.String(a),
			Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}, {Key: aws.String("owner"), Value: aws.String("me")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: aws.String(a),
			Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UntagResource(ctx, &sfn.UntagResourceInput{ResourceArn: aws.String(a), TagKeys: []string{"owner", "absent"}}); err != nil {
			t.Fatal(err)
		}
		got := tagsOf(t, s, a)
		if got["env"] != "prod" || got["owner"] != "" || len(got) != map[bool]int{true: 2, false: 1}[a != m] {
			t.Errorf("%s: tags %v", a, got)
		}
	}
	if got := tagsOf(t, s, aws.ToString(act.ActivityArn)); got["team"] != "x" {
		t.Errorf("the tags given at creation are lost: %v", got)
	}
	var nf *types.ResourceNotFound
	for _, a := range []string{m + ":1", s.loc.StateMachine("none"), s.loc.Activity("none")} {
		if _, err := s.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: aws.String(a), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}); !errors.As(err, &nf) ||
			aws.ToString(nf.Message) != "Resource not found: '"+a+"'" {
			t.Errorf("tag %s: %v", a, err)
		}
	}
	var bad *types.InvalidArn
	if _, err := s.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String("x")}); !errors.As(err, &bad) {
		t.Errorf("bad ARN: %v", err)
	}
	many := make([]types.Tag, 51)
	for i := range many {
		many[i] = types.Tag{Key: aws.String(string(rune('A'+i%26)) + string(rune('a'+i/26))), Value: aws.String("v")}
	}
	var tooMany *types.TooManyTags
	if _, err := s.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: aws.String(m), Tags: many}); !errors.As(err, &tooMany) {
		t.Errorf("51 tags: %v", err)
	}
}
