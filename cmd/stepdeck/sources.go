package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/source"
)

// The commands that take a definition take any source the source package reads: an
// ASL file (JSON or YAML), a folder, a SAM or CloudFormation template, a CDK cloud
// assembly. These helpers load one and pick the machine a command works on.

// machineLabel names a machine for people: the file for an ASL file, else the
// template and logical id, with the machine's name when it differs.
func machineLabel(m *source.Machine) string {
	if m.Origin.Template == "" {
		return m.Origin.Path
	}
	label := m.Origin.Template + "#" + m.LogicalID
	if m.Name != m.LogicalID {
		label += " (" + m.Name + ")"
	}
	return label
}

// pickMachine loads path and returns the machine a command works on: the only one, or
// the one --state-machine names (by name or logical id).
func pickMachine(path, want string) (*source.Machine, error) {
	ms, err := source.Load(path)
	if err != nil {
		// A file that cannot be read, or a source with a syntax error (shown with
		// its line and column): bad input either way.
		return nil, usageError("%v", err)
	}
	return choose(path, ms, want)
}

func choose(path string, ms []*source.Machine, want string) (*source.Machine, error) {
	if want != "" {
		for _, m := range ms {
			if m.Name == want || m.LogicalID == want {
				return m, nil
			}
		}
		return nil, usageError("--state-machine %s: %s has no such state machine; it has:\n%s", want, path, listMachines(ms))
	}
	switch len(ms) {
	case 0:
		return nil, usageError("%s holds no state machine", path)
	case 1:
		return ms[0], nil
	}
	return nil, usageError("%s holds %d state machines; pick one with --state-machine NAME:\n%s", path, len(ms), listMachines(ms))
}

func listMachines(ms []*source.Machine) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "  %-28s %-9s %s\n", m.Name, m.Type, machineLabel(m))
	}
	return strings.TrimRight(b.String(), "\n")
}

// machineType is --type when it was given, else the type the source declares.
func machineType(m *source.Machine, flag string, given bool) (string, error) {
	typ := strings.ToUpper(flag)
	if !given && m.Type != "" {
		typ = m.Type
	}
	if typ != "STANDARD" && typ != "EXPRESS" {
		return "", usageError("the state machine type must be STANDARD or EXPRESS, not %q", typ)
	}
	return typ, nil
}

// parseMachine parses a loaded machine's definition for a type. Its problems come as a
// usage error that places each in the source file.
func parseMachine(m *source.Machine, typ string) (*asl.Definition, error) {
	def, err := asl.ParseFor(m.Definition, typ)
	if err != nil {
		var de *asl.Error
		if errors.As(err, &de) {
			var b strings.Builder
			writeDiagnostics(&b, m, de.Diagnostics)
			return nil, usageError("%s is not a valid definition:\n%s", machineLabel(m), strings.TrimRight(b.String(), "\n"))
		}
		return nil, usageError("%v", err)
	}
	return def, nil
}

// writeDiagnostics prints one diagnostic a line, placed at its line and column in the
// source file where that is known.
func writeDiagnostics(w io.Writer, m *source.Machine, diags []asl.Diagnostic) {
	for _, d := range diags {
		line := fmt.Sprintf("%s: %s %s: %s", m.LocateAt(d.Location, d.Line, d.Column), d.Severity, d.Code, d.Message)
		if d.Location != "" {
			line += " at " + d.Location
		}
		if d.Detail != "" {
			line += " (" + d.Detail + ")"
		}
		fmt.Fprintln(w, line)
	}
}

// writePlaceholders says which references of a template stand in for deployed
// resources, one an indented line; with heading, under a line naming the machine.
func writePlaceholders(w io.Writer, m *source.Machine, heading bool) {
	if len(m.Placeholders) == 0 {
		return
	}
	if heading {
		fmt.Fprintf(w, "%s: placeholders for what only a deployment knows:\n", machineLabel(m))
	}
	for _, p := range m.Placeholders {
		fmt.Fprintf(w, "  placeholder %s = %s\n", p.Expression, p.Value)
	}
}
