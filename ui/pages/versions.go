package pages

import (
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
	itemList[client.Qualifier]
	c         *common.Common
	arn, name string
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
	v.itemList = newItemList(c, listSpec[client.Qualifier]{columns: v.columns, rows: v.rows,
		id:     func(q client.Qualifier) string { return q.Arn },
		failed: "Could not list the versions and aliases (the reason is below; r tries again)."})
	return v
}

func (v *Versions) Title() string {
	return v.title("Versions and aliases of " + common.Line(v.name, 40))
}

func (v *Versions) columns() []table.Column {
	fixed := []table.Column{{Title: "Kind", Width: 7}, {Title: "Name", Width: 16}, {Title: "Created", Width: 19}}
	return append(fixed, table.Column{Title: "Routing", Width: fillWidth(v.c.Width, fixed)})
}

func (v *Versions) Init() tea.Cmd {
	v.begin()
	return v.load()
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

func (v *Versions) Capturing() bool { return v.editor != nil || v.itemList.Capturing() }

func (v *Versions) Keys() []key.Binding {
	if v.editor != nil {
		return v.editor.Keys()
	}
	if !v.c.ReadOnly {
		return v.keys([]key.Binding{keyEnter, keyRefresh}, keyStart)
	}
	return v.keys([]key.Binding{keyEnter, keyRefresh})
}

func (v *Versions) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case versionsMsg:
		if msg.owner != v || msg.gen != v.gen {
			return v, nil
		}
		if msg.err != nil {
			v.loadFailed()
			return v, fail(msg.err)
		}
		v.setItems(msg.list)
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
	if k, ok := v.pageKey(msg); ok {
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
	return v, v.itemList.Update(msg)
}

func (v *Versions) rows(list []client.Qualifier) []table.Row {
	rows := make([]table.Row, len(list))
	for i, q := range list {
		kind := "version"
		if q.Alias {
			kind = "alias"
		}
		rows[i] = table.Row{kind, common.Line(q.Label, 0), v.c.Time(q.Created), common.Line(q.Routing, 0)}
	}
	return rows
}

func (v *Versions) View() string {
	if v.editor != nil {
		return common.Fit(v.editor.View(), v.c.Width, v.c.BodyHeight())
	}
	return v.itemList.View("No versions or aliases. Publish a version (PublishStateMachineVersion, or publish on update) to see it here.", nil, nil)
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
