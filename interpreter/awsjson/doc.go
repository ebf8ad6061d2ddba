// Package awsjson encodes and decodes the Step Functions SDK's structs
// (github.com/aws/aws-sdk-go-v2/service/sfn and its types package) in the awsJson1_0 wire
// shape that AWS sends and accepts: lowerCamel member names, unset members omitted,
// timestamps as epoch seconds numbers.
//
// The SDK keeps its own (de)serializers unexported and per operation, and it only writes
// inputs and reads outputs; the local engine needs the other direction (reading requests,
// writing responses, writing histories for `stepdeck run --output json`). Reflection over
// the SDK's structs, with one codec per type built once and cached, gives every type in
// both directions from one small table of rules.
//
// Rules, as the SDK's generated code applies them:
//   - member name: the Go field name with its first letter lowered (no exceptions exist in
//     the sfn model; a test reads the SDK's generated code to keep that true);
//   - nil pointers, nil slices, nil maps, empty enum strings and zero time.Time are omitted;
//     non-pointer bools and numbers are always written, since AWS writes them
//     ("truncated": false, "previousEventId": 0);
//   - time.Time: epoch seconds with millisecond precision, as a JSON number;
//   - float32/float64: NaN and infinities as the strings "NaN", "Infinity", "-Infinity";
//   - []byte: base64 (smithy blobs; none in sfn today);
//   - unexported fields (document.NoSerde) and middleware.Metadata are skipped.
//
// Decoding is lenient where AWS's senders differ and strict where a value would be lost:
// unknown members are ignored, null is the same as absent, timestamps may be numbers or
// RFC 3339 strings, integral floats fill integer fields, and anything else is an *Error
// naming the member path.
package awsjson
