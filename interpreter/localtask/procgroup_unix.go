//go:build unix

package localtask

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup starts the command in a process group of its own and makes
// cancellation kill the whole group: a handler script's children (a shell pipeline, a
// language server) must not outlive a stopped task.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
