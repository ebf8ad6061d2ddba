package jsonview

import (
	"strings"
	"testing"
)

func TestPrettyIndentsJSONAndKeepsProse(t *testing.T) {
	got := Pretty(`{"a":[1,2],"b":"x"}`)
	if !strings.Contains(got, "\n") || !strings.Contains(got, `"a"`) {
		t.Errorf("not indented: %q", got)
	}
	if got := Pretty("just words"); got != "just words" {
		t.Errorf("prose changed: %q", got)
	}
}

func TestPrettySanitizes(t *testing.T) {
	got := Pretty("{\"a\":\"\\u001b[2J\"}")
	if strings.ContainsRune(got, 0x1b) {
		t.Errorf("escape survived in %q", got)
	}
	if got := Pretty("raw \x1b]0;x\x07"); strings.ContainsAny(got, "\x1b\x07") {
		t.Errorf("escape survived in %q", got)
	}
}

func TestValid(t *testing.T) {
	if Valid(`{"ok":true}`) != nil {
		t.Error("valid JSON rejected")
	}
	if Valid(`{"ok":`) == nil {
		t.Error("broken JSON accepted")
	}
}

func FuzzPretty(f *testing.F) {
	f.Add(`{"a":"\u001b"}`)
	f.Add("\x1b[31m")
	f.Fuzz(func(t *testing.T, s string) {
		out := Block("x", s, 20)
		for _, r := range out {
			if r == 0x1b || r == 0x07 || r == 0x9b {
				t.Fatalf("control left in %q", out)
			}
		}
	})
}
