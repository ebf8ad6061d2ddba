// Package localtask runs Task states for real on this machine: a local command per
// resource pattern (JSON on stdin, JSON on stdout), or Lambda functions on a
// Lambda-compatible endpoint such as `sam local start-lambda`.
//
// # The handlers file (--handlers FILE)
//
//	{"handlers": [
//	  {"resource": "arn:aws:states:::lambda:invoke",
//	   "command": ["python3", "handler.py"],
//	   "timeoutSeconds": 30, "env": {"STAGE": "local"}, "dir": "."}
//	]}
//
// resource is a resource ARN or a path.Match pattern over it ("arn:aws:lambda:*"). An
// exact resource beats a pattern; among patterns the first listed wins. command is an
// argv, executed directly and never through a shell. dir, relative to the handlers
// file's folder, is where it runs (default: that folder). The command inherits this
// process's environment plus env, and STEPDECK_STATE_NAME, STEPDECK_RESOURCE,
// STEPDECK_ATTEMPT and, for .waitForTaskToken tasks, STEPDECK_TASK_TOKEN.
//
// The command reads the task's effective input (Parameters) as JSON on stdin and prints
// the result as JSON on stdout. A non-zero exit fails the task: with the error and cause
// of a JSON object on stdout or stderr ({"errorType", "errorMessage"} as Lambda runtimes
// print them, or {"Error", "Cause"}), else States.TaskFailed with stderr as the cause.
// A command that outlives timeoutSeconds (or the state's TimeoutSeconds, if shorter) is
// killed with its whole process group and the task fails with States.Timeout.
//
// "waitForCallback": true makes a .waitForTaskToken task wait, after the command
// succeeds, for SendTaskSuccess or SendTaskFailure on its token; the command's output is
// then the submission's reply. Without it the output is the task's result at once, as
// with a mock.
package localtask
