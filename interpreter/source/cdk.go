package source

import (
	"errors"
	"fmt"
	"path/filepath"
)

// A CDK cloud assembly (what `cdk synth` writes to cdk.out) is a folder with a
// manifest.json whose artifacts name each stack's template, and nested assemblies
// (stages) in folders of their own. Nested stacks' templates sit next to their
// parents', named by the parent's aws:asset:path metadata.

func isAssembly(dir string) bool {
	data, err := readLimited(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return false
	}
	doc, err := parseDocument("manifest.json", data)
	return err == nil && doc.get("artifacts") != nil
}

func loadAssembly(dir string, depth int) ([]*Machine, error) {
	if depth > maxNesting {
		return nil, &Error{File: dir, Msg: fmt.Sprintf("nested cloud assemblies deeper than %d", maxNesting)}
	}
	file := filepath.Join(dir, "manifest.json")
	data, err := readLimited(file)
	if err != nil {
		return nil, err
	}
	doc, err := parseDocument(file, data)
	if err != nil {
		return nil, err
	}
	artifacts := doc.get("artifacts")
	if artifacts == nil || artifacts.kind != kMap {
		return nil, &Error{File: file, Msg: "no artifacts: not a cloud assembly manifest"}
	}
	var out []*Machine
	var errs []error
	for i, id := range artifacts.keys {
		a := artifacts.vals[i]
		typ, _ := a.get("type").str()
		props := a.get("properties")
		switch typ {
		case "aws:cloudformation:stack":
			tf, ok := props.get("templateFile").str()
			if !ok {
				errs = append(errs, &Error{File: file, Pos: a.pos, Msg: id + ": a stack artifact with no templateFile"})
				continue
			}
			name := id
			if s, ok := props.get("stackName").str(); ok && s != "" {
				name = s
			}
			tfile := filepath.Join(dir, filepath.FromSlash(tf))
			tdata, err := readLimited(tfile)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			tdoc, err := parseDocument(tfile, tdata)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if !isTemplate(tdoc) {
				continue // a stack with no resources yet
			}
			ms, err := loadTemplate(tdoc, templateLoad{file: tfile, stackName: name, format: FormatCDK, assemblyDir: dir})
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, ms...)
		case "cdk:cloud-assembly":
			sub, ok := props.get("directoryName").str()
			if !ok {
				continue
			}
			ms, err := loadAssembly(filepath.Join(dir, filepath.FromSlash(sub)), depth+1)
			out = append(out, ms...)
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	return out, errors.Join(errs...)
}
