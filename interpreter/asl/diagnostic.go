package asl

import (
	"fmt"
	"strings"
)

// Diagnostic is one problem in a definition, shaped like AWS's
// ValidateStateMachineDefinition diagnostics.
type Diagnostic struct {
	Severity string // ERROR or WARNING
	Code     string // e.g. SCHEMA_VALIDATION_FAILED
	Message  string // AWS's wording, without the location
	Location string // JSON pointer into the definition; may be empty
	// Detail says more than AWS does, for people; it is not part of AWS's message.
	Detail string
	// Line and Column (from 1) are where Location is in the definition's text, when the
	// definition was parsed from text (Parse); 0 otherwise.
	Line, Column int
}

// Diagnostic codes AWS uses.
const (
	SchemaValidationFailed  = "SCHEMA_VALIDATION_FAILED"
	InvalidJSONDescription  = "INVALID_JSON_DESCRIPTION"
	MissingTransitionTarget = "MISSING_TRANSITION_TARGET"
	DuplicateStateName      = "DUPLICATE_STATE_NAME"
	InvalidStateName        = "INVALID_STATE_NAME"
	InvalidResource         = "INVALID_RESOURCE"
	TooDeeplyNested         = "TOO_DEEPLY_NESTED"
	MissingEndState         = "MISSING_END_STATE"
)

func (d Diagnostic) String() string {
	s := d.Code + ": " + d.Message
	if d.Location != "" {
		s += " at " + d.Location
	}
	return s
}

// Error is the error a definition with problems gets. Its message is AWS's
// InvalidDefinition message, so the service can return it as is.
type Error struct {
	Diagnostics []Diagnostic
}

func (e *Error) Error() string {
	parts := make([]string, 0, len(e.Diagnostics))
	for _, d := range e.Diagnostics {
		if d.Severity == "ERROR" {
			parts = append(parts, d.String())
		}
	}
	return fmt.Sprintf("Invalid State Machine Definition: '%s'", strings.Join(parts, ", "))
}

// Report prints the diagnostics for a person: one per line, with the detail.
func (e *Error) Report() string {
	var b strings.Builder
	for _, d := range e.Diagnostics {
		b.WriteString(d.String())
		if d.Detail != "" {
			b.WriteString(" (" + d.Detail + ")")
		}
		b.WriteByte('\n')
	}
	return b.String()
}
