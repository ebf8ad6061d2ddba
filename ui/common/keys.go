package common

import "charm.land/bubbles/v2/key"

// Keys are the bindings shared by every screen; pages add their own.
type Keys struct {
	Quit, Help, Back, Callbacks, Palette key.Binding
}

// DefaultKeys returns the shared bindings.
func DefaultKeys() Keys {
	return Keys{
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Callbacks: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "callbacks")),
		Palette:   key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command")),
	}
}
