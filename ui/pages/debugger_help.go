package pages

import "charm.land/bubbles/v2/key"

// HelpKeys are every key of the debugger, those that act only at times too, for the
// help (the footer shows the ones that act now).
func (d *Debugger) HelpKeys() []key.Binding {
	if d.form != nil || d.answer != nil {
		return d.Keys()
	}
	when := func(b key.Binding, note string) key.Binding {
		h := b.Help()
		return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(h.Key, h.Desc+" ("+note+")"))
	}
	return []key.Binding{keyStep, keyStepOver, keyContinue, keyPause, keyBreak, keyArrows,
		when(keyEditInput, "a state stopped before it runs"),
		when(keyNextHeld, "several stopped"),
		when(keySkip, "a Wait or a retry's wait running"),
		when(keyAnswerTask, "a task waiting for an answer"),
		when(keyFailTask, "a task waiting for an answer"),
		keyRestart, keyOnError, keyOnRetry, keyLower, keyStopExec}
}
