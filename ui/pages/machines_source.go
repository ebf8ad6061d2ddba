package pages

import "github.com/stepdeck/stepdeck/ui/common"

// sourceCell is the Source column of a machine loaded from a file: the file and
// logical id it came from, or, when its latest edit does not validate, the problem
// placed at its line and column (the machine keeps its last valid definition).
func sourceCell(s common.Sources, name string) string {
	origin, problem, ok := s.Origin(name)
	switch {
	case !ok:
		return "-"
	case problem != "":
		return common.Line("✗ "+problem, 0)
	}
	return common.Line(origin, 0)
}

// showSources tells whether the machines list has a Source column: on the local
// engine, once machines were loaded from files.
func showSources(c *common.Common) bool { return c.Sources != nil && c.Local && c.Sources.Count() > 0 }
