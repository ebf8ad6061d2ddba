package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/store"
)

// aliasRecord is an alias as stored.
type aliasRecord struct {
	Arn          string      `json:"arn"`
	MachineArn   string      `json:"machineArn"`
	Name         string      `json:"name"`
	Description  string      `json:"description,omitempty"`
	Routing      []aliasPath `json:"routing"`
	CreationDate time.Time   `json:"creationDate"`
	UpdateDate   time.Time   `json:"updateDate,omitempty"`
}

type aliasPath struct {
	Version string `json:"version"`
	Weight  int32  `json:"weight"`
}

func aliasKey(machineArn, name string) string { return machineArn + "#" + name }

func errAliasNotFound() error {
	return &types.ResourceNotFound{Message: aws.String("Request references a resource that does not exist.")}
}

// validAliasName applies AWS's pattern: letters, digits, '_', '-' and '.', with at least
// one that is not a digit (so an alias never looks like a version).
func validAliasName(name string) error {
	if len(name) < 1 || len(name) > 80 {
		return errValidation("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must have length %s", name,
			map[bool]string{true: "greater than or equal to 1", false: "less than or equal to 80"}[name == ""])
	}
	nonDigit := false
	for _, r := range name {
		switch {
		case r >= '0' && r <= '9':
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_', r == '-', r == '.':
			nonDigit = true
		default:
			return errValidation(`1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$`, name)
		}
	}
	if !nonDigit {
		return errValidation(`1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$`, name)
	}
	return nil
}

// checkRouting applies AWS's rules to a routing configuration, in AWS's order: its
// size and weights, then version ARNs, distinct, summing to 100. It returns the
// machine the versions belong to.
func checkRouting(rc []types.RoutingConfigurationListItem) ([]aliasPath, string, error) {
	if len(rc) == 0 {
		return nil, "", errValidation("1 validation error detected: Value '[]' at 'routingConfiguration' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if len(rc) > 2 {
		items := make([]string, len(rc))
		for i, r := range rc {
			items[i] = fmt.Sprintf("RoutingConfigurationListItem(stateMachineVersionArn=%s, weight=%d)", aws.ToString(r.StateMachineVersionArn), r.Weight)
		}
		return nil, "", errValidation("1 validation error detected: Value '[%s]' at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2", strings.Join(items, ", "))
	}
	arns := make([]string, len(rc))
	weights := make([]string, len(rc))
	var sum int32
	for i, r := range rc {
		switch {
		case r.Weight < 0:
			return nil, "", errValidation("1 validation error detected: Value '%d' at 'routingConfiguration.%d.member.weight' failed to satisfy constraint: Member must have value greater than or equal to 0", r.Weight, i+1)
		case r.Weight > 100:
			return nil, "", errValidation("1 validation error detected: Value '%d' at 'routingConfiguration.%d.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100", r.Weight, i+1)
		}
		arns[i] = aws.ToString(r.StateMachineVersionArn)
		weights[i] = fmt.Sprint(r.Weight)
		sum += r.Weight
	}
	received := "[" + strings.Join(arns, ", ") + "]"
	machine := ""
	for _, a := range arns {
		m, q := qualified(a)
		if _, ok := versionNumber(q); !ok {
			return nil, "", errValidation("Routing configuration must contain state machine version ARNs. Received: %s", received)
		}
		if machine != "" && m != machine {
			return nil, "", errValidation("Routing configuration must contain versions of the same state machine. Received: %s", received)
		}
		machine = m
	}
	if len(arns) == 2 && arns[0] == arns[1] {
		return nil, "", errValidation("Routing configuration must contain distinct state machine version ARNs. Received: %s", received)
	}
	if sum != 100 {
		return nil, "", errValidation("Sum of routing configuration weights must equal 100. Received: [%s]", strings.Join(weights, ", "))
	}
	out := make([]aliasPath, len(rc))
	for i, r := range rc {
		out[i] = aliasPath{Version: arns[i], Weight: r.Weight}
	}
	return out, machine, nil
}

// versionsExist checks that every version an alias routes to is there.
func (s *Service) versionsExist(tx *store.Tx, routing []aliasPath) error {
	for _, r := range routing {
		if _, err := s.loadVersion(tx, r.Version); err != nil {
			var dne *types.StateMachineDoesNotExist
			if errors.As(err, &dne) {
				return errAliasNotFound()
			}
			return err
		}
	}
	return nil
}

func sameRouting(a, b []aliasPath) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// CreateStateMachineAlias creates an alias routing to one or two versions. Creating
// it again with the same configuration returns the original.
func (s *Service) CreateStateMachineAlias(ctx context.Context, in *sfn.CreateStateMachineAliasInput, _ ...func(*sfn.Options)) (*sfn.CreateStateMachineAliasOutput, error) {
	name := aws.ToString(in.Name)
	if err := validAliasName(name); err != nil {
		return nil, err
	}
	if err := checkVersionDescription(in.Description); err != nil {
		return nil, err
	}
	routing, machine, err := checkRouting(in.RoutingConfiguration)
	if err != nil {
		return nil, err
	}
	rec := aliasRecord{Arn: machine + ":" + name, MachineArn: machine, Name: name, Description: aws.ToString(in.Description),
		Routing: routing, CreationDate: s.clock.Now()}
	var out *sfn.CreateStateMachineAliasOutput
	err = s.do(ctx, func(b *batch) error {
		return s.st.View(func(tx *store.Tx) error {
			if _, err := s.loadMachine(tx, machine); err != nil {
				return err
			}
			if err := s.versionsExist(tx, routing); err != nil {
				return err
			}
			var old aliasRecord
			err := getJSON(tx, kindAliases, aliasKey(machine, name), &old)
			switch {
			case err == nil:
				if old.Description != rec.Description || !sameRouting(old.Routing, rec.Routing) {
					return &types.ConflictException{Message: aws.String(fmt.Sprintf(
						"Failed to create alias because an alias with the same name and a different configuration already exists: '%s'", old.Arn))}
				}
				out = &sfn.CreateStateMachineAliasOutput{StateMachineAliasArn: aws.String(old.Arn), CreationDate: aws.Time(old.CreationDate)}
				return nil
			case !errors.Is(err, store.ErrNotFound):
				return err
			}
			r := rec
			b.write(func(tx *store.Tx) error { return putJSON(tx, kindAliases, aliasKey(r.MachineArn, r.Name), r) })
			out = &sfn.CreateStateMachineAliasOutput{StateMachineAliasArn: aws.String(rec.Arn), CreationDate: aws.Time(rec.CreationDate)}
			return nil
		})
	})
	return out, err
}

// aliasArn checks an alias ARN and returns its store key.
func (s *Service) aliasArn(v string) (string, error) {
	if _, _, err := s.machineArn(v); err != nil || strings.Contains(v, "#") {
		return "", errInvalidArn(v)
	}
	machine, q := qualified(v)
	if _, isVersion := versionNumber(q); q == "" || isVersion {
		return "", errInvalidArn(v)
	}
	return aliasKey(machine, q), nil
}

func (s *Service) loadAlias(tx *store.Tx, key string) (*aliasRecord, error) {
	var al aliasRecord
	if err := getJSON(tx, kindAliases, key, &al); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errAliasNotFound()
		}
		return nil, err
	}
	return &al, nil
}

func routingOut(rs []aliasPath) []types.RoutingConfigurationListItem {
	out := make([]types.RoutingConfigurationListItem, len(rs))
	for i, r := range rs {
		out[i] = types.RoutingConfigurationListItem{StateMachineVersionArn: aws.String(r.Version), Weight: r.Weight}
	}
	return out
}

// DescribeStateMachineAlias describes an alias.
func (s *Service) DescribeStateMachineAlias(ctx context.Context, in *sfn.DescribeStateMachineAliasInput, _ ...func(*sfn.Options)) (*sfn.DescribeStateMachineAliasOutput, error) {
	key, err := s.aliasArn(aws.ToString(in.StateMachineAliasArn))
	if err != nil {
		return nil, err
	}
	var al *aliasRecord
	if err := s.st.View(func(tx *store.Tx) error {
		al, err = s.loadAlias(tx, key)
		return err
	}); err != nil {
		return nil, err
	}
	out := &sfn.DescribeStateMachineAliasOutput{StateMachineAliasArn: aws.String(al.Arn), Name: aws.String(al.Name),
		RoutingConfiguration: routingOut(al.Routing), CreationDate: aws.Time(al.CreationDate)}
	if al.Description != "" {
		out.Description = aws.String(al.Description)
	}
	if !al.UpdateDate.IsZero() {
		out.UpdateDate = aws.Time(al.UpdateDate)
	}
	return out, nil
}

// UpdateStateMachineAlias changes an alias's description or routing.
func (s *Service) UpdateStateMachineAlias(ctx context.Context, in *sfn.UpdateStateMachineAliasInput, _ ...func(*sfn.Options)) (*sfn.UpdateStateMachineAliasOutput, error) {
	key, err := s.aliasArn(aws.ToString(in.StateMachineAliasArn))
	if err != nil {
		return nil, err
	}
	if in.Description == nil && in.RoutingConfiguration == nil {
		return nil, errValidation("Either the description or the routing configuration must be specified")
	}
	if err := checkVersionDescription(in.Description); err != nil {
		return nil, err
	}
	var routing []aliasPath
	if in.RoutingConfiguration != nil {
		var machine string
		if routing, machine, err = checkRouting(in.RoutingConfiguration); err != nil {
			return nil, err
		}
		if !strings.HasPrefix(key, machine+"#") {
			return nil, errValidation("Routing configuration must contain versions of the alias's state machine. Received: %s", machine)
		}
	}
	var out *sfn.UpdateStateMachineAliasOutput
	err = s.do(ctx, func(b *batch) error {
		return s.st.View(func(tx *store.Tx) error {
			al, err := s.loadAlias(tx, key)
			if err != nil {
				return err
			}
			if routing != nil {
				if err := s.versionsExist(tx, routing); err != nil {
					return err
				}
				al.Routing = routing
			}
			if in.Description != nil {
				al.Description = *in.Description
			}
			al.UpdateDate = s.clock.Now()
			r := *al
			b.write(func(tx *store.Tx) error { return putJSON(tx, kindAliases, key, r) })
			out = &sfn.UpdateStateMachineAliasOutput{UpdateDate: aws.Time(al.UpdateDate)}
			return nil
		})
	})
	return out, err
}

// ListStateMachineAliases lists a machine's aliases, newest first.
func (s *Service) ListStateMachineAliases(ctx context.Context, in *sfn.ListStateMachineAliasesInput, _ ...func(*sfn.Options)) (*sfn.ListStateMachineAliasesOutput, error) {
	a, _, err := s.machineArn(aws.ToString(in.StateMachineArn))
	if err != nil {
		return nil, err
	}
	scope := scopeOf("ListStateMachineAliases", a)
	limit, cursor, err := pageRequest(scope, in.MaxResults, in.NextToken, 1024)
	if err != nil {
		return nil, err
	}
	out := &sfn.ListStateMachineAliasesOutput{StateMachineAliases: []types.StateMachineAliasListItem{}}
	err = s.st.View(func(tx *store.Tx) error {
		if _, err := s.loadMachine(tx, a); err != nil {
			return err
		}
		items, _, err := tx.List(kindAliases, a+"#", "", 0)
		if err != nil {
			return err
		}
		var all []aliasRecord
		for _, kv := range items {
			var al aliasRecord
			if json.Unmarshal(kv.Value, &al) == nil {
				all = append(all, al)
			}
		}
		sort.SliceStable(all, func(i, j int) bool {
			if !all[i].CreationDate.Equal(all[j].CreationDate) {
				return all[i].CreationDate.After(all[j].CreationDate)
			}
			return all[i].Name < all[j].Name
		})
		start := 0
		if cursor != "" {
			start = -1
			for i, al := range all {
				if al.Name == cursor {
					start = i + 1
				}
			}
			if start < 0 {
				return errInvalidToken()
			}
		}
		for _, al := range all[start:] {
			if len(out.StateMachineAliases) == limit {
				out.NextToken = encodePageToken(scope, aws.ToString(out.StateMachineAliases[limit-1].StateMachineAliasArn)[len(a)+1:])
				break
			}
			out.StateMachineAliases = append(out.StateMachineAliases, types.StateMachineAliasListItem{
				StateMachineAliasArn: aws.String(al.Arn), CreationDate: aws.Time(al.CreationDate)})
		}
		return nil
	})
	return out, err
}

// DeleteStateMachineAlias deletes an alias.
func (s *Service) DeleteStateMachineAlias(ctx context.Context, in *sfn.DeleteStateMachineAliasInput, _ ...func(*sfn.Options)) (*sfn.DeleteStateMachineAliasOutput, error) {
	key, err := s.aliasArn(aws.ToString(in.StateMachineAliasArn))
	if err != nil {
		return nil, err
	}
	err = s.do(ctx, func(b *batch) error {
		if err := s.st.View(func(tx *store.Tx) error {
			_, err := s.loadAlias(tx, key)
			return err
		}); err != nil {
			return err
		}
		b.write(func(tx *store.Tx) error { return tx.Delete(kindAliases, key) })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &sfn.DeleteStateMachineAliasOutput{}, nil
}

// pickVersion chooses the version an execution through an alias runs, by weight.
func pickVersion(routing []aliasPath) string {
	n := rand.Int32N(100)
	for _, r := range routing {
		if n < r.Weight {
			return r.Version
		}
		n -= r.Weight
	}
	return routing[len(routing)-1].Version
}
