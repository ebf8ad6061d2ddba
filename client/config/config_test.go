package config

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

const example = `
# stepdeck's configuration
read_only = true
default_context = "prod-eu"

[[context]]
name = "prod-eu"
profile = "prod"
region = "eu-west-1"
read_only = true

[[context]]
name = "local-serve"
endpoint = "http://127.0.0.1:8083"

[budget]
share = 0.25
concurrency = 4
[budget.operations]
ListExecutions = { rate = 0.5, burst = 10 }

[refresh]
executions_min = "5s"
executions_max = "2m"
callbacks_max = "90s"
`

func TestParseAnExample(t *testing.T) {
	c, err := Parse("config.toml", []byte(example))
	if err != nil {
		t.Fatal(err)
	}
	if !c.ReadOnly || c.DefaultContext != "prod-eu" || len(c.Contexts) != 2 {
		t.Fatalf("%+v", c)
	}
	if x, ok := c.Find("local-serve"); !ok || x.Endpoint != "http://127.0.0.1:8083" {
		t.Errorf("local-serve: %+v", x)
	}
	l := c.Limits()
	if l.Concurrency != 4 || l.Ops["ListExecutions"].Rate != 0.5 || l.Ops["DescribeExecution"].Rate != 2.5 {
		t.Errorf("limits: %+v", l)
	}
	if c.Refresh.ExecutionsMax.Duration != 2*time.Minute || c.Refresh.CallbacksMax.Duration != 90*time.Second {
		t.Errorf("refresh: %+v", c.Refresh)
	}
}

func TestBadConfigurationsSayWhere(t *testing.T) {
	for text, want := range map[string]string{
		"read_only = yes":                       "config.toml:1:",
		"refresh = 3":                           "refresh",
		"colour = \"red\"":                      "unknown setting colour",
		"[budget]\nshare = 2":                   "budget.share = 2",
		"[refresh]\nexecutions_min = \"fast\"":  `"fast" is not a duration`,
		"default_context = \"x\"":               `no [[context]] has that name`,
		"[[context]]\nprofile = \"p\"":          "context 1 has no name",
		"[[context]]\nname = \"a\"":             `context "a" names no profile`,
		"[budget.operations]\nX = { rate = 0 }": "budget.operations.X",
		"[[context]]\nname=\"a\"\nregion=\"r\"\n[[context]]\nname=\"a\"\nregion=\"r\"": `two contexts are named "a"`,
	} {
		_, err := Parse("config.toml", []byte(text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want it to say %q", text, err, want)
		}
	}
}

func TestLoadAMissingFileIsEmpty(t *testing.T) {
	c, err := Load(filepath.Join(t.TempDir(), "none.toml"))
	if err != nil || c.DefaultContext != "" || len(c.Contexts) != 0 {
		t.Fatalf("%+v %v", c, err)
	}
	t.Setenv("STEPDECK_CONFIG", "/x/y.toml")
	if Path() != "/x/y.toml" {
		t.Errorf("path %q", Path())
	}
	p := filepath.Join(t.TempDir(), "c.toml")
	os.WriteFile(p, []byte("read_only = true\n"), 0o600)
	if c, err := Load(p); err != nil || !c.ReadOnly {
		t.Errorf("%+v %v", c, err)
	}
}

// FuzzParse: any text either fails with an error or gives a configuration that, written
// out again, reads back the same.
func FuzzParse(f *testing.F) {
	f.Add(example)
	f.Add("read_only = true")
	f.Add("[[context]]\nname = \"a\"\nregion = \"eu-west-1\"")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse("f.toml", []byte(text))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := toml.NewEncoder(&buf).Encode(c); err != nil {
			t.Fatalf("encoding %+v: %v", c, err)
		}
		again, err := Parse("f.toml", buf.Bytes())
		if err != nil {
			t.Fatalf("written out, it no longer parses: %v\n%s", err, buf.String())
		}
		if !reflect.DeepEqual(c, again) {
			t.Fatalf("read back differs:\n%+v\n%+v", c, again)
		}
	})
}
