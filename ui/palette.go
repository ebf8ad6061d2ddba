package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/stepdeck/stepdeck/ui/common"
)

// Command is one entry of the : command palette. Screens added later register theirs
// with App.AddCommand.
type Command struct {
	Name string // what is typed after the colon
	Arg  string // the argument's placeholder ("NAME"), empty when it takes none
	// Args offers arguments to complete (region names, profiles); nil offers none.
	Args func() []string
	Help string
	Run  func(a *App, arg string) tea.Cmd
}

// palette is the : prompt: a line in the status area, and above it the commands that
// match what is typed so far.
type palette struct {
	input  textinput.Model
	cmds   []Command
	pick   int  // index in items()
	picked bool // the pick was moved with the arrows since the last edit
	err    string
	// argCache holds each command's offered arguments for this prompt.
	argCache map[string][]string
}

// pageRows is how much of the page the completion list leaves visible above it.
const pageRows = 4

func newPalette(c *common.Common, cmds []Command) *palette {
	in := textinput.New()
	in.Prompt = ":"
	in.CharLimit = 500
	if !c.Styles.Color {
		st := in.Styles()
		plain := textinput.StyleState{Placeholder: lipgloss.NewStyle(), Suggestion: lipgloss.NewStyle(),
			Prompt: lipgloss.NewStyle(), Text: lipgloss.NewStyle()}
		st.Focused, st.Blurred = plain, plain
		st.Cursor.Color = nil
		in.SetStyles(st)
	}
	// A steady cursor: a blinking one redraws the screen twice a second for nothing.
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	in.Focus()
	return &palette{input: in, cmds: cmds}
}

// split cuts the typed text into the command word and its argument; typing says
// whether the word is still being typed (no space after it yet).
func split(text string) (word, arg string, typing bool) {
	text = strings.TrimLeft(text, " ")
	word, arg, found := strings.Cut(text, " ")
	return strings.ToLower(word), strings.TrimSpace(arg), !found
}

// item is one line of the completion list: what it shows and what tab makes of the
// typed text.
type item struct {
	label, help, text string
}

// items are the completions of what is typed: the commands the word could still
// become, or, once the word is complete, the arguments its command offers that start
// with what is typed after it.
func (p *palette) items() []item {
	word, arg, typing := split(p.input.Value())
	var out []item
	for _, c := range p.cmds {
		switch {
		case typing && strings.HasPrefix(c.Name, word):
			label, text := ":"+c.Name, c.Name
			if c.Arg != "" {
				label, text = label+" "+c.Arg, text+" "
			}
			out = append(out, item{label, c.Help, text})
		case !typing && c.Name == word:
			if c.Args != nil {
				for _, a := range p.args(c) {
					if strings.HasPrefix(strings.ToLower(a), strings.ToLower(arg)) {
						out = append(out, item{":" + c.Name + " " + a, c.Help, c.Name + " " + a})
					}
				}
			}
			if len(out) == 0 {
				out = append(out, item{":" + strings.TrimSpace(c.Name+" "+c.Arg), c.Help, c.Name + " " + arg})
			}
		}
	}
	return out
}

// args are the arguments c offers, asked once per prompt: the list is redrawn on every
// key, and a profile list reads files.
func (p *palette) args(c Command) []string {
	if got, ok := p.argCache[c.Name]; ok {
		return got
	}
	if p.argCache == nil {
		p.argCache = map[string][]string{}
	}
	p.argCache[c.Name] = c.Args()
	return p.argCache[c.Name]
}

// paletteDone ends the prompt: run is the command to run (nil when cancelled).
type paletteDone struct {
	run *Command
	arg string
}

// Update handles one key: tab completes, up and down pick, enter runs, esc cancels.
func (p *palette) Update(k tea.KeyPressMsg) (*paletteDone, tea.Cmd) {
	its := p.items()
	switch k.String() {
	case "esc":
		return &paletteDone{}, nil
	case "up":
		p.pick, p.picked = max(p.pick-1, 0), true
		return nil, nil
	case "down":
		p.pick, p.picked = min(p.pick+1, max(len(its)-1, 0)), true
		return nil, nil
	case "tab":
		if p.pick < len(its) {
			p.setText(its[p.pick].text)
		}
		return nil, nil
	case "enter":
		// A line picked with the arrows is what runs; otherwise what is typed.
		if p.picked && p.pick < len(its) {
			p.setText(its[p.pick].text)
		}
		return p.choose()
	}
	before := p.input.Value()
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(k)
	if p.input.Value() != before {
		p.pick, p.picked, p.err = 0, false, ""
	}
	return nil, cmd
}

func (p *palette) setText(text string) {
	p.input.SetValue(text)
	p.input.CursorEnd()
	p.pick, p.picked = 0, false
}

// choose picks the command to run: the one named exactly, else the first whose name
// starts with the word (":mach" then enter runs :machines). A missing argument or an
// unknown name keeps the prompt open with the reason.
func (p *palette) choose() (*paletteDone, tea.Cmd) {
	word, arg, _ := split(p.input.Value())
	var c *Command
	for i := range p.cmds {
		if p.cmds[i].Name == word {
			c = &p.cmds[i]
		}
	}
	for i := range p.cmds {
		if c == nil && strings.HasPrefix(p.cmds[i].Name, word) {
			c = &p.cmds[i]
		}
	}
	switch {
	case c == nil:
		p.err = fmt.Sprintf("no command %q (tab completes, :help lists the keys)", word)
		return nil, nil
	case c.Arg != "" && arg == "":
		p.setText(c.Name + " ")
		p.err = fmt.Sprintf("usage: :%s %s", c.Name, c.Arg)
		return nil, nil
	case c.Arg == "" && arg != "":
		p.err = fmt.Sprintf(":%s takes no argument", c.Name)
		return nil, nil
	}
	return &paletteDone{run: c, arg: arg}, nil
}

// Prompt is the line shown in the status area.
func (p *palette) Prompt() string { return p.input.View() }

// List renders the completions, the picked one in the selection style, in at most
// width x height cells; the list scrolls with the pick.
func (p *palette) List(st common.Styles, width, height int) []string {
	its := p.items()
	var lines []string
	if p.err != "" {
		lines = append(lines, st.Error.Render(common.Line(p.err, width)))
	}
	maxShown := max(height-pageRows-len(lines), 1)
	first := 0
	if p.pick >= maxShown {
		first = p.pick - maxShown + 1
	}
	for i := first; i < len(its) && i < first+maxShown; i++ {
		line := common.Fit(" "+padRight(common.Line(its[i].label, 0), 24)+its[i].help, width, 1)
		if i == p.pick {
			line = st.Selected.Render(line)
		}
		lines = append(lines, line)
	}
	return lines
}

// overlayBottom puts lines over the last lines of body, which is height lines of
// width cells, so the page stays visible above them.
func overlayBottom(body string, lines []string, width, height int) string {
	if len(lines) == 0 {
		return body
	}
	rows := strings.Split(body, "\n")
	if n := min(height, len(rows)); len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	at := len(rows) - len(lines)
	rule := common.Fit(strings.Repeat("─", width), width, 1)
	if at > 0 {
		rows[at-1] = rule
	}
	for i, l := range lines {
		rows[at+i] = l
	}
	return strings.Join(rows, "\n")
}
