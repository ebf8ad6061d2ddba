package history

import (
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/awsjson"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// MarshalJSON writes the event as GetExecutionHistory returns it on the wire.
func (e Event) MarshalJSON() ([]byte, error) { return e.AppendJSON(nil) }

// AppendJSON appends the wire form of the event to buf. Members come in the order AWS
// writes them: timestamp, type, id, previousEventId, details.
func (e *Event) AppendJSON(buf []byte) ([]byte, error) {
	if err := e.Check(); err != nil {
		return buf, err
	}
	buf = append(buf, '{')
	if !e.Timestamp.IsZero() {
		buf = append(buf, `"timestamp":`...)
		buf = awsjson.AppendTimestamp(buf, e.Timestamp)
		buf = append(buf, ',')
	}
	buf = append(buf, `"type":`...)
	buf = value.AppendString(buf, string(e.Type))
	buf = append(buf, `,"id":`...)
	buf = strconv.AppendInt(buf, e.ID, 10)
	buf = append(buf, `,"previousEventId":`...)
	buf = strconv.AppendInt(buf, e.PreviousEventID, 10)
	if s, v, ok := e.details(); ok {
		buf = append(buf, ',')
		buf = value.AppendString(buf, s.key)
		buf = append(buf, ':')
		var err error
		if buf, err = awsjson.Append(buf, v.Interface()); err != nil {
			return buf, err
		}
	}
	return append(buf, '}'), nil
}

// UnmarshalJSON reads one event in its wire form.
func (e *Event) UnmarshalJSON(data []byte) error {
	if e.unmarshalFast(data) {
		return nil
	}
	var h types.HistoryEvent
	if err := awsjson.Unmarshal(data, &h); err != nil {
		return err
	}
	*e = FromSDK(h)
	return nil
}

// AppendEvents appends events as a JSON array, the "events" member of a
// GetExecutionHistory response, reusing buf.
func AppendEvents(buf []byte, events []Event) ([]byte, error) {
	buf = append(buf, '[')
	for i := range events {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = events[i].AppendJSON(buf); err != nil {
			return buf, err
		}
	}
	return append(buf, ']'), nil
}
