// Package intrinsic implements the States.* intrinsic functions of Step Functions'
// JSONPath query language, as written in ".$" values, Fail's ErrorPath and CausePath and
// JSONPath Assign:
//
//	States.Format('Hello {}, you have {} items', $.name, States.ArrayLength($.items))
//
// A call is parsed once (Parse) into a tree and evaluated many times (Call.Eval). Parse
// rejects what a definition must not contain: bad syntax, unknown functions, a wrong number
// of arguments, nesting deeper than ten calls. Eval checks the argument values and fails
// with States.IntrinsicFailure, or with States.Runtime when a path argument selects
// nothing, as AWS does.
package intrinsic
