package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"anwei/internal/calendar"
)

// TestCalendarCommand: `anwei calendar import` refuses a wrong file whole,
// printing every wrong row (exit 1), loads the invented 2027 notice (a
// test fixture, not the State Council's), and `anwei calendar list` then
// shows 2027 imported and the table known through its end; a missing FILE
// is a usage error (exit 2).
func TestCalendarCommand(t *testing.T) {
	t.Cleanup(func() { calendar.Load() }) // the holiday table is the process's
	dir := demoDir(t)
	notice, err := os.ReadFile(invented2027)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "2027.csv")
	wrong := strings.NewReplacer("2027-06-09,holiday", "2027-06-09,workday", "2027-02-07,", "2027-02-30,").Replace(string(notice))
	if err := os.WriteFile(bad, []byte(wrong), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := anwei(t, "calendar", "import", "--data", dir, bad)
	if code != 1 || !strings.Contains(out, "第7行「日期」“2027-02-30”无效") || !strings.Contains(out, "第24行「类型」2027-06-09 是星期三") {
		t.Fatalf("a wrong file: %d %s", code, out)
	}
	if code, out := anwei(t, "calendar", "list", "--data", dir); code != 0 || strings.Contains(out, "导入") || !strings.Contains(out, "已知至 2026-12-31") {
		t.Fatalf("nothing imported: %d %s", code, out)
	}
	if code, out := anwei(t, "calendar", "import", "--data", dir, invented2027); code != 0 ||
		!strings.Contains(out, "已载入 2027 年的节假日安排: 放假 27 天，调休上班 6 天；节假日表已知至 2027-12-31") {
		t.Fatalf("import: %d %s", code, out)
	}
	calendar.Load() // the command's own table gone: list reads the stored notice
	if code, out := anwei(t, "calendar", "list", "--data", dir); code != 0 || !strings.Contains(out, "2027  导入        27             6") || !strings.Contains(out, "已知至 2027-12-31") {
		t.Fatalf("list: %d %s", code, out)
	}
	if code, _ := anwei(t, "calendar", "import", "--data", dir); code != 2 {
		t.Errorf("import without FILE: exit %d, want 2", code)
	}
}
