// Package client is what the UI talks to: one interface with the Step Functions
// operations and the SDK's own types, implemented by real AWS (or any endpoint that
// speaks the Step Functions API) and by the local service in process. On top of that
// interface it offers what every backend needs the same way: a history follower that
// pages forward without downloading a history twice, and a finder for tasks waiting on a
// task token.
package client
