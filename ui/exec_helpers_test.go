package ui

import (
	"context"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/pages"
)

// varsDef assigns variables in two states and reshapes its data with Parameters,
// ResultPath and OutputPath, so time travel and the data flow have something to show.
const varsDef = `{"StartAt":"First","States":{
 "First":{"Type":"Pass","Parameters":{"order.$":"$.order"},"Assign":{"step":1,"who.$":"$.order.by"},"Next":"Price"},
 "Price":{"Type":"Pass","Parameters":{"total":12,"currency":"EUR"},"ResultPath":"$.priced","OutputPath":"$.priced",
  "Assign":{"step":2,"before.$":"$step"},"Next":"Done"},
 "Done":{"Type":"Succeed"}}}`

// failDef fails at once; a redrive runs its failing state again.
const failDef = `{"StartAt":"Prepare","States":{
 "Prepare":{"Type":"Pass","Next":"Break"},
 "Break":{"Type":"Fail","Error":"Broken","Cause":"it always breaks"}}}`

func createMachine(t *testing.T, api client.API, name, def string) {
	t.Helper()
	if _, err := api.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{Name: aws.String(name),
		Definition: aws.String(def), RoleArn: aws.String(exampleRole)}); err != nil {
		t.Fatal(err)
	}
}

// openExec shows the execution arn on a fresh app of the given size.
func openExec(t *testing.T, api client.API, arn string, w, h int) *App {
	t.Helper()
	a := New(fixedCommon(api, w, h), "local")
	drain(a, a.Init())
	_, cmd := a.Update(pages.OpenMsg{Page: pages.NewExecution(a.c, arn)})
	drain(a, cmd)
	return a
}

// keys sends keys that press does not name.
func keys(a *App, names ...string) {
	for _, n := range names {
		var msg tea.KeyPressMsg
		switch n {
		case "home":
			msg = tea.KeyPressMsg{Code: tea.KeyHome}
		case "end":
			msg = tea.KeyPressMsg{Code: tea.KeyEnd}
		case "space":
			msg = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
		case "backspace":
			msg = tea.KeyPressMsg{Code: tea.KeyBackspace}
		default:
			press(a, n)
			continue
		}
		_, cmd := a.Update(msg)
		drain(a, cmd)
	}
}
