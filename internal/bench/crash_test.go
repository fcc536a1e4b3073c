package bench

import (
	"strings"
	"testing"
)

// TestCompareCrash: the crash run's checks report an acknowledged write
// missing or renumbered, a number held twice and a gap in a 文号 series, and
// nothing on a clean read-back (also one holding writes never acknowledged).
func TestCompareCrash(t *testing.T) {
	acked := []write{{"hazard", 1, "YH370105-2026-000001"}, {"hazard", 2, "YH370105-2026-000002"},
		{"listing", 1, "天安办督〔2026〕1号"}, {"listing", 2, "天安办督〔2026〕2号"}}
	clean := append(append([]write{}, acked...), write{"hazard", 3, "YH370105-2026-000003"}, write{"listing", 3, "天安办督〔2026〕3号"},
		write{"listing", 9, "天安办督〔2025〕1号"})
	if f := compareCrash(acked, clean); len(f.lost)+len(f.duplicates)+len(f.gaps) != 0 {
		t.Errorf("clean read-back: %+v", f)
	}
	broken := []write{{"hazard", 1, "YH370105-2026-000001"}, {"hazard", 4, "YH370105-2026-000001"}, // hazard 2 lost; 000001 twice
		{"listing", 1, "天安办督〔2026〕1号"}, {"listing", 2, "天安办督〔2026〕5号"}, {"listing", 3, "天安办督〔2026〕3号"}} // 2 renumbered; 2 and 4 missing
	f := compareCrash(acked, broken)
	want := func(what string, got []string, n int, text string) {
		t.Helper()
		if len(got) != n || !strings.Contains(strings.Join(got, "\n"), text) {
			t.Errorf("%s: got %q, want %d naming %q", what, got, n, text)
		}
	}
	want("lost", f.lost, 2, "hazard 2 (YH370105-2026-000002)")
	want("renumbered", f.lost, 2, "listing 2 编号为 天安办督〔2026〕2号, 重启后为 天安办督〔2026〕5号")
	want("duplicates", f.duplicates, 1, "hazard YH370105-2026-000001 为 2 条记录所有")
	want("gaps", f.gaps, 2, "天安办督〔2026〕 缺 2 号")
	want("gaps", f.gaps, 2, "天安办督〔2026〕 缺 4 号")
}
