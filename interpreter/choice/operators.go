package choice

// family is what an operator compares: it decides the type both sides must have.
type family uint8

const (
	famString family = iota
	famNumeric
	famTimestamp
	famBoolean
	famMatches
	famIsNull
	famIsPresent
	famIsNumeric
	famIsString
	famIsBoolean
	famIsTimestamp
)

// comparison is the relation a String, Numeric or Timestamp operator tests.
type comparison uint8

const (
	cmpEquals comparison = iota
	cmpLessThan
	cmpGreaterThan
	cmpLessThanEquals
	cmpGreaterThanEquals
)

// symbol is how String() writes a comparison.
func (c comparison) symbol() string {
	return [...]string{"==", "<", ">", "<=", ">="}[c]
}

// holds reports whether the comparison accepts an ordering result (-1, 0, 1).
func (c comparison) holds(order int) bool {
	switch c {
	case cmpEquals:
		return order == 0
	case cmpLessThan:
		return order < 0
	case cmpGreaterThan:
		return order > 0
	case cmpLessThanEquals:
		return order <= 0
	default:
		return order >= 0
	}
}

// operator describes one comparison operator of the JSONPath Choice rule language.
type operator struct {
	name   string
	family family
	cmp    comparison
	isPath bool // the operand is a path to compare against, not a literal
}

// operators maps each ASL operator name to its description. Built once: the
// families multiply out to 44 names and spelling them by hand invites typos.
var operators = buildOperators()

func buildOperators() map[string]*operator {
	m := make(map[string]*operator, 48)
	add := func(op operator) { o := op; m[o.name] = &o }
	relations := []struct {
		suffix string
		cmp    comparison
	}{
		{"Equals", cmpEquals},
		{"LessThan", cmpLessThan},
		{"GreaterThan", cmpGreaterThan},
		{"LessThanEquals", cmpLessThanEquals},
		{"GreaterThanEquals", cmpGreaterThanEquals},
	}
	for _, f := range []struct {
		prefix string
		fam    family
	}{{"String", famString}, {"Numeric", famNumeric}, {"Timestamp", famTimestamp}} {
		for _, r := range relations {
			add(operator{name: f.prefix + r.suffix, family: f.fam, cmp: r.cmp})
			add(operator{name: f.prefix + r.suffix + "Path", family: f.fam, cmp: r.cmp, isPath: true})
		}
	}
	add(operator{name: "BooleanEquals", family: famBoolean})
	add(operator{name: "BooleanEqualsPath", family: famBoolean, isPath: true})
	add(operator{name: "StringMatches", family: famMatches})
	for _, t := range []struct {
		name string
		fam  family
	}{
		{"IsNull", famIsNull}, {"IsPresent", famIsPresent}, {"IsNumeric", famIsNumeric},
		{"IsString", famIsString}, {"IsBoolean", famIsBoolean}, {"IsTimestamp", famIsTimestamp},
	} {
		add(operator{name: t.name, family: t.fam})
	}
	return m
}

// isTypeTest reports whether the operator tests the Variable's type rather than
// comparing it with an operand.
func (o *operator) isTypeTest() bool { return o.family >= famIsNull }
