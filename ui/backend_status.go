package ui

import (
	"context"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/client"
)

var keyErrors = key.NewBinding(key.WithKeys("!"), key.WithHelp("!", "errors in full"))

// identifiedMsg is the account the AWS credentials belong to, or why it is unknown.
type identifiedMsg struct {
	api     *client.AWS
	account string
	err     error
}

// budgetTickMsg re-reads what the request budgets of api are doing.
type budgetTickMsg struct{ api client.API }

// budgetsOf are the request budgets behind an API, by context name ("" for one AWS
// backend); none for the local engine.
func budgetsOf(api client.API) map[string]*client.Budget {
	if a, ok := client.AWSOf(api); ok { // through WithExpress
		return map[string]*client.Budget{"": a.Budget}
	}
	switch a := api.(type) {
	case *client.Multi:
		out := map[string]*client.Budget{}
		for _, n := range a.Contexts() {
			if aws, ok := client.AWSOf(n.API); ok {
				out[n.Name] = aws.Budget
			}
		}
		return out
	}
	return nil
}

// budgetEvery is how often the status line re-reads the request budget.
const budgetEvery = time.Second

// watchBackend starts what the header and the status line need to know of an AWS
// backend: the account (sts:GetCallerIdentity, once; this also tells at once when the
// credentials are missing or expired) and the request budget's state.
func (a *App) watchBackend() tea.Cmd {
	api := a.c.API
	var tickCmd tea.Cmd
	if len(budgetsOf(api)) > 0 {
		tickCmd = tea.Tick(budgetEvery, func(time.Time) tea.Msg { return budgetTickMsg{api} })
	}
	aws, ok := client.AWSOf(api) // through WithExpress
	if !ok || a.c.Local {
		// The local engine through stepdeck serve keeps the name it was given.
		return tickCmd
	}
	a.backend = aws.Where.String()
	if aws.Where.Endpoint != "" {
		return tickCmd
	}
	return tea.Batch(tickCmd, func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		account, err := aws.Identify(ctx)
		return identifiedMsg{api: aws, account: account, err: err}
	})
}

func (a *App) identified(m identifiedMsg) tea.Cmd {
	if a.c.API != client.API(m.api) {
		return nil // the backend changed since
	}
	if m.err != nil {
		a.logError(m.err)
		a.status, a.statusErr = "checking the account (sts:GetCallerIdentity): "+statusOf(m.err)+" (! shows it whole)", true
		return nil
	}
	a.backend = m.api.Where.String()
	return nil
}

func (a *App) budgetTick(m budgetTickMsg) tea.Cmd {
	if a.c.API != m.api {
		return nil
	}
	budgets := budgetsOf(m.api)
	names := make([]string, 0, len(budgets))
	for n := range budgets {
		names = append(names, n)
	}
	sort.Strings(names)
	var parts []string
	for _, n := range names {
		if h := budgets[n].Status().Holding(); h != "" {
			if n != "" {
				h = n + ": " + h
			}
			parts = append(parts, h)
		}
	}
	a.holding = strings.Join(parts, " │ ")
	return tea.Tick(budgetEvery, func(time.Time) tea.Msg { return budgetTickMsg{m.api} })
}
