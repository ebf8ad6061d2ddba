package ui

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/stepdeck/stepdeck/ui/pages"
)

var sizes = [][2]int{{80, 24}, {160, 48}}

// TestGoldenScreens renders each screen, on a local engine with fixed data, at two
// terminal sizes (go test ./ui -update rewrites the files).
func TestGoldenScreens(t *testing.T) {
	api := localAPI(t)
	hello := start(t, api, "hello", "run-1", `{"name":"Ada"}`)
	waitStatus(t, api, hello, types.ExecutionStatusSucceeded)
	waiting := start(t, api, "approval", "wait-1", `{}`)
	waitCallback(t, api, waiting)
	// One activity task for each size of the activity-task screen.
	activityMachine(t, api)
	for i := range sizes {
		waitScheduled(t, api, start(t, api, "reviewed", fmt.Sprintf("rev-%d", i), `{"doc":"lease.pdf"}`))
	}

	screens := []struct {
		name string
		open func(a *App)
	}{
		{"machines", func(a *App) {}},
		{"help", func(a *App) { press(a, "?") }},
		{"start", func(a *App) { press(a, "s") }},
		{"executions", func(a *App) {
			_, cmd := a.Update(pages.OpenMsg{Page: pages.NewExecutions(a.c, machineArn(t, api, "hello"), "hello")})
			drain(a, cmd)
		}},
		{"execution", func(a *App) {
			_, cmd := a.Update(pages.OpenMsg{Page: pages.NewExecution(a.c, hello)})
			drain(a, cmd)
		}},
		{"execution-graph-focus", func(a *App) {
			_, cmd := a.Update(pages.OpenMsg{Page: pages.NewExecution(a.c, hello)})
			drain(a, cmd)
			press(a, "tab", "tab", "down") // history → detail → graph
		}},
		{"callbacks", func(a *App) { press(a, "c") }},
		{"machine", func(a *App) { press(a, "/", "h", "e", "l", "l", "o", "enter", "d") }},
		{"machine-definition", func(a *App) { press(a, "/", "h", "e", "l", "l", "o", "enter", "d", "tab") }},
		{"machines-filter", func(a *App) { press(a, "/", "h", "e") }},
		{"machines-filtered", func(a *App) { press(a, "/", "o", "r", "enter") }},
		{"palette", func(a *App) { press(a, ":") }},
		{"palette-typed", func(a *App) { press(a, ":", "p", "r") }},
		{"activities", func(a *App) { press(a, "c", "w") }},
		{"activity-task", func(a *App) { press(a, "c", "w", "g") }},
		{"approve", func(a *App) { press(a, "c", "a") }},
		{"approve-confirm", func(a *App) { press(a, "c", "a", "ctrl+s") }},
	}
	for _, sc := range screens {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, sz[0], sz[1]), func(t *testing.T) {
				a := New(fixedCommon(api, sz[0], sz[1]), "local")
				drain(a, a.Init())
				sc.open(a)
				golden.RequireEqual(t, maskTokens(a.Render()))
			})
		}
	}
}

// tokenRun is a task token of the local service (256 random bits, base64url): the
// approve form shows the parameters that carry it.
var tokenRun = regexp.MustCompile(`[A-Za-z0-9_-]{43}`)

func maskTokens(s string) []byte {
	return tokenRun.ReplaceAll([]byte(s), []byte("<task token, 43 characters, masked in golden files>"[:43]))
}
