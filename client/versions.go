package client

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// Qualifier is a published version or an alias of a state machine: an ARN that
// StartExecution and ListExecutions take in place of the machine's.
type Qualifier struct {
	Arn     string
	Label   string // "v3" for a version, the alias's name for an alias
	Alias   bool
	Routing string // an alias's routing: "v2 70% · v3 30%"
	Created time.Time
}

// Qualifiers lists a state machine's versions, newest first, then its aliases by name,
// with each alias's routing (one DescribeStateMachineAlias each).
func Qualifiers(ctx context.Context, api API, machineArn string) ([]Qualifier, error) {
	var out []Qualifier
	vin := &sfn.ListStateMachineVersionsInput{StateMachineArn: aws.String(machineArn), MaxResults: 1000}
	for {
		page, err := api.ListStateMachineVersions(ctx, vin)
		if err != nil {
			return nil, fmt.Errorf("listing versions: %w", err)
		}
		for _, v := range page.StateMachineVersions {
			a := aws.ToString(v.StateMachineVersionArn)
			out = append(out, Qualifier{Arn: a, Label: VersionLabel(a), Created: aws.ToTime(v.CreationDate)})
		}
		if page.NextToken == nil {
			break
		}
		vin.NextToken = page.NextToken
	}
	var aliases []Qualifier
	ain := &sfn.ListStateMachineAliasesInput{StateMachineArn: aws.String(machineArn), MaxResults: 1000}
	for {
		page, err := api.ListStateMachineAliases(ctx, ain)
		if err != nil {
			return nil, fmt.Errorf("listing aliases: %w", err)
		}
		for _, al := range page.StateMachineAliases {
			a := aws.ToString(al.StateMachineAliasArn)
			q := Qualifier{Arn: a, Label: a[strings.LastIndexByte(a, ':')+1:], Alias: true, Created: aws.ToTime(al.CreationDate)}
			d, err := api.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: aws.String(a)})
			if err != nil {
				q.Routing = "routing unknown: " + err.Error()
			} else {
				q.Routing = routing(d.RoutingConfiguration)
			}
			aliases = append(aliases, q)
		}
		if page.NextToken == nil {
			break
		}
		ain.NextToken = page.NextToken
	}
	sort.Slice(aliases, func(i, j int) bool { return aliases[i].Label < aliases[j].Label })
	return append(out, aliases...), nil
}

func routing(rs []types.RoutingConfigurationListItem) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%s %d%%", VersionLabel(aws.ToString(r.StateMachineVersionArn)), r.Weight)
	}
	return strings.Join(parts, " · ")
}

// VersionLabel writes a version ARN (…:stateMachine:NAME:3) as "v3"; any other ARN as
// its last part.
func VersionLabel(versionArn string) string {
	last := versionArn[strings.LastIndexByte(versionArn, ':')+1:]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return "v" + last
	}
	return last
}
