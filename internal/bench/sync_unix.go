//go:build unix

package bench

import "syscall"

// syncDisks flushes the file systems' dirty pages.
func syncDisks() { syscall.Sync() }
