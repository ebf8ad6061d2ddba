package jsonata

// The parser is a Pratt parser: each token has a left binding power, a prefix (nud) and
// an infix (led) meaning. It builds the processed tree in one pass (see ast.go).

var lbps = map[string]int{
	".": 75, "[": 80, "{": 70, "(": 80, "@": 80, "#": 80, "?": 20,
	"+": 50, "-": 50, "*": 60, "/": 60, "%": 60, "=": 40, "<": 40, ">": 40, "^": 40,
	":=": 10, "!=": 40, "<=": 40, ">=": 40, "~>": 40, "?:": 40, "??": 40,
	"and": 30, "or": 25, "in": 40, "&": 50,
}

type parser struct {
	lx        lexer
	cur       token
	ancestors []*node // parent (%) nodes, by slot index
	labels    int
	deferred  *Error
	nesting   int
}

func parse(src string) (*node, error) {
	p := &parser{lx: lexer{src: src}}
	var root *node
	err := catch(func() {
		p.advanceOperand()
		root = p.expression(0)
		if p.cur.kind != tokEnd {
			panic(newError("S0201", p.cur.pos, p.cur.text, nil))
		}
		if p.deferred != nil {
			panic(p.deferred)
		}
		if unresolved(root) {
			panic(newError("S0217", root.pos, "parent", nil))
		}
	})
	if err == nil {
		walk(root, markSimple)
		walk(root, markScope)
	}
	return root, err
}

func markSimple(n *node) {
	if n.kind != nPath || len(n.steps) != 1 || n.keepSingleton || n.group != nil || n.tuple || n.predicate != nil || n.keepArray {
		return
	}
	s := n.steps[0]
	n.simple = s.kind == nName && s.stages == nil && s.predicate == nil && s.group == nil &&
		s.focus == "" && s.index == "" && !s.tuple && !s.keepArray && s.ancestor == nil
}

// walk calls f on every node of the tree.
func walk(n *node, f func(*node)) {
	if n == nil {
		return
	}
	f(n)
	for _, c := range []*node{n.lhs, n.rhs, n.proc, n.body, n.cond, n.then, n.els, n.update, n.del} {
		walk(c, f)
	}
	for _, c := range n.items {
		walk(c, f)
	}
	for _, c := range n.steps {
		walk(c, f)
	}
	for _, p := range n.pairs {
		walk(p.key, f)
		walk(p.val, f)
	}
	for _, t := range n.terms {
		walk(t.expr, f)
	}
	for _, st := range n.stages {
		walk(st.expr, f)
	}
	for _, st := range n.predicate {
		walk(st.expr, f)
	}
	if n.group != nil {
		for _, p := range n.group.pairs {
			walk(p.key, f)
			walk(p.val, f)
		}
	}
}

// catch turns the parser's own panics, which carry an *Error, into an ordinary error.
// Any other panic (an index out of range, a nil dereference) is a bug in the parser and
// is panicked again, as text/template/parse does: hiding it as a syntax error would let
// tests and fuzzing pass over it.
func catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			err = e
		}
	}()
	f()
	return nil
}

func (p *parser) fail(code string, t token, v any) {
	panic(newError(code, t.pos, tokenText(t), v))
}

func tokenText(t token) string {
	if t.kind == tokEnd {
		return "(end)"
	}
	return t.text
}

func (p *parser) advanceWith(operand bool) {
	t, err := p.lx.next(operand)
	if err != nil {
		panic(err)
	}
	p.cur = t
}

func (p *parser) advanceOperand() { p.advanceWith(true) }

// expect consumes the operator id; operand says whether what follows may be an operand.
func (p *parser) expect(id string, operand bool) {
	if p.cur.kind != tokOperator || p.cur.text != id {
		if p.cur.kind == tokEnd {
			p.fail("S0203", p.cur, id)
		}
		p.fail("S0202", p.cur, id)
	}
	p.advanceWith(operand)
}

func (p *parser) is(id string) bool { return p.cur.kind == tokOperator && p.cur.text == id }

func (p *parser) lbp() int {
	if p.cur.kind != tokOperator {
		return 0
	}
	return lbps[p.cur.text]
}

// operandFollows reports whether a '/' after t would start a regular expression.
func operandFollows(t token) bool {
	if t.kind != tokOperator {
		return false
	}
	switch t.text {
	case ")", "]", "}", "*", "**", "%":
		return false
	}
	return true
}

// maxNesting bounds how deeply expressions may nest, so that no input can exhaust the
// stack of the parser or of the tree walks after it.
const maxNesting = 2000

func (p *parser) expression(rbp int) *node {
	p.nesting++
	defer func() { p.nesting-- }()
	if p.nesting > maxNesting {
		panic(newError("U1001", p.cur.pos, "", nil))
	}
	t := p.cur
	if t.kind == tokEnd {
		p.fail("S0207", t, nil)
	}
	p.advanceWith(operandFollows(t))
	left := p.nud(t)
	for rbp < p.lbp() {
		t = p.cur
		p.advanceOperand()
		left = p.led(t, left)
	}
	return left
}

func (p *parser) nud(t token) *node {
	switch t.kind {
	case tokName:
		return &node{kind: nPath, pos: t.pos, steps: []*node{{kind: nName, str: t.text, pos: t.pos}}}
	case tokVariable:
		return &node{kind: nVariable, str: t.text, pos: t.pos}
	case tokString:
		return &node{kind: nString, str: t.text, val: t.text, pos: t.pos}
	case tokNumber:
		return &node{kind: nNumber, num: t.num, val: t.num, pos: t.pos}
	case tokValue:
		return &node{kind: nValue, str: t.text, val: t.val, pos: t.pos}
	case tokRegex:
		return &node{kind: nRegex, re: t.re, str: t.text, pos: t.pos}
	}
	switch t.text {
	case "and", "or", "in":
		return &node{kind: nPath, pos: t.pos, steps: []*node{{kind: nName, str: t.text, pos: t.pos}}}
	case "-":
		e := p.expression(70)
		if e.kind == nNumber {
			e.num = -e.num
			e.val = e.num
			return e
		}
		n := &node{kind: nNeg, lhs: e, pos: t.pos}
		pushAncestry(n, e)
		return n
	case "*":
		return &node{kind: nWildcard, str: "*", pos: t.pos}
	case "**":
		return &node{kind: nDescendant, str: "**", pos: t.pos}
	case "%":
		s := &slot{label: "!" + itoa(p.labels), level: 1, index: len(p.ancestors)}
		p.labels++
		n := &node{kind: nParent, slot: s, pos: t.pos}
		p.ancestors = append(p.ancestors, n)
		return n
	case "(":
		return p.block(t)
	case "[":
		return p.arrayCons(t)
	case "{":
		n := &node{kind: nObject, pos: t.pos}
		n.pairs = p.pairs("}")
		for _, pr := range n.pairs {
			pushAncestry(n, pr.key)
			pushAncestry(n, pr.val)
		}
		return n
	case "|":
		n := &node{kind: nTransform, pos: t.pos}
		n.lhs = p.expression(0)
		p.expect("|", true)
		n.update = p.expression(0)
		if p.is(",") {
			p.advanceOperand()
			n.del = p.expression(0)
		}
		p.expect("|", false)
		return n
	}
	p.fail("S0211", t, nil)
	return nil
}

func (p *parser) block(t token) *node {
	n := &node{kind: nBlock, pos: t.pos}
	for !p.is(")") {
		e := p.expression(0)
		n.items = append(n.items, e)
		pushAncestry(n, e)
		if e.consArray || e.kind == nPath && e.steps[0].consArray {
			n.consArray = true
		}
		if !p.is(";") {
			break
		}
		p.advanceOperand()
	}
	p.expect(")", false)
	return n
}

func (p *parser) arrayCons(t token) *node {
	n := &node{kind: nArray, pos: t.pos}
	if !p.is("]") {
		for {
			item := p.expression(0)
			if p.is("..") {
				rt := p.cur
				p.advanceOperand()
				r := &node{kind: nBinary, op: opRange, str: "..", lhs: item, pos: rt.pos}
				r.rhs = p.expression(0)
				pushAncestry(r, item)
				pushAncestry(r, r.rhs)
				item = r
			}
			n.items = append(n.items, item)
			pushAncestry(n, item)
			if !p.is(",") {
				break
			}
			p.advanceOperand()
		}
	}
	p.expect("]", false)
	return n
}

func (p *parser) pairs(closer string) []pair {
	var out []pair
	if !p.is(closer) {
		for {
			k := p.expression(0)
			p.expect(":", true)
			v := p.expression(0)
			out = append(out, pair{k, v})
			if !p.is(",") {
				break
			}
			p.advanceOperand()
		}
	}
	p.expect(closer, false)
	return out
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}

func unresolved(n *node) bool {
	if n.kind == nParent {
		return true
	}
	for _, s := range n.seekingParent {
		if s.level > 0 {
			return true
		}
	}
	return false
}

func markScope(n *node) {
	if n.kind != nBlock {
		return
	}
	for _, e := range n.items {
		walk(e, func(c *node) {
			switch {
			case c.kind == nBind:
				n.scope = true
			case (c.kind == nCall || c.kind == nPartial) && c.proc.kind == nVariable && c.proc.str == "eval":
				// $eval may bind variables in the caller's scope.
				n.scope = true
			}
		})
	}
}
