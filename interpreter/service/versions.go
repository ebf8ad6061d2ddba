package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// Versions are frozen copies of a state machine, numbered from 1 and never reused;
// aliases route StartExecution to one or two versions by weight. Both are keyed by the
// machine's ARN, '#' (which no name may hold) and the version number or alias name, so
// one prefix scan finds a machine's versions or aliases.
const (
	kindVersions = "versions"
	kindAliases  = "aliases"
	maxVersions  = 1000
)

// versionRecord is a published version: the machine as it was, under the version's ARN.
type versionRecord struct {
	machineRecord
	MachineArn string `json:"machineArn"`
	Version    int    `json:"version"`
}

func versionKey(machineArn string, n int) string {
	return fmt.Sprintf("%s#%010d", machineArn, n)
}

// qualified splits a state machine ARN into the machine's ARN and its qualifier (a
// version number or an alias name, "" for neither).
func qualified(a string) (machine, qualifier string) {
	p, err := arn.Parse(a)
	if err != nil || p.Kind != "stateMachine" || len(p.Rest) < 2 {
		return a, ""
	}
	i := strings.LastIndexByte(a, ':')
	return a[:i], a[i+1:]
}

func versionNumber(q string) (int, bool) {
	if q == "" || strings.TrimLeft(q, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(q)
	return n, err == nil && n > 0
}

// currentRevision is the revision a machine is at. AWS gives a machine a revision from
// its creation but shows it only after an update; the hidden one is made from the
// machine's identity so it stays the same across calls.
func currentRevision(m *machineRecord) string {
	if m.RevisionID != "" {
		return m.RevisionID
	}
	h := definitionHash(m.Arn + "\x00" + m.CreationDate.Format(time.RFC3339Nano))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// publish makes m's current revision a version, on the loop; m is changed and written.
// Publishing a revision that already is the newest version returns that version.
func (s *Service) publish(b *batch, tx *store.Tx, m *machineRecord, description string) (*versionRecord, error) {
	rev := currentRevision(m)
	if m.LastVersion > 0 && m.PublishedRevision == rev {
		var v versionRecord
		err := getJSON(tx, kindVersions, versionKey(m.Arn, m.LastVersion), &v)
		if err == nil {
			return &v, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	items, _, err := tx.List(kindVersions, m.Arn+"#", "", 0)
	if err != nil {
		return nil, err
	}
	if len(items) >= maxVersions {
		return nil, &types.ServiceQuotaExceededException{Message: aws.String(fmt.Sprintf(
			"The state machine '%s' has reached the maximum of %d versions", m.Arn, maxVersions))}
	}
	m.LastVersion++
	m.PublishedRevision = rev
	v := &versionRecord{machineRecord: *m, MachineArn: m.Arn, Version: m.LastVersion}
	v.Arn = m.Arn + ":" + strconv.Itoa(m.LastVersion)
	v.CreationDate = s.clock.Now()
	v.Description = description
	v.RevisionID = rev
	v.Tags, v.LastVersion, v.PublishedRevision = nil, 0, ""
	rec, ver := *m, *v
	b.write(func(tx *store.Tx) error {
		if err := putJSON(tx, kindMachines, rec.Arn, rec); err != nil {
			return err
		}
		return putJSON(tx, kindVersions, versionKey(ver.MachineArn, ver.Version), ver)
	})
	return v, nil
}

func checkVersionDescription(d *string) error {
	if d != nil && len(*d) > 256 {
		return errValidation("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 256")
	}
	return nil
}

// PublishStateMachineVersion publishes the machine's current revision as a version.
func (s *Service) PublishStateMachineVersion(ctx context.Context, in *sfn.PublishStateMachineVersionInput, _ ...func(*sfn.Options)) (*sfn.PublishStateMachineVersionOutput, error) {
	a, _, err := s.machineArn(aws.ToString(in.StateMachineArn))
	if err != nil {
		return nil, err
	}
	if err := checkVersionDescription(in.Description); err != nil {
		return nil, err
	}
	var out *sfn.PublishStateMachineVersionOutput
	err = s.do(ctx, func(b *batch) error {
		return s.st.View(func(tx *store.Tx) error {
			m, err := s.loadMachine(tx, a)
			if err != nil {
				return err
			}
			if in.RevisionId != nil && *in.RevisionId != currentRevision(m) {
				return &types.ConflictException{Message: aws.String(fmt.Sprintf(
					"Failed to publish the State Machine version for revision %s. The current State Machine revision is %s.", *in.RevisionId, currentRevision(m)))}
			}
			v, err := s.publish(b, tx, m, aws.ToString(in.Description))
			if err != nil {
				return err
			}
			out = &sfn.PublishStateMachineVersionOutput{StateMachineVersionArn: aws.String(v.Arn), CreationDate: aws.Time(v.CreationDate)}
			return nil
		})
	})
	return out, err
}

// ListStateMachineVersions lists a machine's versions, newest first.
func (s *Service) ListStateMachineVersions(ctx context.Context, in *sfn.ListStateMachineVersionsInput, _ ...func(*sfn.Options)) (*sfn.ListStateMachineVersionsOutput, error) {
	a, _, err := s.machineArn(aws.ToString(in.StateMachineArn))
	if err != nil {
		return nil, err
	}
	scope := scopeOf("ListStateMachineVersions", a)
	limit, cursor, err := pageRequest(scope, in.MaxResults, in.NextToken, 1024)
	if err != nil {
		return nil, err
	}
	out := &sfn.ListStateMachineVersionsOutput{StateMachineVersions: []types.StateMachineVersionListItem{}}
	err = s.st.View(func(tx *store.Tx) error {
		items, _, err := tx.List(kindVersions, a+"#", "", 0)
		if err != nil {
			return err
		}
		sort.Slice(items, func(i, j int) bool { return items[i].Key > items[j].Key })
		for _, kv := range items {
			if cursor != "" && kv.Key >= cursor {
				continue
			}
			if len(out.StateMachineVersions) == limit {
				out.NextToken = encodePageToken(scope, cursor)
				break
			}
			var v versionRecord
			if json.Unmarshal(kv.Value, &v) != nil {
				continue
			}
			out.StateMachineVersions = append(out.StateMachineVersions, types.StateMachineVersionListItem{
				StateMachineVersionArn: aws.String(v.Arn), CreationDate: aws.Time(v.CreationDate)})
			cursor = kv.Key
		}
		return nil
	})
	return out, err
}

// DeleteStateMachineVersion deletes a version no alias routes to. Deleting one that does
// not exist succeeds.
func (s *Service) DeleteStateMachineVersion(ctx context.Context, in *sfn.DeleteStateMachineVersionInput, _ ...func(*sfn.Options)) (*sfn.DeleteStateMachineVersionOutput, error) {
	v := aws.ToString(in.StateMachineVersionArn)
	machine, q := qualified(v)
	n, ok := versionNumber(q)
	if _, _, err := s.machineArn(v); err != nil || !ok {
		return nil, errInvalidArn(v)
	}
	err := s.do(ctx, func(b *batch) error {
		var aliases []string
		err := s.st.View(func(tx *store.Tx) error {
			items, _, err := tx.List(kindAliases, machine+"#", "", 0)
			if err != nil {
				return err
			}
			for _, kv := range items {
				var al aliasRecord
				if json.Unmarshal(kv.Value, &al) != nil {
					continue
				}
				for _, r := range al.Routing {
					if r.Version == v {
						aliases = append(aliases, al.Name)
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(aliases) > 0 {
			return &types.ConflictException{Message: aws.String(fmt.Sprintf(
				"Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [%s]", strings.Join(aliases, ", ")))}
		}
		b.write(func(tx *store.Tx) error { return tx.Delete(kindVersions, versionKey(machine, n)) })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &sfn.DeleteStateMachineVersionOutput{}, nil
}

// loadVersion reads a version by its ARN.
func (s *Service) loadVersion(tx *store.Tx, v string) (*versionRecord, error) {
	machine, q := qualified(v)
	n, ok := versionNumber(q)
	if !ok {
		return nil, errMachineDoesNotExist(v)
	}
	var rec versionRecord
	if err := getJSON(tx, kindVersions, versionKey(machine, n), &rec); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errMachineDoesNotExist(v)
		}
		return nil, err
	}
	return &rec, nil
}

// resolveMachine reads what StartExecution runs for a state machine, version or alias
// ARN: the machine (under its own ARN) with the definition of the version chosen, and
// the version and alias ARNs the execution records.
func (s *Service) resolveMachine(a string) (m *machineRecord, versionArn, aliasArn string, err error) {
	machine, q := qualified(a)
	if q == "" {
		m, err = s.machine(a)
		return m, "", "", err
	}
	err = s.st.View(func(tx *store.Tx) error {
		versionArn = a
		if _, ok := versionNumber(q); !ok {
			al, err := s.loadAlias(tx, aliasKey(machine, q))
			if err != nil {
				return errMachineDoesNotExist(a)
			}
			aliasArn, versionArn = al.Arn, pickVersion(al.Routing)
		}
		v, err := s.loadVersion(tx, versionArn)
		if err != nil {
			return err
		}
		r := v.machineRecord
		r.Arn = v.MachineArn
		m = &r
		return nil
	})
	return m, versionArn, aliasArn, err
}
