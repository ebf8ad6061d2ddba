package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/awsjson"
	hist "github.com/stepdeck/stepdeck/interpreter/history"
)

// loggedEvent is one Step Functions log event read back: a history event and the
// execution it belongs to.
type loggedEvent struct {
	hist.Event
	ExecutionArn string
}

// parseLogEvent reads the message of one log event that Step Functions wrote to
// CloudWatch Logs:
//
//	{"id":"2","type":"PassStateEntered","details":{...},"previous_event_id":"0",
//	 "event_timestamp":"1700000000123","execution_arn":"arn:…","redrive_count":"0"}
//
// Numbers may come as strings (as AWS writes them) or as numbers. The details are read
// into the SDK type the event's type uses, so the event is the one GetExecutionHistory
// would have returned, less what the logging level left out. ingested is the log
// event's own timestamp, used when the message has none.
func parseLogEvent(message string, ingested time.Time) (loggedEvent, error) {
	var raw struct {
		ID        json.RawMessage `json:"id"`
		Type      string          `json:"type"`
		Details   json.RawMessage `json:"details"`
		Previous  json.RawMessage `json:"previous_event_id"`
		Timestamp json.RawMessage `json:"event_timestamp"`
		Execution string          `json:"execution_arn"`
	}
	if err := json.Unmarshal([]byte(message), &raw); err != nil {
		return loggedEvent{}, fmt.Errorf("not a Step Functions log event: %w", err)
	}
	if raw.Type == "" || raw.Execution == "" {
		return loggedEvent{}, fmt.Errorf("not a Step Functions log event: no type or execution_arn")
	}
	id, err := logNumber(raw.ID, "id")
	if err != nil {
		return loggedEvent{}, err
	}
	if id < 1 {
		return loggedEvent{}, fmt.Errorf("log event id %d: ids start at 1", id)
	}
	prev, err := logNumber(raw.Previous, "previous_event_id")
	if err != nil {
		return loggedEvent{}, err
	}
	e := loggedEvent{Event: hist.Event{ID: id, PreviousEventID: prev, Type: types.HistoryEventType(raw.Type), Timestamp: ingested}, ExecutionArn: raw.Execution}
	if len(raw.Timestamp) > 0 && string(raw.Timestamp) != "null" {
		ms, err := logNumber(raw.Timestamp, "event_timestamp")
		if err != nil {
			return loggedEvent{}, err
		}
		e.Timestamp = time.UnixMilli(ms).UTC()
	}
	if t := hist.DetailsType(e.Type); t != nil && len(bytes.TrimSpace(raw.Details)) > 0 && string(raw.Details) != "null" {
		d := reflect.New(t.Elem())
		if err := awsjson.Unmarshal(raw.Details, d.Interface()); err != nil {
			return loggedEvent{}, fmt.Errorf("log event %d (%s): details: %w", id, raw.Type, err)
		}
		e.Details = d.Interface()
	}
	return e, nil
}

// logNumber reads a number written as a JSON string ("12") or number (12).
func logNumber(raw json.RawMessage, field string) (int64, error) {
	if len(raw) == 0 {
		if field == "previous_event_id" {
			return 0, nil
		}
		return 0, fmt.Errorf("log event: no %s", field)
	}
	var s string
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, fmt.Errorf("log event %s: %w", field, err)
		}
	} else {
		s = string(raw)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("log event %s %s is not a whole number", field, raw)
	}
	return n, nil
}
