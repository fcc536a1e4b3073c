//go:build !unix

package storetest

// writeTTY has no terminal to write to here: the skip message shows with -v.
func writeTTY(string) {}
