package jsonata

// nodeKind names what a node of the processed syntax tree does. The parser builds the
// processed form directly: paths are flattened into steps, predicates become stages of
// the step they filter, and parent (%) references are resolved to the step they climb to.
type nodeKind uint8

const (
	nPath nodeKind = iota
	nBinary
	nNeg
	nArray
	nObject
	nName
	nString
	nNumber
	nValue
	nWildcard
	nDescendant
	nParent
	nCondition
	nElvis
	nCoalesce
	nBlock
	nBind
	nRegex
	nCall
	nPartial
	nPlaceholder
	nVariable
	nLambda
	nApply
	nTransform
	nSort
)

type binOp uint8

const (
	opAdd binOp = iota
	opSub
	opMul
	opDiv
	opMod
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opConcat
	opAnd
	opOr
	opIn
	opRange
)

var binOps = map[string]binOp{
	"+": opAdd, "-": opSub, "*": opMul, "/": opDiv, "%": opMod,
	"=": opEq, "!=": opNe, "<": opLt, "<=": opLe, ">": opGt, ">=": opGe,
	"&": opConcat, "and": opAnd, "or": opOr, "in": opIn, "..": opRange,
}

type node struct {
	kind nodeKind
	op   binOp
	pos  int
	str  string // name, variable, string literal, operator symbol
	num  float64
	val  any // literal of nValue and nNumber (as an evaluator value)

	lhs, rhs *node
	items    []*node // array items, block expressions, call arguments, lambda parameters
	pairs    []pair
	steps    []*node
	proc     *node // procedure of a call
	body     *node
	cond     *node
	then     *node
	els      *node
	update   *node
	del      *node
	sig      *signature
	re       *regexLit
	terms    []sortTerm

	// Step annotations.
	stages    []stage
	predicate []stage
	group     *group
	focus     string
	index     string
	tuple     bool
	keepArray bool
	// keepSingleton marks a path containing a `[]` step: its result stays an array.
	keepSingleton bool
	consArray     bool
	thunk         bool
	// simple marks a path of one plain field name, evaluated without sequences.
	simple bool
	// scope marks a block that may bind variables and so needs its own frame.
	scope bool

	// Parent operator bookkeeping.
	slot          *slot
	seekingParent []*slot
	ancestor      *slot
}

type pair struct{ key, val *node }

type group struct {
	pairs []pair
	pos   int
}

type sortTerm struct {
	desc bool
	expr *node
}

type stageKind uint8

const (
	stageFilter stageKind = iota
	stageIndex
)

type stage struct {
	kind  stageKind
	expr  *node
	index string
	pos   int
}

// slot is a pending parent reference: level says how many steps up it still has to climb.
type slot struct {
	label string
	level int
	index int
}
