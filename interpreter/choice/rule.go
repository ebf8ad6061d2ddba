// Package choice implements the rules of a Choice state in the JSONPath query
// language: it parses and validates one entry of a "Choices" array, evaluates it
// against a state's input, and prints it briefly for graph edge labels.
package choice

import (
	"time"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// kind says what a rule is: a comparison of Variable, or a combination of rules.
type kind uint8

const (
	kindCompare kind = iota
	kindAnd
	kindOr
	kindNot
)

// Rule is one parsed Choice rule: Variable with one operator, or And, Or or Not
// over nested rules. It is immutable once parsed and safe for concurrent use.
type Rule struct {
	// Assign is a top-level rule's Assign, as written; the engine evaluates it when
	// the rule matches. Nil when the rule has none.
	Assign value.Value
	// Output is a top-level rule's Output, as written, kept for the JSONata query
	// language. Nil when the rule has none.
	Output value.Value
	// Comment is the rule's Comment, if any.
	Comment string

	next     string
	kind     kind
	children []*Rule

	op       *operator
	variable *jsonpath.Path
	operand  *jsonpath.Path // the right side of a ...Path operator
	literal  value.Value    // the right side of any other operator, as written
	str      string
	num      float64
	time     time.Time
	flag     bool // BooleanEquals and the Is... operators
	pat      pattern

	// Prepared once so a missing value costs no formatting at run time.
	missingVariable string
	missingOperand  string
}

// Next is the state a top-level rule leads to; empty for a nested rule.
func (r *Rule) Next() string { return r.next }

// Operator is the rule's ASL operator name, e.g. "NumericLessThan", or "And", "Or"
// or "Not" for a combination.
func (r *Rule) Operator() string {
	switch r.kind {
	case kindAnd:
		return "And"
	case kindOr:
		return "Or"
	case kindNot:
		return "Not"
	}
	return r.op.name
}

// Variable is the source text of the path the rule tests; empty for And, Or, Not.
func (r *Rule) Variable() string {
	if r.variable == nil {
		return ""
	}
	return r.variable.String()
}

// Operand is the right side as written: the literal value, or the path text of a
// ...Path operator. Nil for And, Or and Not.
func (r *Rule) Operand() value.Value {
	if r.operand != nil {
		return r.operand.String()
	}
	return r.literal
}

// Children are the rules And and Or combine, or the one rule Not negates.
func (r *Rule) Children() []*Rule { return r.children }
