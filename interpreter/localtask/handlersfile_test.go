package localtask

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/configfile"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func TestParseCommands(t *testing.T) {
	src := `{"handlers":[
	  {"resource":"arn:aws:states:::lambda:invoke","command":["python3","handler.py","--x"],"timeoutSeconds":30,
	   "env":{"STAGE":"local","A_B":"1"},"dir":"scripts"},
	  {"resource":"arn:aws:states:::sqs:*","command":["/bin/true"],"dir":"/abs/path","waitForCallback":true}
	]}`
	c, err := ParseCommands([]byte(src), "/base")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Specs) != 2 {
		t.Fatalf("%d specs", len(c.Specs))
	}
	a, b := c.Specs[0], c.Specs[1]
	if a.Resource != "arn:aws:states:::lambda:invoke" || strings.Join(a.Argv, " ") != "python3 handler.py --x" ||
		a.Timeout != 30*time.Second || strings.Join(a.Env, ",") != "A_B=1,STAGE=local" || a.Dir != filepath.Join("/base", "scripts") || a.WaitForCallback {
		t.Errorf("first spec = %+v", a)
	}
	if b.Dir != "/abs/path" || b.Timeout != 0 || !b.WaitForCallback || len(b.Env) != 0 {
		t.Errorf("second spec = %+v", b)
	}
	empty, err := ParseCommands([]byte(`{"handlers":[]}`), "/base")
	if err != nil || len(empty.Specs) != 0 {
		t.Errorf("empty list: %v, %v", empty, err)
	}
	d, err := ParseCommands([]byte(`{"handlers":[{"resource":"r","command":["x"]}]}`), "/base")
	if err != nil || d.Specs[0].Dir != "/base" {
		t.Errorf("default dir: %+v, %v", d, err)
	}
}

func TestParseCommandsErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"not json", "{\n \"handlers\": [,]}", "not valid JSON: line 2, column 15"},
		{"not object", `[]`, `$: must be an object {"handlers": [...]}, not an empty array`},
		{"no handlers", `{}`, `$: "handlers" is missing`},
		{"unknown top", `{"handlers":[],"Handlers":[]}`, `$.Handlers: unknown field (did you mean "handlers"?)`},
		{"handlers not array", `{"handlers":{}}`, `$.handlers: must be an array of handlers, not an object`},
		{"entry not object", `{"handlers":[1]}`, `$.handlers[0]: must be an object with "resource" and "command", not a number`},
		{"no resource", `{"handlers":[{"command":["x"]}]}`, `$.handlers[0]: "resource" is missing`},
		{"empty resource", `{"handlers":[{"resource":"","command":["x"]}]}`, `$.handlers[0].resource: must be a resource ARN or a pattern such as "arn:aws:states:::lambda:*", not an empty string`},
		{"bad pattern", `{"handlers":[{"resource":"arn:[aws","command":["x"]}]}`, `$.handlers[0].resource: "arn:[aws" is not a valid pattern`},
		{"no command", `{"handlers":[{"resource":"r"}]}`, `$.handlers[0]: "command" is missing`},
		{"command string", `{"handlers":[{"resource":"r","command":"python3 h.py"}]}`, `$.handlers[0].command: must be a non-empty array of strings such as ["python3", "handler.py"], not a string`},
		{"command empty", `{"handlers":[{"resource":"r","command":[]}]}`, `$.handlers[0].command: must be a non-empty array of strings such as ["python3", "handler.py"], not an empty array`},
		{"command arg not string", `{"handlers":[{"resource":"r","command":["x",1]}]}`, `$.handlers[0].command[1]: must be a string, not a number`},
		{"command empty program", `{"handlers":[{"resource":"r","command":[""]}]}`, `$.handlers[0].command[0]: the program name is empty`},
		{"command nul", `{"handlers":[{"resource":"r","command":["a\u0000b"]}]}`, `$.handlers[0].command[0]: holds a NUL character`},
		{"timeout zero", `{"handlers":[{"resource":"r","command":["x"],"timeoutSeconds":0}]}`, `$.handlers[0].timeoutSeconds: must be a whole number of seconds from 1 to 99999999, not 0`},
		{"timeout fraction", `{"handlers":[{"resource":"r","command":["x"],"timeoutSeconds":1.5}]}`, `not 1.5`},
		{"timeout string", `{"handlers":[{"resource":"r","command":["x"],"timeoutSeconds":"30"}]}`, `not "30"`},
		{"env not object", `{"handlers":[{"resource":"r","command":["x"],"env":["A=1"]}]}`, `$.handlers[0].env: must be an object of names and string values`},
		{"env number", `{"handlers":[{"resource":"r","command":["x"],"env":{"PORT":8080}}]}`, `$.handlers[0].env.PORT: must be a string (write numbers in quotes), not a number`},
		{"env bad name", `{"handlers":[{"resource":"r","command":["x"],"env":{"A=B":"1"}}]}`, `$.handlers[0].env["A=B"]: is not a valid environment variable name`},
		{"env empty name", `{"handlers":[{"resource":"r","command":["x"],"env":{"":"1"}}]}`, `$.handlers[0].env[""]: is not a valid environment variable name`},
		{"dir empty", `{"handlers":[{"resource":"r","command":["x"],"dir":""}]}`, `$.handlers[0].dir: must be a folder path, not an empty string`},
		{"wait not bool", `{"handlers":[{"resource":"r","command":["x"],"waitForCallback":1}]}`, `$.handlers[0].waitForCallback: must be true or false, not a number`},
		{"wait on plain resource", `{"handlers":[{"resource":"arn:aws:states:::sqs:sendMessage","command":["x"],"waitForCallback":true}]}`, `applies only to .waitForTaskToken resources`},
		{"unknown field", `{"handlers":[{"resource":"r","command":["x"],"timeout":3}]}`, `$.handlers[0].timeout: unknown field (did you mean "timeoutSeconds"?); the fields here are resource, command, files, timeoutSeconds, env, dir, waitForCallback`},
		{"misspelt field", `{"handlers":[{"resorce":"r","command":["x"]}]}`, `$.handlers[0].resorce: unknown field (did you mean "resource"?)`},
		{"duplicate", `{"handlers":[{"resource":"r","command":["x"]},{"resource":"r","command":["y"]}]}`, `$.handlers[1].resource: "r" is already handled by $.handlers[0]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCommands([]byte(tt.src), "/base")
			if err == nil {
				t.Fatalf("accepted; want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q\nwant it to contain %q", err, tt.want)
			}
			var ce *configfile.Error
			if !errors.As(err, &ce) || ce.File != "handlers file" {
				t.Errorf("error is %#v, want a *configfile.Error about the handlers file", err)
			}
		})
	}
}

func TestLoadCommandsRelativeDir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "handlers.json")
	if err := os.WriteFile(file, []byte(`{"handlers":[{"resource":"r","command":["x"],"dir":"sub"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadCommands(file)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "sub"); c.Specs[0].Dir != want {
		t.Errorf("dir = %s, want %s (relative to the handlers file)", c.Specs[0].Dir, want)
	}
	if _, err := LoadCommands(filepath.Join(dir, "none.json")); err == nil || !strings.Contains(err.Error(), "none.json") {
		t.Errorf("missing file: err = %v", err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"handlers":{}}`), 0o600)
	if _, err := LoadCommands(bad); err == nil || !strings.Contains(err.Error(), bad+": handlers file: $.handlers") {
		t.Errorf("bad file: err = %v", err)
	}
}

func TestRegisterPrecedence(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c := &Commands{}
	for _, r := range []string{"arn:aws:states:::lambda:*", "arn:aws:states:::*", "arn:aws:states:::lambda:invoke.waitForTaskToken"} {
		c.Specs = append(c.Specs, &CommandSpec{Resource: r, Argv: []string{exe}, Env: []string{helperEnv + "=env"}, Dir: t.TempDir()})
	}
	reg := &engine.Registry{}
	c.Register(reg)
	tests := []struct{ resource, wantPattern string }{
		{"arn:aws:states:::lambda:invoke", "arn:aws:states:::lambda:*"},                                        // first listed pattern wins
		{"arn:aws:states:::sqs:sendMessage", "arn:aws:states:::*"},                                             // only the second matches
		{"arn:aws:states:::lambda:invoke.waitForTaskToken", "arn:aws:states:::lambda:invoke.waitForTaskToken"}, // exact beats patterns
	}
	for _, tt := range tests {
		h, ok := reg.Lookup(tt.resource)
		if !ok {
			t.Errorf("%s: no handler", tt.resource)
			continue
		}
		// Tell the handlers apart by what they ran for: each spec has its own dir.
		out, err := h(context.Background(), &engine.TaskCall{StateName: "S", Resource: tt.resource, Input: nil})
		if err != nil {
			t.Fatal(err)
		}
		cwd, _ := out.(*value.Object).Get("cwd")
		var want string
		for _, s := range c.Specs {
			if s.Resource == tt.wantPattern {
				want, _ = filepath.EvalSymlinks(s.Dir)
			}
		}
		if cwd != want {
			t.Errorf("%s ran in %v, want the handler of %s (%s)", tt.resource, cwd, tt.wantPattern, want)
		}
	}
}
