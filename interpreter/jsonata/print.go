package jsonata

import (
	"strings"
)

// String prints the expression back from its syntax tree, fully parenthesised where
// precedence could be misread, so that tests and error messages show how it was parsed.
func (e *Expr) String() string {
	var b strings.Builder
	printNode(&b, e.root)
	return b.String()
}

func printNode(b *strings.Builder, n *node) {
	switch n.kind {
	case nPath:
		for i, s := range n.steps {
			if i > 0 && s.kind != nSort {
				b.WriteByte('.')
			}
			printNode(b, s)
		}
		if n.keepSingleton && (len(n.steps) == 0 || !n.steps[len(n.steps)-1].keepArray) {
			b.WriteString("[]")
		}
	case nName:
		if isPlainName(n.str) {
			b.WriteString(n.str)
		} else {
			b.WriteString("`" + n.str + "`")
		}
	case nString:
		b.Write(appendJSString(nil, n.str))
	case nNumber:
		b.WriteString(formatNumber(n.num))
	case nValue:
		b.WriteString(n.str)
	case nRegex:
		b.WriteString(n.str)
	case nVariable:
		b.WriteString("$" + n.str)
	case nWildcard:
		b.WriteString("*")
	case nDescendant:
		b.WriteString("**")
	case nParent:
		b.WriteString("%")
	case nNeg:
		b.WriteString("-")
		printOperand(b, n.lhs)
	case nBinary:
		printOperand(b, n.lhs)
		b.WriteString(" " + n.str + " ")
		printOperand(b, n.rhs)
	case nArray:
		b.WriteByte('[')
		printList(b, n.items)
		b.WriteByte(']')
	case nObject:
		printPairs(b, n.pairs)
	case nBlock:
		b.WriteByte('(')
		for i, e := range n.items {
			if i > 0 {
				b.WriteString("; ")
			}
			printNode(b, e)
		}
		b.WriteByte(')')
	case nCondition:
		printOperand(b, n.cond)
		b.WriteString(" ? ")
		printOperand(b, n.then)
		if n.els != nil {
			b.WriteString(" : ")
			printOperand(b, n.els)
		}
	case nElvis:
		printOperand(b, n.lhs)
		b.WriteString(" ?: ")
		printOperand(b, n.rhs)
	case nCoalesce:
		printOperand(b, n.lhs)
		b.WriteString(" ?? ")
		printOperand(b, n.rhs)
	case nBind:
		printNode(b, n.lhs)
		b.WriteString(" := ")
		printOperand(b, n.rhs)
	case nCall, nPartial:
		printOperand(b, n.proc)
		b.WriteByte('(')
		printList(b, n.items)
		b.WriteByte(')')
	case nPlaceholder:
		b.WriteByte('?')
	case nLambda:
		if n.thunk {
			printNode(b, n.body)
			break
		}
		b.WriteString("function(")
		printList(b, n.items)
		b.WriteByte(')')
		if n.sig != nil {
			b.WriteString(n.sig.text)
		}
		b.WriteString("{")
		printNode(b, n.body)
		b.WriteString("}")
	case nApply:
		printOperand(b, n.lhs)
		b.WriteString(" ~> ")
		printOperand(b, n.rhs)
	case nTransform:
		b.WriteString("|")
		printNode(b, n.lhs)
		b.WriteString("|")
		printNode(b, n.update)
		if n.del != nil {
			b.WriteString(", ")
			printNode(b, n.del)
		}
		b.WriteString("|")
	case nSort:
		b.WriteString("^(")
		for i, t := range n.terms {
			if i > 0 {
				b.WriteString(", ")
			}
			if t.desc {
				b.WriteByte('>')
			}
			printNode(b, t.expr)
		}
		b.WriteByte(')')
	}
	printAnnotations(b, n)
}

func printAnnotations(b *strings.Builder, n *node) {
	if n.focus != "" {
		b.WriteString("@$" + n.focus)
	}
	if n.index != "" {
		b.WriteString("#$" + n.index)
	}
	for _, list := range [][]stage{n.stages, n.predicate} {
		for _, st := range list {
			if st.kind == stageIndex {
				b.WriteString("#$" + st.index)
				continue
			}
			b.WriteByte('[')
			printNode(b, st.expr)
			b.WriteByte(']')
		}
	}
	if n.keepArray && n.kind != nPath {
		b.WriteString("[]")
	}
	if n.group != nil {
		printPairs(b, n.group.pairs)
	}
}

// printOperand parenthesises compound operands so the printed text parses back to the
// same tree.
func printOperand(b *strings.Builder, n *node) {
	switch n.kind {
	case nBinary, nCondition, nElvis, nCoalesce, nBind, nApply, nNeg:
		if n.predicate == nil && n.group == nil {
			b.WriteByte('(')
			printNode(b, n)
			b.WriteByte(')')
			return
		}
	}
	printNode(b, n)
}

func printList(b *strings.Builder, items []*node) {
	for i, e := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		printNode(b, e)
	}
}

func printPairs(b *strings.Builder, pairs []pair) {
	b.WriteByte('{')
	for i, p := range pairs {
		if i > 0 {
			b.WriteString(", ")
		}
		printNode(b, p.key)
		b.WriteString(": ")
		printNode(b, p.val)
	}
	b.WriteByte('}')
}

func isPlainName(s string) bool {
	if s == "" {
		return false
	}
	switch s {
	case "and", "or", "in", "true", "false", "null", "function", "λ":
		return false
	}
	if s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if isNameEnd(s[i]) || s[i] == '$' {
			return false
		}
	}
	return true
}
