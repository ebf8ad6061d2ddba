package service

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// maxTags is AWS's limit of tags on one resource.
const maxTags = 50

func errResourceNotFound(a string) error {
	return &types.ResourceNotFound{Message: aws.String(fmt.Sprintf("Resource not found: '%s'", a)), ResourceName: aws.String(a)}
}

// taggable says what kind of resource an ARN names: state machines and activities carry
// tags; versions, aliases and executions do not.
func taggable(v string) (string, error) {
	p, err := arn.Parse(v)
	if err != nil {
		return "", errInvalidArn(v)
	}
	switch {
	case p.Kind == "stateMachine" && len(p.Rest) == 1:
		return kindMachines, nil
	case p.Kind == "activity" && len(p.Rest) == 1:
		return kindActivities, nil
	}
	return "", errResourceNotFound(v)
}

// changeTags runs edit on a resource's tags on the loop and stores the result.
func (s *Service) changeTags(ctx context.Context, a string, edit func(map[string]string) error) error {
	kind, err := taggable(a)
	if err != nil {
		return err
	}
	return s.do(ctx, func(b *batch) error {
		if kind == kindActivities {
			r := s.activities.get(a)
			if r == nil {
				return errResourceNotFound(a)
			}
			tags := copyTags(r.Tags)
			if err := edit(tags); err != nil {
				return err
			}
			old := *r
			r.Tags = tags
			s.activities.put(r)
			b.undo(func() { s.activities.put(&old) })
			rec := *r
			b.write(func(tx *store.Tx) error { return putJSON(tx, kindActivities, rec.Arn, rec) })
			return nil
		}
		var m *machineRecord
		err := s.st.View(func(tx *store.Tx) error {
			var err error
			m, err = s.loadMachine(tx, a)
			return err
		})
		var dne *types.StateMachineDoesNotExist
		if errors.As(err, &dne) {
			return errResourceNotFound(a)
		}
		if err != nil {
			return err
		}
		if err := edit(copyTags(m.Tags)); err != nil {
			return err
		}
		// The record is read again in the commit, so that a change to the same machine
		// earlier in this turn is kept.
		b.write(func(tx *store.Tx) error {
			cur, err := s.loadMachine(tx, a)
			var gone *types.StateMachineDoesNotExist
			if errors.As(err, &gone) {
				return nil // deleted earlier in this turn
			}
			if err != nil {
				return err
			}
			tags := copyTags(cur.Tags)
			_ = edit(tags)
			cur.Tags = tags
			return putJSON(tx, kindMachines, cur.Arn, cur)
		})
		return nil
	})
}

func copyTags(t map[string]string) map[string]string {
	c := make(map[string]string, len(t))
	for k, v := range t {
		c[k] = v
	}
	return c
}

// TagResource adds tags to a state machine or an activity, replacing the values of keys
// it already has.
func (s *Service) TagResource(ctx context.Context, in *sfn.TagResourceInput, _ ...func(*sfn.Options)) (*sfn.TagResourceOutput, error) {
	a := aws.ToString(in.ResourceArn)
	for _, t := range in.Tags {
		if k := aws.ToString(t.Key); len(k) < 1 || len(k) > 128 {
			return nil, errValidation("1 validation error detected: Value '%s' at 'tags.member.key' failed to satisfy constraint: Member must have length between 1 and 128", k)
		}
		if v := aws.ToString(t.Value); len(v) > 256 {
			return nil, errValidation("1 validation error detected: Value '%s' at 'tags.member.value' failed to satisfy constraint: Member must have length less than or equal to 256", v)
		}
	}
	err := s.changeTags(ctx, a, func(tags map[string]string) error {
		for _, t := range in.Tags {
			tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
		if len(tags) > maxTags {
			return &types.TooManyTags{Message: aws.String(fmt.Sprintf("Too many tags: a resource may have at most %d", maxTags)), ResourceName: aws.String(a)}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &sfn.TagResourceOutput{}, nil
}

// UntagResource removes tags by key; keys the resource lacks are ignored.
func (s *Service) UntagResource(ctx context.Context, in *sfn.UntagResourceInput, _ ...func(*sfn.Options)) (*sfn.UntagResourceOutput, error) {
	err := s.changeTags(ctx, aws.ToString(in.ResourceArn), func(tags map[string]string) error {
		for _, k := range in.TagKeys {
			delete(tags, k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &sfn.UntagResourceOutput{}, nil
}

// ListTagsForResource lists a resource's tags in key order.
func (s *Service) ListTagsForResource(ctx context.Context, in *sfn.ListTagsForResourceInput, _ ...func(*sfn.Options)) (*sfn.ListTagsForResourceOutput, error) {
	a := aws.ToString(in.ResourceArn)
	kind, err := taggable(a)
	if err != nil {
		return nil, err
	}
	var tags map[string]string
	if kind == kindActivities {
		r := s.activities.get(a)
		if r == nil {
			return nil, errResourceNotFound(a)
		}
		tags = r.Tags
	} else {
		m, err := s.machine(a)
		var dne *types.StateMachineDoesNotExist
		if errors.As(err, &dne) {
			return nil, errResourceNotFound(a)
		}
		if err != nil {
			return nil, err
		}
		tags = m.Tags
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := &sfn.ListTagsForResourceOutput{Tags: []types.Tag{}}
	for _, k := range keys {
		out.Tags = append(out.Tags, types.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
	}
	return out, nil
}
