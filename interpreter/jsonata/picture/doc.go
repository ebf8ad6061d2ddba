// Package picture formats and parses numbers and dates under picture strings, the way
// JSONata's built-in functions ($formatNumber, $formatInteger, $parseInteger, $fromMillis,
// $toMillis) do. The behaviour follows XPath/XQuery 3.1 fn:format-number,
// fn:format-integer and fn:format-dateTime as the JSONata reference implementation
// (jsonata-js 2.x) applies them, including its departures from the W3C text.
//
// The package knows nothing of the evaluator: arguments arrive as Go values and results
// leave as Go values. Errors carry the reference's error codes (D3xxx) so the evaluator can
// report them unchanged.
package picture
