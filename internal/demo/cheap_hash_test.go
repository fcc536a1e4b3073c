package demo_test

import (
	"os"
	"testing"

	"anwei/internal/app/apptest"
)

// TestMain makes new password hashes cheap (the demo and fixture accounts
// are hashed at every set-up; the parameters of real deployments are tested
// in package passwd) and drops the seeded demo's templates at the end.
func TestMain(m *testing.M) { os.Exit(apptest.Main(m)) }
