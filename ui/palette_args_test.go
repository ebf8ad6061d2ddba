package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestSectionProfiles(t *testing.T) {
	config := `# comment
[default]
region = eu-west-1
[profile dev]
sso_session = corp
[ profile  staging ]
[sso-session corp]
[services local]
[profile]
[]
[profile a b]
not a [section]
[prod]`
	got := sectionProfiles(strings.NewReader(config))
	want := []string{"default", "dev", "staging", "prod"}
	if !slices.Equal(got, want) {
		t.Fatalf("profiles %q, want %q", got, want)
	}
}

func FuzzSectionProfiles(f *testing.F) {
	f.Add("[profile x]\n[y]\n")
	f.Add("[[[]]]\n[profile ]\n\x00[\xff]")
	f.Fuzz(func(t *testing.T, text string) {
		for _, n := range sectionProfiles(strings.NewReader(text)) {
			// A name is one word: the SDK would not find a profile with a space in it.
			if n == "" || strings.IndexFunc(n, unicode.IsSpace) >= 0 {
				t.Fatalf("bad profile name %q", n)
			}
		}
	})
}

func TestPaletteCompletesArguments(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	if err := os.WriteFile(cfg, []byte("[default]\n[profile dev]\n[profile prod-eu]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	api := localAPI(t)
	f := &fakeBackends{api: api}
	a := New(fixedCommon(api, 100, 30), "local").WithBackends(f.open, BackendSpec{Local: true}, nil)
	drain(a, a.Init())
	press(a, ":")
	typeText(a, "region eu-w")
	screen := a.Render()
	mustContain(t, screen, ":region eu-west-1", ":region eu-west-3")
	if strings.Contains(screen, "us-east-1") {
		t.Fatalf("regions not narrowed:\n%s", screen)
	}
	// The arrows pick a region and enter runs it.
	press(a, "down", "enter")
	if got := f.asked[len(f.asked)-1]; got.Region != "eu-west-2" {
		t.Fatalf("ran with %+v", got)
	}
	// tab completes a profile; a name no list knows can still be typed.
	press(a, ":")
	typeText(a, "profile pr")
	mustContain(t, a.Render(), ":profile prod-eu")
	press(a, "tab")
	if got := a.palette.input.Value(); got != "profile prod-eu" {
		t.Fatalf("tab made %q", got)
	}
	press(a, "enter")
	if got := f.asked[len(f.asked)-1]; got.Profile != "prod-eu" || got.Region != "eu-west-2" {
		t.Fatalf("ran with %+v", got)
	}
	press(a, ":")
	typeText(a, "region xx-new-9")
	press(a, "enter")
	if got := f.asked[len(f.asked)-1]; got.Region != "xx-new-9" {
		t.Fatalf("ran with %+v", got)
	}
}
