package source

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// noValue is what Ref AWS::NoValue resolves to: the property or item is dropped.
type noValueT struct{}

var noValue = noValueT{}

// stack is one template's scope for intrinsic functions: its parameters, resources,
// conditions and mappings.
type stack struct {
	file   string
	name   string // AWS::StackName
	params map[string]value.Value
	// paramPlaceholders are the placeholders a parameter's value was made of (a
	// parameter with no default, or one a parent stack filled from its resources).
	paramPlaceholders map[string][]Placeholder
	resources         map[string]*resource
	conditions        *node
	mappings          *node
	condCache         map[string]bool
	condBusy          map[string]bool
	// load is how the template was loaded, for its nested stacks; nestedBusy the
	// nested stacks being read, to catch parameters that go round in a loop.
	load       templateLoad
	nestedBusy map[string]bool
}

// resolver evaluates intrinsic functions in one value of a stack, collecting the
// placeholders it makes and, when asked, where each part of the value was written.
type resolver struct {
	st           *stack
	placeholders []Placeholder
	seen         map[string]bool
	positions    map[string]Position // JSON pointer -> position; nil when not wanted
	budget       int
}

func newResolver(st *stack, positions map[string]Position) *resolver {
	return &resolver{st: st, seen: map[string]bool{}, positions: positions, budget: maxExpanded}
}

func (r *resolver) errorf(n *node, format string, args ...any) error {
	return &Error{File: r.st.file, Pos: n.pos, Msg: fmt.Sprintf(format, args...)}
}

func (r *resolver) placeholder(expr, val, typ string) {
	if !r.seen[expr] {
		r.seen[expr] = true
		r.placeholders = append(r.placeholders, Placeholder{Expression: expr, Value: val, Type: typ})
	}
}

// intrinsicName returns the function a map calls, if it is a one-key map naming one.
func intrinsicName(n *node) (string, bool) {
	if n.kind != kMap || len(n.keys) != 1 {
		return "", false
	}
	k := n.keys[0]
	if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
		return k, true
	}
	return "", false
}

// value resolves a node into a JSON value. ptr is its JSON pointer, for positions.
func (r *resolver) value(n *node, ptr string) (value.Value, error) {
	r.budget--
	if r.budget < 0 {
		return nil, r.errorf(n, "the value expands to more than %d parts", maxExpanded)
	}
	if r.positions != nil {
		if _, ok := r.positions[ptr]; !ok {
			r.positions[ptr] = n.pos
		}
	}
	switch n.kind {
	case kNull:
		return nil, nil
	case kBool:
		return n.b, nil
	case kInt:
		return n.i, nil
	case kFloat:
		return n.f, nil
	case kString:
		return n.s, nil
	case kSeq:
		out := make([]any, 0, len(n.items))
		for _, item := range n.items {
			v, err := r.value(item, ptr+"/"+strconv.Itoa(len(out)))
			if err != nil {
				return nil, err
			}
			if v == noValue {
				continue
			}
			out = append(out, v)
		}
		return out, nil
	}
	if fn, ok := intrinsicName(n); ok && fn != "Condition" {
		return r.intrinsic(fn, n.vals[0], n, ptr)
	}
	obj := value.NewObject(len(n.keys))
	for i, k := range n.keys {
		v, err := r.value(n.vals[i], ptr+"/"+escapePointer(k))
		if err != nil {
			return nil, err
		}
		if v == noValue {
			continue
		}
		obj.Set(k, v)
	}
	return obj, nil
}

func escapePointer(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

// str resolves a node that must be a string (numbers and booleans are taken as their
// text, as CloudFormation does).
func (r *resolver) str(n *node, what string) (string, error) {
	v, err := r.value(n, "")
	if err != nil {
		return "", err
	}
	switch v := v.(type) {
	case string:
		return v, nil
	case int64, float64, bool:
		return value.String(v), nil
	}
	return "", r.errorf(n, "%s must be a string", what)
}

func (r *resolver) list(n *node, what string) ([]any, error) {
	v, err := r.value(n, "")
	if err != nil {
		return nil, err
	}
	l, ok := v.([]any)
	if !ok {
		return nil, r.errorf(n, "%s must be a list", what)
	}
	return l, nil
}

func (r *resolver) args(n *node, fn string, count int) ([]*node, error) {
	if n.kind != kSeq || len(n.items) != count {
		return nil, r.errorf(n, "%s needs a list of %d", fn, count)
	}
	return n.items, nil
}

func (r *resolver) intrinsic(fn string, arg, at *node, ptr string) (value.Value, error) {
	switch fn {
	case "Ref":
		name, ok := arg.str()
		if !ok {
			return nil, r.errorf(arg, "Ref needs a name")
		}
		return r.ref(name, at)
	case "Fn::GetAtt":
		res, attr, err := r.getAttArgs(arg)
		if err != nil {
			return nil, err
		}
		return r.getAtt(res, attr, at)
	case "Fn::Sub":
		return r.sub(arg)
	case "Fn::Join":
		a, err := r.args(arg, fn, 2)
		if err != nil {
			return nil, err
		}
		delim, err := r.str(a[0], "the Fn::Join delimiter")
		if err != nil {
			return nil, err
		}
		items, err := r.list(a[1], "what Fn::Join joins")
		if err != nil {
			return nil, err
		}
		parts := make([]string, len(items))
		for i, it := range items {
			switch it := it.(type) {
			case string:
				parts[i] = it
			case int64, float64, bool:
				parts[i] = value.String(it)
			default:
				return nil, r.errorf(a[1], "Fn::Join can only join strings")
			}
		}
		return strings.Join(parts, delim), nil
	case "Fn::Select":
		a, err := r.args(arg, fn, 2)
		if err != nil {
			return nil, err
		}
		idx, err := r.str(a[0], "the Fn::Select index")
		if err != nil {
			return nil, err
		}
		i, err := strconv.Atoi(idx)
		if err != nil {
			return nil, r.errorf(a[0], "the Fn::Select index must be a number")
		}
		items, err := r.list(a[1], "what Fn::Select selects from")
		if err != nil {
			return nil, err
		}
		if i < 0 || i >= len(items) {
			return nil, r.errorf(a[0], "Fn::Select index %d is out of range (%d items)", i, len(items))
		}
		return items[i], nil
	case "Fn::Split":
		a, err := r.args(arg, fn, 2)
		if err != nil {
			return nil, err
		}
		delim, err := r.str(a[0], "the Fn::Split delimiter")
		if err != nil {
			return nil, err
		}
		s, err := r.str(a[1], "what Fn::Split splits")
		if err != nil {
			return nil, err
		}
		var out []any
		for _, p := range strings.Split(s, delim) {
			out = append(out, p)
		}
		return out, nil
	case "Fn::If":
		a, err := r.args(arg, fn, 3)
		if err != nil {
			return nil, err
		}
		name, ok := a[0].str()
		if !ok {
			return nil, r.errorf(a[0], "Fn::If needs a condition name")
		}
		c, err := r.condition(name, a[0])
		if err != nil {
			return nil, err
		}
		if c {
			return r.value(a[1], ptr)
		}
		return r.value(a[2], ptr)
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		return r.condExpr(at)
	case "Fn::FindInMap":
		return r.findInMap(arg)
	case "Fn::Base64":
		s, err := r.str(arg, "what Fn::Base64 encodes")
		if err != nil {
			return nil, err
		}
		return base64.StdEncoding.EncodeToString([]byte(s)), nil
	case "Fn::GetAZs":
		azs := []any{placeholderRegion + "a", placeholderRegion + "b", placeholderRegion + "c"}
		r.placeholder("!GetAZs", value.String(azs), "")
		return azs, nil
	case "Fn::ImportValue":
		name, err := r.str(arg, "the Fn::ImportValue name")
		if err != nil {
			return nil, err
		}
		r.placeholder("!ImportValue "+name, name, "")
		return name, nil
	case "Fn::ToJsonString":
		v, err := r.value(arg, "")
		if err != nil {
			return nil, err
		}
		return value.String(v), nil
	case "Fn::Length":
		l, err := r.list(arg, "what Fn::Length measures")
		if err != nil {
			return nil, err
		}
		return int64(len(l)), nil
	}
	return nil, r.errorf(at, "%s cannot be resolved without deploying", fn)
}

// ref resolves Ref: a parameter, a pseudo parameter or a resource.
func (r *resolver) ref(name string, at *node) (value.Value, error) {
	if v, ok := r.st.params[name]; ok {
		for _, p := range r.st.paramPlaceholders[name] {
			r.placeholder(p.Expression, p.Value, p.Type)
		}
		return v, nil
	}
	if v, ok := r.pseudo(name); ok {
		return v, nil
	}
	if res, ok := r.st.resources[name]; ok {
		v := resourceValue(res, "")
		r.placeholder("!Ref "+name, v, res.typ)
		return v, nil
	}
	return nil, r.errorf(at, "Ref %s: no parameter or resource of that name", name)
}

// pseudo resolves the pseudo parameters: each stands for the local engine's account,
// region and this stack, and is reported as a placeholder.
func (r *resolver) pseudo(name string) (value.Value, bool) {
	var v value.Value
	switch name {
	case "AWS::NoValue":
		return noValue, true
	case "AWS::Region":
		v = placeholderRegion
	case "AWS::AccountId":
		v = placeholderAccount
	case "AWS::Partition":
		v = placeholderPartition
	case "AWS::URLSuffix":
		v = "amazonaws.com"
	case "AWS::StackName":
		v = r.st.name
	case "AWS::StackId":
		v = fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/00000000-0000-0000-0000-000000000000",
			placeholderPartition, placeholderRegion, placeholderAccount, r.st.name)
	case "AWS::NotificationARNs":
		r.placeholder("!Ref "+name, "[]", "")
		return []any{}, true
	default:
		return nil, false
	}
	r.placeholder("!Ref "+name, v.(string), "")
	return v, true
}

func (r *resolver) getAttArgs(arg *node) (string, string, error) {
	if s, ok := arg.str(); ok {
		if res, attr, ok := strings.Cut(s, "."); ok {
			return res, attr, nil
		}
	}
	if arg.kind != kSeq || len(arg.items) != 2 {
		return "", "", r.errorf(arg, "Fn::GetAtt needs [Resource, Attribute]")
	}
	res, ok := arg.items[0].str()
	if !ok {
		return "", "", r.errorf(arg, "Fn::GetAtt needs a resource name")
	}
	attr, err := r.str(arg.items[1], "the Fn::GetAtt attribute")
	if err != nil {
		return "", "", err
	}
	return res, attr, nil
}

func (r *resolver) getAtt(resName, attr string, at *node) (value.Value, error) {
	res, ok := r.st.resources[resName]
	if !ok {
		return nil, r.errorf(at, "Fn::GetAtt %s.%s: no resource of that name", resName, attr)
	}
	if out, found := strings.CutPrefix(attr, "Outputs."); found && res.typ == cfnStack {
		// A nested stack's output is what its template says, when the template is here.
		v, ps, ok, err := nestedOutput(r.st, res, out)
		if err != nil {
			return nil, err
		}
		if ok {
			for _, p := range ps {
				r.placeholder(p.Expression, p.Value, p.Type)
			}
			return v, nil
		}
	}
	v := resourceValue(res, attr)
	r.placeholder("!GetAtt "+resName+"."+attr, v, res.typ)
	return v, nil
}

// sub resolves Fn::Sub: "text ${Name} ${Res.Attr} ${!Literal}", or [text, {Name: value}].
func (r *resolver) sub(arg *node) (value.Value, error) {
	textNode := arg
	vars := map[string]value.Value{}
	if arg.kind == kSeq {
		if len(arg.items) != 2 || arg.items[1].kind != kMap {
			return nil, r.errorf(arg, "Fn::Sub needs a string or [string, {variables}]")
		}
		textNode = arg.items[0]
		m := arg.items[1]
		for i, k := range m.keys {
			v, err := r.value(m.vals[i], "")
			if err != nil {
				return nil, err
			}
			vars[k] = v
		}
	}
	text, ok := textNode.str()
	if !ok {
		return nil, r.errorf(textNode, "Fn::Sub needs a string")
	}
	return substitute(text, func(name string) (string, error) {
		if v, ok := vars[name]; ok {
			return scalarText(v), nil
		}
		var v value.Value
		var err error
		if res, attr, ok := strings.Cut(name, "."); ok {
			v, err = r.getAtt(res, attr, textNode)
		} else {
			v, err = r.ref(name, textNode)
		}
		if err != nil {
			return "", err
		}
		return scalarText(v), nil
	}, true)
}

func scalarText(v value.Value) string {
	if s, ok := v.(string); ok {
		return s
	}
	if l, ok := v.([]any); ok {
		parts := make([]string, len(l))
		for i, x := range l {
			parts[i] = scalarText(x)
		}
		return strings.Join(parts, ",")
	}
	return value.String(v)
}

// substitute replaces each ${name} in text by lookup(name). With bang, "${!x}" is the
// literal "${x}", as in Fn::Sub. A "${" with no closing brace is left as written.
func substitute(text string, lookup func(string) (string, error), bang bool) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		b.WriteString(text[:i])
		name := text[i+2 : i+j]
		switch {
		case bang && strings.HasPrefix(name, "!"):
			b.WriteString("${" + name[1:] + "}")
		default:
			s, err := lookup(strings.TrimSpace(name))
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		}
		text = text[i+j+1:]
	}
}

func (r *resolver) findInMap(arg *node) (value.Value, error) {
	a, err := r.args(arg, "Fn::FindInMap", 3)
	if err != nil {
		return nil, err
	}
	var keys [3]string
	for i := range a {
		if keys[i], err = r.str(a[i], "a Fn::FindInMap key"); err != nil {
			return nil, err
		}
	}
	v := r.st.mappings.get(keys[0]).get(keys[1]).get(keys[2])
	if v == nil {
		return nil, r.errorf(arg, "Fn::FindInMap: no %s.%s.%s in Mappings", keys[0], keys[1], keys[2])
	}
	return r.value(v, "")
}

// condition evaluates a named condition of the Conditions section.
func (r *resolver) condition(name string, at *node) (bool, error) {
	if c, ok := r.st.condCache[name]; ok {
		return c, nil
	}
	n := r.st.conditions.get(name)
	if n == nil {
		return false, r.errorf(at, "no condition named %s", name)
	}
	if r.st.condBusy[name] {
		return false, r.errorf(at, "condition %s refers to itself", name)
	}
	r.st.condBusy[name] = true
	defer delete(r.st.condBusy, name)
	v, err := r.condExpr(n)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, r.errorf(n, "condition %s is not true or false", name)
	}
	r.st.condCache[name] = b
	return b, nil
}

func (r *resolver) condExpr(n *node) (value.Value, error) {
	fn, ok := intrinsicName(n)
	if !ok {
		return nil, r.errorf(n, "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition")
	}
	arg := n.vals[0]
	switch fn {
	case "Condition":
		name, ok := arg.str()
		if !ok {
			return nil, r.errorf(arg, "Condition needs a name")
		}
		return r.condition(name, arg)
	case "Fn::Equals":
		a, err := r.args(arg, fn, 2)
		if err != nil {
			return nil, err
		}
		x, err := r.value(a[0], "")
		if err != nil {
			return nil, err
		}
		y, err := r.value(a[1], "")
		if err != nil {
			return nil, err
		}
		return scalarText(x) == scalarText(y), nil
	case "Fn::And", "Fn::Or", "Fn::Not":
		if arg.kind != kSeq || len(arg.items) == 0 {
			return nil, r.errorf(arg, "%s needs a list of conditions", fn)
		}
		all, any := true, false
		for _, c := range arg.items {
			v, err := r.condExpr(c)
			if err != nil {
				return nil, err
			}
			b, _ := v.(bool)
			all, any = all && b, any || b
		}
		switch fn {
		case "Fn::And":
			return all, nil
		case "Fn::Or":
			return any, nil
		}
		return !all, nil
	}
	return r.value(n, "")
}

// sortedPlaceholders returns placeholders in a stable order for reports.
func sortedPlaceholders(ps []Placeholder) []Placeholder {
	out := append([]Placeholder(nil), ps...)
	sort.Slice(out, func(i, j int) bool { return out[i].Expression < out[j].Expression })
	return out
}
