package source

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	yamlerrors "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Position is a place in a source file: 1-based line and column.
type Position struct {
	Line, Column int
}

func (p Position) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

// kind is what a node holds.
type kind uint8

const (
	kNull kind = iota
	kBool
	kInt
	kFloat
	kString
	kSeq
	kMap
)

// node is a YAML or JSON document as a tree that keeps where each part was written.
// CloudFormation's short-form tags (!Ref x, !Sub s) are turned into their long forms
// ({"Ref": x}, {"Fn::Sub": s}) as the tree is built, so the rest of the package sees one
// form only.
type node struct {
	kind  kind
	pos   Position
	b     bool
	i     int64
	f     float64
	s     string
	keys  []string
	vals  []*node // map values, in key order
	items []*node // sequence items
	// block is where a block scalar's (|, >) text starts: its first line of content.
	block Position
}

func (n *node) get(key string) *node {
	if n == nil || n.kind != kMap {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// str returns a scalar's text and whether the node is a scalar.
func (n *node) str() (string, bool) {
	if n == nil {
		return "", false
	}
	switch n.kind {
	case kString:
		return n.s, true
	case kInt:
		return strconv.FormatInt(n.i, 10), true
	case kFloat:
		return strconv.FormatFloat(n.f, 'g', -1, 64), true
	case kBool:
		return strconv.FormatBool(n.b), true
	}
	return "", false
}

// maxDepth bounds nesting, maxNodes the values a file may hold, and maxExpanded what
// a value may grow to when aliases are expanded: a template is small, and a hostile
// one (a "billion laughs" of nested aliases) must not take the process down. A 1 MB
// definition, AWS's limit, holds far fewer values than maxExpanded in practice.
const (
	maxDepth    = 200
	maxNodes    = 1_000_000
	maxExpanded = 100_000
)

// Error is a problem in a source file, at a place in it when one is known.
type Error struct {
	File string
	Pos  Position // zero when unknown
	Msg  string
}

func (e *Error) Error() string {
	if e.Pos.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Column, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// parseDocument reads YAML or JSON (JSON is read as YAML: every JSON document is one)
// into a node tree. file names the source in errors.
func parseDocument(file string, data []byte) (*node, error) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, syntaxError(file, err)
	}
	var docs []*ast.DocumentNode
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return nil, &Error{File: file, Msg: "the file is empty"}
	}
	if len(docs) > 1 {
		return nil, &Error{File: file, Pos: posOf(docs[1].Body.GetToken()), Msg: "the file holds more than one YAML document"}
	}
	c := &converter{file: file, data: data, anchors: map[string]*node{}}
	return c.convert(docs[0].Body, 0)
}

// syntaxError turns the YAML library's error into ours, keeping its position.
func syntaxError(file string, err error) error {
	var se *yamlerrors.SyntaxError
	if errors.As(err, &se) && se.Token != nil {
		return &Error{File: file, Pos: posOf(se.Token), Msg: se.Message}
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return &Error{File: file, Msg: msg}
}

func posOf(t *token.Token) Position {
	if t == nil || t.Position == nil {
		return Position{}
	}
	return Position{Line: t.Position.Line, Column: t.Position.Column}
}

type converter struct {
	file    string
	data    []byte
	anchors map[string]*node
	count   int
}

// lineStart is the position of a line's first non-blank character: where a block
// scalar's text starts on its first line.
func (c *converter) lineStart(line int) Position {
	if line <= 0 {
		return Position{}
	}
	rest := c.data
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(rest, '\n')
		if j < 0 {
			return Position{}
		}
		rest = rest[j+1:]
	}
	col := 1
	for col <= len(rest) && (rest[col-1] == ' ' || rest[col-1] == '\t') {
		col++
	}
	return Position{Line: line, Column: col}
}

func (c *converter) errorf(t *token.Token, format string, args ...any) error {
	return &Error{File: c.file, Pos: posOf(t), Msg: fmt.Sprintf(format, args...)}
}

func (c *converter) convert(n ast.Node, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, c.errorf(n.GetToken(), "nested more than %d levels deep", maxDepth)
	}
	c.count++
	if c.count > maxNodes {
		return nil, c.errorf(n.GetToken(), "the document has more than %d values", maxNodes)
	}
	pos := posOf(n.GetToken())
	switch n := n.(type) {
	case *ast.NullNode:
		return &node{kind: kNull, pos: pos}, nil
	case *ast.BoolNode:
		return &node{kind: kBool, pos: pos, b: n.Value}, nil
	case *ast.IntegerNode:
		switch v := n.Value.(type) {
		case int64:
			return &node{kind: kInt, pos: pos, i: v}, nil
		case uint64:
			if v <= math.MaxInt64 {
				return &node{kind: kInt, pos: pos, i: int64(v)}, nil
			}
			return &node{kind: kFloat, pos: pos, f: float64(v)}, nil
		}
		return nil, c.errorf(n.GetToken(), "an integer out of range")
	case *ast.FloatNode:
		return &node{kind: kFloat, pos: pos, f: n.Value}, nil
	case *ast.InfinityNode, *ast.NanNode:
		return nil, c.errorf(n.GetToken(), "%s is not a JSON number", n.GetToken().Value)
	case *ast.StringNode:
		return &node{kind: kString, pos: pos, s: n.Value}, nil
	case *ast.LiteralNode:
		out := &node{kind: kString, pos: pos}
		if n.Value != nil {
			out.s = n.Value.Value
			out.block = c.lineStart(posOf(n.Value.GetToken()).Line)
		}
		return out, nil
	case *ast.MappingNode:
		return c.mapping(n.Values, pos, depth)
	case *ast.MappingValueNode:
		return c.mapping([]*ast.MappingValueNode{n}, pos, depth)
	case *ast.SequenceNode:
		out := &node{kind: kSeq, pos: pos}
		for _, item := range n.Values {
			v, err := c.convert(item, depth+1)
			if err != nil {
				return nil, err
			}
			out.items = append(out.items, v)
		}
		return out, nil
	case *ast.AnchorNode:
		v, err := c.convert(n.Value, depth+1)
		if err != nil {
			return nil, err
		}
		c.anchors[n.Name.GetToken().Value] = v
		return v, nil
	case *ast.AliasNode:
		name := n.Value.GetToken().Value
		v, ok := c.anchors[name]
		if !ok {
			return nil, c.errorf(n.GetToken(), "unknown alias *%s", name)
		}
		// An alias shares its anchor's node; expansion is bounded where values are
		// built (see resolver.budget).
		return v, nil
	case *ast.TagNode:
		return c.tag(n, depth)
	case *ast.CommentGroupNode:
		return &node{kind: kNull, pos: pos}, nil
	}
	return nil, c.errorf(n.GetToken(), "unsupported YAML %s", n.Type())
}

// mapping builds a map. Merge keys (<<: *base) apply after the map's own keys, which
// win over merged ones wherever they are written.
func (c *converter) mapping(values []*ast.MappingValueNode, pos Position, depth int) (*node, error) {
	out := &node{kind: kMap, pos: pos}
	var merges []*ast.MappingValueNode
	for _, mv := range values {
		if _, merge := mv.Key.(*ast.MergeKeyNode); merge {
			merges = append(merges, mv)
			continue
		}
		if err := c.mappingValue(out, mv, depth); err != nil {
			return nil, err
		}
	}
	for _, mv := range merges {
		v, err := c.convert(mv.Value, depth+1)
		if err != nil {
			return nil, err
		}
		if err := mergeInto(c, out, v, mv); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c *converter) mappingValue(out *node, mv *ast.MappingValueNode, depth int) error {
	key, err := c.convert(mv.Key, depth+1)
	if err != nil {
		return err
	}
	k, ok := key.str()
	if !ok {
		if key.kind == kNull {
			k = "null"
		} else {
			return c.errorf(mv.Key.GetToken(), "a mapping key must be a scalar")
		}
	}
	if containsKey(out.keys, k) {
		return c.errorf(mv.Key.GetToken(), "duplicate key %q", k)
	}
	var v *node
	if mv.Value == nil {
		v = &node{kind: kNull, pos: key.pos}
	} else if v, err = c.convert(mv.Value, depth+1); err != nil {
		return err
	}
	out.keys = append(out.keys, k)
	out.vals = append(out.vals, v)
	return nil
}

func containsKey(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

// mergeInto applies a YAML merge key (<<: *base): the keys of the merged maps that the
// map does not set itself.
func mergeInto(c *converter, out, v *node, mv *ast.MappingValueNode) error {
	maps := []*node{v}
	if v.kind == kSeq {
		maps = v.items
	}
	for _, m := range maps {
		if m.kind != kMap {
			return c.errorf(mv.GetToken(), "a merge key (<<) needs a mapping")
		}
		for i, k := range m.keys {
			if !containsKey(out.keys, k) {
				out.keys = append(out.keys, k)
				out.vals = append(out.vals, m.vals[i])
			}
		}
	}
	return nil
}

// tag turns a tagged value into what it stands for: YAML's own tags (!!str, ...) into a
// plain value, CloudFormation's short forms into their long forms.
func (c *converter) tag(n *ast.TagNode, depth int) (*node, error) {
	tag := n.Start.Value
	pos := posOf(n.Start)
	var v *node
	if n.Value == nil {
		v = &node{kind: kNull, pos: pos}
	} else {
		var err error
		if v, err = c.convert(n.Value, depth+1); err != nil {
			return nil, err
		}
	}
	if strings.HasPrefix(tag, "!!") {
		if tag == "!!str" {
			if s, ok := v.str(); ok {
				return &node{kind: kString, pos: v.pos, s: s}, nil
			}
		}
		return v, nil
	}
	name := strings.TrimPrefix(tag, "!")
	var long string
	switch name {
	case "Ref", "Condition":
		long = name
	case "GetAtt", "Sub", "Join", "Select", "Split", "If", "Equals", "And", "Or", "Not", "FindInMap",
		"Base64", "GetAZs", "ImportValue", "Cidr", "Length", "ToJsonString", "Transform":
		long = "Fn::" + name
	default:
		return nil, c.errorf(n.Start, "unknown tag %s", tag)
	}
	if long == "Fn::GetAtt" && v.kind == kString {
		// !GetAtt Resource.Attribute is the short form of [Resource, Attribute].
		res, attr, ok := strings.Cut(v.s, ".")
		if !ok {
			return nil, c.errorf(n.Start, "!GetAtt needs Resource.Attribute, not %q", v.s)
		}
		v = &node{kind: kSeq, pos: v.pos, items: []*node{{kind: kString, pos: v.pos, s: res}, {kind: kString, pos: v.pos, s: attr}}}
	}
	return &node{kind: kMap, pos: pos, keys: []string{long}, vals: []*node{v}}, nil
}
