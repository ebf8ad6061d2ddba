package replay

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

const bigMap = `{"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":10,"End":true,
	"ItemProcessor":{"StartAt":"Check","States":{
		"Check":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"check","item.$":"$"},"Next":"Note"},
		"Note":{"Type":"Pass","Assign":{"last.$":"$"},"End":true}}}}}}`

// recordBig runs bigMap over n items: a history of about 9n events.
func recordBig(b *testing.B, n int) []history.Event {
	d, err := asl.Parse([]byte(bigMap))
	if err != nil {
		b.Fatal(err)
	}
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprint(i)
	}
	input := `{"items":[` + strings.Join(items, ",") + `]}`
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	x := engine.New(d, engine.Meta{Name: "big", StateMachineName: "m", Type: types.StateMachineTypeStandard, StartTime: start, Input: input},
		value.MustParse(input), engine.Options{RecordHistory: true, TimeScale: 1})
	reg := &engine.Registry{Default: func(ctx context.Context, c *engine.TaskCall) (value.Value, error) {
		return value.ObjectOf("ok", c.Input), nil
	}}
	if err := (&engine.Runner{Clock: engine.NewVirtualClock(start), Handlers: reg}).Run(context.Background(), x); err != nil {
		b.Fatal(err)
	}
	return x.History
}

// BenchmarkReplayMap replays a 2,000-iteration Map (about 18,000 events) against a
// definition that changes what every iteration sends: the worst case, where every visit
// is compared and every one differs. Budget: well under a second, so CI can replay many
// histories.
func BenchmarkReplayMap(b *testing.B) {
	events := recordBig(b, 2000)
	d, err := asl.Parse([]byte(strings.Replace(bigMap, `"check"`, `"check-v2"`, 1)))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Run(context.Background(), d, events)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Differences) != 2000 {
			b.Fatalf("%d differences", len(res.Differences))
		}
	}
	b.ReportMetric(float64(len(events)), "events")
}
