//go:build unix

package storetest

import (
	"os"
	"syscall"
)

// writeTTY writes s to /dev/tty, if the process has one.
func writeTTY(s string) {
	fd, err := syscall.Open("/dev/tty", syscall.O_WRONLY|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	f := os.NewFile(uintptr(fd), "/dev/tty")
	_, _ = f.WriteString(s)
	_ = f.Close()
}
