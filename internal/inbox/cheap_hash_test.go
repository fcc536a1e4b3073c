package inbox_test

import (
	"os"
	"testing"

	"anwei/internal/app/apptest"
)

// TestMain runs the tests through apptest.Main: cheap password hashes and
// seeded demo templates removed at the end.
func TestMain(m *testing.M) { os.Exit(apptest.Main(m)) }
