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
func TestMain(m *testing.M) { os.Exit(apptest.Main(m)) }
