package jsonata

// The parent operator (%) is resolved at parse time: each % starts as a slot that must
// climb one step; as the enclosing path is assembled, the slot is walked back over the
// preceding steps until it reaches the step whose input is the parent. That step is told
// to remember its input under the slot's label, and % reads the label at run time.

// pushAncestry records on result the parent slots that value still has to resolve.
func pushAncestry(result, value *node) {
	if value == nil {
		return
	}
	if value.seekingParent == nil && value.kind != nParent {
		return
	}
	slots := append([]*slot(nil), value.seekingParent...)
	if value.kind == nParent {
		slots = append(slots, value.slot)
	}
	result.seekingParent = append(result.seekingParent, slots...)
}

func (p *parser) seekParent(n *node, s *slot) *slot {
	switch n.kind {
	case nName, nWildcard:
		s.level--
		if s.level == 0 {
			if n.ancestor == nil {
				n.ancestor = s
			} else {
				// Two slots land on the same step: share one label.
				p.ancestors[s.index].slot.label = n.ancestor.label
				n.ancestor = s
			}
			n.tuple = true
		}
	case nParent:
		s.level++
	case nBlock:
		if len(n.items) > 0 {
			n.tuple = true
			s = p.seekParent(n.items[len(n.items)-1], s)
		}
	case nPath:
		n.tuple = true
		i := len(n.steps) - 1
		s = p.seekParent(n.steps[i], s)
		i--
		for s.level > 0 && i >= 0 {
			s = p.seekParent(n.steps[i], s)
			i--
		}
	default:
		panic(newError("S0217", n.pos, kindName(n.kind), nil))
	}
	return s
}

func (p *parser) resolveAncestry(path *node) {
	last := path.steps[len(path.steps)-1]
	slots := append([]*slot(nil), last.seekingParent...)
	if last.kind == nParent {
		slots = append(slots, last.slot)
	}
	for _, s := range slots {
		i := len(path.steps) - 2
		for s.level > 0 {
			if i < 0 {
				path.seekingParent = append(path.seekingParent, s)
				break
			}
			step := path.steps[i]
			i--
			for i >= 0 && step.focus != "" && path.steps[i].focus != "" {
				step = path.steps[i]
				i--
			}
			s = p.seekParent(step, s)
		}
	}
}

func kindName(k nodeKind) string {
	switch k {
	case nPath:
		return "path"
	case nBinary:
		return "binary"
	case nNeg:
		return "unary"
	case nArray:
		return "array"
	case nObject:
		return "object"
	case nName:
		return "name"
	case nString:
		return "string"
	case nNumber:
		return "number"
	case nValue:
		return "value"
	case nWildcard:
		return "wildcard"
	case nDescendant:
		return "descendant"
	case nParent:
		return "parent"
	case nCondition, nElvis, nCoalesce:
		return "condition"
	case nBlock:
		return "block"
	case nBind:
		return "bind"
	case nRegex:
		return "regex"
	case nCall:
		return "function"
	case nPartial:
		return "partial"
	case nVariable:
		return "variable"
	case nLambda:
		return "lambda"
	case nApply:
		return "apply"
	case nTransform:
		return "transform"
	case nSort:
		return "sort"
	}
	return "?"
}
