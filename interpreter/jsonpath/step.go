package jsonpath

// kind is the sort of a path step, after Jayway's path tokens.
type kind uint8

const (
	kProp   kind = iota // ['a'] or ['a','b']
	kIndex              // [0] or [0,2]
	kSlice              // [1:3], [:2], [-2:]
	kWild               // [*] or .*
	kScan               // .. : applies the next step at every depth
	kFilter             // [?(...)]
	kFunc               // .length() and friends, last step only
)

type step struct {
	kind    kind
	names   []string
	idx     []int
	from    int
	to      int
	hasFrom bool
	hasTo   bool
	filter  expr
	fn      string
	pos     int // offset in the source, for messages

	leaf       bool // last step of its path
	upDefinite bool // every step before it is definite
}

// definite reports whether the step, as a Jayway token, yields at most one node. A
// union of names at the end of a path is definite: Jayway merges it into one object.
func (s *step) definite() bool {
	switch s.kind {
	case kProp:
		return len(s.names) == 1 || s.leaf
	case kIndex:
		return len(s.idx) == 1
	case kFunc:
		return true
	}
	return false
}

// link fills in leaf and upDefinite and reports whether the whole path is definite
// and whether it is made only of single names and indexes.
func link(steps []step) (definite, simple bool) {
	definite, simple = true, true
	for i := range steps {
		s := &steps[i]
		s.leaf = i == len(steps)-1
		s.upDefinite = definite
		if !s.definite() {
			definite = false
		}
		switch {
		case s.kind == kProp && len(s.names) == 1:
		case s.kind == kIndex && len(s.idx) == 1:
		default:
			simple = false
		}
	}
	return definite, simple
}
