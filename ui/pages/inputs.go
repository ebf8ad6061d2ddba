package pages

import (
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"

	"github.com/stepdeck/stepdeck/ui/common"
)

// newArea is a text area in the UI's styles: bubbles' defaults are coloured, so with
// NO_COLOR every style is plain and only the reverse-video cursor remains.
func newArea(c *common.Common, value string, width, height int) textarea.Model {
	a := textarea.New()
	a.ShowLineNumbers = false
	if !c.Styles.Color {
		st := a.Styles()
		plain := textarea.StyleState{Base: lipgloss.NewStyle(), Text: lipgloss.NewStyle(),
			LineNumber: lipgloss.NewStyle(), CursorLineNumber: lipgloss.NewStyle(),
			CursorLine: lipgloss.NewStyle(), EndOfBuffer: lipgloss.NewStyle(),
			Placeholder: lipgloss.NewStyle(), Prompt: lipgloss.NewStyle()}
		st.Focused, st.Blurred = plain, plain
		st.Cursor.Color = nil
		a.SetStyles(st)
	}
	a.SetValue(value)
	a.SetWidth(max(width, 10))
	a.SetHeight(max(height, 3))
	return a
}

// newInput is a one-line field with a prompt, plain under NO_COLOR.
func newInput(c *common.Common, prompt, value string) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	if !c.Styles.Color {
		st := in.Styles()
		plain := textinput.StyleState{Placeholder: lipgloss.NewStyle(), Suggestion: lipgloss.NewStyle(),
			Prompt: lipgloss.NewStyle(), Text: lipgloss.NewStyle()}
		st.Focused, st.Blurred = plain, plain
		st.Cursor.Color = nil
		in.SetStyles(st)
	}
	in.SetValue(value)
	return in
}
