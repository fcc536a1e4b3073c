package enterprise_test

import (
	"os"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/auth/passwd"
)

// TestMain makes new password hashes cheap: the demo and fixture accounts
// are hashed at every set-up and argon2id at 64 MiB was half of the tests'
// CPU. The parameters of real deployments are tested in package passwd.
func TestMain(m *testing.M) {
	passwd.Default = passwd.Params{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32}
	os.Exit(apptest.Main(m)) // and removes the seeded templates
}
