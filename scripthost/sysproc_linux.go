package scripthost

import (
	"os"
	"os/exec"
	"syscall"
)

// netNamespaceSupported: Linux can give the child a network namespace of
// its own (root, or unprivileged user namespaces).
const netNamespaceSupported = true

// sysProcAttr puts the child in its own process group, kills it when
// Connector Lab dies and, with netns, in a new network namespace (a new
// user namespace too when not root) where no interface is up.
func sysProcAttr(netns bool) (*syscall.SysProcAttr, string) {
	a := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if !netns {
		return a, "own process group, stdio only, empty environment; network NOT isolated (no network namespace available)"
	}
	a.Cloneflags = syscall.CLONE_NEWNET
	if os.Getuid() != 0 {
		a.Cloneflags |= syscall.CLONE_NEWUSER
		a.UidMappings = []syscall.SysProcIDMap{{ContainerID: os.Getuid(), HostID: os.Getuid(), Size: 1}}
		a.GidMappings = []syscall.SysProcIDMap{{ContainerID: os.Getgid(), HostID: os.Getgid(), Size: 1}}
		a.GidMappingsEnableSetgroups = false
	}
	return a, "own process group, stdio only, empty environment, own network namespace (no network); file system readable as the user"
}

func killGroup(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	_ = cmd.Process.Kill()
}
