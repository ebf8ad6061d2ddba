package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/aws/smithy-go"

	"github.com/stepdeck/stepdeck/client"
)

// loggedError is one error the UI showed, kept whole: the status line has room for its
// cause only, and ! shows the last ones in full.
type loggedError struct {
	at    time.Time
	where string // the screen it happened on
	err   error
}

// maxLogged is how many errors ! keeps.
const maxLogged = 50

func (a *App) logError(err error) {
	a.errs = append(a.errs, loggedError{at: a.c.Clock(), where: a.top().Title(), err: err})
	if len(a.errs) > maxLogged {
		a.errs = a.errs[len(a.errs)-maxLogged:]
	}
}

// statusOf is an error in one line: what was being done and the cause a person can act
// on ("listing executions: access denied: needs states:ListExecutions on arn:…"),
// where the SDK's own text keeps the cause at the end of a long line.
func statusOf(err error) string {
	e := client.Explain(err)
	if !e.Known {
		return e.Full
	}
	// What was being done is the text the app wrapped around the SDK's error.
	doing := ""
	for cur := err; ; {
		next := errors.Unwrap(cur)
		if next == nil {
			break
		}
		_, op := next.(*smithy.OperationError)
		_, api := next.(smithy.APIError)
		if op || api {
			doing = strings.TrimRight(strings.TrimSuffix(e.Full, next.Error()), ": ")
			break
		}
		cur = next
	}
	if doing == "" {
		return e.Summary
	}
	return doing + ": " + e.Summary
}

// errorsView lists the errors kept, newest first, each whole and wrapped.
func (a *App) errorsView() string {
	var b strings.Builder
	b.WriteString("Errors, newest first (! or esc closes)\n\n")
	if len(a.errs) == 0 {
		b.WriteString("  No errors so far.\n")
	}
	wrap := lipgloss.NewStyle().Width(max(a.c.Width-4, 20))
	for i := len(a.errs) - 1; i >= 0; i-- {
		e := a.errs[i]
		ex := client.Explain(e.err)
		fmt.Fprintf(&b, "%s · %s\n", a.c.Time(e.at), e.where)
		b.WriteString(indent(wrap.Render(statusOf(e.err)), "  ") + "\n")
		if ex.Full != statusOf(e.err) {
			b.WriteString(indent(wrap.Render(ex.Full), "    ") + "\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func indent(s, by string) string {
	return by + strings.ReplaceAll(s, "\n", "\n"+by)
}
