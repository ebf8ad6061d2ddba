//go:build !unix

package localtask

import "os/exec"

// ownProcessGroup: without process groups, cancellation kills the command alone.
func ownProcessGroup(cmd *exec.Cmd) {}
