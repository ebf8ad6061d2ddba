package engine

import (
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// AWS keeps payloads as text and passes a payload that no state changed on verbatim:
// the execution input keeps its spacing in every event that shows it unchanged, and a
// Parallel or Map result joins the texts of its branches. To print what AWS prints, the
// engine remembers the text of such payloads by the identity of their container.

func textKey(v value.Value) any {
	switch x := v.(type) {
	case *value.Object:
		return x
	case []any:
		if len(x) > 0 {
			return &x[0]
		}
	}
	return nil
}

func (e *Execution) rememberText(v value.Value, text string) {
	k := textKey(v)
	if k == nil {
		return
	}
	if e.texts == nil {
		e.texts = map[any]string{}
	}
	e.texts[k] = text
}

// jsonText is the JSON text of a payload as AWS would record it.
func (e *Execution) jsonText(v value.Value) *string {
	s := e.text(v)
	return &s
}

func (e *Execution) text(v value.Value) string {
	if e.texts != nil {
		if k := textKey(v); k != nil {
			if s, ok := e.texts[k]; ok {
				return s
			}
		}
	}
	return value.String(v)
}

// joinTexts records the text of a Parallel or Map result when one of its elements has
// a remembered text.
func (e *Execution) joinTexts(results []any) {
	if e.texts == nil {
		return
	}
	known := false
	for _, r := range results {
		if k := textKey(r); k != nil {
			if _, ok := e.texts[k]; ok {
				known = true
				break
			}
		}
	}
	if !known {
		return
	}
	parts := make([]string, len(results))
	for i, r := range results {
		parts[i] = e.text(r)
	}
	e.rememberText(results, "["+strings.Join(parts, ",")+"]")
}

// OutputText is the execution's output as AWS would return it.
func (e *Execution) OutputText() string { return e.text(e.Output) }
