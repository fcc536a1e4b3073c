package enforce

import "testing"

// TestWritPrefix: a department's writs carry its region's character and
// its own 代字, so two departments of a county never print one 文号.
func TestWritPrefix(t *testing.T) {
	for label, want := range map[string]string{"区应急局": "(天)应急", "区住建局": "(天)住建", "济南市天桥区应急管理局": "(天)应急",
		"市场监管局": "(天)市场监管", "区消防救援大队": "(天)消防"} {
		if got := writPrefix(label, "370105"); got != want {
			t.Errorf("%s: %q, want %q", label, got, want)
		}
	}
}
