package jsonata

func (p *parser) led(t token, left *node) *node {
	switch t.text {
	case ".":
		return p.dot(t, left, p.expression(75))
	case "(":
		return p.call(t, left)
	case "[":
		return p.predicate(t, left)
	case "{":
		if left.group != nil {
			p.fail("S0210", t, nil)
		}
		g := &group{pos: t.pos, pairs: p.pairs("}")}
		for _, pr := range g.pairs {
			pushAncestry(left, pr.key)
			pushAncestry(left, pr.val)
		}
		left.group = g
		return left
	case "^":
		return p.sort(t, left)
	case "@", "#":
		return p.bindStep(t, left)
	case "?":
		n := &node{kind: nCondition, cond: left, pos: t.pos}
		n.then = p.expression(0)
		pushAncestry(n, left)
		pushAncestry(n, n.then)
		if p.is(":") {
			p.advanceOperand()
			n.els = p.expression(0)
			pushAncestry(n, n.els)
		}
		return n
	case "?:":
		n := &node{kind: nElvis, lhs: left, pos: t.pos}
		n.rhs = p.expression(0)
		pushAncestry(n, left)
		pushAncestry(n, n.rhs)
		return n
	case "??":
		n := &node{kind: nCoalesce, lhs: left, pos: t.pos}
		n.rhs = p.expression(0)
		pushAncestry(n, left)
		pushAncestry(n, n.rhs)
		return n
	case ":=":
		if left.kind != nVariable || left.predicate != nil || left.group != nil || left.keepArray {
			p.fail("S0212", t, nil)
		}
		n := &node{kind: nBind, lhs: left, pos: t.pos}
		n.rhs = p.expression(lbps[":="] - 1)
		pushAncestry(n, n.rhs)
		return n
	case "~>":
		n := &node{kind: nApply, lhs: left, pos: t.pos}
		n.rhs = p.expression(lbps["~>"])
		n.keepArray = left.keepArray || n.rhs.keepArray
		pushAncestry(n, left)
		pushAncestry(n, n.rhs)
		return n
	}
	op, ok := binOps[t.text]
	if !ok {
		p.fail("S0204", t, nil)
	}
	n := &node{kind: nBinary, op: op, str: t.text, lhs: left, pos: t.pos}
	n.rhs = p.expression(lbps[t.text])
	pushAncestry(n, left)
	pushAncestry(n, n.rhs)
	return n
}

// dot joins two expressions into one path, flattening nested paths into one step list.
func (p *parser) dot(t token, lhs, rhs *node) *node {
	var path *node
	if lhs.kind == nPath {
		path = lhs
	} else {
		path = &node{kind: nPath, pos: lhs.pos, steps: []*node{lhs}}
		if lhs.kind == nParent {
			path.seekingParent = []*slot{lhs.slot}
		}
	}
	if rhs.kind == nPath {
		path.steps = append(path.steps, rhs.steps...)
	} else {
		if rhs.predicate != nil {
			rhs.stages = rhs.predicate
			rhs.predicate = nil
		}
		path.steps = append(path.steps, rhs)
	}
	for _, s := range path.steps {
		switch s.kind {
		case nNumber, nValue:
			// The reference finds this after parsing, so a syntax error later on wins.
			if p.deferred == nil {
				p.deferred = newError("S0213", s.pos, s.str, s.val)
			}
		case nString:
			s.kind = nName
		}
		if s.keepArray {
			path.keepSingleton = true
		}
	}
	if first := path.steps[0]; first.kind == nArray {
		first.consArray = true
	}
	if last := path.steps[len(path.steps)-1]; last.kind == nArray {
		last.consArray = true
	}
	p.resolveAncestry(path)
	return path
}

func (p *parser) call(t token, left *node) *node {
	if left.kind == nPath && len(left.steps) == 1 && left.steps[0].kind == nName &&
		(left.steps[0].str == "function" || left.steps[0].str == "λ") && left.steps[0].stages == nil {
		return p.lambda(t)
	}
	n := &node{kind: nCall, proc: left, pos: t.pos}
	if !p.is(")") {
		for {
			if p.is("?") {
				n.kind = nPartial
				n.items = append(n.items, &node{kind: nPlaceholder, pos: p.cur.pos})
				p.advanceWith(false)
			} else {
				a := p.expression(0)
				n.items = append(n.items, a)
				pushAncestry(n, a)
			}
			if !p.is(",") {
				break
			}
			p.advanceOperand()
		}
	}
	p.expect(")", false)
	return n
}

func (p *parser) lambda(t token) *node {
	n := &node{kind: nLambda, pos: t.pos}
	if !p.is(")") {
		for {
			if p.cur.kind != tokVariable {
				p.fail("S0208", p.cur, p.cur.text)
			}
			n.items = append(n.items, &node{kind: nVariable, str: p.cur.text, pos: p.cur.pos})
			p.advanceWith(false)
			if !p.is(",") {
				break
			}
			p.advanceOperand()
		}
	}
	p.expect(")", false)
	if p.is("<") {
		start := p.cur.pos
		text := "<"
		depth := 1
		for depth > 0 {
			p.advanceWith(false)
			switch {
			case p.cur.kind == tokEnd:
				p.fail("S0203", p.cur, ">")
			case p.is("<"):
				depth++
			case p.is(">"):
				depth--
			}
			text += p.cur.text
		}
		sig, err := parseSignature(text)
		if err != nil {
			if e, ok := err.(*Error); ok && e.Position == 0 {
				e.Position = start
			}
			panic(err)
		}
		n.sig = sig
		p.advanceOperand()
	}
	p.expect("{", true)
	n.body = tailCall(p.expression(0))
	p.expect("}", false)
	return n
}

// tailCall marks calls in tail position of a lambda body so that the evaluator can run
// them in a loop instead of recursing: deep tail recursion then uses no stack.
func tailCall(e *node) *node {
	switch e.kind {
	case nCall:
		if e.predicate == nil && e.group == nil && !e.keepArray {
			return &node{kind: nLambda, thunk: true, body: e, pos: e.pos, seekingParent: e.seekingParent}
		}
	case nCondition:
		e.then = tailCall(e.then)
		if e.els != nil {
			e.els = tailCall(e.els)
		}
	case nBlock:
		if len(e.items) > 0 {
			e.items[len(e.items)-1] = tailCall(e.items[len(e.items)-1])
		}
	}
	return e
}

func (p *parser) predicate(t token, left *node) *node {
	if p.is("]") {
		// `[]` keeps a singleton result as an array.
		p.advanceWith(false)
		step := left
		if left.kind == nPath {
			step = left.steps[len(left.steps)-1]
			left.keepSingleton = true
		}
		step.keepArray = true
		return left
	}
	expr := p.expression(0)
	p.expect("]", false)
	step := left
	onStages := false
	if left.kind == nPath {
		step = left.steps[len(left.steps)-1]
		onStages = true
	}
	if step.group != nil {
		p.fail("S0209", t, nil)
	}
	for _, s := range expr.seekingParent {
		if s.level == 1 {
			p.seekParent(step, s)
		} else {
			s.level--
		}
	}
	pushAncestry(step, expr)
	st := stage{kind: stageFilter, expr: expr, pos: t.pos}
	if onStages {
		step.stages = append(step.stages, st)
	} else {
		step.predicate = append(step.predicate, st)
	}
	return left
}

func (p *parser) sort(t token, left *node) *node {
	path := left
	if left.kind != nPath {
		path = &node{kind: nPath, pos: left.pos, steps: []*node{left}}
	}
	st := &node{kind: nSort, pos: t.pos}
	p.expect("(", true)
	for {
		desc := false
		if p.is("<") {
			p.advanceOperand()
		} else if p.is(">") {
			desc = true
			p.advanceOperand()
		}
		e := p.expression(0)
		pushAncestry(st, e)
		st.terms = append(st.terms, sortTerm{desc: desc, expr: e})
		if !p.is(",") {
			break
		}
		p.advanceOperand()
	}
	p.expect(")", false)
	path.steps = append(path.steps, st)
	p.resolveAncestry(path)
	return path
}

func (p *parser) bindStep(t token, left *node) *node {
	rhs := p.expression(lbps[t.text])
	if rhs.kind != nVariable {
		p.fail("S0214", t, nil)
	}
	if t.text == "@" {
		step := left
		if left.kind == nPath {
			step = left.steps[len(left.steps)-1]
		}
		if step.stages != nil || step.predicate != nil {
			p.fail("S0215", t, nil)
		}
		if step.kind == nSort {
			p.fail("S0216", t, nil)
		}
		step.focus = rhs.str
		step.tuple = true
		return left
	}
	path := left
	step := left
	if left.kind == nPath {
		step = left.steps[len(left.steps)-1]
	} else {
		path = &node{kind: nPath, pos: left.pos, steps: []*node{left}, seekingParent: left.seekingParent}
		if step.predicate != nil {
			step.stages = step.predicate
			step.predicate = nil
		}
	}
	if step.stages == nil {
		step.index = rhs.str
	} else {
		step.stages = append(step.stages, stage{kind: stageIndex, index: rhs.str, pos: t.pos})
	}
	step.tuple = true
	return path
}
