// Package source loads state machine definitions from where people keep them: an ASL
// file in JSON or YAML, a folder, a SAM or CloudFormation template, or a CDK cloud
// assembly (cdk.out). Template references that only a deployment could resolve (a
// function's ARN, a queue's URL, the account id) become stable placeholder values that
// name the resource, and are reported, so mocks and handlers can refer to them.
//
// Each loaded machine remembers where it came from, and can map a JSON pointer into
// its definition back to a line and column of the file it was written in.
package source

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Format says what kind of source a machine came from.
type Format string

const (
	FormatASL            Format = "asl"
	FormatSAM            Format = "sam"
	FormatCloudFormation Format = "cloudformation"
	FormatCDK            Format = "cdk"
)

// Machine is one state machine found in a source.
type Machine struct {
	Name         string // StateMachineName/Name, else the logical id, else from the file name
	LogicalID    string // empty for an ASL file
	Type         string // STANDARD or EXPRESS
	RoleArn      string // as the template gives it, resolved; may be empty
	Definition   []byte // the definition's JSON text, references resolved
	Placeholders []Placeholder
	Origin       Origin

	positions map[string]Position // JSON pointer -> place in Origin.Path
	// verbatim says Definition is Origin.Path's text byte for byte (a JSON definition
	// file, substituted nowhere), so places in the text are places in the file.
	verbatim bool
	// userText says Definition is text the user wrote (a JSON file, a DefinitionString),
	// which may not be JSON at all; otherwise this package built it and it is JSON.
	userText bool
}

// Origin is where a machine was declared.
type Origin struct {
	Path      string // the file holding the definition's text (an ASL file, or the template)
	Template  string // the template that declares the machine; empty for an ASL file
	LogicalID string
	Stack     string // the stack's name: a CDK stack, or the template's file name
	Format    Format
	// Parent and ParentLogicalID name the stack resource a nested stack came from.
	Parent, ParentLogicalID string
}

// String names the origin for people: "template.yaml#Approval", "flow.asl.json".
func (o Origin) String() string {
	s := o.Template
	if s == "" {
		return o.Path
	}
	if o.LogicalID != "" {
		s += "#" + o.LogicalID
	}
	if o.Path != o.Template {
		s += " (" + o.Path + ")"
	}
	return s
}

// Key identifies a machine across reloads of its source.
func (m *Machine) Key() string {
	if m.Origin.Template != "" {
		return m.Origin.Template + "#" + m.LogicalID
	}
	return m.Origin.Path
}

// Files are the files a machine was read from: what to watch for changes.
func (m *Machine) Files() []string {
	files := []string{m.Origin.Path}
	if m.Origin.Template != "" && m.Origin.Template != m.Origin.Path {
		files = append(files, m.Origin.Template)
	}
	if m.Origin.Parent != "" {
		files = append(files, m.Origin.Parent)
	}
	return files
}

// Position maps a JSON pointer into the definition (a diagnostic's location) to a
// place in Origin.Path: the place of the pointer itself, or else of the nearest part
// that encloses it. ok is false when nothing is known.
func (m *Machine) Position(pointer string) (Position, bool) {
	for p := pointer; ; {
		if pos, ok := m.positions[p]; ok && pos.Line > 0 {
			return pos, true
		}
		if p == "" {
			return Position{}, false
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			p = ""
		} else {
			p = p[:i]
		}
	}
}

// Locate says where a JSON pointer is, for people: "file:line:col", or the file alone.
func (m *Machine) Locate(pointer string) string {
	return m.LocateAt(pointer, 0, 0)
}

// LocateAt is Locate for a diagnostic that carries its own line and column in the
// definition's text (asl.Diagnostic.Line, Column): those are used when the definition
// is the file's text as is, the pointer's place otherwise.
func (m *Machine) LocateAt(pointer string, line, column int) string {
	if m.verbatim && line > 0 {
		return fmt.Sprintf("%s:%d:%d", m.Origin.Path, line, column)
	}
	if pos, ok := m.Position(pointer); ok {
		return fmt.Sprintf("%s:%d:%d", m.Origin.Path, pos.Line, pos.Column)
	}
	return m.Origin.Path
}

// maxFileBytes bounds what is read from one file: templates and definitions are small
// (AWS's limits are 1 MB), and a stray large file must not fill memory.
const maxFileBytes = 8 << 20

// Only regular files are read: a path in a template may name a device or a FIFO
// (DefinitionUri: /dev/stdin), which would block or never end.
// (Opening a FIFO blocks, so the check comes before the open.)
func readLimited(file string) ([]byte, error) {
	if st, err := os.Stat(file); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", file)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("%s is over %d bytes", file, maxFileBytes)
	}
	return data, nil
}

// Load reads every state machine a path holds: an ASL file, a template, a cloud
// assembly or a folder. A folder's files that fail to load are reported in the error
// (errors.Join of *Error) while the machines of the others are still returned.
func Load(path string) ([]*Machine, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return loadDir(path)
	}
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	return loadFile(path, data, true)
}

// loadFile reads one file. When explicit (named by the user rather than found in a
// folder), a file that is neither a template nor has StartAt and States is still read
// as a definition, so validation can say what is wrong with it.
func loadFile(path string, data []byte, explicit bool) ([]*Machine, error) {
	if !utf8.Valid(data) {
		return nil, &Error{File: path, Msg: "the file is not UTF-8 text"}
	}
	isJSON := strings.HasSuffix(strings.ToLower(path), ".json")
	if isJSON {
		// JSON is checked by the JSON parser first: its messages and positions are
		// the ones a JSON file should get.
		if _, err := value.Parse(data); err != nil {
			return nil, jsonError(path, data, err)
		}
	}
	doc, err := parseDocument(path, data)
	if err != nil {
		if isJSON && explicit {
			// Valid JSON the YAML reader cannot follow: take it as a definition as is.
			return []*Machine{{Name: NameFromFile(path), Type: "STANDARD", Definition: data, verbatim: true, userText: true,
				Origin: Origin{Path: path, Format: FormatASL}}}, nil
		}
		return nil, err
	}
	if isTemplate(doc) {
		format := FormatCloudFormation
		transforms := []*node{doc.get("Transform")}
		if t := transforms[0]; t != nil && t.kind == kSeq {
			transforms = t.items
		}
		for _, t := range transforms {
			if s, _ := t.str(); strings.HasPrefix(s, "AWS::Serverless") {
				format = FormatSAM
			}
		}
		return loadTemplate(doc, templateLoad{file: path, stackName: NameFromFile(path), format: format})
	}
	if !explicit && !isASL(doc) {
		return nil, nil
	}
	def, positions, err := definitionFromDoc(path, data, doc)
	if err != nil {
		return nil, err
	}
	return []*Machine{{Name: NameFromFile(path), Type: "STANDARD", Definition: def, positions: positions,
		verbatim: isJSON, userText: isJSON, Origin: Origin{Path: path, Format: FormatASL}}}, nil
}

// definitionFromFile reads an ASL file in JSON or YAML (a DefinitionUri's target).
func definitionFromFile(path string, data []byte) ([]byte, map[string]Position, error) {
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		if _, err := value.Parse(data); err != nil {
			return nil, nil, jsonError(path, data, err)
		}
	}
	doc, err := parseDocument(path, data)
	if err != nil {
		return nil, nil, err
	}
	return definitionFromDoc(path, data, doc)
}

// definitionFromDoc gives a definition's JSON text and its positions. A JSON file is
// passed on byte for byte, so the definition is exactly what was written.
func definitionFromDoc(path string, data []byte, doc *node) ([]byte, map[string]Position, error) {
	positions := map[string]Position{}
	// A definition is plain data: intrinsic functions are not evaluated, so a file
	// that happens to hold {"Ref": ...} keeps it as written.
	v, err := plainValue(doc, positions)
	if err != nil {
		return nil, nil, &Error{File: path, Msg: err.Error()}
	}
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		return data, positions, nil
	}
	return []byte(value.Indent(v)), positions, nil
}

// plainValue turns a node into a JSON value without evaluating anything, recording
// where each part was written.
func plainValue(n *node, positions map[string]Position) (value.Value, error) {
	budget := maxExpanded
	v := plainNode(n, "", positions, &budget)
	if budget < 0 {
		return nil, fmt.Errorf("the document expands to more than %d values", maxExpanded)
	}
	return v, nil
}

func plainNode(n *node, ptr string, positions map[string]Position, budget *int) value.Value {
	if *budget--; *budget < 0 {
		return nil
	}
	if _, ok := positions[ptr]; !ok {
		positions[ptr] = n.pos
	}
	switch n.kind {
	case kBool:
		return n.b
	case kInt:
		return n.i
	case kFloat:
		return n.f
	case kString:
		return n.s
	case kSeq:
		out := make([]any, len(n.items))
		for i, it := range n.items {
			out[i] = plainNode(it, ptr+"/"+strconv.Itoa(i), positions, budget)
		}
		return out
	case kMap:
		obj := value.NewObject(len(n.keys))
		for i, k := range n.keys {
			obj.Set(k, plainNode(n.vals[i], ptr+"/"+escapePointer(k), positions, budget))
		}
		return obj
	}
	return nil
}

// jsonError places a JSON syntax error at its line and column.
func jsonError(path string, data []byte, err error) error {
	var se *value.SyntaxError
	if errors.As(err, &se) {
		return &Error{File: path, Pos: offsetPosition(data, se.Offset), Msg: se.Msg}
	}
	return &Error{File: path, Msg: err.Error()}
}

func offsetPosition(data []byte, off int) Position {
	if off > len(data) {
		off = len(data)
	}
	line, col := 1, 1
	for _, r := range string(data[:off]) {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return Position{Line: line, Column: col}
}

// NameFromFile makes a state machine name from a file name: the base name without its
// extensions (flow.asl.json -> flow), with characters names cannot hold replaced by '-'.
func NameFromFile(file string) string {
	base := filepath.Base(file)
	for {
		ext := filepath.Ext(base)
		if ext == "" || ext == base {
			break
		}
		base = strings.TrimSuffix(base, ext)
	}
	var b strings.Builder
	for _, r := range base {
		if validNameRune(r) {
			b.WriteRune(r)
		} else {
			b.WriteRune('-')
		}
	}
	if b.Len() == 0 {
		return "local"
	}
	s := b.String()
	if utf8.RuneCountInString(s) > 80 {
		s = string([]rune(s)[:80])
	}
	return s
}

// validNameRune follows Step Functions' rules for names: no whitespace, brackets,
// wildcards, special or control characters.
func validNameRune(r rune) bool {
	if r <= 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0xfffe || r == 0xffff {
		return false
	}
	return !strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r)
}

// skipDirs are folders a search does not enter: tools' caches and build outputs that
// copy the sources (sam build writes .aws-sam/build/template.yaml).
var skipDirs = map[string]bool{"node_modules": true, "vendor": true, "__pycache__": true}

// maxDirFiles bounds a folder search.
const maxDirFiles = 5000

// loadDir searches a folder: a cloud assembly is read as one; otherwise every JSON and
// YAML file that is a template or a definition, and every cloud assembly below it.
func loadDir(dir string) ([]*Machine, error) {
	if isAssembly(dir) {
		return loadAssembly(dir, 0)
	}
	var out []*Machine
	var errs []error
	seenFiles := 0
	walkErr := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if p == dir {
				return nil
			}
			if strings.HasPrefix(name, ".") || skipDirs[name] {
				return filepath.SkipDir
			}
			if isAssembly(p) {
				ms, err := loadAssembly(p, 0)
				out = append(out, ms...)
				if err != nil {
					errs = append(errs, err)
				}
				return filepath.SkipDir
			}
			return nil
		}
		lower := strings.ToLower(name)
		if !strings.HasSuffix(lower, ".json") && !strings.HasSuffix(lower, ".yaml") && !strings.HasSuffix(lower, ".yml") {
			return nil
		}
		seenFiles++
		if seenFiles > maxDirFiles {
			return fmt.Errorf("%s: more than %d JSON and YAML files; name a file or a smaller folder", dir, maxDirFiles)
		}
		data, err := readLimited(p)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		ms, err := loadFile(p, data, false)
		if err != nil {
			// Only files that say they are ours are worth an error: any other JSON
			// or YAML in the folder (package.json, a config with comments) is skipped.
			if looksLikeSource(lower) {
				errs = append(errs, err)
			}
			return nil
		}
		out = append(out, ms...)
		return nil
	})
	if walkErr != nil {
		return nil, walkErr
	}
	out = dropReferenced(out)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out, errors.Join(errs...)
}

func looksLikeSource(lowerName string) bool {
	for _, s := range []string{".asl.json", ".asl.yaml", ".asl.yml"} {
		if strings.HasSuffix(lowerName, s) {
			return true
		}
	}
	switch lowerName {
	case "template.yaml", "template.yml", "template.json":
		return true
	}
	return strings.HasSuffix(lowerName, ".template.json")
}

// dropReferenced removes ASL files that a template in the same search reads through
// DefinitionUri or DefinitionS3Location: the template's machine is the one that counts.
func dropReferenced(ms []*Machine) []*Machine {
	used := map[string]bool{}
	for _, m := range ms {
		if m.Origin.Template != "" && m.Origin.Path != m.Origin.Template {
			used[filepath.Clean(m.Origin.Path)] = true
		}
	}
	out := ms[:0]
	for _, m := range ms {
		if m.Origin.Template == "" && used[filepath.Clean(m.Origin.Path)] {
			continue
		}
		out = append(out, m)
	}
	return out
}
