// Package config reads stepdeck's configuration file: the backend the UI opens when no
// flag names one, named contexts (a profile and a region, or an endpoint) that the
// palette switches between, the request budget, refresh intervals and read-only.
//
// The file is TOML, at $STEPDECK_CONFIG, else $XDG_CONFIG_HOME/stepdeck/config.toml
// (~/.config/stepdeck/config.toml). A missing file is an empty configuration; a file
// that does not parse, or names an unknown key, is an error that names the line.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/stepdeck/stepdeck/client"
)

// Config is the whole file.
type Config struct {
	// The backend when no flag names one (all empty: the local engine).
	Profile  string `toml:"profile"`
	Region   string `toml:"region"`
	Endpoint string `toml:"endpoint"`
	// DefaultContext names one of Contexts to open (instead of the three above).
	DefaultContext string    `toml:"default_context"`
	ReadOnly       bool      `toml:"read_only"`
	Contexts       []Context `toml:"context"`
	Budget         Budget    `toml:"budget"`
	Refresh        Refresh   `toml:"refresh"`

	path string
}

// Context is a named backend.
type Context struct {
	Name     string `toml:"name"`
	Profile  string `toml:"profile"`
	Region   string `toml:"region"`
	Endpoint string `toml:"endpoint"`
	ReadOnly bool   `toml:"read_only"`
}

// Budget tunes the request budget (client.Budget).
type Budget struct {
	// Share is the part of each published Step Functions quota stepdeck may use
	// (0 < share <= 1; default client.DefaultShare).
	Share       float64 `toml:"share"`
	Concurrency int     `toml:"concurrency"`
	// Operations override single operations: ListExecutions = { rate = 1, burst = 20 }.
	Operations map[string]Limit `toml:"operations"`
}

// Limit is one operation's calls a second and burst.
type Limit struct {
	Rate  float64 `toml:"rate"`
	Burst float64 `toml:"burst"`
}

// Refresh bounds how often the lists refresh: from the minimum after a change, slower
// while nothing changes, up to the maximum.
type Refresh struct {
	ExecutionsMin Duration `toml:"executions_min"`
	ExecutionsMax Duration `toml:"executions_max"`
	CallbacksMin  Duration `toml:"callbacks_min"`
	CallbacksMax  Duration `toml:"callbacks_max"`
}

// Duration is a time.Duration written as "3s", "1m30s".
type Duration struct{ time.Duration }

func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 3s or 1m", b)
	}
	if v < 0 {
		return fmt.Errorf("%q: a duration must not be negative", b)
	}
	d.Duration = v
	return nil
}

// Path is where the configuration is read from: $STEPDECK_CONFIG, else
// $XDG_CONFIG_HOME/stepdeck/config.toml.
func Path() string {
	if p := os.Getenv("STEPDECK_CONFIG"); p != "" {
		return p
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "stepdeck", "config.toml")
}

// Load reads the configuration at path; a missing file is an empty configuration.
func Load(path string) (*Config, error) {
	c := &Config{path: path}
	if path == "" {
		return c, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the configuration: %w", err)
	}
	return Parse(path, b)
}

// Parse reads a configuration file's text; path names it in errors.
func Parse(path string, text []byte) (*Config, error) {
	c := &Config{path: path}
	md, err := toml.Decode(string(text), c)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("%s:%d:%d: %s", path, perr.Position.Line, perr.Position.Col, perr.Message)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if extra := md.Undecoded(); len(extra) > 0 {
		keys := make([]string, len(extra))
		for i, k := range extra {
			keys[i] = k.String()
		}
		sort.Strings(keys)
		return nil, fmt.Errorf("%s: unknown setting %s (see docs/config.md)", path, strings.Join(keys, ", "))
	}
	return c, c.check()
}

func (c *Config) check() error {
	seen := map[string]bool{}
	for i, x := range c.Contexts {
		switch {
		case x.Name == "":
			return fmt.Errorf("%s: context %d has no name", c.path, i+1)
		case seen[x.Name]:
			return fmt.Errorf("%s: two contexts are named %q", c.path, x.Name)
		case x.Profile == "" && x.Region == "" && x.Endpoint == "":
			return fmt.Errorf("%s: context %q names no profile, region or endpoint", c.path, x.Name)
		}
		seen[x.Name] = true
	}
	if c.DefaultContext != "" && !seen[c.DefaultContext] {
		return fmt.Errorf("%s: default_context = %q, but no [[context]] has that name", c.path, c.DefaultContext)
	}
	if c.DefaultContext != "" && (c.Profile != "" || c.Region != "" || c.Endpoint != "") {
		return fmt.Errorf("%s: set either default_context or profile/region/endpoint, not both", c.path)
	}
	if s := c.Budget.Share; s < 0 || s > 1 {
		return fmt.Errorf("%s: budget.share = %g: want a part of the published quotas, more than 0 and at most 1", c.path, s)
	}
	if c.Budget.Concurrency < 0 {
		return fmt.Errorf("%s: budget.concurrency must not be negative", c.path)
	}
	for op, l := range c.Budget.Operations {
		if l.Rate <= 0 || l.Burst < 1 {
			return fmt.Errorf("%s: budget.operations.%s: want rate > 0 and burst >= 1", c.path, op)
		}
	}
	r := c.Refresh
	for _, p := range [][2]Duration{{r.ExecutionsMin, r.ExecutionsMax}, {r.CallbacksMin, r.CallbacksMax}} {
		if p[0].Duration > 0 && p[1].Duration > 0 && p[1].Duration < p[0].Duration {
			return fmt.Errorf("%s: a refresh maximum is below its minimum", c.path)
		}
	}
	return nil
}

// Limits are the request budget the configuration asks for.
func (c *Config) Limits() client.Limits {
	l := client.DefaultLimits(c.Budget.Share)
	if c.Budget.Concurrency > 0 {
		l.Concurrency = c.Budget.Concurrency
	}
	for op, o := range c.Budget.Operations {
		l.Ops[op] = client.Limit{Rate: o.Rate, Burst: o.Burst}
	}
	return l
}

// Find returns the context named name.
func (c *Config) Find(name string) (Context, bool) {
	for _, x := range c.Contexts {
		if x.Name == name {
			return x, true
		}
	}
	return Context{}, false
}

// MarshalText writes a Duration as it is read ("1m30s").
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.Duration.String()), nil }
