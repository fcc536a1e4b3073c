package numbering

import (
	"testing"
	"time"
)

// SetBlockWindow shortens the window in which blocks grow, for t.
func SetBlockWindow(t *testing.T, d time.Duration) {
	old := blockWindow
	blockWindow = d
	t.Cleanup(func() { blockWindow = old })
}
