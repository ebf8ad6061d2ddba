package pages

import (
	"sort"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/common"
)

// isMulti says the UI shows several contexts at once (--all-contexts, :contexts): rows
// then name their context.
func isMulti(c *common.Common) bool {
	_, ok := c.API.(*client.Multi)
	return ok
}

// contextOf names the context an ARN came from ("" on a single backend).
func contextOf(c *common.Common, arn string) string {
	if m, ok := c.API.(*client.Multi); ok {
		return m.ContextOf(arn)
	}
	return ""
}

// contextErrorLines are the contexts whose listing failed, a line each with its
// cause; their rows are missing while every other context's show.
func contextErrorLines(c *common.Common) []string {
	m, ok := c.API.(*client.Multi)
	if !ok {
		return nil
	}
	errs := m.ContextErrors()
	names := make([]string, 0, len(errs))
	for n := range errs {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []string
	for _, n := range names {
		out = append(out, c.Styles.Error.Render(common.Line("⚠ context "+n+": "+client.Explain(errs[n]).Summary, c.Width)))
	}
	return out
}
