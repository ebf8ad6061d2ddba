package graph

// Status is what an execution did with a state, as its history tells it.
type Status uint8

const (
	NotStarted Status = iota
	Running
	Succeeded
	Failed
	// Caught: the state failed and one of its Catch entries handled the error.
	Caught
	// Waiting: a task is out for a callback (.waitForTaskToken) or an activity worker.
	Waiting
	// Aborted: the state was cut off, by a failing sibling branch or by the execution
	// being stopped or timing out.
	Aborted
)

var statusNames = [...]string{"not started", "running", "succeeded", "failed", "caught", "waiting", "aborted"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}

// Marker is the one-cell sign of a status, so that it stays visible without colour:
// blank for a state not started.
func (s Status) Marker() string {
	switch s {
	case Running:
		return "●"
	case Succeeded:
		return "✓"
	case Failed:
		return "✗"
	case Caught:
		return "↯"
	case Waiting:
		return "⧗"
	case Aborted:
		return "■"
	}
	return " "
}
