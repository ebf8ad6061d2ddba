package choice

import (
	"fmt"
	"sort"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Problem is one thing wrong with a rule, shaped for a definition diagnostic.
type Problem struct {
	Path    string // JSON pointer relative to the rule, e.g. "/And/1/StringEquals"; "" is the rule
	Code    string // the diagnostic code, e.g. SCHEMA_VALIDATION_FAILED
	Message string // worded like AWS's messages, without the location
	Detail  string // more than AWS says, for a person; may be empty
}

func (p Problem) String() string {
	s := p.Code + ": " + p.Message
	if p.Path != "" {
		s += " at " + p.Path
	}
	if p.Detail != "" {
		s += " (" + p.Detail + ")"
	}
	return s
}

// SchemaValidationFailed is the code AWS gives every malformed Choice rule.
const SchemaValidationFailed = "SCHEMA_VALIDATION_FAILED"

// maxDepth bounds nesting so that a hand-built cyclic object cannot recurse
// forever; parsed JSON is already limited to value.MaxDepth.
const maxDepth = value.MaxDepth

// Parse reads one rule of a Choice state's Choices array (topLevel) or one nested
// inside And, Or or Not. It reports every problem it finds; the rule is nil when
// there is any.
func Parse(raw *value.Object, topLevel bool) (*Rule, []Problem) {
	p := &parser{}
	if raw == nil {
		p.fail("", "Expected value of type 'Object'")
		return nil, p.problems
	}
	r := p.rule(raw, "", topLevel, 0)
	if len(p.problems) > 0 {
		return nil, p.problems
	}
	return r, nil
}

type parser struct {
	problems []Problem
}

func (p *parser) fail(at, format string, args ...any) {
	p.problems = append(p.problems, Problem{Path: at, Code: SchemaValidationFailed, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) failDetail(at, detail, format string, args ...any) {
	p.fail(at, format, args...)
	p.problems[len(p.problems)-1].Detail = detail
}

// pointer appends one key to a JSON pointer, escaping as RFC 6901 asks.
func pointer(base, key string) string {
	return base + "/" + strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}

var combinators = map[string]kind{"And": kindAnd, "Or": kindOr, "Not": kindNot}

func isCombinator(k string) bool { _, ok := combinators[k]; return ok }

func (p *parser) rule(obj *value.Object, at string, top bool, depth int) *Rule {
	if depth > maxDepth {
		p.fail(at, "The choice rule is nested more than %d levels deep", maxDepth)
		return nil
	}
	r := &Rule{}
	var ops, combos []string
	hasVariable := false
	for i := 0; i < obj.Len(); i++ {
		k, v := obj.At(i)
		switch {
		case operators[k] != nil:
			ops = append(ops, k)
		case isCombinator(k):
			combos = append(combos, k)
		case k == "Variable":
			hasVariable = true
		case k == "Next":
			if !top {
				p.fail(pointer(at, k), "Field 'Next' is not supported in a nested choice rule: only the rules of the Choices array name the next state")
			} else if s, ok := v.(string); ok {
				r.next = s
			} else {
				p.fail(pointer(at, k), "Expected value of type 'String' for the field 'Next'")
			}
		case k == "Assign":
			if !top {
				p.fail(pointer(at, k), "Field 'Assign' is not supported in a nested choice rule")
			}
			r.Assign = v
		case k == "Output", k == "Condition":
			p.fail(pointer(at, k), "The field '%s' is only supported when the QueryLanguage is JSONata", k)
			r.Output = v
		case k == "Comment":
			if s, ok := v.(string); ok {
				r.Comment = s
			} else {
				p.fail(pointer(at, k), "Expected value of type 'String' for the field 'Comment'")
			}
		default:
			p.failDetail(pointer(at, k), "a rule holds Variable and one comparison operator, or one of And, Or, Not", "Field '%s' is not supported", k)
		}
	}
	if top && !obj.Has("Next") {
		p.fail(at, "These fields are required: [Next]")
	}

	// Check every operator's operand even when there are too many, so that one
	// pass reports everything.
	for _, name := range ops {
		v, _ := obj.Get(name)
		p.operand(r, operators[name], v, at)
	}
	if hasVariable {
		p.variable(r, obj, at)
	}
	for _, name := range combos {
		v, _ := obj.Get(name)
		p.combination(r, name, v, at, depth)
	}

	switch n := len(ops) + len(combos); {
	case n == 0 && hasVariable:
		p.failDetail(at, "for example StringEquals, NumericLessThan, IsPresent", "A choice rule with 'Variable' must have exactly one comparison operator")
	case n == 0:
		p.fail(at, "A choice rule must have 'Variable' and one comparison operator, or one of 'And', 'Or', 'Not'")
	case n > 1:
		found := append(append([]string{}, ops...), combos...)
		sort.Strings(found)
		p.fail(at, "A choice rule must have exactly one comparison operator or one of 'And', 'Or', 'Not', but has %d: [%s]", n, strings.Join(found, ", "))
	case len(combos) == 1 && hasVariable:
		p.fail(pointer(at, "Variable"), "Field 'Variable' is not supported with '%s'", combos[0])
	case len(ops) == 1 && !hasVariable:
		p.fail(at, "These fields are required: [Variable]")
	}
	return r
}

func (p *parser) variable(r *Rule, obj *value.Object, at string) {
	v, _ := obj.Get("Variable")
	loc := pointer(at, "Variable")
	src, ok := v.(string)
	if !ok {
		p.fail(loc, "Expected value of type 'String' for the field 'Variable'")
		return
	}
	pth, err := jsonpath.Compile(src)
	if err != nil {
		p.failDetail(loc, err.Error(), "The value for the field 'Variable' must be a valid JSONPath")
		return
	}
	r.variable = pth
	r.missingVariable = missingCause(src)
}

// jsonType names a JSON type as AWS's schema messages do.
var jsonType = map[family]string{
	famString: "String", famMatches: "String", famTimestamp: "String",
	famNumeric: "Number", famBoolean: "Boolean",
}

func (p *parser) operand(r *Rule, op *operator, v value.Value, at string) {
	r.op = op
	loc := pointer(at, op.name)
	if op.isPath {
		src, ok := v.(string)
		if !ok {
			p.fail(loc, "Expected value of type 'String' for the field '%s'", op.name)
			return
		}
		pth, err := jsonpath.Compile(src)
		if err != nil {
			p.failDetail(loc, err.Error(), "The value for the field '%s' must be a valid JSONPath", op.name)
			return
		}
		r.operand = pth
		r.missingOperand = missingCause(src)
		return
	}
	r.literal = v
	want := jsonType[op.family]
	if want == "" {
		want = "Boolean" // the Is... operators take true or false
	}
	bad := func() { p.fail(loc, "Expected value of type '%s' for the field '%s'", want, op.name) }
	switch op.family {
	case famString:
		s, ok := v.(string)
		if !ok {
			bad()
		}
		r.str = s
	case famNumeric:
		f, ok := value.ToFloat(v)
		if !ok {
			bad()
		}
		r.num = f
	case famTimestamp:
		s, ok := v.(string)
		if !ok {
			bad()
			return
		}
		t, ok := parseTimestamp(s)
		if !ok {
			p.failDetail(loc, "for example 2016-03-14T01:59:00Z: uppercase T and Z, or an offset such as +01:00", "String does not match RFC3339 timestamp")
		}
		r.time, r.str = t, s
	case famMatches:
		s, ok := v.(string)
		if !ok {
			bad()
			return
		}
		pat, err := compilePattern(s)
		if err != nil {
			p.failDetail(loc, err.Error(), "The value for the field 'StringMatches' is not a valid pattern")
		}
		r.pat = pat
	default:
		b, ok := v.(bool)
		if !ok {
			bad()
		}
		r.flag = b
	}
}

func (p *parser) combination(r *Rule, name string, v value.Value, at string, depth int) {
	loc := pointer(at, name)
	r.kind = combinators[name]
	if name == "Not" {
		o, ok := v.(*value.Object)
		if !ok {
			p.fail(loc, "Expected value of type 'Object' for the field 'Not'")
			return
		}
		if c := p.rule(o, loc, false, depth+1); c != nil {
			r.children = []*Rule{c}
		}
		return
	}
	arr, ok := v.([]any)
	if !ok {
		p.fail(loc, "Expected value of type 'Array' for the field '%s'", name)
		return
	}
	if len(arr) == 0 {
		p.fail(loc, "Value cannot be empty")
		return
	}
	for i, e := range arr {
		eloc := fmt.Sprintf("%s/%d", loc, i)
		o, ok := e.(*value.Object)
		if !ok {
			p.fail(eloc, "Expected value of type 'Object'")
			continue
		}
		if c := p.rule(o, eloc, false, depth+1); c != nil {
			r.children = append(r.children, c)
		}
	}
}
