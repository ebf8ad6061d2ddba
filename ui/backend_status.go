package ui

import (
	"context"
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

// budgetTickMsg re-reads what the request budget of api is doing.
type budgetTickMsg struct{ api *client.AWS }

// budgetEvery is how often the status line re-reads the request budget.
const budgetEvery = time.Second

// watchBackend starts what the header and the status line need to know of an AWS
// backend: the account (sts:GetCallerIdentity, once; this also tells at once when the
// credentials are missing or expired) and the request budget's state.
func (a *App) watchBackend() tea.Cmd {
	aws, ok := client.AWSOf(a.c.API) // through WithExpress
	if !ok {
		return nil
	}
	a.backend = aws.Where.String()
	tickCmd := tea.Tick(budgetEvery, func(time.Time) tea.Msg { return budgetTickMsg{aws} })
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
		a.status, a.statusErr = "AWS credentials: "+statusOf(m.err)+" (! shows it whole)", true
		return nil
	}
	a.backend = m.api.Where.String()
	return nil
}

func (a *App) budgetTick(m budgetTickMsg) tea.Cmd {
	if a.c.API != client.API(m.api) {
		return nil
	}
	a.holding = m.api.Budget.Status().Holding()
	return tea.Tick(budgetEvery, func(time.Time) tea.Msg { return budgetTickMsg{m.api} })
}
