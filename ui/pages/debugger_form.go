package pages

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/common"
)

// jsonForm edits one JSON value in place (or in $EDITOR) and hands it on only once it
// parses; a parse error stays on screen with the text.
type jsonForm struct {
	c       *common.Common
	title   string
	area    textarea.Model
	problem string
	done    func(value.Value) tea.Cmd
	onClose func()
}

func newJSONForm(c *common.Common, title, text string, done func(value.Value) tea.Cmd) *jsonForm {
	f := &jsonForm{c: c, title: title, area: newArea(c, text, c.Width-2, c.BodyHeight()-4), done: done}
	// From the top, where a document is read from (the text area leaves the cursor at
	// the end).
	f.area.MoveToBegin()
	return f
}

// keyClear empties a JSON editor (bubbles' text area has no select-all to type over).
var keyClear = key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "clear"))

func (f *jsonForm) focus() tea.Cmd { return f.area.Focus() }

func (f *jsonForm) Keys() []key.Binding {
	return []key.Binding{keySend, keyEditor, keyClear, keyCancel}
}

func (f *jsonForm) close() {
	if f.onClose != nil {
		f.onClose()
	}
}

func (f *jsonForm) edited(m editedMsg) {
	if m.owner != f {
		return
	}
	if m.err != nil {
		f.problem = "Editor: " + m.err.Error()
		return
	}
	f.area.SetValue(m.text)
	f.problem = ""
}

func (f *jsonForm) update(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, keyCancel):
		f.close()
		return nil
	case key.Matches(k, keyEditor):
		return editExternally(f, f.area.Value())
	case key.Matches(k, keyClear):
		f.area.SetValue("")
		f.problem = ""
		return nil
	case key.Matches(k, keySend):
		v, err := value.ParseString(f.area.Value())
		if err != nil {
			f.problem = "Not JSON: " + err.Error()
			return nil
		}
		f.close()
		return f.done(v)
	}
	var cmd tea.Cmd
	f.area, cmd = f.area.Update(k)
	return cmd
}

func (f *jsonForm) View() string {
	var b strings.Builder
	b.WriteString(f.title + "\n")
	b.WriteString(f.area.View())
	if f.problem != "" {
		b.WriteString("\n" + f.c.Styles.Error.Render(common.Line(f.problem, f.c.Width)))
	}
	return b.String()
}
