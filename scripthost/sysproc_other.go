//go:build !linux

package scripthost

import (
	"os/exec"
	"syscall"
)

const netNamespaceSupported = false

func sysProcAttr(bool) (*syscall.SysProcAttr, string) {
	return nil, "stdio only, empty environment; network and file system NOT isolated on this platform"
}

func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
