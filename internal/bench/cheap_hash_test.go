package bench

import (
	"os"
	"testing"

	"anwei/internal/app/apptest"
)

// TestMain runs the tests through apptest.Main: cheap password hashes. The
// benchmarks' worlds load the demo four times, and hashing its accounts at
// 64 MiB was two fifths of this package's CPU; no figure is asserted here,
// and anwei bench keeps the deployed parameters.
func TestMain(m *testing.M) { os.Exit(apptest.Main(m)) }
