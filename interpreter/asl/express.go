package asl

import "strings"

// CheckType returns the problems a definition has for a state machine type: an EXPRESS
// machine cannot wait for callbacks, run .sync integrations, call activities or run a
// distributed Map. The messages are AWS's, double space included.
func (d *Definition) CheckType(typ string) []Diagnostic {
	if typ != "EXPRESS" {
		return nil
	}
	var out []Diagnostic
	add := func(loc, msg string) {
		out = append(out, Diagnostic{Severity: "ERROR", Code: SchemaValidationFailed, Message: msg, Location: loc})
	}
	var walk func(*Scope)
	walk = func(s *Scope) {
		for _, name := range s.Order {
			st := s.States[name]
			switch {
			case st.Type == Task && strings.HasSuffix(st.Resource, ".waitForTaskToken"):
				add(st.Location+"/Resource", "Express state machine does not support '.waitForTaskToken' service integration ")
			case st.Type == Task && (strings.HasSuffix(st.Resource, ".sync") || strings.Contains(st.Resource, ".sync:")):
				add(st.Location+"/Resource", "Express state machine does not support '.sync' service integration")
			case st.Type == Task && strings.Contains(st.Resource, ":activity:"):
				add(st.Location+"/Resource", "Express state machine does not support Activity ARN")
			case st.Type == Map && st.ProcessorMode == "DISTRIBUTED":
				add(st.Location+"/ItemProcessor/ProcessorConfig/Mode", "Express state machine does not support Distributed Map")
			}
			for _, b := range st.Branches {
				walk(b)
			}
			if st.ItemProcessor != nil {
				walk(st.ItemProcessor)
			}
		}
	}
	walk(&d.Scope)
	return out
}

// ParseFor parses a definition for a state machine of the given type (STANDARD or
// EXPRESS), adding the problems that only that type has.
func ParseFor(data []byte, typ string) (*Definition, error) {
	d, src, err := parseText(data)
	if err != nil {
		return nil, err
	}
	if diags := d.CheckType(typ); len(diags) > 0 {
		locate(diags, src)
		return nil, &Error{Diagnostics: diags}
	}
	return d, nil
}
