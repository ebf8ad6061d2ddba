package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

const kindActivities = "activities"

// activityRecord is an activity as stored.
type activityRecord struct {
	Arn          string            `json:"arn"`
	Name         string            `json:"name"`
	CreationDate time.Time         `json:"creationDate"`
	Tags         map[string]string `json:"tags,omitempty"`
}

// activityIndex is the set of activities in memory: the engine asks whether one exists
// while it schedules a task, on the loop, where a store read would see only what the
// last turn committed.
type activityIndex struct {
	mu   sync.Mutex
	recs map[string]*activityRecord
}

func (ix *activityIndex) get(a string) *activityRecord {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	r := ix.recs[a]
	if r == nil {
		return nil
	}
	c := *r
	return &c
}

func (ix *activityIndex) put(r *activityRecord) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.recs == nil {
		ix.recs = map[string]*activityRecord{}
	}
	c := *r
	ix.recs[r.Arn] = &c
}

func (ix *activityIndex) remove(a string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	delete(ix.recs, a)
}

func (s *Service) activityExists(a string) bool { return s.activities.get(a) != nil }

// loadActivities fills the index from the store when the service starts.
func (s *Service) loadActivities() error {
	return s.st.View(func(tx *store.Tx) error {
		items, _, err := tx.List(kindActivities, "", "", 0)
		if err != nil {
			return err
		}
		for _, kv := range items {
			var r activityRecord
			if json.Unmarshal(kv.Value, &r) == nil && r.Arn != "" {
				s.activities.put(&r)
			}
		}
		return nil
	})
}

func errActivityDoesNotExist(a string) error {
	return &types.ActivityDoesNotExist{Message: aws.String(fmt.Sprintf("Activity Does Not Exist: '%s'", a))}
}

// activityArn checks that v is an activity ARN.
func activityArn(v string) (string, error) {
	p, err := arn.Parse(v)
	if err != nil {
		return "", errInvalidArn(v)
	}
	if p.Kind != "activity" || len(p.Rest) != 1 || p.Rest[0] == "" {
		return "", errInvalidArnContext(p.Kind)
	}
	return v, nil
}

// CreateActivity creates an activity. Creating one again by the same name returns the
// existing one, as AWS does.
func (s *Service) CreateActivity(ctx context.Context, in *sfn.CreateActivityInput, _ ...func(*sfn.Options)) (*sfn.CreateActivityOutput, error) {
	name := aws.ToString(in.Name)
	if !arn.ValidName(name) {
		return nil, errInvalidName(name)
	}
	rec := &activityRecord{Arn: s.loc.Activity(name), Name: name, CreationDate: s.clock.Now()}
	if len(in.Tags) > 0 {
		rec.Tags = map[string]string{}
		for _, t := range in.Tags {
			rec.Tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
	}
	var out *sfn.CreateActivityOutput
	err := s.do(ctx, func(b *batch) error {
		if old := s.activities.get(rec.Arn); old != nil {
			out = &sfn.CreateActivityOutput{ActivityArn: aws.String(old.Arn), CreationDate: aws.Time(old.CreationDate)}
			return nil
		}
		s.activities.put(rec)
		b.undo(func() { s.activities.remove(rec.Arn) })
		r := *rec
		b.write(func(tx *store.Tx) error { return putJSON(tx, kindActivities, r.Arn, r) })
		out = &sfn.CreateActivityOutput{ActivityArn: aws.String(rec.Arn), CreationDate: aws.Time(rec.CreationDate)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DescribeActivity describes an activity.
func (s *Service) DescribeActivity(ctx context.Context, in *sfn.DescribeActivityInput, _ ...func(*sfn.Options)) (*sfn.DescribeActivityOutput, error) {
	a, err := activityArn(aws.ToString(in.ActivityArn))
	if err != nil {
		return nil, err
	}
	r := s.activities.get(a)
	if r == nil {
		return nil, errActivityDoesNotExist(a)
	}
	return &sfn.DescribeActivityOutput{ActivityArn: aws.String(r.Arn), Name: aws.String(r.Name), CreationDate: aws.Time(r.CreationDate)}, nil
}

// ListActivities lists activities in name order.
func (s *Service) ListActivities(ctx context.Context, in *sfn.ListActivitiesInput, _ ...func(*sfn.Options)) (*sfn.ListActivitiesOutput, error) {
	scope := scopeOf("ListActivities", "")
	limit, after, err := pageRequest(scope, in.MaxResults, in.NextToken, 1024)
	if err != nil {
		return nil, err
	}
	s.activities.mu.Lock()
	all := make([]activityRecord, 0, len(s.activities.recs))
	for _, r := range s.activities.recs {
		if r.Arn > after {
			all = append(all, *r)
		}
	}
	s.activities.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].Arn < all[j].Arn })
	out := &sfn.ListActivitiesOutput{Activities: []types.ActivityListItem{}}
	for i, r := range all {
		if i == limit {
			out.NextToken = encodePageToken(scope, all[i-1].Arn)
			break
		}
		out.Activities = append(out.Activities, types.ActivityListItem{ActivityArn: aws.String(r.Arn), Name: aws.String(r.Name), CreationDate: aws.Time(r.CreationDate)})
	}
	return out, nil
}

// DeleteActivity deletes an activity. Tasks already scheduled on it stay until they are
// answered or time out; new ones fail. Deleting one that does not exist succeeds.
func (s *Service) DeleteActivity(ctx context.Context, in *sfn.DeleteActivityInput, _ ...func(*sfn.Options)) (*sfn.DeleteActivityOutput, error) {
	a, err := activityArn(aws.ToString(in.ActivityArn))
	if err != nil {
		return nil, err
	}
	err = s.do(ctx, func(b *batch) error {
		if old := s.activities.get(a); old != nil {
			b.undo(func() { s.activities.put(old) })
		}
		s.activities.remove(a)
		b.write(func(tx *store.Tx) error {
			if err := tx.Delete(kindActivities, a); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			return nil
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &sfn.DeleteActivityOutput{}, nil
}
