package service

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	lt "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/stepdeck/stepdeck/interpreter/logfilter"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// Logs is the part of the CloudWatch Logs API that reads what the service logged for
// EXPRESS executions. Its methods have the signatures of *cloudwatchlogs.Client, so the
// TUI reads the local engine's logs exactly as it reads AWS's, and the HTTP server
// serves them to any SDK. It is a type of its own so that the Step Functions server,
// which serves every method shaped like an SDK operation, does not serve these too.
type Logs struct{ s *Service }

// Logs returns the service's CloudWatch Logs API.
func (s *Service) Logs() *Logs { return &Logs{s: s} }

const (
	// defaultFilterLimit and maxFilterScan bound one FilterLogEvents page: AWS also
	// returns a page early (even an empty one, with a token) when it has searched enough.
	defaultFilterLimit = 10000
	maxFilterScan      = 50000
)

func errLogsInvalidParameter(format string, args ...any) error {
	return &lt.InvalidParameterException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func errLogGroupNotFound() error {
	return &lt.ResourceNotFoundException{Message: aws.String("The specified log group does not exist.")}
}

// FilterLogEvents lists the events of a log group, oldest first, that match a filter
// pattern within a time range.
func (l *Logs) FilterLogEvents(ctx context.Context, in *cloudwatchlogs.FilterLogEventsInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error) {
	group, err := groupOf(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if len(in.LogStreamNames) > 0 && in.LogStreamNamePrefix != nil {
		return nil, errLogsInvalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive")
	}
	limit := defaultFilterLimit
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > defaultFilterLimit {
			return nil, errLogsInvalidParameter("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", *in.Limit, defaultFilterLimit)
		}
		limit = int(*in.Limit)
	}
	pattern, err := logfilter.Parse(aws.ToString(in.FilterPattern))
	if err != nil {
		return nil, errLogsInvalidParameter("Invalid filter pattern: %v", err)
	}
	var start, end int64 = 0, -1
	if in.StartTime != nil {
		start = max(*in.StartTime, 0)
	}
	if in.EndTime != nil {
		end = *in.EndTime
	}
	prefix := group + "\x00"
	after := fmt.Sprintf("%s%016x", prefix, uint64(start)) // every key of a later or equal time sorts after it
	if in.NextToken != nil {
		tok, err := base64.RawURLEncoding.DecodeString(*in.NextToken)
		if err != nil || !strings.HasPrefix(string(tok), prefix) {
			return nil, errLogsInvalidParameter("The specified nextToken is invalid.")
		}
		after = string(tok)
	}
	streams := map[string]bool{}
	for _, s := range in.LogStreamNames {
		streams[s] = true
	}
	out := &cloudwatchlogs.FilterLogEventsOutput{Events: []lt.FilteredLogEvent{}}
	err = l.s.st.View(func(tx *store.Tx) error {
		if _, err := tx.Get(kindLogGroups, group); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return errLogGroupNotFound()
			}
			return err
		}
		scanned := 0
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			items, next, err := tx.List(kindLogEvents, prefix, after, 1000)
			if err != nil {
				return err
			}
			for _, kv := range items {
				after = kv.Key
				scanned++
				ms, ok := keyTime(kv.Key, prefix)
				if !ok {
					continue
				}
				if end >= 0 && ms > end {
					return nil // keys are in time order: nothing later can be in range
				}
				var ev storedLogEvent
				if json.Unmarshal(kv.Value, &ev) != nil {
					continue
				}
				if (len(streams) > 0 && !streams[ev.Stream]) ||
					(in.LogStreamNamePrefix != nil && !strings.HasPrefix(ev.Stream, *in.LogStreamNamePrefix)) ||
					!pattern.Match(ev.Message) {
					continue
				}
				out.Events = append(out.Events, lt.FilteredLogEvent{EventId: aws.String(base64.RawURLEncoding.EncodeToString([]byte(kv.Key[len(prefix):]))),
					LogStreamName: aws.String(ev.Stream), Message: aws.String(ev.Message), Timestamp: aws.Int64(ms), IngestionTime: aws.Int64(ev.Ingestion)})
				if len(out.Events) == limit {
					if next != "" || kv.Key != items[len(items)-1].Key {
						out.NextToken = aws.String(base64.RawURLEncoding.EncodeToString([]byte(after)))
					}
					return nil
				}
			}
			if next == "" {
				return nil
			}
			if scanned >= maxFilterScan {
				out.NextToken = aws.String(base64.RawURLEncoding.EncodeToString([]byte(after)))
				return nil
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// keyTime reads the timestamp out of a log event key.
func keyTime(key, prefix string) (int64, bool) {
	rest := key[len(prefix):]
	if len(rest) < 16 {
		return 0, false
	}
	var ms uint64
	if _, err := fmt.Sscanf(rest[:16], "%016x", &ms); err != nil {
		return 0, false
	}
	return int64(ms), true
}

// groupOf takes the log group from logGroupName or logGroupIdentifier (a name or an
// ARN): exactly one of them.
func groupOf(name, identifier *string) (string, error) {
	switch {
	case name != nil && identifier != nil:
		return "", errLogsInvalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
	case name != nil:
		if *name == "" || len(*name) > 512 {
			return "", errLogsInvalidParameter("1 validation error detected: Value at 'logGroupName' failed to satisfy constraint: Member must have length between 1 and 512")
		}
		return *name, nil
	case identifier != nil:
		g, ok := logGroupName(*identifier)
		if !ok {
			return "", errLogsInvalidParameter("Invalid log group identifier: %s", *identifier)
		}
		return g, nil
	}
	return "", errLogsInvalidParameter("Should provide either a log group name or a log group identifier.")
}

// DescribeLogGroups lists the log groups the service has written to, by name.
func (l *Logs) DescribeLogGroups(ctx context.Context, in *cloudwatchlogs.DescribeLogGroupsInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogGroupsOutput, error) {
	limit := 50
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > 50 {
			return nil, errLogsInvalidParameter("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and 50", *in.Limit)
		}
		limit = int(*in.Limit)
	}
	if in.LogGroupNamePattern != nil {
		return nil, errLogsInvalidParameter("logGroupNamePattern is not supported by stepdeck; use logGroupNamePrefix")
	}
	prefix := aws.ToString(in.LogGroupNamePrefix)
	after := ""
	if in.NextToken != nil {
		tok, err := base64.RawURLEncoding.DecodeString(*in.NextToken)
		if err != nil {
			return nil, errLogsInvalidParameter("The specified nextToken is invalid.")
		}
		after = string(tok)
	}
	out := &cloudwatchlogs.DescribeLogGroupsOutput{LogGroups: []lt.LogGroup{}}
	err := l.s.st.View(func(tx *store.Tx) error {
		items, next, err := tx.List(kindLogGroups, prefix, after, limit)
		if err != nil {
			return err
		}
		for _, kv := range items {
			var rec logGroupRecord
			_ = json.Unmarshal(kv.Value, &rec)
			g := lt.LogGroup{LogGroupName: aws.String(kv.Key), CreationTime: aws.Int64(rec.CreationTime),
				StoredBytes: aws.Int64(0), LogGroupClass: lt.LogGroupClassStandard}
			if rec.Arn != "" {
				bare := strings.TrimSuffix(rec.Arn, ":*")
				g.Arn, g.LogGroupArn = aws.String(bare+":*"), aws.String(bare)
			}
			out.LogGroups = append(out.LogGroups, g)
		}
		if next != "" {
			out.NextToken = aws.String(base64.RawURLEncoding.EncodeToString([]byte(next)))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
