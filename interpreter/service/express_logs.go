package service

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/awsjson"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/store"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// EXPRESS executions keep no history: as on AWS, what is left of them is what their
// state machine's loggingConfiguration sends to a CloudWatch Logs log group. The service
// writes those log events, in AWS's format, to its own store (in the commit that made
// them), and Logs (logs_api.go) serves them through the CloudWatch Logs API.
//
// One log event is one history event, as AWS writes it (read from AWS's recordings):
//
//	{"id":"2","type":"PassStateEntered","details":{"input":"{}","inputDetails":{"truncated":false},"name":"P"},
//	 "previous_event_id":"0","event_timestamp":"1700000000123","execution_arn":"arn:…:express:m:e:uuid","redrive_count":"0"}
//
// The numbers are strings; details are the event's details in the Step Functions wire
// form ("{}" for a type without any); without includeExecutionData the payloads (input,
// output, parameters, assigned variables, and their *Details) are left out, while error
// and cause stay.

// Store kinds of the log store.
const (
	kindLogEvents = "logevents" // key: group NUL timestamp(16 hex) NUL stream hash(16 hex) event id(16 hex)
	kindLogGroups = "loggroups" // key: group name
)

// maxLoggedPayload is the longest input or output a log event carries; AWS truncates
// longer ones (inputDetails.truncated) to stay within CloudWatch Logs' event size.
const maxLoggedPayload = 248 * 1024

// logTarget is where an execution's log events go and which of them.
type logTarget struct {
	group       string
	groupArn    string
	stream      string
	level       types.LogLevel
	includeData bool
	streamHash  string // 16 hex digits that keep the keys of executions apart
}

// logTargetOf reads a state machine's loggingConfiguration; nil when it logs nothing.
func (s *Service) logTargetOf(m *machineRecord, execArn, execName string, start time.Time) *logTarget {
	lc := loggingOf(m)
	if lc.Level == "" || lc.Level == types.LogLevelOff || len(lc.Destinations) == 0 {
		return nil
	}
	d := lc.Destinations[0].CloudWatchLogsLogGroup
	if d == nil {
		return nil
	}
	group, ok := logGroupName(deref(d.LogGroupArn))
	if !ok {
		return nil
	}
	h := fnv.New64a()
	h.Write([]byte(execArn))
	return &logTarget{group: group, groupArn: deref(d.LogGroupArn), level: lc.Level, includeData: lc.IncludeExecutionData,
		// Stream names are stepdeck's own: nothing reads them but people.
		stream:     "states/" + m.Name + "/" + start.UTC().Format("2006-01-02-15-04") + "/" + execName,
		streamHash: hex.EncodeToString(h.Sum(nil))}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// logGroupName takes the name out of a log group ARN
// (arn:aws:logs:us-east-1:111111111111:log-group:NAME:*), or accepts a bare name.
func logGroupName(s string) (string, bool) {
	if !strings.HasPrefix(s, "arn:") {
		return s, s != ""
	}
	_, rest, ok := strings.Cut(s, ":log-group:")
	if !ok {
		return "", false
	}
	rest = strings.TrimSuffix(rest, ":*")
	return rest, rest != "" && len(rest) <= 512
}

// logged reports whether a level sends events of type t: ALL sends every one; ERROR
// the failures, time-outs and aborts of anything, and Fail states; FATAL only how the
// execution itself ended badly.
func logged(level types.LogLevel, t types.HistoryEventType) bool {
	switch level {
	case types.LogLevelAll:
		return true
	case types.LogLevelError:
		s := string(t)
		return strings.HasSuffix(s, "Failed") || strings.HasSuffix(s, "TimedOut") || strings.HasSuffix(s, "Aborted") ||
			t == types.HistoryEventTypeFailStateEntered
	case types.LogLevelFatal:
		return t == types.HistoryEventTypeExecutionFailed || t == types.HistoryEventTypeExecutionTimedOut ||
			t == types.HistoryEventTypeExecutionAborted
	}
	return false
}

// storedLogEvent is a log event as the store keeps it.
type storedLogEvent struct {
	Stream    string `json:"s"`
	Message   string `json:"m"`
	Ingestion int64  `json:"i"`
}

type logGroupRecord struct {
	Arn          string `json:"arn"`
	CreationTime int64  `json:"c"`
}

// writeLogs sends the events of one engine call to the execution's log group, in the
// same commit as the call's other writes.
func (s *Service) writeLogs(b *batch, le *liveExec, events []history.Event) {
	t := le.logs
	if t == nil || len(events) == 0 {
		return
	}
	now := s.clock.Now().UnixMilli()
	type kv struct{ key, val []byte }
	var rows []kv
	for i := range events {
		e := &events[i]
		if !logged(t.level, e.Type) {
			continue
		}
		msg, err := logMessage(e, le.arn(), le.x.Meta.RedriveCount, t.includeData)
		if err != nil {
			continue // an event the engine built wrong; its history still has it
		}
		ms := e.Timestamp.UnixMilli()
		val, _ := json.Marshal(storedLogEvent{Stream: t.stream, Message: string(msg), Ingestion: now})
		rows = append(rows, kv{[]byte(logEventKey(t.group, ms, t.streamHash, e.ID)), val})
	}
	if len(rows) == 0 {
		return
	}
	group, groupArn := t.group, t.groupArn
	b.write(func(tx *store.Tx) error {
		if _, err := tx.Get(kindLogGroups, group); err != nil {
			rec, _ := json.Marshal(logGroupRecord{Arn: groupArn, CreationTime: now})
			if err := tx.Put(kindLogGroups, group, rec); err != nil {
				return err
			}
		}
		for _, r := range rows {
			if err := tx.Put(kindLogEvents, string(r.key), r.val); err != nil {
				return err
			}
		}
		return nil
	})
}

func logEventKey(group string, ms int64, streamHash string, id int64) string {
	return fmt.Sprintf("%s\x00%016x\x00%s%016x", group, uint64(ms), streamHash, uint64(id))
}

// logMessage writes one history event as a Step Functions log event.
func logMessage(e *history.Event, execArn string, redriveCount int, includeData bool) ([]byte, error) {
	if err := e.Check(); err != nil {
		return nil, err
	}
	buf := []byte(`{"id":`)
	buf = value.AppendString(buf, strconv.FormatInt(e.ID, 10))
	buf = append(buf, `,"type":`...)
	buf = value.AppendString(buf, string(e.Type))
	buf = append(buf, `,"details":`...)
	if e.Details == nil || reflect.ValueOf(e.Details).IsNil() {
		buf = append(buf, "{}"...)
	} else {
		var err error
		if buf, err = awsjson.Append(buf, loggedDetails(e.Details, includeData)); err != nil {
			return nil, err
		}
	}
	buf = append(buf, `,"previous_event_id":`...)
	buf = value.AppendString(buf, strconv.FormatInt(e.PreviousEventID, 10))
	buf = append(buf, `,"event_timestamp":`...)
	buf = value.AppendString(buf, strconv.FormatInt(e.Timestamp.UnixMilli(), 10))
	buf = append(buf, `,"execution_arn":`...)
	buf = value.AppendString(buf, execArn)
	buf = append(buf, `,"redrive_count":`...)
	buf = value.AppendString(buf, strconv.Itoa(redriveCount))
	return append(buf, '}'), nil
}

// dataFields are the members of event details that hold execution data.
var dataFields = []string{"Input", "InputDetails", "Output", "OutputDetails", "Parameters", "AssignedVariables", "AssignedVariablesDetails"}

// loggedDetails returns a copy of details (a pointer to an SDK details struct) as it is
// logged: without execution data unless includeData, with an input or output longer
// than maxLoggedPayload cut and marked truncated.
func loggedDetails(details any, includeData bool) any {
	src := reflect.ValueOf(details).Elem()
	cp := reflect.New(src.Type())
	cp.Elem().Set(src)
	for _, name := range dataFields {
		f := cp.Elem().FieldByName(name)
		if !f.IsValid() || !f.CanSet() {
			continue
		}
		if !includeData {
			f.SetZero()
			continue
		}
		if (name == "Input" || name == "Output") && f.Kind() == reflect.Pointer && !f.IsNil() {
			if text := f.Elem().String(); len(text) > maxLoggedPayload {
				n := maxLoggedPayload
				for n > 0 && !utf8.RuneStart(text[n]) {
					n-- // cut between characters, not inside one
				}
				cut := text[:n]
				f.Set(reflect.ValueOf(&cut))
				if d := cp.Elem().FieldByName(name + "Details"); d.IsValid() && d.CanSet() {
					d.Set(reflect.ValueOf(&types.HistoryEventExecutionDataDetails{Truncated: true}))
				}
			}
		}
	}
	return cp.Interface()
}
