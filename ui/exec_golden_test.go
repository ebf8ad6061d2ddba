package ui

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/exp/golden"
)

// TestGoldenExecutionFeatures renders the execution screen's folding, time travel, data
// flow, export prompt and redrive question at two sizes (go test ./ui -update rewrites).
func TestGoldenExecutionFeatures(t *testing.T) {
	api := localAPI(t)
	createMachine(t, api, "vars", varsDef)
	createMachine(t, api, "breaks", failDef)
	vars := start(t, api, "vars", "vars-1", `{"order":{"id":7,"by":"ada","lines":[{"sku":"a","n":2},{"sku":"b","n":1}]}}`)
	waitStatus(t, api, vars, types.ExecutionStatusSucceeded)
	broken := start(t, api, "breaks", "broken-1", `{}`)
	waitStatus(t, api, broken, types.ExecutionStatusFailed)

	screens := []struct {
		name string
		arn  string
		keys []string
	}{
		{"execution-detail-focus", vars, []string{"up", "up", "up", "up", "tab"}},
		{"execution-detail-folded", vars, []string{"up", "up", "up", "up", "tab", "z"}},
		{"execution-timetravel", vars, []string{"t", "[", "[", "[", "["}},
		{"execution-timetravel-start", vars, []string{"t", "home"}},
		{"execution-dataflow", vars, []string{"t", "[", "[", "[", "d"}},
		{"execution-export-prompt", vars, []string{"e"}},
		{"execution-redrive-confirm", broken, []string{"R"}},
	}
	for _, sc := range screens {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, sz[0], sz[1]), func(t *testing.T) {
				a := openExec(t, api, sc.arn, sz[0], sz[1])
				keys(a, sc.keys...)
				golden.RequireEqual(t, []byte(a.Render()))
			})
		}
	}
}
