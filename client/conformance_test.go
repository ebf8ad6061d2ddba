package client

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/conformance"
)

// recordedEvent is the part of a recorded AWS history event the finder reads.
type recordedEvent struct {
	ID       int64  `json:"id"`
	Previous int64  `json:"previousEventId"`
	Type     string `json:"type"`
	Entered  *struct {
		Name string `json:"name"`
	} `json:"stateEnteredEventDetails"`
	Scheduled *struct {
		Parameters   json.RawMessage `json:"parameters"`
		Resource     string          `json:"resource"`
		ResourceType string          `json:"resourceType"`
		Timeout      *int64          `json:"timeoutInSeconds"`
		Heartbeat    *int64          `json:"heartbeatInSeconds"`
	} `json:"taskScheduledEventDetails"`
}

func (r recordedEvent) sdk() types.HistoryEvent {
	e := types.HistoryEvent{Id: r.ID, PreviousEventId: r.Previous, Type: types.HistoryEventType(r.Type)}
	if r.Entered != nil {
		e.StateEnteredEventDetails = &types.StateEnteredEventDetails{Name: aws.String(r.Entered.Name)}
	}
	if s := r.Scheduled; s != nil {
		// The recording holds parameters parsed; AWS sends them as a JSON string.
		params := string(s.Parameters)
		var str string
		if json.Unmarshal(s.Parameters, &str) == nil {
			params = str
		}
		e.TaskScheduledEventDetails = &types.TaskScheduledEventDetails{Parameters: aws.String(params),
			Resource: aws.String(s.Resource), ResourceType: aws.String(s.ResourceType),
			TimeoutInSeconds: s.Timeout, HeartbeatInSeconds: s.Heartbeat}
	}
	return e
}

// TestCallbacksInRecordedHistories runs the finder over executions recorded against AWS
// that wait on task tokens: at each TaskScheduled of a .waitForTaskToken task the task
// must be pending with its token (or a reason), and gone once its task event closes it.
func TestCallbacksInRecordedHistories(t *testing.T) {
	root := conformance.DataDir(t, "asl")
	cases, checked, placed := 0, 0, 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(data), "waitForTaskToken") {
			return err
		}
		var c struct {
			Definition json.RawMessage `json:"definition"`
			Expected   struct {
				Events []recordedEvent `json:"events"`
			} `json:"expected"`
		}
		if json.Unmarshal(data, &c) != nil || len(c.Expected.Events) == 0 {
			return nil
		}
		text := string(c.Definition)
		var s string
		if json.Unmarshal(c.Definition, &s) == nil {
			text = s
		}
		def, err := asl.Parse([]byte(text))
		if err != nil {
			return nil
		}
		cases++
		evs := make([]types.HistoryEvent, len(c.Expected.Events))
		for i, r := range c.Expected.Events {
			evs[i] = r.sdk()
		}
		name := filepath.Base(path)
		for i, e := range evs {
			if e.TaskScheduledEventDetails == nil || !strings.HasSuffix(aws.ToString(e.TaskScheduledEventDetails.Resource), ".waitForTaskToken") {
				continue
			}
			checked++
			var mine *PendingCallback
			for _, p := range CallbacksInHistory(def, "e", evs[:i+1]) {
				if p.ScheduledEventID == e.Id {
					mine = &p
				}
			}
			if mine == nil {
				t.Errorf("%s: the task scheduled at event %d is not pending", name, e.Id)
				continue
			}
			if mine.Token == "" && mine.TokenError == "" {
				t.Errorf("%s: event %d: no token and no reason", name, e.Id)
			}
			if mine.Token != "" && !mine.TokenGuessed {
				placed++
			}
			for j := i + 1; j < len(evs); j++ {
				if !closesTask(evs[j].Type) {
					continue
				}
				for _, p := range CallbacksInHistory(def, "e", evs[:j+1]) {
					if p.ScheduledEventID == e.Id && chainsTo(evs[:j+1], evs[j], e.Id) {
						t.Errorf("%s: event %d still pending after %s at %d", name, e.Id, evs[j].Type, evs[j].Id)
					}
				}
			}
		}
		if closes(evs[len(evs)-1].Type) {
			if left := CallbacksInHistory(def, "e", evs); len(left) > 0 {
				t.Errorf("%s: %d callbacks pending after the close", name, len(left))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("no recorded TaskScheduled of a .waitForTaskToken task was found: has the data moved?")
	}
	t.Logf("%d recorded executions, %d callback tasks, %d tokens read at the place the definition gave", cases, checked, placed)
}

// chainsTo reports whether e leads back to the event with id root by previousEventId.
func chainsTo(evs []types.HistoryEvent, e types.HistoryEvent, root int64) bool {
	byID := map[int64]types.HistoryEvent{}
	for _, x := range evs {
		byID[x.Id] = x
	}
	for i := 0; i < 10; i++ {
		if e.PreviousEventId == root {
			return true
		}
		var ok bool
		if e, ok = byID[e.PreviousEventId]; !ok {
			return false
		}
	}
	return false
}
