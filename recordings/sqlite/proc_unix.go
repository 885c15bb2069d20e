//go:build unix

package sqlite

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// processAlive reports whether a process with this pid exists. EPERM means
// it exists under another user.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// owner names the file's owner and this process's user for a permission
// message.
func owner(st os.FileInfo) string {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return fmt.Sprintf(", owner uid %d; this process runs as uid %d", s.Uid, os.Geteuid())
	}
	return ""
}
