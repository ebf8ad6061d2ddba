package common

import (
	"os"

	"charm.land/lipgloss/v2"
)

// NoColor reports whether the user asked for no colour (https://no-color.org: any
// non-empty NO_COLOR).
func NoColor() bool { return os.Getenv("NO_COLOR") != "" }

// Styles are the lipgloss styles of the UI. With colour off every style is plain but
// bold and reverse remain, so the selection and the headers still show.
type Styles struct {
	Color     bool
	Header    lipgloss.Style
	Title     lipgloss.Style
	Footer    lipgloss.Style
	Key       lipgloss.Style
	Error     lipgloss.Style
	Info      lipgloss.Style
	Dim       lipgloss.Style
	Selected  lipgloss.Style
	Border    lipgloss.Style
	Focused   lipgloss.Style
	Succeeded lipgloss.Style
	Failed    lipgloss.Style
	Running   lipgloss.Style
}

// DefaultStyles returns the styles, plain when noColor is set.
func DefaultStyles(noColor bool) Styles {
	s := Styles{
		Color:     !noColor,
		Header:    lipgloss.NewStyle().Bold(true),
		Title:     lipgloss.NewStyle().Bold(true),
		Footer:    lipgloss.NewStyle(),
		Key:       lipgloss.NewStyle().Bold(true),
		Error:     lipgloss.NewStyle().Bold(true),
		Info:      lipgloss.NewStyle(),
		Dim:       lipgloss.NewStyle(),
		Selected:  lipgloss.NewStyle().Reverse(true),
		Border:    lipgloss.NewStyle().Border(lipgloss.NormalBorder()),
		Focused:   lipgloss.NewStyle().Border(lipgloss.ThickBorder()),
		Succeeded: lipgloss.NewStyle(),
		Failed:    lipgloss.NewStyle(),
		Running:   lipgloss.NewStyle(),
	}
	if noColor {
		return s
	}
	s.Header = s.Header.Foreground(lipgloss.Color("12"))
	s.Title = s.Title.Foreground(lipgloss.Color("12"))
	s.Key = s.Key.Foreground(lipgloss.Color("11"))
	s.Error = s.Error.Foreground(lipgloss.Color("9"))
	s.Info = s.Info.Foreground(lipgloss.Color("10"))
	s.Dim = s.Dim.Foreground(lipgloss.Color("8"))
	s.Focused = s.Focused.BorderForeground(lipgloss.Color("12"))
	s.Succeeded = s.Succeeded.Foreground(lipgloss.Color("10"))
	s.Failed = s.Failed.Foreground(lipgloss.Color("9"))
	s.Running = s.Running.Foreground(lipgloss.Color("12"))
	return s
}

// Status styles an execution status word.
func (s Styles) Status(status string) string {
	switch status {
	case "SUCCEEDED":
		return s.Succeeded.Render(status)
	case "FAILED", "TIMED_OUT", "ABORTED":
		return s.Failed.Render(status)
	case "RUNNING", "PENDING_REDRIVE":
		return s.Running.Render(status)
	}
	return status
}
