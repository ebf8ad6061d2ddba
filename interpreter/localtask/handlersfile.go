package localtask

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/configfile"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// maxTimeoutSeconds is the largest TimeoutSeconds Step Functions accepts.
const maxTimeoutSeconds = 99_999_999

// Commands is a parsed handlers file.
type Commands struct {
	Specs []*CommandSpec // in file order
}

// CommandSpec is one entry of a handlers file.
type CommandSpec struct {
	Resource        string   // an ARN or a path.Match pattern
	Argv            []string // never run through a shell
	Timeout         time.Duration
	Env             []string // KEY=VALUE, added to this process's environment
	Dir             string   // absolute
	WaitForCallback bool
	// Files, instead of a command, serves S3-style getObject reads from this folder
	// (absolute): see FilesHandler.
	Files string
}

// LoadCommands reads a handlers file. Relative "dir" values are taken from the file's
// folder, so the file and its scripts can move together.
func LoadCommands(file string) (*Commands, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("handlers file: %w", err)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, fmt.Errorf("handlers file: %w", err)
	}
	c, err := ParseCommands(data, filepath.Dir(abs))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return c, nil
}

// fileKind names the handlers file in its errors, which are *configfile.Error values.
const fileKind = "handlers file"

// ParseCommands reads a handlers file's text; baseDir anchors relative "dir" values.
func ParseCommands(data []byte, baseDir string) (*Commands, error) {
	doc, err := configfile.Parse(fileKind, data)
	if err != nil {
		return nil, err
	}
	root := configfile.Root(fileKind)
	obj, err := configfile.Object(root, doc, `an object {"handlers": [...]}`)
	if err != nil {
		return nil, err
	}
	if err := configfile.OnlyKeys(root, obj, "handlers"); err != nil {
		return nil, err
	}
	hv, err := configfile.Required(root, obj, "handlers")
	if err != nil {
		return nil, err
	}
	list, err := configfile.Array(root.Key("handlers"), hv, "an array of handlers")
	if err != nil {
		return nil, err
	}
	c := &Commands{}
	seen := map[string]int{}
	for i, item := range list {
		p := root.Key("handlers").Index(i)
		spec, err := parseSpec(p, item, baseDir)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[spec.Resource]; dup {
			return nil, p.Key("resource").Errorf("%q is already handled by %s; only one command can serve a resource", spec.Resource, root.Key("handlers").Index(j))
		}
		seen[spec.Resource] = i
		c.Specs = append(c.Specs, spec)
	}
	return c, nil
}

func parseSpec(p configfile.Path, v value.Value, baseDir string) (*CommandSpec, error) {
	obj, err := configfile.Object(p, v, `an object with "resource" and "command"`)
	if err != nil {
		return nil, err
	}
	if err := configfile.OnlyKeys(p, obj, "resource", "command", "files", "timeoutSeconds", "env", "dir", "waitForCallback"); err != nil {
		return nil, err
	}
	s := &CommandSpec{Dir: baseDir}
	rv, err := configfile.Required(p, obj, "resource")
	if err != nil {
		return nil, err
	}
	if s.Resource, err = configfile.NonEmptyString(p.Key("resource"), rv, `a resource ARN or a pattern such as "arn:aws:states:::lambda:*"`); err != nil {
		return nil, err
	}
	if _, err := path.Match(s.Resource, ""); err != nil {
		return nil, p.Key("resource").Errorf("%q is not a valid pattern (path.Match syntax: * ? [a-z] and \\ to escape)", s.Resource)
	}
	if fv, ok := obj.Get("files"); ok {
		return parseFiles(p, obj, s, fv, baseDir)
	}
	cv, ok := obj.Get("command")
	if !ok {
		return nil, p.Errorf(`"command" is missing (or "files", to serve getObject reads from a folder)`)
	}
	cp := p.Key("command")
	argv, err := configfile.NonEmptyArray(cp, cv, `a non-empty array of strings such as ["python3", "handler.py"]`)
	if err != nil {
		return nil, err
	}
	for i, a := range argv {
		arg, err := configfile.String(cp.Index(i), a, "a string")
		if err != nil {
			return nil, err
		}
		if strings.IndexByte(arg, 0) >= 0 {
			return nil, cp.Index(i).Errorf("holds a NUL character, which no program argument can")
		}
		s.Argv = append(s.Argv, arg)
	}
	if s.Argv[0] == "" {
		return nil, cp.Index(0).Errorf("the program name is empty")
	}
	if tv, ok := obj.Get("timeoutSeconds"); ok {
		n, err := configfile.Int(p.Key("timeoutSeconds"), tv, "a whole number of seconds", 1, maxTimeoutSeconds)
		if err != nil {
			return nil, err
		}
		s.Timeout = time.Duration(n) * time.Second
	}
	if ev, ok := obj.Get("env"); ok {
		env, err := parseEnv(p.Key("env"), ev)
		if err != nil {
			return nil, err
		}
		s.Env = env
	}
	if dv, ok := obj.Get("dir"); ok {
		d, err := configfile.NonEmptyString(p.Key("dir"), dv, "a folder path")
		if err != nil {
			return nil, err
		}
		s.Dir = absUnder(baseDir, d)
	}
	if wv, ok := obj.Get("waitForCallback"); ok {
		b, err := configfile.Bool(p.Key("waitForCallback"), wv)
		if err != nil {
			return nil, err
		}
		if b && !strings.HasSuffix(s.Resource, ".waitForTaskToken") && !strings.HasSuffix(s.Resource, "*") {
			return nil, p.Key("waitForCallback").Errorf("applies only to .waitForTaskToken resources, and %q is not one", s.Resource)
		}
		s.WaitForCallback = b
	}
	return s, nil
}

// parseFiles reads an entry that serves getObject reads from a folder.
func parseFiles(p configfile.Path, obj *value.Object, s *CommandSpec, fv value.Value, baseDir string) (*CommandSpec, error) {
	for _, k := range []string{"command", "timeoutSeconds", "env", "dir", "waitForCallback"} {
		if _, ok := obj.Get(k); ok {
			return nil, p.Key(k).Errorf(`does not go with "files": a files entry runs no command`)
		}
	}
	if !strings.HasSuffix(s.Resource, "s3:getObject") {
		return nil, p.Key("files").Errorf("serves getObject reads, and %q is not an s3:getObject resource", s.Resource)
	}
	d, err := configfile.NonEmptyString(p.Key("files"), fv, "a folder path")
	if err != nil {
		return nil, err
	}
	s.Files = absUnder(baseDir, d)
	return s, nil
}

// absUnder is d made absolute, relative paths being taken from baseDir.
func absUnder(baseDir, d string) string {
	if !filepath.IsAbs(d) {
		d = filepath.Join(baseDir, d)
	}
	return filepath.Clean(d)
}

func parseEnv(p configfile.Path, v value.Value) ([]string, error) {
	obj, err := configfile.Object(p, v, `an object of names and string values such as {"STAGE": "local"}`)
	if err != nil {
		return nil, err
	}
	env := make([]string, 0, obj.Len())
	for i := range obj.Len() {
		k, ev := obj.At(i)
		if k == "" || strings.ContainsAny(k, "=\x00") {
			return nil, p.Key(k).Errorf("is not a valid environment variable name")
		}
		s, err := configfile.String(p.Key(k), ev, "a string (write numbers in quotes)")
		if err != nil {
			return nil, err
		}
		if strings.IndexByte(s, 0) >= 0 {
			return nil, p.Key(k).Errorf("holds a NUL character, which no environment variable can")
		}
		env = append(env, k+"="+s)
	}
	sort.Strings(env)
	return env, nil
}

// Register adds a handler per entry. Exact resources beat patterns in the registry;
// entries are added last to first so that, among patterns, the first listed wins.
func (c *Commands) Register(r *engine.Registry) {
	for i := len(c.Specs) - 1; i >= 0; i-- {
		r.Handle(c.Specs[i].Resource, c.Specs[i].Handler())
	}
}
