// Package picture formats and parses numbers and dates under picture strings, the way
// JSONata's built-in functions ($formatNumber, $formatInteger, $parseInteger, $fromMillis,
// $toMillis) do. The behaviour follows XPath/XQuery 3.1 fn:format-number,
// fn:format-integer and fn:format-dateTime as the JSONata reference implementation
// (jsonata-js 2.x) applies them, including its departures from the W3C text.
//
// The package knows nothing of the evaluator: arguments arrive as Go values and results
// leave as Go values. Failures are of two kinds. An *Error carries the reference's error
// code (D3xxx) so the evaluator can raise it unchanged. ErrNoMatch means the input did not
// match its picture, for which the JSONata functions return undefined instead of failing.
//
// Analysed pictures are cached by their text, so applying one picture to many values
// analyses it once.
package picture
