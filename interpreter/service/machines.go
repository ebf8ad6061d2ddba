package service

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/ids"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// machineArn checks that s is a state machine ARN and returns it without a test case
// suffix (Step Functions Local's "#TestCase") and that suffix.
func (s *Service) machineArn(v string) (string, string, error) {
	base, testCase, _ := strings.Cut(v, "#")
	p, err := arn.Parse(base)
	if err != nil || p.Kind != "stateMachine" || len(p.Rest) == 0 {
		return "", "", errInvalidArn(v)
	}
	return base, testCase, nil
}

func (s *Service) loadMachine(tx *store.Tx, a string) (*machineRecord, error) {
	var m machineRecord
	if err := getJSON(tx, kindMachines, a, &m); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errMachineDoesNotExist(a)
		}
		return nil, err
	}
	return &m, nil
}

func (s *Service) machine(a string) (*machineRecord, error) {
	var m *machineRecord
	err := s.st.View(func(tx *store.Tx) error {
		var err error
		m, err = s.loadMachine(tx, a)
		return err
	})
	return m, err
}

// definitionError turns a parse failure into AWS's InvalidDefinition.
func definitionError(err error) error {
	var de *asl.Error
	if errors.As(err, &de) {
		return errInvalidDefinition(de.Error())
	}
	return errInvalidDefinition("Invalid State Machine Definition: '" + err.Error() + "'")
}

func rawJSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	data, _ := json.Marshal(v)
	if string(data) == "null" {
		return nil
	}
	return data
}

// CreateStateMachine creates a state machine. Creating one again with the same name and
// configuration returns the original, as AWS does.
func (s *Service) CreateStateMachine(ctx context.Context, in *sfn.CreateStateMachineInput, _ ...func(*sfn.Options)) (*sfn.CreateStateMachineOutput, error) {
	name := aws.ToString(in.Name)
	if !arn.ValidName(name) {
		return nil, errInvalidName(name)
	}
	if in.VersionDescription != nil && !in.Publish {
		return nil, errValidation("Version description can only be set when publish is true")
	}
	// roleArn is a required member of the request: AWS checks its presence and length
	// before anything else about it.
	switch {
	case in.RoleArn == nil:
		return nil, errValidation("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null")
	case *in.RoleArn == "":
		return nil, errValidation("1 validation error detected: Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	typ := in.Type
	if typ == "" {
		typ = types.StateMachineTypeStandard
	}
	if typ != types.StateMachineTypeStandard && typ != types.StateMachineTypeExpress {
		return nil, errValidation("1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]", typ)
	}
	def := aws.ToString(in.Definition)
	if _, _, err := s.definition(def, string(typ)); err != nil {
		return nil, definitionError(err)
	}
	rec := &machineRecord{Arn: s.loc.StateMachine(name), Name: name, Type: typ, Definition: def, RoleArn: aws.ToString(in.RoleArn),
		CreationDate: s.clock.Now(), Logging: rawJSON(in.LoggingConfiguration), Tracing: rawJSON(in.TracingConfiguration)}
	if len(in.Tags) > 0 {
		rec.Tags = map[string]string{}
		for _, t := range in.Tags {
			rec.Tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
	}
	var out *sfn.CreateStateMachineOutput
	err := s.do(ctx, func(b *batch) error {
		var existing *machineRecord
		err := s.st.View(func(tx *store.Tx) error {
			var err error
			existing, err = s.loadMachine(tx, rec.Arn)
			return err
		})
		if err == nil {
			same := existing.Definition == rec.Definition && existing.Type == rec.Type &&
				string(existing.Logging) == string(rec.Logging) && string(existing.Tracing) == string(rec.Tracing)
			if !same {
				return errMachineAlreadyExists(rec.Arn)
			}
			out = &sfn.CreateStateMachineOutput{StateMachineArn: aws.String(existing.Arn), CreationDate: aws.Time(existing.CreationDate)}
			if in.Publish && existing.LastVersion > 0 {
				out.StateMachineVersionArn = aws.String(existing.Arn + ":" + strconv.Itoa(existing.LastVersion))
			}
			return nil
		}
		var dne *types.StateMachineDoesNotExist
		if !errors.As(err, &dne) {
			return err
		}
		out = &sfn.CreateStateMachineOutput{StateMachineArn: aws.String(rec.Arn), CreationDate: aws.Time(rec.CreationDate)}
		if in.Publish {
			return s.st.View(func(tx *store.Tx) error {
				v, err := s.publish(b, tx, rec, aws.ToString(in.VersionDescription))
				if err == nil {
					out.StateMachineVersionArn = aws.String(v.Arn)
				}
				return err
			})
		}
		r := *rec
		b.write(func(tx *store.Tx) error { return putJSON(tx, kindMachines, r.Arn, r) })
		return nil
	})
	return out, err
}

func loggingOf(m *machineRecord) *types.LoggingConfiguration {
	lc := &types.LoggingConfiguration{Level: types.LogLevelOff}
	if len(m.Logging) > 0 {
		_ = json.Unmarshal(m.Logging, lc)
	}
	return lc
}

func tracingOf(m *machineRecord) *types.TracingConfiguration {
	tc := &types.TracingConfiguration{}
	if len(m.Tracing) > 0 {
		_ = json.Unmarshal(m.Tracing, tc)
	}
	return tc
}

// DescribeStateMachine describes a state machine.
func (s *Service) DescribeStateMachine(ctx context.Context, in *sfn.DescribeStateMachineInput, _ ...func(*sfn.Options)) (*sfn.DescribeStateMachineOutput, error) {
	a, _, err := s.machineArn(aws.ToString(in.StateMachineArn))
	if err != nil {
		return nil, err
	}
	m, err := s.machineOrVersion(a)
	if err != nil {
		return nil, err
	}
	out := &sfn.DescribeStateMachineOutput{StateMachineArn: aws.String(m.Arn), Name: aws.String(m.Name), Status: types.StateMachineStatusActive,
		Definition: aws.String(m.Definition), RoleArn: aws.String(m.RoleArn), Type: m.Type, CreationDate: aws.Time(m.CreationDate),
		LoggingConfiguration: loggingOf(m), TracingConfiguration: tracingOf(m)}
	if m.RevisionID != "" {
		out.RevisionId = aws.String(m.RevisionID)
	}
	if m.Description != "" {
		out.Description = aws.String(m.Description)
	}
	return out, nil
}

// ListStateMachines lists state machines in name order.
func (s *Service) ListStateMachines(ctx context.Context, in *sfn.ListStateMachinesInput, _ ...func(*sfn.Options)) (*sfn.ListStateMachinesOutput, error) {
	scope := scopeOf("ListStateMachines", "")
	limit, after, err := pageRequest(scope, in.MaxResults, in.NextToken, 1024)
	if err != nil {
		return nil, err
	}
	out := &sfn.ListStateMachinesOutput{StateMachines: []types.StateMachineListItem{}}
	err = s.st.View(func(tx *store.Tx) error {
		items, next, err := tx.List(kindMachines, "", after, limit)
		if err != nil {
			return err
		}
		for _, kv := range items {
			var m machineRecord
			if json.Unmarshal(kv.Value, &m) != nil {
				continue
			}
			out.StateMachines = append(out.StateMachines, types.StateMachineListItem{StateMachineArn: aws.String(m.Arn),
				Name: aws.String(m.Name), Type: m.Type, CreationDate: aws.Time(m.CreationDate)})
		}
		out.NextToken = encodePageToken(scope, next)
		return nil
	})
	return out, err
}

// UpdateStateMachine changes a state machine; running executions keep the definition
// they started with.
func (s *Service) UpdateStateMachine(ctx context.Context, in *sfn.UpdateStateMachineInput, _ ...func(*sfn.Options)) (*sfn.UpdateStateMachineOutput, error) {
	a, _, err := s.machineArn(aws.ToString(in.StateMachineArn))
	if err != nil {
		return nil, err
	}
	if p, _ := arn.Parse(a); len(p.Rest) > 1 {
		return nil, errMachineDoesNotExist(a) // a version ARN cannot be updated
	}
	if in.Definition == nil && in.RoleArn == nil && in.LoggingConfiguration == nil && in.TracingConfiguration == nil {
		return nil, errMissingParameter("Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified")
	}
	var out *sfn.UpdateStateMachineOutput
	err = s.do(ctx, func(b *batch) error {
		var m *machineRecord
		if err := s.st.View(func(tx *store.Tx) error {
			var err error
			m, err = s.loadMachine(tx, a)
			return err
		}); err != nil {
			return err
		}
		changed := false
		if in.Definition != nil && *in.Definition != m.Definition {
			if _, _, err := s.definition(*in.Definition, string(m.Type)); err != nil {
				return definitionError(err)
			}
			m.Definition, changed = *in.Definition, true
		}
		if in.RoleArn != nil && *in.RoleArn != m.RoleArn {
			m.RoleArn, changed = *in.RoleArn, true
		}
		if in.LoggingConfiguration != nil {
			if l := rawJSON(in.LoggingConfiguration); string(l) != string(m.Logging) {
				m.Logging, changed = l, true
			}
		}
		if in.TracingConfiguration != nil {
			if t := rawJSON(in.TracingConfiguration); string(t) != string(m.Tracing) {
				m.Tracing, changed = t, true
			}
		}
		if changed || m.RevisionID == "" {
			m.RevisionID = ids.UUID()
			m.UpdateDate = s.clock.Now()
			r := *m
			b.write(func(tx *store.Tx) error { return putJSON(tx, kindMachines, r.Arn, r) })
		}
		out = &sfn.UpdateStateMachineOutput{UpdateDate: aws.Time(m.UpdateDate), RevisionId: aws.String(m.RevisionID)}
		if in.Publish {
			return s.st.View(func(tx *store.Tx) error {
				v, err := s.publish(b, tx, m, aws.ToString(in.VersionDescription))
				if err == nil {
					out.StateMachineVersionArn = aws.String(v.Arn)
				}
				return err
			})
		}
		return nil
	})
	return out, err
}

// DeleteStateMachine deletes a state machine, its versions and aliases, and its
// executions: running ones are stopped first, and all are removed with their histories,
// as AWS deletes them. Deleting one that does not exist succeeds, as on AWS.
func (s *Service) DeleteStateMachine(ctx context.Context, in *sfn.DeleteStateMachineInput, _ ...func(*sfn.Options)) (*sfn.DeleteStateMachineOutput, error) {
	a, _, err := s.machineArn(aws.ToString(in.StateMachineArn))
	if err != nil {
		return nil, err
	}
	err = s.do(ctx, func(b *batch) error {
		express := false
		var executions []string
		for _, le := range s.live {
			switch {
			case le.x.Meta.StateMachineArn != a:
			case le.ephemeral:
				express = true
			default:
				s.apply(b, le, le.x.Advance(engine.Input{Kind: engine.InputStop}, s.clock.Now()))
				executions = append(executions, le.arn())
			}
		}
		if err := s.st.View(func(tx *store.Tx) error {
			rows, _, err := tx.ListExecutions(store.ExecutionQuery{MachineArn: a})
			for _, r := range rows {
				executions = append(executions, r.Arn)
			}
			return err
		}); err != nil {
			return err
		}
		s.forgetExecutions(b, executions)
		if express {
			// This unit writes: EXPRESS executions stop once the deletion is stored.
			s.later(b, func(b *batch) error {
				for _, le := range s.live {
					if le.ephemeral && le.x.Meta.StateMachineArn == a {
						s.apply(b, le, le.x.Advance(engine.Input{Kind: engine.InputStop}, s.clock.Now()))
					}
				}
				return nil
			})
		}
		b.write(func(tx *store.Tx) error {
			// A machine's versions and aliases go with it.
			for _, kind := range []string{kindVersions, kindAliases} {
				items, _, err := tx.List(kind, a+"#", "", 0)
				if err != nil {
					return err
				}
				for _, kv := range items {
					if err := tx.Delete(kind, kv.Key); err != nil {
						return err
					}
				}
			}
			return tx.Delete(kindMachines, a)
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &sfn.DeleteStateMachineOutput{}, nil
}

// machineOrVersion reads a state machine, or a version by its ARN: the version as it
// was published, under the version's ARN.
func (s *Service) machineOrVersion(a string) (*machineRecord, error) {
	if _, q := qualified(a); q == "" {
		return s.machine(a)
	}
	var m *machineRecord
	err := s.st.View(func(tx *store.Tx) error {
		v, err := s.loadVersion(tx, a)
		if err != nil {
			return err
		}
		m = &v.machineRecord
		return nil
	})
	return m, err
}
