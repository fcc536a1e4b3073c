package docs

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestLetterPDFEmbedsTheFontAndPaginates(t *testing.T) {
	l := Letter{Issuer: "济南市天桥区安全生产委员会办公室", DocNumber: "天安办提〔2026〕1号", Title: "关于督促落实2026年安全生产工作要点有关任务的提醒函",
		Addressee: "区住房城乡建设局", Body: []string{"根据《2026年全区安全生产工作要点》分工，你单位以下任务已逾期，现予提醒。"},
		Signature: "济南市天桥区安全生产委员会办公室", Date: "2026年11月23日", Note: "请于2026年11月30日前书面回复"}
	for i := 0; i < 40; i++ {
		l.Items = append(l.Items, "开展城镇燃气安全专项整治，每季度至少检查1次（第3季度，应于2026-09-30前完成）")
	}
	b, err := l.PDF()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b[:8])
	}
	// The faces drawn with and no other: 小标宋-like title and issuer,
	// 仿宋-like body, 宋 page numbers (a face is embedded only when used).
	if n := bytes.Count(b, []byte("/FontFile2")); n != 3 {
		t.Errorf("%d fonts embedded, want the three faces used", n)
	}
	if got := readPDF(t, b); len(got.family) != 3 || got.family["song"] == 0 || got.family["fang"] == 0 || got.family["serif"] == 0 ||
		len(got.blank) > 0 || !strings.Contains(got.text, l.Title) {
		t.Errorf("printed with %v, blank %q", got.family, string(got.blank))
	}
	if n := bytes.Count(b, []byte("/Type /Page\n")) + bytes.Count(b, []byte("/Type /Page ")); n < 2 {
		t.Logf("page objects counted: %d", n)
	}
	if pages := bytes.Count(b, []byte("/Type /Page")) - bytes.Count(b, []byte("/Type /Pages")); pages < 2 {
		t.Errorf("40 items on one page? pages = %d", pages)
	}
	if dir := os.Getenv("ANWEI_ARTIFACTS"); dir != "" {
		p := filepath.Join(dir, "letter-test.pdf")
		_ = os.WriteFile(p, b, 0o644)
		t.Log("PDF:", p)
	}
}

func TestSheetRoundTripAndCSVEncodings(t *testing.T) {
	var buf bytes.Buffer
	s := Sheet{Name: "任务分工表", Header: []string{"任务编号", "进展"}, Rows: [][]string{{"7", "已完成第一轮检查"}, {"8", ""}}}
	if err := s.XLSX(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := readAll("a.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1][1] != "已完成第一轮检查" || rows[0][0] != "任务编号" {
		t.Fatalf("rows = %q", rows)
	}
	csvText := "名称,代码\n泺口化工, 91370105MA3C1234X \n"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(csvText)
	for name, data := range map[string]string{"utf8.csv": csvText, "bom.csv": "\xef\xbb\xbf" + csvText, "gbk.csv": gbk} {
		rows, err := readAll(name, []byte(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if rows[0][0] != "名称" || rows[1][0] != "泺口化工" || rows[1][1] != "91370105MA3C1234X" {
			t.Errorf("%s: %q", name, rows)
		}
	}
	if _, err := readAll("a.pdf", nil); err == nil || !strings.Contains(err.Error(), ".xlsx") {
		t.Errorf("pdf accepted: %v", err)
	}
	if _, err := Columns([]string{"任务编号"}, "任务编号", "进展"); err == nil || !strings.Contains(err.Error(), "进展") {
		t.Errorf("missing column not named: %v", err)
	}
}

func TestChineseDate(t *testing.T) {
	if got := ChineseDate("2026-06-05"); got != "2026年6月5日" {
		t.Error(got)
	}
}
