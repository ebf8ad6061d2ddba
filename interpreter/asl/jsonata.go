package asl

import (
	"github.com/stepdeck/stepdeck/interpreter/template"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// jsonataFields lists, per state type, the fields it accepts in the JSONata language.
var jsonataFields = map[StateType]map[string]bool{
	Task: fieldSet(append(commonFields, "Next", "End", "Arguments", "Output", "Assign", "Retry", "Catch", "Resource",
		"TimeoutSeconds", "HeartbeatSeconds", "Credentials")...),
	Pass:     fieldSet(append(commonFields, "Next", "End", "Output", "Assign")...),
	Choice:   fieldSet(append(commonFields, "Choices", "Default", "Output", "Assign")...),
	Wait:     fieldSet(append(commonFields, "Next", "End", "Output", "Assign", "Seconds", "Timestamp")...),
	Succeed:  fieldSet(append(commonFields, "Output")...),
	Fail:     fieldSet(append(commonFields, "Error", "Cause")...),
	Parallel: fieldSet(append(commonFields, "Next", "End", "Arguments", "Output", "Assign", "Retry", "Catch", "Branches")...),
	Map: fieldSet(append(commonFields, "Next", "End", "Output", "Assign", "Retry", "Catch", "ItemProcessor", "Iterator", "Items",
		"ItemSelector", "MaxConcurrency", "ToleratedFailureCount", "ToleratedFailurePercentage", "ItemBatcher", "ItemReader",
		"ResultWriter", "Label")...),
}

var jsonataCatcherFields = fieldSet("ErrorEquals", "Next", "Output", "Assign", "Comment")

var jsonataRuleFields = fieldSet("Condition", "Next", "Output", "Assign", "Comment")

// jtemplate compiles a JSONata-language field, if present.
func (p *parser) jtemplate(obj *value.Object, loc, key string) *template.Template {
	v, ok := obj.Get(key)
	if !ok {
		return nil
	}
	return p.compileJ(v, pointer(loc, key), key)
}

func (p *parser) compileJ(v value.Value, loc, field string) *template.Template {
	t, probs := template.CompileJSONata(v, field)
	for _, pr := range probs {
		p.diags = append(p.diags, Diagnostic{Severity: "ERROR", Code: SchemaValidationFailed, Location: loc + pr.Path,
			Message: pr.Message, Detail: pr.Detail})
	}
	return t
}

// jassign compiles a JSONata Assign block.
func (p *parser) jassign(obj *value.Object, loc string) *template.Template {
	v, ok := obj.Get("Assign")
	if !ok {
		return nil
	}
	aloc := pointer(loc, "Assign")
	o, isObj := v.(*value.Object)
	if !isObj {
		p.fail(aloc, "Expected value of type 'Object' for the field 'Assign'")
		return nil
	}
	for _, k := range o.Keys() {
		if !isVariableName(k) {
			p.fail(pointer(aloc, k), "The variable name '%s' is not valid: it must start with a letter or underscore, hold only letters, digits and underscores, be at most 80 characters long and not be 'states'", k)
		}
	}
	return p.compileJ(o, aloc, "Assign")
}

// jexpr compiles a field that must be one "{% %}" expression.
func (p *parser) jexpr(s, loc, field string) *template.Template {
	if !template.IsExpression(s) {
		p.fail(loc, "The field '%s' must be a JSONata expression enclosed in {%% %%}", field)
		return nil
	}
	return p.compileJ(s, loc, field)
}

// exprOf returns the expression template when v is a "{% %}" string.
func (p *parser) exprOf(v value.Value, loc, field string) (*template.Template, bool) {
	s, ok := v.(string)
	if !ok || !p.jsonata || !template.IsExpression(s) {
		return nil, false
	}
	return p.compileJ(s, loc, field), true
}

// jsonataChoice parses the rules of a JSONata Choice state.
func (p *parser) jsonataChoice(st *State, objs []*value.Object, locs []string) {
	for i, o := range objs {
		rl := locs[i]
		p.checkFields(o, rl, jsonataRuleFields)
		if !p.required(o, rl, "Condition", "Next") {
			continue
		}
		r := &Rule{Next: p.str(o, rl, "Next")}
		cv, _ := o.Get("Condition")
		switch c := cv.(type) {
		case bool:
			r.Literal = c
		case string:
			r.Condition = p.jexpr(c, pointer(rl, "Condition"), "Condition")
		default:
			p.fail(pointer(rl, "Condition"), "The field 'Condition' must be a JSONata expression or a boolean")
		}
		r.Output = p.jtemplate(o, rl, "Output")
		r.Assign = p.jassign(o, rl)
		st.Rules = append(st.Rules, r)
	}
}
