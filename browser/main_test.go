package browser_test

import (
	"os"
	"testing"

	"anwei/internal/app/apptest"
)

// TestMain runs the tests through apptest.Main: cheap password hashes and
// seeded demo templates removed at the end; then it stops the browser the
// tests shared.
func TestMain(m *testing.M) {
	code := apptest.Main(m)
	closeBrowser()
	os.Exit(code)
}
