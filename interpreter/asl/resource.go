package asl

import "strings"

// optimizedActions lists, for the services whose optimized integrations we know in full,
// the actions Step Functions accepts (each may carry a .sync or .waitForTaskToken
// suffix). Any other action of these services is rejected as AWS rejects it; services
// not listed here are accepted as written.
var optimizedActions = map[string][]string{
	"lambda":   {"invoke"},
	"sqs":      {"sendMessage"},
	"sns":      {"publish"},
	"dynamodb": {"getItem", "putItem", "updateItem", "deleteItem"},
	"events":   {"putEvents"},
	"states":   {"startExecution"},
}

// knownResource reports whether a Task's Resource is one Step Functions would accept.
func knownResource(resource string) bool {
	if !strings.HasPrefix(resource, "arn:") {
		return false
	}
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) < 6 || parts[2] != "states" || parts[3] != "" || parts[4] != "" {
		return true // a function, activity or other resource ARN
	}
	service, action, ok := strings.Cut(parts[5], ":")
	if !ok {
		return false
	}
	actions, listed := optimizedActions[service]
	if !listed {
		return true
	}
	action, _, _ = strings.Cut(action, ".")
	for _, a := range actions {
		if a == action {
			return true
		}
	}
	return false
}
