// Package mock reads Step Functions Local's mock configuration (MockConfigFile.json) and
// serves its mocked responses to the engine as task handlers.
//
// The file maps state machines to test cases, and test cases to the Task states they mock:
//
//	{
//	  "StateMachines": {
//	    "OrderFlow": {"TestCases": {"Happy": {"ChargeCard": "ChargeOk"}}}
//	  },
//	  "MockedResponses": {
//	    "ChargeOk": {
//	      "0":   {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "busy"}},
//	      "1-2": {"Return": {"StatusCode": 200, "Payload": {"ok": true}}}
//	    }
//	  }
//	}
//
// A response's keys are invocation indexes: "N" or an inclusive range "N-M", counted from
// 0 for each state in each execution, retries and Map iterations included, in call order.
// They must start at 0 and follow on without gap or overlap. An entry holds exactly one
// of Return (the raw service response, to which ResultSelector and ResultPath then apply,
// as in Step Functions Local) or Throw ({"Error", "Cause"}, both required).
//
// States a test case does not name are not mocked: the handler passes them on to a
// fallback (a real Lambda endpoint, a local command), as Step Functions Local's hybrid
// mode does.
//
// # Distributed Map: ItemReader and ResultWriter
//
// A distributed Map that reads its items (ItemReader) or writes its results
// (ResultWriter) makes its S3 calls under its own name, so a test case mocks them by
// the Map state's name. Call 0 is the read: for s3:getObject its Return is the object's
// body as a string ("id,qty\n7,2\n"), for s3:listObjectsV2 the listing
// ({"Contents": [...]}). With a ResultWriter, the calls that follow are its s3:putObject
// calls, one per file written:
//
//	"OrdersCsv": {"0": {"Return": "id,qty\n7,2\n"}, "1-2": {"Return": {"ETag": "e"}}}
//
// # Waiting for a callback (a stepdeck extension)
//
// A mocked .waitForTaskToken task normally completes at once with its Return value. An
// entry with "WaitForCallback": true makes it wait for a real SendTaskSuccess or
// SendTaskFailure instead, so a person can play the other side while the rest of the
// machine runs on mocks:
//
//	"ApprovalMock": {"0": {"WaitForCallback": true, "Return": {"MessageId": "m-1"}}}
//
// Return is then optional and is the service's reply to the submission (recorded in the
// TaskSubmitted event). The handler reports such an entry as a *CallbackWait error; a
// driver that can wait for callbacks turns it into engine.InputTaskSubmitted.
package mock
