package source

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Resource types that hold a state machine.
const (
	cfnStateMachine = "AWS::StepFunctions::StateMachine"
	samStateMachine = "AWS::Serverless::StateMachine"
	cfnStack        = "AWS::CloudFormation::Stack"
)

// isTemplate tells a CloudFormation or SAM template from other YAML and JSON: it has a
// Resources map whose entries have a Type.
func isTemplate(doc *node) bool {
	res := doc.get("Resources")
	if res == nil || res.kind != kMap || len(res.keys) == 0 {
		return false
	}
	if doc.get("AWSTemplateFormatVersion") != nil || doc.get("Transform") != nil {
		return true
	}
	for _, r := range res.vals {
		if t, ok := r.get("Type").str(); ok && strings.Contains(t, "::") {
			return true
		}
	}
	return false
}

// isASL tells a state machine definition from other YAML and JSON.
func isASL(doc *node) bool {
	return doc.kind == kMap && doc.get("StartAt") != nil && doc.get("States") != nil
}

// templateLoad is what loading a template needs beyond its text.
type templateLoad struct {
	file      string
	stackName string
	format    Format
	// params are values a parent stack passes; paramPlaceholders the placeholders each
	// was made of, so a nested stack's machines report them too.
	params            map[string]value.Value
	paramPlaceholders map[string][]Placeholder
	// assemblyDir is the cloud assembly's folder, where nested stack templates live.
	assemblyDir string
	depth       int
}

// maxNesting bounds nested stacks, which could otherwise name each other in a loop.
const maxNesting = 10

// newStack builds a template's scope: its parameters (as a parent passes them, else
// their defaults) and its resources.
func newStack(doc *node, tl templateLoad) (*stack, error) {
	if tl.depth > maxNesting {
		return nil, &Error{File: tl.file, Msg: fmt.Sprintf("nested stacks deeper than %d", maxNesting)}
	}
	resources := doc.get("Resources")
	if resources.kind != kMap {
		return nil, &Error{File: tl.file, Pos: resources.pos, Msg: "Resources must be a map"}
	}
	st := &stack{file: tl.file, name: tl.stackName, params: map[string]value.Value{}, resources: map[string]*resource{},
		conditions: doc.get("Conditions"), mappings: doc.get("Mappings"), condCache: map[string]bool{}, condBusy: map[string]bool{},
		paramPlaceholders: map[string][]Placeholder{}, load: tl, nestedBusy: map[string]bool{}}
	if ps := doc.get("Parameters"); ps != nil && ps.kind == kMap {
		for i, name := range ps.keys {
			if v, ok := tl.params[name]; ok {
				st.params[name] = v
				st.paramPlaceholders[name] = tl.paramPlaceholders[name]
				continue
			}
			def := ps.vals[i].get("Default")
			if def == nil {
				// A parameter with no default stands for itself, as a placeholder.
				st.params[name] = name
				st.paramPlaceholders[name] = []Placeholder{{Expression: "!Ref " + name, Value: name, Type: "Parameter"}}
				continue
			}
			v, err := newResolver(st, nil).value(def, "")
			if err != nil {
				return nil, err
			}
			st.params[name] = v
		}
	}
	for i, id := range resources.keys {
		r := resources.vals[i]
		typ, _ := r.get("Type").str()
		res := &resource{logicalID: id, typ: typ, props: r.get("Properties"), node: r, name: id}
		if prop, ok := nameProperty[typ]; ok {
			if s, ok := res.props.get(prop).str(); ok && s != "" {
				res.name = s
			}
		}
		st.resources[id] = res
	}
	return st, nil
}

func loadTemplate(doc *node, tl templateLoad) ([]*Machine, error) {
	st, err := newStack(doc, tl)
	if err != nil {
		return nil, err
	}
	resources := doc.get("Resources")
	var out []*Machine
	for i, id := range resources.keys {
		r := resources.vals[i]
		res := st.resources[id]
		switch res.typ {
		case cfnStateMachine, samStateMachine:
			m, err := loadMachine(st, res, r, tl)
			if err != nil {
				return nil, err
			}
			out = append(out, m)
		case cfnStack:
			nested, err := loadNestedStack(st, res, tl)
			if err != nil {
				return nil, err
			}
			out = append(out, nested...)
		}
	}
	return out, nil
}

// loadMachine reads one state machine resource: its definition (inline, as a string,
// or from a file next to the template), substitutions, type and name.
func loadMachine(st *stack, res *resource, r *node, tl templateLoad) (*Machine, error) {
	props := res.props
	if props == nil || props.kind != kMap {
		return nil, &Error{File: tl.file, Pos: r.pos, Msg: res.logicalID + ": a state machine needs Properties"}
	}
	sam := res.typ == samStateMachine
	m := &Machine{LogicalID: res.logicalID, Type: "STANDARD", Origin: Origin{Path: tl.file, Template: tl.file,
		LogicalID: res.logicalID, Stack: tl.stackName, Format: tl.format}, positions: map[string]Position{}}
	rs := newResolver(st, nil)

	nameProp, typeProp := "StateMachineName", "StateMachineType"
	if sam {
		nameProp, typeProp = "Name", "Type"
	}
	m.Name = res.logicalID
	if n := props.get(nameProp); n != nil {
		s, err := rs.str(n, nameProp)
		if err != nil {
			return nil, err
		}
		m.Name = s
	}
	if n := props.get(typeProp); n != nil {
		s, err := rs.str(n, typeProp)
		if err != nil {
			return nil, err
		}
		m.Type = strings.ToUpper(s)
	}
	roleProp := "RoleArn"
	if sam {
		roleProp = "Role"
	}
	if n := props.get(roleProp); n != nil {
		if s, err := rs.str(n, roleProp); err == nil {
			m.RoleArn = s
		}
	}

	subs := map[string]string{}
	if n := props.get("DefinitionSubstitutions"); n != nil {
		if n.kind != kMap {
			return nil, &Error{File: tl.file, Pos: n.pos, Msg: "DefinitionSubstitutions must be a map"}
		}
		for i, k := range n.keys {
			v, err := rs.value(n.vals[i], "")
			if err != nil {
				return nil, err
			}
			subs[k] = scalarText(v)
		}
	}
	subst := func(s string) string {
		out, _ := substitute(s, func(name string) (string, error) {
			if v, ok := subs[name]; ok {
				return v, nil
			}
			return "${" + name + "}", nil
		}, false)
		return out
	}

	var defNode *node
	var inlineKey string
	for _, k := range []string{"Definition", "DefinitionString", "DefinitionUri", "DefinitionS3Location"} {
		if n := props.get(k); n != nil {
			if defNode != nil {
				return nil, &Error{File: tl.file, Pos: n.pos, Msg: fmt.Sprintf("%s: both %s and %s are set", res.logicalID, inlineKey, k)}
			}
			defNode, inlineKey = n, k
		}
	}
	switch inlineKey {
	case "":
		return nil, &Error{File: tl.file, Pos: r.pos, Msg: res.logicalID + ": the state machine has no Definition, DefinitionString, DefinitionUri or DefinitionS3Location"}
	case "Definition":
		dr := newResolver(st, m.positions)
		v, err := dr.value(defNode, "")
		if err != nil {
			return nil, err
		}
		if len(subs) > 0 {
			v = substituteValue(v, subst)
		}
		m.Definition = []byte(value.Indent(v))
		m.Placeholders = append(rs.placeholders, dr.placeholders...)
	case "DefinitionString":
		s, err := rs.str(defNode, "DefinitionString")
		if err != nil {
			return nil, err
		}
		m.Definition = []byte(subst(s))
		m.userText = true
		m.Placeholders = rs.placeholders
		m.positions = stringPositions(defNode, m.Definition)
		if len(m.positions) == 1 {
			m.positions = joinPositions(rs, defNode, m.Definition, subst)
		}
	default:
		file, err := definitionFile(tl.file, defNode, inlineKey, rs)
		if err != nil {
			return nil, err
		}
		data, err := readLimited(file)
		if err != nil {
			return nil, &Error{File: tl.file, Pos: defNode.pos, Msg: fmt.Sprintf("%s: %v", inlineKey, err)}
		}
		def, positions, err := definitionFromFile(file, data)
		if err != nil {
			return nil, err
		}
		substituted := def
		if len(subs) > 0 {
			substituted = []byte(subst(string(def)))
		}
		m.Definition = substituted
		m.userText = true
		m.positions = positions
		m.verbatim = strings.HasSuffix(strings.ToLower(file), ".json") && string(substituted) == string(def)
		m.Origin.Path = file
		m.Placeholders = rs.placeholders
	}
	m.Placeholders = sortedPlaceholders(m.Placeholders)
	return m, nil
}

// stringPositions places a DefinitionString's parts. When its text is a block scalar
// (DefinitionString: !Sub |), each line of the definition is a line of the template, so
// positions inside the text carry over (a substitution on a line shifts its columns);
// otherwise everything is placed at the DefinitionString itself.
func stringPositions(defNode *node, text []byte) map[string]Position {
	positions := map[string]Position{"": defNode.pos}
	textNode := defNode
	if fn, ok := intrinsicName(defNode); ok && fn == "Fn::Sub" {
		textNode = defNode.vals[0]
		if textNode.kind == kSeq && len(textNode.items) > 0 {
			textNode = textNode.items[0]
		}
	}
	if textNode.block.Line == 0 {
		return positions
	}
	doc, err := parseDocument("", text)
	if err != nil {
		return positions
	}
	inner := map[string]Position{}
	if _, err := plainValue(doc, inner); err != nil {
		return positions
	}
	for ptr, p := range inner {
		positions[ptr] = Position{Line: textNode.block.Line + p.Line - 1, Column: textNode.block.Column + p.Column - 1}
	}
	return positions
}

// joinPositions places the values of a DefinitionString built with Fn::Join, as CDK
// writes it: each at the Join part its text starts in (a part is one JSON string on one
// line of the template, so the line is exact and the column is the part's).
func joinPositions(rs *resolver, defNode *node, text []byte, subst func(string) string) map[string]Position {
	positions := map[string]Position{"": defNode.pos}
	fn, ok := intrinsicName(defNode)
	if !ok || fn != "Fn::Join" {
		return positions
	}
	arg := defNode.vals[0]
	if arg.kind != kSeq || len(arg.items) != 2 || arg.items[1].kind != kSeq {
		return positions
	}
	delim, ok := arg.items[0].str()
	if !ok {
		return positions
	}
	type segment struct {
		end int // offset in text just past the part
		pos Position
	}
	var segs []segment
	var b strings.Builder
	for i, part := range arg.items[1].items {
		if i > 0 {
			b.WriteString(delim)
		}
		s, err := rs.str(part, "a Fn::Join part")
		if err != nil {
			return positions
		}
		b.WriteString(subst(s))
		segs = append(segs, segment{b.Len(), part.pos})
	}
	// Substituted part by part, the text must be what was substituted whole.
	if b.String() != string(text) {
		return positions
	}
	doc, err := parseDocument("", text)
	if err != nil {
		return positions
	}
	inner := map[string]Position{}
	if _, err := plainValue(doc, inner); err != nil {
		return positions
	}
	starts := lineStarts(text)
	for ptr, p := range inner {
		if p.Line < 1 || p.Line > len(starts) {
			continue
		}
		off := starts[p.Line-1] + p.Column - 1
		for _, sg := range segs {
			if off < sg.end {
				positions[ptr] = sg.pos
				break
			}
		}
	}
	return positions
}

// lineStarts are the byte offsets where each line of text starts.
func lineStarts(text []byte) []int {
	starts := []int{0}
	for i, c := range text {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// localPath is where a path a template names is: as it is when absolute, else
// relative to dir (the template's folder).
func localPath(dir, p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// definitionFile finds the local file DefinitionUri or DefinitionS3Location names:
// a path relative to the template, or an S3 location whose key is such a path (as
// before `sam package` or `aws cloudformation package` uploads it).
func definitionFile(template string, n *node, key string, rs *resolver) (string, error) {
	var rel string
	if s, ok := n.str(); ok && n.kind == kString {
		rel = s
	} else if k := n.get("Key"); k != nil {
		s, err := rs.str(k, key+".Key")
		if err != nil {
			return "", err
		}
		rel = s
	} else {
		return "", &Error{File: template, Pos: n.pos, Msg: key + " must be a path or an S3 location with a Key"}
	}
	if strings.HasPrefix(rel, "s3://") || strings.HasPrefix(rel, "https://") {
		return "", &Error{File: template, Pos: n.pos, Msg: fmt.Sprintf("%s %s is in S3: stepdeck reads only local files (give the path of the file next to the template)", key, rel)}
	}
	dir := filepath.Dir(template)
	p := localPath(dir, rel)
	if _, err := os.Stat(p); err != nil && key == "DefinitionS3Location" {
		// A key with folders (builds/v2/flow.asl.json) may name a file kept flat next
		// to the template.
		if alt := filepath.Join(dir, filepath.Base(rel)); alt != p {
			if _, err2 := os.Stat(alt); err2 == nil {
				return alt, nil
			}
		}
		return "", &Error{File: template, Pos: n.pos, Msg: fmt.Sprintf("%s: no local file %s next to the template", key, rel)}
	}
	return p, nil
}

// substituteValue applies DefinitionSubstitutions to every string of a definition,
// keys included, as AWS does to the definition's text.
func substituteValue(v value.Value, subst func(string) string) value.Value {
	switch v := v.(type) {
	case string:
		return subst(v)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = substituteValue(x, subst)
		}
		return out
	case *value.Object:
		out := value.NewObject(v.Len())
		for i := 0; i < v.Len(); i++ {
			k, x := v.At(i)
			out.Set(subst(k), substituteValue(x, subst))
		}
		return out
	}
	return v
}

// nestedTemplate reads a nested stack's template when it is a local file (a cloud
// assembly's asset, named by aws:asset:path, or a TemplateURL that is a path), with the
// parameters the parent passes it resolved in the parent. ok is false for a template in
// S3, which cannot be read.
func nestedTemplate(st *stack, res *resource) (doc *node, child templateLoad, ok bool, err error) {
	tl := st.load
	var file string
	if p, found := res.node.get("Metadata").get("aws:asset:path").str(); found {
		dir := tl.assemblyDir
		if dir == "" {
			dir = filepath.Dir(tl.file)
		}
		file = localPath(dir, p)
	} else if u, found := res.props.get("TemplateURL").str(); found && !strings.Contains(u, "://") {
		file = localPath(filepath.Dir(tl.file), u)
	} else {
		return nil, child, false, nil
	}
	if st.nestedBusy[res.logicalID] {
		return nil, child, false, &Error{File: tl.file, Pos: res.node.pos, Msg: "nested stack " + res.logicalID + " depends on itself through its parameters"}
	}
	st.nestedBusy[res.logicalID] = true
	defer delete(st.nestedBusy, res.logicalID)
	data, err := readLimited(file)
	if err != nil {
		return nil, child, false, &Error{File: tl.file, Pos: res.node.pos, Msg: fmt.Sprintf("nested stack %s: %v", res.logicalID, err)}
	}
	if doc, err = parseDocument(file, data); err != nil {
		return nil, child, false, err
	}
	if !isTemplate(doc) {
		return nil, child, false, &Error{File: file, Msg: "nested stack " + res.logicalID + ": not a template"}
	}
	child = templateLoad{file: file, stackName: tl.stackName + "-" + res.logicalID, format: tl.format,
		params: map[string]value.Value{}, paramPlaceholders: map[string][]Placeholder{}, assemblyDir: tl.assemblyDir, depth: tl.depth + 1}
	if ps := res.props.get("Parameters"); ps != nil && ps.kind == kMap {
		for i, k := range ps.keys {
			rs := newResolver(st, nil)
			v, err := rs.value(ps.vals[i], "")
			if err != nil {
				return nil, child, false, err
			}
			child.params[k] = v
			child.paramPlaceholders[k] = rs.placeholders
		}
	}
	return doc, child, true, nil
}

// loadNestedStack loads the machines of a nested stack whose template is local.
func loadNestedStack(st *stack, res *resource, tl templateLoad) ([]*Machine, error) {
	doc, child, ok, err := nestedTemplate(st, res)
	if err != nil || !ok {
		return nil, err
	}
	ms, err := loadTemplate(doc, child)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		m.Origin.Parent = tl.file
		m.Origin.ParentLogicalID = res.logicalID
	}
	return ms, nil
}

// nestedOutput resolves Fn::GetAtt [NestedStack, Outputs.NAME] from the nested
// template's Outputs, in the nested stack's scope. ok is false when the template is not
// local.
func nestedOutput(st *stack, res *resource, name string) (value.Value, []Placeholder, bool, error) {
	doc, child, ok, err := nestedTemplate(st, res)
	if err != nil || !ok {
		return nil, nil, false, err
	}
	cst, err := newStack(doc, child)
	if err != nil {
		return nil, nil, false, err
	}
	out := doc.get("Outputs").get(name).get("Value")
	if out == nil {
		return nil, nil, false, &Error{File: child.file, Msg: fmt.Sprintf("nested stack %s has no output %s", res.logicalID, name)}
	}
	cr := newResolver(cst, nil)
	v, err := cr.value(out, "")
	if err != nil {
		return nil, nil, false, err
	}
	return v, cr.placeholders, true, nil
}
