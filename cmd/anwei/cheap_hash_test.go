package main

import (
	"os"
	"testing"

	"anwei/internal/app/apptest"
)

// TestMain runs the tests through apptest.Main: cheap password hashes (the
// demo and fixture accounts are hashed at every set-up; the parameters of
// real deployments are tested in package passwd) and the seeded demo
// template (demoDir) removed at the end.
//
// With ANWEI_TEST_AS_ANWEI=1 the test binary is anwei itself, run with
// anwei's arguments: the tests that need the real server as a process
// (proc_test.go) start it so, without building a second binary.
func TestMain(m *testing.M) {
	if os.Getenv("ANWEI_TEST_AS_ANWEI") == "1" {
		main()
		return
	}
	os.Exit(apptest.Main(m))
}
