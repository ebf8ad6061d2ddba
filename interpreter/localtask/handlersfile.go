package localtask

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

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

// ParseCommands reads a handlers file's text; baseDir anchors relative "dir" values.
func ParseCommands(data []byte, baseDir string) (*Commands, error) {
	doc, err := value.Parse(data)
	if err != nil {
		var se *value.SyntaxError
		if errors.As(err, &se) {
			line, col := se.Position(data)
			return nil, &FileError{Msg: fmt.Sprintf("not valid JSON: line %d, column %d: %s", line, col, se.Msg)}
		}
		return nil, &FileError{Msg: "not valid JSON: " + err.Error()}
	}
	root, ok := doc.(*value.Object)
	if !ok {
		return nil, errAt("$", `must be an object {"handlers": [...]}, not %s`, kindName(doc))
	}
	if err := onlyKeys("$", root, "handlers"); err != nil {
		return nil, err
	}
	hv, ok := root.Get("handlers")
	if !ok {
		return nil, errAt("$", `"handlers" is missing`)
	}
	list, ok := hv.([]any)
	if !ok {
		return nil, errAt("$.handlers", "must be an array of handlers, not %s", kindName(hv))
	}
	c := &Commands{}
	seen := map[string]int{}
	for i, item := range list {
		p := jsonPath("$.handlers").index(i)
		spec, err := parseSpec(p, item, baseDir)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[spec.Resource]; dup {
			return nil, errAt(p.key("resource"), "%q is already handled by $.handlers[%d]; only one command can serve a resource", spec.Resource, j)
		}
		seen[spec.Resource] = i
		c.Specs = append(c.Specs, spec)
	}
	return c, nil
}

func parseSpec(p jsonPath, v value.Value, baseDir string) (*CommandSpec, error) {
	obj, ok := v.(*value.Object)
	if !ok {
		return nil, errAt(p, `must be an object with "resource" and "command", not %s`, kindName(v))
	}
	if err := onlyKeys(p, obj, "resource", "command", "files", "timeoutSeconds", "env", "dir", "waitForCallback"); err != nil {
		return nil, err
	}
	s := &CommandSpec{Dir: baseDir}
	rv, ok := obj.Get("resource")
	if !ok {
		return nil, errAt(p, `"resource" is missing`)
	}
	if s.Resource, ok = rv.(string); !ok || s.Resource == "" {
		return nil, errAt(p.key("resource"), "must be a resource ARN or a pattern such as \"arn:aws:states:::lambda:*\", not %s", describe(rv))
	}
	if _, err := path.Match(s.Resource, ""); err != nil {
		return nil, errAt(p.key("resource"), "%q is not a valid pattern (path.Match syntax: * ? [a-z] and \\ to escape)", s.Resource)
	}
	if fv, ok := obj.Get("files"); ok {
		return parseFiles(p, obj, s, fv, baseDir)
	}
	cv, ok := obj.Get("command")
	if !ok {
		return nil, errAt(p, `"command" is missing (or "files", to serve getObject reads from a folder)`)
	}
	argv, ok := cv.([]any)
	if !ok || len(argv) == 0 {
		return nil, errAt(p.key("command"), `must be a non-empty array of strings such as ["python3", "handler.py"], not %s`, describe(cv))
	}
	for i, a := range argv {
		s1, ok := a.(string)
		if !ok {
			return nil, errAt(p.key("command").index(i), "must be a string, not %s", kindName(a))
		}
		if strings.IndexByte(s1, 0) >= 0 {
			return nil, errAt(p.key("command").index(i), "holds a NUL character, which no program argument can")
		}
		s.Argv = append(s.Argv, s1)
	}
	if s.Argv[0] == "" {
		return nil, errAt(p.key("command").index(0), "the program name is empty")
	}
	if tv, ok := obj.Get("timeoutSeconds"); ok {
		n, isInt := value.ToInt(tv)
		if !isInt || !value.IsInteger(tv) || n < 1 || n > maxTimeoutSeconds {
			return nil, errAt(p.key("timeoutSeconds"), "must be a whole number of seconds from 1 to %d, not %s", maxTimeoutSeconds, value.String(tv))
		}
		s.Timeout = time.Duration(n) * time.Second
	}
	if ev, ok := obj.Get("env"); ok {
		env, err := parseEnv(p.key("env"), ev)
		if err != nil {
			return nil, err
		}
		s.Env = env
	}
	if dv, ok := obj.Get("dir"); ok {
		d, isString := dv.(string)
		if !isString || d == "" {
			return nil, errAt(p.key("dir"), "must be a folder path, not %s", describe(dv))
		}
		if !filepath.IsAbs(d) {
			d = filepath.Join(baseDir, d)
		}
		s.Dir = filepath.Clean(d)
	}
	if wv, ok := obj.Get("waitForCallback"); ok {
		b, isBool := wv.(bool)
		if !isBool {
			return nil, errAt(p.key("waitForCallback"), "must be true or false, not %s", kindName(wv))
		}
		if b && !strings.HasSuffix(s.Resource, ".waitForTaskToken") && !strings.HasSuffix(s.Resource, "*") {
			return nil, errAt(p.key("waitForCallback"), "applies only to .waitForTaskToken resources, and %q is not one", s.Resource)
		}
		s.WaitForCallback = b
	}
	return s, nil
}

// parseFiles reads an entry that serves getObject reads from a folder.
func parseFiles(p jsonPath, obj *value.Object, s *CommandSpec, fv value.Value, baseDir string) (*CommandSpec, error) {
	for _, k := range []string{"command", "timeoutSeconds", "env", "dir", "waitForCallback"} {
		if _, ok := obj.Get(k); ok {
			return nil, errAt(p.key(k), `does not go with "files": a files entry runs no command`)
		}
	}
	if !strings.HasSuffix(s.Resource, "s3:getObject") {
		return nil, errAt(p.key("files"), "serves getObject reads, and %q is not an s3:getObject resource", s.Resource)
	}
	d, ok := fv.(string)
	if !ok || d == "" {
		return nil, errAt(p.key("files"), "must be a folder path, not %s", describe(fv))
	}
	if !filepath.IsAbs(d) {
		d = filepath.Join(baseDir, d)
	}
	s.Files = filepath.Clean(d)
	return s, nil
}

func parseEnv(p jsonPath, v value.Value) ([]string, error) {
	obj, ok := v.(*value.Object)
	if !ok {
		return nil, errAt(p, `must be an object of names and string values such as {"STAGE": "local"}, not %s`, kindName(v))
	}
	env := make([]string, 0, obj.Len())
	for i := range obj.Len() {
		k, ev := obj.At(i)
		if k == "" || strings.ContainsAny(k, "=\x00") {
			return nil, errAt(p.key(k), "is not a valid environment variable name")
		}
		s, ok := ev.(string)
		if !ok {
			return nil, errAt(p.key(k), "must be a string (write numbers in quotes), not %s", kindName(ev))
		}
		if strings.IndexByte(s, 0) >= 0 {
			return nil, errAt(p.key(k), "holds a NUL character, which no environment variable can")
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

func describe(v value.Value) string {
	if s, ok := v.(string); ok && s == "" {
		return "an empty string"
	}
	return kindName(v)
}
