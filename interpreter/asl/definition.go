// Package asl reads Amazon States Language definitions: it parses them into a model the
// engine runs and the graph draws, and reports every problem it finds in the shape of
// AWS's ValidateStateMachineDefinition diagnostics.
package asl

import (
	"time"

	"github.com/stepdeck/stepdeck/interpreter/choice"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/template"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Query languages.
const (
	JSONPath = "JSONPath"
	JSONata  = "JSONata"
)

// StateType is the Type field of a state.
type StateType string

const (
	Task     StateType = "Task"
	Pass     StateType = "Pass"
	Choice   StateType = "Choice"
	Wait     StateType = "Wait"
	Succeed  StateType = "Succeed"
	Fail     StateType = "Fail"
	Parallel StateType = "Parallel"
	Map      StateType = "Map"
)

// Definition is a whole state machine.
type Definition struct {
	Scope
	Comment        string
	Version        string
	QueryLanguage  string
	TimeoutSeconds int64 // 0: none
	// Source is the definition as parsed, for DescribeStateMachine and the debugger.
	Source *value.Object
	// Count is the number of states at every depth.
	Count int
}

// Scope is a set of states with a start: the machine itself, a Parallel branch, or a
// Map's item processor. Transitions never leave a scope.
type Scope struct {
	StartAt string
	States  map[string]*State
	// Order lists the state names as written, for stable output.
	Order []string
	// Location is the JSON pointer of the scope's object, e.g. "/States/P/Branches/0".
	Location string
}

// Start returns the first state of the scope.
func (s *Scope) Start() *State { return s.States[s.StartAt] }

// Find looks a state up by name in the scope and every Parallel branch and Map
// processor inside it (names are unique across a machine); nil when there is none.
func (s *Scope) Find(name string) *State {
	if s == nil {
		return nil
	}
	if st, ok := s.States[name]; ok {
		return st
	}
	for _, n := range s.Order {
		st := s.States[n]
		if st == nil {
			continue
		}
		for _, b := range st.Branches {
			if x := b.Find(name); x != nil {
				return x
			}
		}
		if x := st.ItemProcessor.Find(name); x != nil {
			return x
		}
	}
	return nil
}

// OptionalPath is an InputPath or OutputPath: absent means "$", null means the state
// sees (or emits) an empty object.
type OptionalPath struct {
	Null bool
	Path *jsonpath.Path // nil with Null false means "$"
}

// ResultPath says where the result goes: absent means "$" (the result replaces the
// input), null means the result is dropped and the input passes through.
type ResultPath struct {
	Null bool
	Ref  *jsonpath.Reference // nil with Null false means "$"
}

// Retrier is one entry of Retry.
type Retrier struct {
	ErrorEquals     []string
	IntervalSeconds int64
	MaxAttempts     int64
	BackoffRate     float64
	MaxDelaySeconds int64 // 0: no cap
	JitterFull      bool
}

// Catcher is one entry of Catch.
type Catcher struct {
	ErrorEquals []string
	Next        string
	ResultPath  ResultPath
	Assign      *template.Template
	Output      *template.Template // JSONata
}

// IntOrPath is a number given literally or read from the input by a path, such as
// TimeoutSeconds/TimeoutSecondsPath.
type IntOrPath struct {
	Set   bool
	Value int64
	Path  *jsonpath.Path
	Expr  *template.Template // JSONata: "{% ... %}"
}

// FloatOrPath is IntOrPath for ToleratedFailurePercentage.
type FloatOrPath struct {
	Set   bool
	Value float64
	Path  *jsonpath.Path
	Expr  *template.Template // JSONata
}

// State is one state of any type; the fields that apply depend on Type.
type State struct {
	Name          string
	Type          StateType
	Comment       string
	QueryLanguage string
	Location      string // JSON pointer, e.g. "/States/Check"

	Next string
	End  bool

	InputPath      OptionalPath
	OutputPath     OptionalPath
	Parameters     *template.Template
	ResultSelector *template.Template
	ResultPath     ResultPath
	Assign         *template.Template
	Retry          []Retrier
	Catch          []Catcher

	// JSONata fields.
	Arguments    *template.Template
	Output       *template.Template
	Items        *template.Template
	Rules        []*Rule // a JSONata Choice's rules
	TimestampExp *template.Template
	ErrorExp     *template.Template
	CauseExp     *template.Template

	// Task
	Resource         string
	TimeoutSeconds   IntOrPath
	HeartbeatSeconds IntOrPath
	Credentials      *template.Template

	// Pass
	Result    value.Value
	HasResult bool

	// Choice
	Choices []*choice.Rule
	// ChoiceAssign holds each rule's Assign, compiled (nil where a rule has none).
	ChoiceAssign []*template.Template
	Default      string

	// Wait: exactly one is set.
	Seconds       IntOrPath
	Timestamp     time.Time
	HasTimestamp  bool
	TimestampPath *jsonpath.Path

	// Fail
	Error     string
	Cause     string
	ErrorPath *template.Template
	CausePath *template.Template

	// Parallel
	Branches []*Scope

	// Map
	ItemProcessor         *Scope
	ProcessorMode         string // INLINE or DISTRIBUTED
	ExecutionType         string // for DISTRIBUTED
	ItemsPath             *jsonpath.Path
	ItemSelector          *template.Template
	MaxConcurrency        IntOrPath
	ToleratedFailureCount IntOrPath
	ToleratedFailurePct   FloatOrPath
	ItemBatcher           *ItemBatcher
	Label                 string
	ItemReader            *ItemReader
	ResultWriter          *ResultWriter

	// Source is the state's object as written.
	Source *value.Object
	// UsesContext is set when the state's own fields mention the context object ($$),
	// so the engine builds it only for those states.
	UsesContext bool
}

// ItemBatcher groups Map items into batches.
type ItemBatcher struct {
	MaxItemsPerBatch      IntOrPath
	MaxInputBytesPerBatch IntOrPath
	BatchInput            *template.Template
}

// IsTerminal reports whether the state ends its scope when it completes.
func (s *State) IsTerminal() bool {
	return s.End || s.Type == Succeed || s.Type == Fail
}

// Transitions lists the names of the states this one can go to, in the order a
// reader expects: Next, the Choice rules then Default, then the catchers.
func (s *State) Transitions() []string {
	var out []string
	if s.Next != "" {
		out = append(out, s.Next)
	}
	for _, r := range s.Choices {
		out = append(out, r.Next())
	}
	for _, r := range s.Rules {
		out = append(out, r.Next)
	}
	if s.Default != "" {
		out = append(out, s.Default)
	}
	for _, c := range s.Catch {
		out = append(out, c.Next)
	}
	return out
}

// Rule is one rule of a JSONata Choice state.
type Rule struct {
	Condition *template.Template // nil with Literal set: a literal true or false
	Literal   bool
	Next      string
	Output    *template.Template
	Assign    *template.Template
}

// String is a short form of the rule for graph labels.
func (r *Rule) String() string {
	if r.Condition == nil {
		if r.Literal {
			return "true"
		}
		return "false"
	}
	return r.Condition.Expression()
}

// IsJSONata reports whether the state uses the JSONata query language.
func (s *State) IsJSONata() bool { return s.QueryLanguage == JSONata }
