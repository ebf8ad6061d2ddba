package pages

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/common"
)

// Versions lists a state machine's published versions and its aliases (with their
// routing). enter lists the executions started through the one selected; s starts an
// execution on it.
type Versions struct {
	c         *common.Common
	arn, name string
	ctx       context.Context
	cancel    context.CancelFunc
	table     table.Model
	w, h      int
	list      []client.Qualifier
	loaded    bool
	gen       int
	editor    *StartForm
}

var keyVersions = key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "versions and aliases"))

type versionsMsg struct {
	owner *Versions
	gen   int
	list  []client.Qualifier
	err   error
}

// NewVersions returns the versions and aliases screen of the machine arn.
func NewVersions(c *common.Common, arn, name string) *Versions {
	v := &Versions{c: c, arn: arn, name: name}
	v.table = newTable(c, v.columns(), c.Width, c.BodyHeight())
	return v
}

func (v *Versions) Title() string { return "Versions and aliases of " + common.Line(v.name, 40) }

func (v *Versions) columns() []table.Column {
	fixed := []table.Column{{Title: "Kind", Width: 7}, {Title: "Name", Width: 16}, {Title: "Created", Width: 19}}
	used := 2
	for _, c := range fixed {
		used += c.Width + 2
	}
	return append(fixed, table.Column{Title: "Routing", Width: max(v.c.Width-used-2, 8)})
}

func (v *Versions) Init() tea.Cmd {
	v.Close()
	v.ctx, v.cancel = context.WithCancel(context.Background())
	v.gen++
	return v.load()
}

func (v *Versions) Close() {
	if v.cancel != nil {
		v.cancel()
	}
}

func (v *Versions) load() tea.Cmd {
	parent, api, arn, gen := v.ctx, v.c.API, v.arn, v.gen
	return func() tea.Msg {
		ctx, cancel := callCtx(parent)
		defer cancel()
		list, err := client.Qualifiers(ctx, api, arn)
		return versionsMsg{owner: v, gen: gen, list: list, err: err}
	}
}

func (v *Versions) Capturing() bool { return v.editor != nil }

func (v *Versions) Keys() []key.Binding {
	if v.editor != nil {
		return v.editor.Keys()
	}
	ks := []key.Binding{keyUpDown, keyEnter, keyRefresh}
	if !v.c.ReadOnly {
		ks = append(ks, keyStart)
	}
	return ks
}

func (v *Versions) selected() (client.Qualifier, bool) {
	i := v.table.Cursor()
	if i < 0 || i >= len(v.list) {
		return client.Qualifier{}, false
	}
	return v.list[i], true
}

func (v *Versions) Update(msg tea.Msg) (Page, tea.Cmd) {
	v.resize()
	switch msg := msg.(type) {
	case versionsMsg:
		if msg.owner != v || msg.gen != v.gen {
			return v, nil
		}
		if msg.err != nil {
			return v, fail(msg.err)
		}
		v.list, v.loaded = msg.list, true
		v.table.SetRows(v.rows())
		return v, nil
	}
	if v.editor != nil {
		var cmd tea.Cmd
		v.editor, cmd = v.editor.Update(msg)
		if v.editor.done {
			v.editor = nil
		}
		return v, cmd
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		q, has := v.selected()
		switch {
		case key.Matches(k, keyEnter) && has:
			return v, open(NewExecutions(v.c, q.Arn, v.name+" "+q.Label))
		case key.Matches(k, keyRefresh):
			v.gen++
			return v, v.load()
		case key.Matches(k, keyStart) && has && !v.c.ReadOnly:
			v.editor = NewStartForm(v.c, q.Arn, v.name)
			v.editor.target = v.name + " " + q.Label
			return v, v.editor.Focus()
		}
	}
	var cmd tea.Cmd
	v.table, cmd = v.table.Update(msg)
	return v, cmd
}

func (v *Versions) rows() []table.Row {
	rows := make([]table.Row, len(v.list))
	for i, q := range v.list {
		kind := "version"
		if q.Alias {
			kind = "alias"
		}
		rows[i] = table.Row{kind, common.Line(q.Label, 0), v.c.Time(q.Created), common.Line(q.Routing, 0)}
	}
	return rows
}

func (v *Versions) resize() { fitTable(v.c, &v.table, &v.w, &v.h, v.columns) }

func (v *Versions) View() string {
	v.resize()
	if v.editor != nil {
		return common.Fit(v.editor.View(), v.c.Width, v.c.BodyHeight())
	}
	return listBody(v.c, v.table, v.loaded, len(v.list) == 0,
		"No versions or aliases. Publish a version (PublishStateMachineVersion, or publish on update) to see it here.")
}

// qualifierOf says what an execution was started on: "v3", "alias prod (v3)", or "".
func qualifierOf(versionArn, aliasArn *string) string {
	v := ""
	if versionArn != nil {
		v = client.VersionLabel(*versionArn)
	}
	if aliasArn == nil {
		return v
	}
	a := *aliasArn
	a = a[strings.LastIndexByte(a, ':')+1:]
	if v != "" {
		return "alias " + a + " (" + v + ")"
	}
	return "alias " + a
}
