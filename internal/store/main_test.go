package store_test

import (
	"os"
	"testing"

	"anwei/internal/store/storetest"
)

// TestMain runs the tests through storetest.Main: each database test gets
// a copy of a schema migrated once, and the PostgreSQL copies are dropped
// together at the end.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
