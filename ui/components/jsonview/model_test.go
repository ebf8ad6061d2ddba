package jsonview

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/stepdeck/stepdeck/ui/common"
)

const doc = `{"order":{"id":7,"lines":[1,2,3]},"tags":["a"],"note":"x"}`

func newPane(t *testing.T) *Model {
	t.Helper()
	m := New(common.DefaultStyles(true))
	m.SetContent("k", []string{"Event 3  PassStateExited"}, []Section{{Label: "Output", Text: doc}, {Label: "Cause", Text: "plain words"}})
	return m
}

func keyMsg(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	}
	return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		m.Update(keyMsg(k))
	}
}

func TestUnfoldedMatchesIndent(t *testing.T) {
	m := newPane(t)
	got := m.View(80, 100)
	want := "Event 3  PassStateExited\nOutput:\n" + indentBy(Pretty(doc), "  ") + "\nCause:\n  plain words"
	if got != want {
		t.Fatalf("unfolded view:\n%s\nwant:\n%s", got, want)
	}
}

func indentBy(s, p string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = p + lines[i]
	}
	return strings.Join(lines, "\n")
}

func TestToggleFoldsObjectAndArray(t *testing.T) {
	m := newPane(t)
	press(m, "down", "down", "down") // header, label, "{", then `"order": {`
	press(m, "enter")
	v := m.View(80, 100)
	if !strings.Contains(v, `"order": {…} 2 keys`) || strings.Contains(v, `"id": 7`) {
		t.Fatalf("order not folded:\n%s", v)
	}
	press(m, "down", "space") // `"tags": [` folds with space
	v = m.View(80, 100)
	if !strings.Contains(v, `"tags": […] 1 item`) {
		t.Fatalf("tags not folded:\n%s", v)
	}
	press(m, "up", "enter") // unfold order again
	if v := m.View(80, 100); !strings.Contains(v, `"id": 7`) {
		t.Fatalf("order did not unfold:\n%s", v)
	}
}

func TestToggleOnClosingLineFoldsItsContainer(t *testing.T) {
	m := newPane(t)
	press(m, "down", "down", "down", "down", "down", "down", "down", "down", "down", "down") // the `},` closing order
	before := m.Lines()
	press(m, "enter")
	// order holds 7 lines besides its opening line: id, lines [, 1, 2, 3, ], and }.
	if m.Lines() != before-7 {
		t.Fatalf("lines %d -> %d, want 7 fewer", before, m.Lines())
	}
	if v := m.View(80, 100); !strings.Contains(v, `"order": {…} 2 keys`) {
		t.Fatalf("closing line did not fold its object:\n%s", v)
	}
}

func TestFoldAllAndUnfoldAll(t *testing.T) {
	m := newPane(t)
	press(m, "z")
	v := m.View(80, 100)
	for _, s := range []string{`"order": {…} 2 keys`, `"tags": […] 1 item`, `"note": "x"`, "{", "}"} {
		if !strings.Contains(v, s) {
			t.Fatalf("fold all lacks %q:\n%s", s, v)
		}
	}
	press(m, "Z")
	if v := m.View(80, 100); !strings.Contains(v, `"lines": [`) || strings.Contains(v, "…") {
		t.Fatalf("unfold all left folds:\n%s", v)
	}
}

func TestScrollingKeepsCursorOnScreen(t *testing.T) {
	m := newPane(t)
	m.SetFocused(true)
	m.View(80, 4)
	press(m, "end")
	v := m.View(80, 4)
	if !strings.Contains(v, "plain words") || strings.Contains(v, "Event 3") {
		t.Fatalf("end did not scroll to the last line:\n%s", v)
	}
	// Folding near the bottom keeps the cursor on the folded line, on screen.
	m.SetContent("k", nil, nil) // same key: nothing changes
	if !strings.Contains(m.View(80, 4), "plain words") {
		t.Fatal("same key reset the pane")
	}
	m.SetContent("other", []string{"new"}, nil)
	m.SetFocused(false)
	if got := m.View(80, 4); got != "new" {
		t.Fatalf("new key kept old content: %q", got)
	}
}

func TestKeysAndValuesSanitized(t *testing.T) {
	m := New(common.DefaultStyles(true))
	m.SetContent("k", []string{"head \x1b[2J"}, []Section{{Label: "Output", Text: "{\"\\u001b]0;t\\u0007k\":\"\\u009b31m\\u202e\"}"}, {Label: "Cause", Text: "x\x1b[31m"}})
	v := m.View(80, 20)
	for _, r := range v {
		if r == 0x1b || r == 0x07 || r == 0x9b || r == 0x202e {
			t.Fatalf("control %U reached the view:\n%q", r, v)
		}
	}
}

func FuzzModel(f *testing.F) {
	f.Add(doc, "zZ\n ")
	f.Add(`[[[]],{"a":{}}]`, "j j z")
	f.Add("\x1b[31m{", "G")
	f.Fuzz(func(t *testing.T, text, keys string) {
		// Unfocused, so no highlight: any escape in the output came from the text.
		m := New(common.DefaultStyles(true))
		m.SetContent("k", nil, []Section{{Label: "V", Text: text}})
		for _, r := range keys {
			switch r {
			case '\n':
				press(m, "enter")
			case ' ':
				press(m, "space")
			default:
				press(m, string(r))
			}
			out := m.View(30, 5)
			if strings.ContainsAny(out, "\x1b\x07\u009b") {
				t.Fatalf("control in %q", out)
			}
		}
	})
}

// TestLongStringsWrap: a cause longer than the pane is shown whole on the rows under
// it, no row wider than the pane, and the cursor still moves by lines.
func TestLongStringsWrap(t *testing.T) {
	m := newPane(t)
	cause := strings.Repeat("the task failed because of this long reason; ", 8)
	m.SetContent("long", []string{"Event 8"}, []Section{{Label: "Cause", Text: cause}, {Label: "Output", Text: `{"token":"` + strings.Repeat("AbC123", 30) + `"}`}})
	out := ansi.Strip(m.View(40, 30))
	for _, l := range strings.Split(out, "\n") {
		if ansi.StringWidth(l) > 40 {
			t.Fatalf("a row %d wide: %q", ansi.StringWidth(l), l)
		}
	}
	flat := strings.ReplaceAll(strings.ReplaceAll(out, "\n", ""), " ", "")
	for _, want := range []string{strings.ReplaceAll(cause, " ", ""), strings.Repeat("AbC123", 30)} {
		if !strings.Contains(flat, strings.TrimSpace(want)) {
			t.Errorf("not shown whole: %q\n%s", want[:20], out)
		}
	}
	// a short pane keeps the cursor's line in view, all its rows
	m.SetFocused(true)
	for range 3 {
		press(m, "down")
	}
	out = ansi.Strip(m.View(40, 6))
	if !strings.Contains(out, "{") && !strings.Contains(out, "token") {
		t.Errorf("the cursor's line is not in view:\n%s", out)
	}
}
