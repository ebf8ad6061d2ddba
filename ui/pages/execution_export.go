package pages

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/client"
	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/ui/common"
)

// exportPrompt asks where to write the history, then, if the file exists, whether to
// overwrite it.
type exportPrompt struct {
	input   textinput.Model
	confirm string // the path asked about; "" while editing
	busy    bool   // the history is being read and written
}

func (p *exportPrompt) editing() bool { return p.confirm == "" && !p.busy }

type exportedMsg struct {
	owner *Execution
	path  string
	n     int
	err   error
}

// exportName is the default file: the execution's name, made safe for a file name.
func exportName(arn string) string {
	name := arn[strings.LastIndexByte(arn, ':')+1:]
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, name)
	if strings.Trim(safe, ".") == "" {
		safe = "execution"
	}
	return safe + ".history.json"
}

func (x *Execution) openExport() tea.Cmd {
	x.export = &exportPrompt{input: newInput(x.c, "Export history to: ", exportName(x.arn))}
	x.export.input.SetWidth(max(x.rightWidth()-20, 10))
	return x.export.input.Focus()
}

// exportKey handles the keys while the prompt is open.
func (x *Execution) exportKey(k tea.KeyPressMsg) tea.Cmd {
	p := x.export
	switch {
	case p.busy:
		return nil
	case p.confirm != "":
		switch k.String() {
		case "y":
			path := p.confirm
			p.confirm, p.busy = "", true
			return x.writeHistory(path, true)
		case "n", "esc":
			p.confirm = ""
		}
		return nil
	}
	switch k.String() {
	case "esc":
		x.export = nil
		return nil
	case "enter":
		path := strings.TrimSpace(p.input.Value())
		if path == "" {
			return fail(errors.New("export: give a file name"))
		}
		if _, err := os.Stat(path); err == nil {
			p.confirm = path
			return nil
		}
		p.busy = true
		return x.writeHistory(path, false)
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(k)
	return cmd
}

func (p *exportPrompt) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

// writeHistory reads the whole history through the API, every page, and writes it as
// GetExecutionHistory's response ({"events": [...]}, the wire shape), which
// `stepdeck replay --history` and the AWS tools read back. Without overwrite an existing
// file is an error, even one created since the question was asked.
func (x *Execution) writeHistory(path string, overwrite bool) tea.Cmd {
	api, arn, parent := x.c.API, x.arn, x.ctx
	return func() tea.Msg {
		evs, err := readHistory(parent, api, arn)
		if err != nil {
			return exportedMsg{owner: x, path: path, err: err}
		}
		buf := []byte(`{"events":`)
		if buf, err = hist.AppendEvents(buf, evs); err != nil {
			return exportedMsg{owner: x, path: path, err: err}
		}
		buf = append(buf, "}\n"...)
		flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
		if overwrite {
			flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		}
		f, err := os.OpenFile(path, flags, 0o644)
		if err == nil {
			_, err = f.Write(buf)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if abs, aerr := filepath.Abs(path); aerr == nil {
			path = abs
		}
		return exportedMsg{owner: x, path: path, n: len(evs), err: err}
	}
}

// readHistory pages through GetExecutionHistory from the first event to the last.
func readHistory(parent context.Context, api client.HistoryAPI, arn string) ([]hist.Event, error) {
	if parent == nil {
		parent = context.Background()
	}
	var out []hist.Event
	var token *string
	for {
		ctx, cancel := callCtx(parent)
		page, err := api.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn),
			MaxResults: 1000, NextToken: token, IncludeExecutionData: aws.Bool(true)})
		cancel()
		if err != nil {
			return nil, fmt.Errorf("reading the history: %w", err)
		}
		for _, e := range page.Events {
			out = append(out, hist.FromSDK(e))
		}
		if page.NextToken == nil {
			return out, nil
		}
		token = page.NextToken
	}
}

func (x *Execution) exported(m exportedMsg) tea.Cmd {
	if m.owner != x {
		return nil
	}
	x.export = nil
	if errors.Is(m.err, fs.ErrExist) {
		return fail(fmt.Errorf("export: %s exists; nothing written", m.path))
	}
	if m.err != nil {
		return fail(fmt.Errorf("export: %w", m.err))
	}
	return func() tea.Msg {
		return InfoMsg(fmt.Sprintf("Exported %d events to %s", m.n, common.Line(m.path, 0)))
	}
}

// exportLine is the prompt on the status line.
func (x *Execution) exportLine() string {
	p := x.export
	switch {
	case p.busy:
		return "Exporting the history…"
	case p.confirm != "":
		return common.Line(p.confirm, 0) + " exists. Overwrite it? y/n"
	}
	return p.input.View()
}
