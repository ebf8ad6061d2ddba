package asl

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stepdeck/stepdeck/interpreter/choice"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/template"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// MaxDefinitionBytes is AWS's limit on the size of a definition.
const MaxDefinitionBytes = 1 << 20

// Parse reads and validates a definition. On any error it returns a *Error that holds
// every problem found, each with its line and column in data.
func Parse(data []byte) (*Definition, error) {
	d, _, err := parseText(data)
	return d, err
}

// locate gives each diagnostic the line and column of its location in the text.
func locate(diags []Diagnostic, src *value.Source) {
	for i := range diags {
		if d := &diags[i]; d.Location != "" && d.Line == 0 {
			d.Line, d.Column, _ = src.Position(d.Location)
		}
	}
}

func parseText(data []byte) (*Definition, *value.Source, error) {
	if len(data) > MaxDefinitionBytes {
		return nil, nil, &Error{Diagnostics: []Diagnostic{{Severity: "ERROR", Code: SchemaValidationFailed,
			Message: fmt.Sprintf("The definition is %d bytes, over the limit of %d bytes", len(data), MaxDefinitionBytes)}}}
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil, nil, &Error{Diagnostics: []Diagnostic{{Severity: "ERROR", Code: SchemaValidationFailed, Message: "Definition must be a valid JSON object"}}}
	}
	v, src, err := value.ParseSource(data)
	if err != nil {
		msg := err.Error()
		var se *value.SyntaxError
		if errors.As(err, &se) {
			line, col := se.Position(data)
			msg = fmt.Sprintf("invalid JSON at line %d, column %d: %s", line, col, se.Msg)
		}
		d := Diagnostic{Severity: "ERROR", Code: InvalidJSONDescription, Message: msg}
		if se != nil {
			d.Line, d.Column = se.Position(data)
		}
		return nil, nil, &Error{Diagnostics: []Diagnostic{d}}
	}
	def, err := parseValue(v, src.Duplicates)
	var de *Error
	if errors.As(err, &de) {
		locate(de.Diagnostics, src)
	}
	return def, src, err
}

// ParseValue validates a definition that is already a JSON value.
func ParseValue(v value.Value) (*Definition, error) { return parseValue(v, nil) }

func parseValue(v value.Value, dups []value.Duplicate) (*Definition, error) {
	p := &parser{names: map[string]string{}, dups: map[*value.Object][]string{}}
	for _, d := range dups {
		p.dups[d.Object] = append(p.dups[d.Object], d.Key)
	}
	d := p.definition(v)
	if len(p.diags) > 0 {
		return nil, &Error{Diagnostics: p.diags}
	}
	return d, nil
}

// Validate returns every diagnostic for a definition: nil when it is valid.
func Validate(data []byte) []Diagnostic {
	_, err := Parse(data)
	if e, ok := err.(*Error); ok {
		return e.Diagnostics
	}
	return nil
}

type parser struct {
	topQL string // the machine's query language: the default of every state
	// jsonata is set while a JSONata state is parsed: only there are "{% %}" strings
	// expressions.
	jsonata bool
	diags   []Diagnostic
	names   map[string]string // state name → location, across the whole machine
	count   int
	// dups lists, by object, the keys the JSON text gave more than once.
	dups map[*value.Object][]string
}

func (p *parser) fail(loc, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{Severity: "ERROR", Code: SchemaValidationFailed, Message: fmt.Sprintf(format, args...), Location: loc})
}

func (p *parser) failCode(code, loc, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{Severity: "ERROR", Code: code, Message: fmt.Sprintf(format, args...), Location: loc})
}

func pointer(base, key string) string {
	if base == "/" {
		base = ""
	}
	return base + "/" + strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}

func (p *parser) definition(v value.Value) *Definition {
	obj, ok := v.(*value.Object)
	if !ok {
		p.diags = append(p.diags, Diagnostic{Severity: "ERROR", Code: SchemaValidationFailed, Message: "Definition must be a valid JSON object"})
		return nil
	}
	d := &Definition{Source: obj, QueryLanguage: JSONPath}
	p.checkFields(obj, "/", topFields)
	d.Comment = p.str(obj, "/", "Comment")
	d.Version = p.str(obj, "/", "Version")
	if ql, ok := p.queryLanguage(obj, "/"); ok {
		d.QueryLanguage = ql
	}
	p.topQL = d.QueryLanguage
	if t, ok := obj.Get("TimeoutSeconds"); ok {
		n, ok := value.ToInt(t)
		if !ok || n < 0 || n > 99999999 {
			p.fail(pointer("/", "TimeoutSeconds"), "The value of 'TimeoutSeconds' must be an integer between 0 and 99999999")
		}
		d.TimeoutSeconds = n
	}
	if s := p.scope(obj, "/", d.QueryLanguage, 0); s != nil {
		d.Scope = *s
	}
	d.Count = p.count
	return d
}

var topFields = fieldSet("Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage")

func fieldSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

func (p *parser) checkFields(obj *value.Object, loc string, allowed map[string]bool) {
	for _, k := range obj.Keys() {
		if !allowed[k] {
			p.fail(loc, "Field '%s' is not supported", k)
		}
	}
}

func (p *parser) required(obj *value.Object, loc string, names ...string) bool {
	var missing []string
	for _, n := range names {
		if !obj.Has(n) {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		p.fail(loc, "These fields are required: [%s]", strings.Join(missing, ", "))
		return false
	}
	return true
}

func (p *parser) str(obj *value.Object, loc, key string) string {
	v, ok := obj.Get(key)
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.fail(pointer(loc, key), "Expected value of type 'String' for the field '%s'", key)
	}
	return s
}

func (p *parser) queryLanguage(obj *value.Object, loc string) (string, bool) {
	v, ok := obj.Get("QueryLanguage")
	if !ok {
		return "", false
	}
	s, _ := v.(string)
	if s != JSONPath && s != JSONata {
		p.fail(pointer(loc, "QueryLanguage"), "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]")
		return "", false
	}
	return s, true
}

// maxNesting bounds how deeply Parallel and Map may nest, so that a hostile definition
// cannot exhaust the stack of every recursive walk over it.
const maxNesting = 100

func (p *parser) scope(obj *value.Object, loc, ql string, depth int) *Scope {
	if depth > maxNesting {
		p.failCode(TooDeeplyNested, loc, "The definition nests Parallel and Map states more than %d deep", maxNesting)
		return nil
	}
	if !p.required(obj, loc, "States", "StartAt") {
		return nil
	}
	s := &Scope{States: map[string]*State{}, Location: loc}
	s.StartAt = p.str(obj, loc, "StartAt")
	statesVal, _ := obj.Get("States")
	states, ok := statesVal.(*value.Object)
	if !ok {
		p.fail(pointer(loc, "States"), "Expected value of type 'Object' for the field 'States'")
		return nil
	}
	statesLoc := pointer(loc, "States")
	if states.Len() == 0 {
		p.fail(statesLoc, "Value cannot be empty")
	}
	for _, name := range p.dups[states] {
		p.failCode(DuplicateStateName, pointer(statesLoc, name), "Duplicate State name: %s", name)
		p.diags[len(p.diags)-1].Detail = "the name appears more than once in this States object, and JSON keeps only the last"
	}
	raw := map[string]*value.Object{} // every state as written, whether it is valid or not
	for i := 0; i < states.Len(); i++ {
		name, sv := states.At(i)
		if o, ok := sv.(*value.Object); ok {
			raw[name] = o
		} else {
			raw[name] = value.NewObject(0)
		}
		sloc := pointer(statesLoc, name)
		if prev, dup := p.names[name]; dup {
			p.failCode(DuplicateStateName, sloc, "Duplicate State name: %s (also at %s)", name, prev)
			continue
		}
		p.names[name] = sloc
		if name == "" || utf8.RuneCountInString(name) > 80 {
			p.failCode(InvalidStateName, sloc, "State name must be between 1 and 80 characters long: '%s'", name)
		}
		st := p.state(name, sv, sloc, ql, depth)
		if st != nil {
			s.States[name] = st
			s.Order = append(s.Order, name)
		}
	}
	p.transitions(s, raw)
	return s
}

// transitions checks that every target exists in the scope and every state is reachable.
// raw holds every state as written: a state with errors of its own still exists, and
// its transitions (as far as they can be read) still reach other states.
func (p *parser) transitions(s *Scope, raw map[string]*value.Object) {
	if _, ok := raw[s.StartAt]; !ok && s.StartAt != "" {
		p.failCode(MissingTransitionTarget, pointer(s.Location, "StartAt"), "Missing 'Next' target: %s", s.StartAt)
	}
	check := func(target, loc string) {
		if _, ok := raw[target]; !ok {
			p.failCode(MissingTransitionTarget, loc, "Missing 'Next' target: %s", target)
		}
	}
	for _, name := range s.Order {
		st := s.States[name]
		if st.Next != "" {
			check(st.Next, pointer(st.Location, "Next"))
		}
		for i, r := range st.Choices {
			check(r.Next(), fmt.Sprintf("%s/Choices/%d/Next", st.Location, i))
		}
		for i, r := range st.Rules {
			check(r.Next, fmt.Sprintf("%s/Choices/%d/Next", st.Location, i))
		}
		if st.Default != "" {
			check(st.Default, pointer(st.Location, "Default"))
		}
		for i, c := range st.Catch {
			check(c.Next, fmt.Sprintf("%s/Catch/%d/Next", st.Location, i))
		}
	}
	// Reachability from StartAt.
	seen := map[string]bool{}
	var walk func(string)
	walk = func(n string) {
		if _, ok := raw[n]; !ok || seen[n] {
			return
		}
		seen[n] = true
		if st, ok := s.States[n]; ok {
			for _, t := range st.Transitions() {
				walk(t)
			}
		}
		for _, t := range rawTransitions(raw[n]) {
			walk(t)
		}
	}
	walk(s.StartAt)
	terminal := false
	for _, name := range s.Order {
		if !seen[name] {
			p.failCode(MissingTransitionTarget, s.States[name].Location, "State \"%s\" is not reachable.", name)
		}
		if s.States[name].IsTerminal() {
			terminal = true
		}
	}
	if !terminal && len(s.Order) > 0 {
		p.failCode(MissingEndState, s.Location, "Workflow has no terminal state")
	}
}

// rawTransitions reads the targets a state names as written (Next, Default, each
// Choice's and Catch's Next), for states whose own parse failed in part.
func rawTransitions(o *value.Object) []string {
	var out []string
	add := func(o *value.Object) {
		if n, ok := o.Get("Next"); ok {
			if s, ok := n.(string); ok {
				out = append(out, s)
			}
		}
	}
	add(o)
	if d, ok := o.Get("Default"); ok {
		if s, ok := d.(string); ok {
			out = append(out, s)
		}
	}
	for _, key := range []string{"Choices", "Catch"} {
		list, _ := o.Get(key)
		items, _ := list.([]any)
		for _, it := range items {
			if io, ok := it.(*value.Object); ok {
				add(io)
			}
		}
	}
	return out
}

var commonFields = []string{"Type", "Comment", "QueryLanguage"}

// jsonPathFields lists, per state type, the fields it accepts in the JSONPath language.
var jsonPathFields = map[StateType]map[string]bool{
	Task: fieldSet(append(commonFields, "Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath",
		"Retry", "Catch", "Assign", "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials")...),
	Pass:    fieldSet(append(commonFields, "Next", "End", "InputPath", "OutputPath", "Parameters", "ResultPath", "Result", "Assign")...),
	Choice:  fieldSet(append(commonFields, "InputPath", "OutputPath", "Choices", "Default", "Assign")...),
	Wait:    fieldSet(append(commonFields, "Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "Assign")...),
	Succeed: fieldSet(append(commonFields, "InputPath", "OutputPath")...),
	Fail:    fieldSet(append(commonFields, "Error", "ErrorPath", "Cause", "CausePath")...),
	Parallel: fieldSet(append(commonFields, "Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath",
		"Retry", "Catch", "Assign", "Branches")...),
	Map: fieldSet(append(commonFields, "Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath",
		"Retry", "Catch", "Assign", "Iterator", "ItemProcessor", "ItemsPath", "ItemSelector", "MaxConcurrency", "MaxConcurrencyPath",
		"ToleratedFailureCount", "ToleratedFailureCountPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
		"ItemBatcher", "ItemReader", "ResultWriter", "Label")...),
}

var stateTypes = []StateType{Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map}

func (p *parser) state(name string, v value.Value, loc, ql string, depth int) *State {
	p.count++
	obj, ok := v.(*value.Object)
	if !ok {
		p.fail(loc, "Expected value of type 'Object' for the state '%s'", name)
		return nil
	}
	if !p.required(obj, loc, "Type") {
		return nil
	}
	st := &State{Name: name, Location: loc, Source: obj, QueryLanguage: ql}
	typ, _ := obj.Get("Type")
	ts, _ := typ.(string)
	st.Type = StateType(ts)
	allowed, known := jsonPathFields[st.Type]
	if !known {
		names := make([]string, len(stateTypes))
		for i, t := range stateTypes {
			names[i] = string(t)
		}
		p.fail(pointer(loc, "Type"), "The field 'Type' should have one of these values: [%s]", strings.Join(names, ", "))
		return nil
	}
	if l, ok := p.queryLanguage(obj, loc); ok {
		if p.topQL == JSONata && l == JSONPath {
			p.fail(pointer(loc, "QueryLanguage"), "A state may not use JSONPath in a state machine whose QueryLanguage is JSONata")
		}
		st.QueryLanguage = l
	}
	if st.IsJSONata() {
		allowed = jsonataFields[st.Type]
	}
	outer := p.jsonata
	p.jsonata = st.IsJSONata()
	defer func() { p.jsonata = outer }()
	p.checkFields(obj, loc, allowed)
	st.Comment = p.str(obj, loc, "Comment")

	// Choice, Succeed and Fail do not accept Next or End: checkFields reports those.
	if allowed["Next"] {
		p.nextOrEnd(st, obj)
	}

	if st.IsJSONata() {
		st.Arguments = p.jtemplate(obj, loc, "Arguments")
		st.Output = p.jtemplate(obj, loc, "Output")
		st.Assign = p.jassign(obj, loc)
	} else {
		st.InputPath = p.optionalPath(obj, loc, "InputPath")
		st.OutputPath = p.optionalPath(obj, loc, "OutputPath")
		st.Parameters = p.template(obj, loc, "Parameters")
		st.ResultSelector = p.template(obj, loc, "ResultSelector")
		st.ResultPath = p.resultPath(obj, loc, "ResultPath")
		st.Assign = p.assign(obj, loc)
	}
	st.Retry = p.retry(obj, loc)
	st.Catch = p.catch(obj, loc, st.IsJSONata())

	switch st.Type {
	case Task:
		p.task(st, obj)
	case Pass:
		st.Result, st.HasResult = obj.Get("Result")
	case Choice:
		p.choice(st, obj)
	case Wait:
		p.wait(st, obj)
	case Fail:
		p.failState(st, obj)
	case Parallel:
		p.parallel(st, obj, depth)
	case Map:
		p.mapState(st, obj, depth)
	}
	st.UsesContext = mentionsContext(obj, true)
	return st
}

// mentionsContext reports whether a state's own fields (not its nested states) hold a
// string that reads the context object.
func mentionsContext(v value.Value, top bool) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, "$$") || strings.Contains(x, "$states.context")
	case []any:
		for _, e := range x {
			if mentionsContext(e, false) {
				return true
			}
		}
	case *value.Object:
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			if top && (k == "Branches" || k == "ItemProcessor" || k == "Iterator") {
				continue
			}
			if mentionsContext(e, false) {
				return true
			}
		}
	}
	return false
}

func (p *parser) nextOrEnd(st *State, obj *value.Object) {
	next, hasNext := obj.Get("Next")
	end, hasEnd := obj.Get("End")
	switch {
	case hasNext && hasEnd:
		p.fail(st.Location, "Only one of 'Next' or 'End' may be set")
	case hasNext:
		s, ok := next.(string)
		if !ok {
			p.fail(pointer(st.Location, "Next"), "Expected value of type 'String' for the field 'Next'")
		}
		st.Next = s
	case hasEnd:
		b, ok := end.(bool)
		if !ok {
			p.fail(pointer(st.Location, "End"), "Expected value of type 'Boolean' for the field 'End'")
		} else if !b {
			p.fail(pointer(st.Location, "End"), "'End' must be true when present")
		}
		st.End = b
	default:
		p.failCode(MissingTransitionTarget, st.Location, "This state must have either 'Next' or 'End: true'")
	}
}

func (p *parser) path(obj *value.Object, loc, key string) *jsonpath.Path {
	v, ok := obj.Get(key)
	if !ok {
		return nil
	}
	s, ok := v.(string)
	if !ok {
		p.fail(pointer(loc, key), "Expected value of type 'String' for the field '%s'", key)
		return nil
	}
	pth, err := jsonpath.Compile(s)
	if err != nil {
		p.diags = append(p.diags, Diagnostic{Severity: "ERROR", Code: SchemaValidationFailed, Location: pointer(loc, key),
			Message: fmt.Sprintf("The value for the field '%s' must be a valid JSONPath", key), Detail: err.Error()})
		return nil
	}
	return pth
}

func (p *parser) optionalPath(obj *value.Object, loc, key string) OptionalPath {
	if v, ok := obj.Get(key); ok && v == nil {
		return OptionalPath{Null: true}
	}
	return OptionalPath{Path: p.path(obj, loc, key)}
}

func (p *parser) resultPath(obj *value.Object, loc, key string) ResultPath {
	v, ok := obj.Get(key)
	if !ok {
		return ResultPath{}
	}
	if v == nil {
		return ResultPath{Null: true}
	}
	s, isStr := v.(string)
	if !isStr {
		p.fail(pointer(loc, key), "Expected value of type 'String' for the field '%s'", key)
		return ResultPath{}
	}
	ref, err := jsonpath.CompileReference(s)
	if err != nil {
		p.diags = append(p.diags, Diagnostic{Severity: "ERROR", Code: SchemaValidationFailed, Location: pointer(loc, key),
			Message: fmt.Sprintf("The value for the field '%s' must be a valid Reference Path", key), Detail: err.Error()})
		return ResultPath{}
	}
	return ResultPath{Ref: ref}
}

func (p *parser) template(obj *value.Object, loc, key string) *template.Template {
	v, ok := obj.Get(key)
	if !ok {
		return nil
	}
	return p.compileTemplate(v, pointer(loc, key))
}

func (p *parser) compileTemplate(v value.Value, loc string) *template.Template {
	t, probs := template.Compile(v)
	for _, pr := range probs {
		p.diags = append(p.diags, Diagnostic{Severity: "ERROR", Code: SchemaValidationFailed, Location: loc, Message: pr.Message,
			Detail: strings.TrimPrefix(pr.Path+": "+pr.Detail, ": ")})
	}
	return t
}

func (p *parser) assign(obj *value.Object, loc string) *template.Template {
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
		name := strings.TrimSuffix(k, ".$")
		if !isVariableName(name) {
			p.fail(pointer(aloc, k), "The variable name '%s' is not valid: it must start with a letter or underscore, hold only letters, digits and underscores, be at most 80 characters long and not be 'states'", name)
		}
	}
	return p.compileTemplate(o, aloc)
}

func isVariableName(s string) bool {
	if s == "" || s == "states" || utf8.RuneCountInString(s) > 80 {
		return false
	}
	for i, r := range s {
		letter := r == '_' || r == '$' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r > 127
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func (p *parser) errorEquals(obj *value.Object, loc string) []string {
	v, _ := obj.Get("ErrorEquals")
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		p.fail(pointer(loc, "ErrorEquals"), "The field 'ErrorEquals' must be a non-empty array of strings")
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			p.fail(fmt.Sprintf("%s/ErrorEquals/%d", loc, i), "Expected value of type 'String'")
			continue
		}
		if s == "States.ALL" && len(arr) > 1 {
			p.fail(pointer(loc, "ErrorEquals"), "States.ALL must appear alone in 'ErrorEquals'")
		}
		out = append(out, s)
	}
	return out
}

func (p *parser) objectList(obj *value.Object, loc, key string) ([]*value.Object, []string) {
	v, ok := obj.Get(key)
	if !ok {
		return nil, nil
	}
	arr, isArr := v.([]any)
	if !isArr {
		p.fail(pointer(loc, key), "Expected value of type 'Array' for the field '%s'", key)
		return nil, nil
	}
	var objs []*value.Object
	var locs []string
	for i, e := range arr {
		eloc := fmt.Sprintf("%s/%s/%d", loc, key, i)
		o, ok := e.(*value.Object)
		if !ok {
			p.fail(eloc, "Expected value of type 'Object'")
			continue
		}
		objs = append(objs, o)
		locs = append(locs, eloc)
	}
	return objs, locs
}

var retrierFields = fieldSet("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment")

func (p *parser) retry(obj *value.Object, loc string) []Retrier {
	objs, locs := p.objectList(obj, loc, "Retry")
	var out []Retrier
	for i, o := range objs {
		rl := locs[i]
		p.checkFields(o, rl, retrierFields)
		if !p.required(o, rl, "ErrorEquals") {
			continue
		}
		r := Retrier{ErrorEquals: p.errorEquals(o, rl), IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2}
		r.IntervalSeconds = p.intField(o, rl, "IntervalSeconds", 1, 99999999, r.IntervalSeconds)
		r.MaxAttempts = p.intField(o, rl, "MaxAttempts", 0, 99999999, r.MaxAttempts)
		r.MaxDelaySeconds = p.intField(o, rl, "MaxDelaySeconds", 1, 31622401, 0)
		if v, ok := o.Get("BackoffRate"); ok {
			f, isNum := value.ToFloat(v)
			if !isNum || f < 1 {
				p.fail(pointer(rl, "BackoffRate"), "The value of 'BackoffRate' must be a number greater than or equal to 1.0")
			}
			r.BackoffRate = f
		}
		if v, ok := o.Get("JitterStrategy"); ok {
			switch v {
			case "FULL":
				r.JitterFull = true
			case "NONE":
			default:
				p.fail(pointer(rl, "JitterStrategy"), "The field 'JitterStrategy' should have one of these values: [FULL, NONE]")
			}
		}
		if i < len(objs)-1 && len(r.ErrorEquals) == 1 && r.ErrorEquals[0] == "States.ALL" {
			p.fail(rl, "States.ALL must be in the last retrier")
		}
		out = append(out, r)
	}
	return out
}

func (p *parser) intField(o *value.Object, loc, key string, lo, hi, def int64) int64 {
	v, ok := o.Get(key)
	if !ok {
		return def
	}
	n, isInt := value.ToInt(v)
	if !isInt || n < lo || n > hi {
		p.fail(pointer(loc, key), "The value of '%s' must be an integer between %d and %d", key, lo, hi)
		return def
	}
	return n
}

var catcherFields = fieldSet("ErrorEquals", "Next", "ResultPath", "Assign", "Comment")

func (p *parser) catch(obj *value.Object, loc string, jsonata bool) []Catcher {
	objs, locs := p.objectList(obj, loc, "Catch")
	var out []Catcher
	for i, o := range objs {
		cl := locs[i]
		if jsonata {
			p.checkFields(o, cl, jsonataCatcherFields)
		} else {
			p.checkFields(o, cl, catcherFields)
		}
		if !p.required(o, cl, "ErrorEquals", "Next") {
			continue
		}
		c := Catcher{ErrorEquals: p.errorEquals(o, cl), Next: p.str(o, cl, "Next")}
		if jsonata {
			c.Output = p.jtemplate(o, cl, "Output")
			c.Assign = p.jassign(o, cl)
		} else {
			c.ResultPath = p.resultPath(o, cl, "ResultPath")
			c.Assign = p.assign(o, cl)
		}
		if i < len(objs)-1 && len(c.ErrorEquals) == 1 && c.ErrorEquals[0] == "States.ALL" {
			p.fail(cl, "States.ALL must be in the last catcher")
		}
		out = append(out, c)
	}
	return out
}

// intOrPath reads a field that may be given as key or key+"Path", never both.
func (p *parser) intOrPath(obj *value.Object, loc, key string, lo, hi int64) IntOrPath {
	_, hasLit := obj.Get(key)
	_, hasPath := obj.Get(key + "Path")
	if hasLit && hasPath {
		p.fail(loc, "Only one of '%s' or '%sPath' may be set", key, key)
	}
	if hasPath {
		return IntOrPath{Set: true, Path: p.path(obj, loc, key+"Path")}
	}
	if hasLit {
		v, _ := obj.Get(key)
		if e, ok := p.exprOf(v, pointer(loc, key), key); ok {
			return IntOrPath{Set: true, Expr: e}
		}
		return IntOrPath{Set: true, Value: p.intField(obj, loc, key, lo, hi, 0)}
	}
	return IntOrPath{}
}

func (p *parser) task(st *State, obj *value.Object) {
	if !p.required(obj, st.Location, "Resource") {
		return
	}
	st.Resource = p.str(obj, st.Location, "Resource")
	if !knownResource(st.Resource) {
		p.fail(pointer(st.Location, "Resource"), "The resource provided %s is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.", st.Resource)
	}
	st.TimeoutSeconds = p.intOrPath(obj, st.Location, "TimeoutSeconds", 1, 99999999)
	st.HeartbeatSeconds = p.intOrPath(obj, st.Location, "HeartbeatSeconds", 1, 99999999)
	if st.TimeoutSeconds.Set && st.HeartbeatSeconds.Set && st.TimeoutSeconds.Path == nil && st.HeartbeatSeconds.Path == nil &&
		st.HeartbeatSeconds.Value >= st.TimeoutSeconds.Value {
		p.fail(pointer(st.Location, "HeartbeatSeconds"), "HeartbeatSeconds must be smaller than TimeoutSeconds")
	}
	if v, ok := obj.Get("Credentials"); ok {
		cl := pointer(st.Location, "Credentials")
		o, isObj := v.(*value.Object)
		if !isObj {
			p.fail(cl, "Expected value of type 'Object' for the field 'Credentials'")
		} else if !o.Has("RoleArn") && !o.Has("RoleArn.$") {
			p.fail(cl, "The field 'RoleArn' is required but was missing")
		} else if st.IsJSONata() {
			st.Credentials = p.compileJ(o, cl, "Credentials")
		} else {
			st.Credentials = p.compileTemplate(o, cl)
		}
	}
}

func (p *parser) choice(st *State, obj *value.Object) {
	if !p.required(obj, st.Location, "Choices") {
		return
	}
	st.Default = p.str(obj, st.Location, "Default")
	objs, locs := p.objectList(obj, st.Location, "Choices")
	if v, _ := obj.Get("Choices"); v != nil {
		if arr, ok := v.([]any); ok && len(arr) == 0 {
			p.fail(pointer(st.Location, "Choices"), "Value cannot be empty")
		}
	}
	if st.IsJSONata() {
		p.jsonataChoice(st, objs, locs)
		return
	}
	for i, o := range objs {
		r, probs := choice.Parse(o, true)
		for _, pr := range probs {
			code := pr.Code
			if code == "" {
				code = SchemaValidationFailed
			}
			p.failCode(code, locs[i]+pr.Path, "%s", pr.Message)
		}
		if r != nil {
			st.Choices = append(st.Choices, r)
			st.ChoiceAssign = append(st.ChoiceAssign, p.assign(o, locs[i]))
		}
	}
}

func (p *parser) wait(st *State, obj *value.Object) {
	var set []string
	for _, k := range []string{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"} {
		if obj.Has(k) {
			set = append(set, k)
		}
	}
	if len(set) != 1 {
		p.fail(st.Location, "A Wait state must have exactly one of 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath'")
		return
	}
	switch set[0] {
	case "Seconds":
		v, _ := obj.Get("Seconds")
		if e, ok := p.exprOf(v, pointer(st.Location, "Seconds"), "Seconds"); ok {
			st.Seconds = IntOrPath{Set: true, Expr: e}
			break
		}
		st.Seconds = IntOrPath{Set: true, Value: p.intField(obj, st.Location, "Seconds", 0, 99999999, 0)}
	case "SecondsPath":
		st.Seconds = IntOrPath{Set: true, Path: p.path(obj, st.Location, "SecondsPath")}
	case "Timestamp":
		v, _ := obj.Get("Timestamp")
		if e, ok := p.exprOf(v, pointer(st.Location, "Timestamp"), "Timestamp"); ok {
			st.TimestampExp = e
			break
		}
		s := p.str(obj, st.Location, "Timestamp")
		t, ok := ParseTimestamp(s)
		if !ok {
			p.fail(pointer(st.Location, "Timestamp"), "String does not match RFC3339 timestamp")
		}
		st.Timestamp, st.HasTimestamp = t, true
	case "TimestampPath":
		st.TimestampPath = p.path(obj, st.Location, "TimestampPath")
	}
}

// ParseTimestamp reads an RFC 3339 timestamp as Step Functions accepts it: an uppercase
// T, and Z or a numeric offset.
func ParseTimestamp(s string) (time.Time, bool) {
	if strings.ContainsAny(s, "tz ") {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

func (p *parser) failState(st *State, obj *value.Object) {
	for _, pair := range [][2]string{{"Error", "ErrorPath"}, {"Cause", "CausePath"}} {
		if obj.Has(pair[0]) && obj.Has(pair[1]) {
			p.fail(st.Location, "Only one of '%s' or '%s' may be set", pair[0], pair[1])
		}
	}
	if st.IsJSONata() {
		for _, key := range []string{"Error", "Cause"} {
			v, ok := obj.Get(key)
			if !ok {
				continue
			}
			if e, isExpr := p.exprOf(v, pointer(st.Location, key), key); isExpr {
				if key == "Error" {
					st.ErrorExp = e
				} else {
					st.CauseExp = e
				}
			}
		}
		if st.ErrorExp == nil {
			st.Error = p.str(obj, st.Location, "Error")
		}
		if st.CauseExp == nil {
			st.Cause = p.str(obj, st.Location, "Cause")
		}
		return
	}
	st.Error = p.str(obj, st.Location, "Error")
	st.Cause = p.str(obj, st.Location, "Cause")
	for _, key := range []string{"ErrorPath", "CausePath"} {
		s := p.str(obj, st.Location, key)
		if s == "" {
			continue
		}
		t, err := template.CompileExpr(key, s)
		if err != nil {
			p.diags = append(p.diags, Diagnostic{Severity: "ERROR", Code: SchemaValidationFailed, Location: pointer(st.Location, key),
				Message: fmt.Sprintf("The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", key), Detail: err.Error()})
			continue
		}
		if key == "ErrorPath" {
			st.ErrorPath = t
		} else {
			st.CausePath = t
		}
	}
}

func (p *parser) parallel(st *State, obj *value.Object, depth int) {
	if !p.required(obj, st.Location, "Branches") {
		return
	}
	objs, locs := p.objectList(obj, st.Location, "Branches")
	if len(objs) == 0 {
		p.fail(pointer(st.Location, "Branches"), "Value cannot be empty")
	}
	for i, o := range objs {
		p.checkFields(o, locs[i], fieldSet("StartAt", "States", "Comment", "QueryLanguage"))
		ql := p.topQL // inner states do not inherit the Parallel's language
		if l, ok := p.queryLanguage(o, locs[i]); ok {
			ql = l
		}
		if b := p.scope(o, locs[i], ql, depth+1); b != nil {
			st.Branches = append(st.Branches, b)
		}
	}
}

func (p *parser) mapState(st *State, obj *value.Object, depth int) {
	key := "ItemProcessor"
	if obj.Has("Iterator") {
		if obj.Has("ItemProcessor") {
			p.fail(st.Location, "Only one of 'ItemProcessor' or 'Iterator' may be set")
		}
		key = "Iterator"
	}
	if !p.required(obj, st.Location, key) {
		return
	}
	ploc := pointer(st.Location, key)
	pv, _ := obj.Get(key)
	po, ok := pv.(*value.Object)
	if !ok {
		p.fail(ploc, "Expected value of type 'Object' for the field '%s'", key)
		return
	}
	p.checkFields(po, ploc, fieldSet("StartAt", "States", "Comment", "ProcessorConfig", "QueryLanguage"))
	st.ProcessorMode = "INLINE"
	if cv, ok := po.Get("ProcessorConfig"); ok {
		cl := pointer(ploc, "ProcessorConfig")
		co, isObj := cv.(*value.Object)
		if !isObj {
			p.fail(cl, "Expected value of type 'Object' for the field 'ProcessorConfig'")
		} else {
			p.checkFields(co, cl, fieldSet("Mode", "ExecutionType"))
			if m, ok := co.Get("Mode"); ok {
				switch m {
				case "INLINE", "DISTRIBUTED":
					st.ProcessorMode = m.(string)
				default:
					p.fail(pointer(cl, "Mode"), "The field 'Mode' should have one of these values: [INLINE, DISTRIBUTED]")
				}
			}
			if e, ok := co.Get("ExecutionType"); ok {
				switch e {
				case "STANDARD", "EXPRESS":
					st.ExecutionType = e.(string)
				default:
					p.fail(pointer(cl, "ExecutionType"), "The field 'ExecutionType' should have one of these values: [STANDARD, EXPRESS]")
				}
			}
			if st.ProcessorMode == "DISTRIBUTED" && st.ExecutionType == "" {
				p.fail(cl, "These fields are required: [ExecutionType]")
			}
		}
	}
	ql := p.topQL // inner states do not inherit the Map's language
	if l, ok := p.queryLanguage(po, ploc); ok {
		ql = l
	}
	st.ItemProcessor = p.scope(po, ploc, ql, depth+1)

	if v, ok := obj.Get("ItemsPath"); ok {
		s, isStr := v.(string)
		if !isStr {
			p.fail(pointer(st.Location, "ItemsPath"), "Expected value of type 'String' for the field 'ItemsPath'")
		} else if pth, err := jsonpath.Compile(s); err != nil {
			p.diags = append(p.diags, Diagnostic{Severity: "ERROR", Code: SchemaValidationFailed, Location: pointer(st.Location, "ItemsPath"),
				Message: "The value for the field 'ItemsPath' must be a valid JSONPath", Detail: err.Error()})
		} else {
			st.ItemsPath = pth
		}
	}
	if obj.Has("ItemSelector") && obj.Has("Parameters") {
		p.fail(st.Location, "Only one of 'ItemSelector' or 'Parameters' may be set")
	}
	if st.IsJSONata() {
		st.Items = p.jtemplate(obj, st.Location, "Items")
		st.ItemSelector = p.jtemplate(obj, st.Location, "ItemSelector")
	} else {
		st.ItemSelector = p.template(obj, st.Location, "ItemSelector")
	}
	if st.ItemSelector == nil && st.Parameters != nil {
		// Parameters is the deprecated name of ItemSelector on a Map.
		st.ItemSelector, st.Parameters = st.Parameters, nil
	}
	st.MaxConcurrency = p.intOrPath(obj, st.Location, "MaxConcurrency", 0, 1<<31-1)
	st.ToleratedFailureCount = p.intOrPath(obj, st.Location, "ToleratedFailureCount", 0, 1<<31-1)
	if obj.Has("ToleratedFailurePercentage") && obj.Has("ToleratedFailurePercentagePath") {
		p.fail(st.Location, "Only one of 'ToleratedFailurePercentage' or 'ToleratedFailurePercentagePath' may be set")
	}
	if v, ok := obj.Get("ToleratedFailurePercentage"); ok {
		if e, isExpr := p.exprOf(v, pointer(st.Location, "ToleratedFailurePercentage"), "ToleratedFailurePercentage"); isExpr {
			st.ToleratedFailurePct = FloatOrPath{Set: true, Expr: e}
			goto batcher
		}
		f, isNum := value.ToFloat(v)
		if !isNum || f < 0 || f > 100 {
			p.fail(pointer(st.Location, "ToleratedFailurePercentage"), "The value of 'ToleratedFailurePercentage' must be a number between 0 and 100")
		}
		st.ToleratedFailurePct = FloatOrPath{Set: true, Value: f}
	} else if obj.Has("ToleratedFailurePercentagePath") {
		st.ToleratedFailurePct = FloatOrPath{Set: true, Path: p.path(obj, st.Location, "ToleratedFailurePercentagePath")}
	}
batcher:
	if v, ok := obj.Get("ItemBatcher"); ok {
		bl := pointer(st.Location, "ItemBatcher")
		bo, isObj := v.(*value.Object)
		if !isObj {
			p.fail(bl, "Expected value of type 'Object' for the field 'ItemBatcher'")
		} else {
			p.checkFields(bo, bl, fieldSet("MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput"))
			b := &ItemBatcher{
				MaxItemsPerBatch:      p.intOrPath(bo, bl, "MaxItemsPerBatch", 1, 1<<31-1),
				MaxInputBytesPerBatch: p.intOrPath(bo, bl, "MaxInputBytesPerBatch", 1, 262144),
			}
			if st.IsJSONata() {
				b.BatchInput = p.jtemplate(bo, bl, "BatchInput")
			} else {
				b.BatchInput = p.template(bo, bl, "BatchInput")
			}
			st.ItemBatcher = b
		}
	}
	if v, ok := obj.Get("Label"); ok {
		s, _ := v.(string)
		if msg := labelProblem(s); msg != "" {
			p.failCode("INVALID_LABEL_NAME", pointer(st.Location, "Label"), "%s", msg)
		}
		st.Label = s
	}
	p.itemReader(st, obj)
	p.resultWriter(st, obj)
	if st.ProcessorMode != "DISTRIBUTED" {
		for _, k := range []string{"ItemReader", "ResultWriter", "ItemBatcher", "Label"} {
			if obj.Has(k) {
				p.fail(pointer(st.Location, k), "The field '%s' is only supported by a Map state in DISTRIBUTED mode", k)
			}
		}
	}
}

func (p *parser) rawObject(obj *value.Object, loc, key string) *value.Object {
	v, ok := obj.Get(key)
	if !ok {
		return nil
	}
	o, isObj := v.(*value.Object)
	if !isObj {
		p.fail(pointer(loc, key), "Expected value of type 'Object' for the field '%s'", key)
	}
	return o
}

// labelProblem checks a distributed Map's Label against AWS's rules.
func labelProblem(s string) string {
	if s == "" {
		return "Label cannot be empty"
	}
	if utf8.RuneCountInString(s) > 40 {
		return "Label must be at most 40 characters long"
	}
	for _, r := range s {
		if !NameRuneAllowed(r) {
			return fmt.Sprintf("Label contains invalid character: %q", r)
		}
	}
	return ""
}

// NameRuneAllowed reports whether r may appear in a state machine, execution or
// activity name, or a Map label.
func NameRuneAllowed(r rune) bool {
	switch {
	case r <= 0x1f, r >= 0x7f && r <= 0x9f, r == 0xfffe, r == 0xffff, r >= 0xd800 && r <= 0xdfff:
		return false
	case r == ' ', r == '\t', r == '\n', r == '\r':
		return false
	}
	return !strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r)
}

// SortedStateNames returns the names of all states at every depth, sorted; for tools.
func (d *Definition) SortedStateNames() []string {
	var out []string
	var walk func(*Scope)
	walk = func(s *Scope) {
		for _, n := range s.Order {
			out = append(out, n)
			st := s.States[n]
			for _, b := range st.Branches {
				walk(b)
			}
			if st.ItemProcessor != nil {
				walk(st.ItemProcessor)
			}
		}
	}
	walk(&d.Scope)
	sort.Strings(out)
	return out
}
