package conformance

import "strings"

// AWS runs Parallel branches and Map iterations concurrently, so the order of their
// events, and with it their ids, differs between runs. Comparisons therefore treat the
// events of each outermost Parallel or Map block as an unordered set, and everything
// outside the blocks as a sequence.

// span is the half-open range of events [start, end) inside one outermost block.
type span struct{ start, end int }

// labelType and labelName split an event label "Type:StateName".
func labelType(l string) string { t, _, _ := strings.Cut(l, ":"); return t }
func labelName(l string) string { _, n, _ := strings.Cut(l, ":"); return n }

func blockFamily(t string) string {
	switch {
	case strings.HasPrefix(t, "ParallelState"):
		return "Parallel"
	case strings.HasPrefix(t, "MapState"):
		return "Map"
	}
	return ""
}

// blockSpans finds the outermost blocks in a list of event labels. A block opens after
// ParallelStateStarted/MapStateStarted and closes before the matching Succeeded, Failed
// or Aborted event. The recordings sorted with the Parallel transformer lack some of
// those closing events, so a ParallelStateExited/MapStateExited also closes every block
// opened inside the state it names. A block still open at the end runs to the end.
func blockSpans(labels []string) []span {
	type open struct {
		name  string
		start int
	}
	var stack []open
	var spans []span
	lastEntered := map[string]string{}
	closeTo := func(depth, at int) {
		if depth == 0 && len(stack) > 0 {
			spans = append(spans, span{stack[0].start, at})
		}
		stack = stack[:depth]
	}
	for i, l := range labels {
		t := labelType(l)
		fam := blockFamily(t)
		if fam == "" {
			continue
		}
		switch strings.TrimPrefix(t, fam+"State") {
		case "Entered":
			lastEntered[fam] = labelName(l)
		case "Started":
			stack = append(stack, open{name: lastEntered[fam], start: i + 1})
		case "Succeeded", "Failed", "Aborted":
			if len(stack) > 0 {
				closeTo(len(stack)-1, i)
			}
		case "Exited":
			for d := len(stack) - 1; d >= 0; d-- {
				if stack[d].name == labelName(l) {
					closeTo(d, i)
					break
				}
			}
		}
	}
	if len(stack) > 0 {
		closeTo(0, len(labels))
	}
	return spans
}

// segment is either one event (block false) or the events of one block.
type segment struct {
	start, end int
	block      bool
}

func segments(labels []string) []segment {
	var out []segment
	spans := blockSpans(labels)
	for i := 0; i < len(labels); {
		if len(spans) > 0 && spans[0].start == i {
			if spans[0].end > i {
				out = append(out, segment{i, spans[0].end, true})
				i = spans[0].end
			}
			spans = spans[1:]
			continue
		}
		out = append(out, segment{i, i + 1, false})
		i++
	}
	return out
}
