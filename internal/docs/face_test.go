package docs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"anwei/internal/apperr"
)

// 䶮 (U+4DAE, CJK Extension A, in real names) is not in WenQuanYi Micro
// Hei; gopdf printed it as a blank. ℃, Ⅴ and ǎ are in its cmap but mapped
// to glyphs without an outline: blank too. Each must print, from a
// fallback face, wherever a writ or card prints text.
func TestFallbackFacesPrintWhatTheFirstLacks(t *testing.T) {
	l := Letter{Issuer: "济南市天桥区安全生产委员会办公室", DocNumber: "天安办提〔2026〕2号", Title: "关于刘䶮反映储罐区问题的提醒函",
		Addressee: "刘䶮", Body: []string{"经查，储罐区温度超过40℃，围岩为Ⅴ级（拼音 Liú Yǎn 同志反映）。"},
		Items:   []string{"由刘䶮负责整改"},
		Tables:  []Table{{Caption: "一、责任人", Header: []string{"姓名", "说明"}, Rows: [][]string{{"刘䶮", "储罐温度≤40℃"}}}},
		Closing: []string{"请刘䶮同志于期限内回复。"}, Signature: "济南市天桥区安全生产委员会办公室", Date: "2026年11月23日"}
	b, err := l.PDF()
	if err != nil {
		t.Fatal(err)
	}
	got := readPDF(t, b)
	if len(got.blank) > 0 {
		t.Errorf("printed blank: %q", string(got.blank))
	}
	for _, want := range []string{"关于刘䶮反映储罐区问题的提醒函", "刘䶮：", "40℃", "Ⅴ级", "Yǎn", "由刘䶮负责整改", "刘䶮储罐温度≤40℃", "请刘䶮同志"} {
		if !strings.Contains(got.text, want) {
			t.Errorf("%q not printed in %q", want, got.text)
		}
	}
	// 䶮 in the addressee, item, cell and closing comes from the fallback;
	// the title face has it; ℃, Ⅴ and ǎ are in the body face (GB 2312).
	if got.family["cjk-fallback"] != 4 || got.family["song"] == 0 || got.family["fang"] == 0 {
		t.Errorf("characters per face: %v", got.family)
	}
	if dir := os.Getenv("ANWEI_ARTIFACTS"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "letter-fallback.pdf"), b, 0o644)
	}

	c := Card{Title: "安全风险告知卡", Colour: [3]uint8{200, 30, 30}, Banner: "重大风险　·　红色",
		Rows: [][2]string{{"责任人", "储运车间主任 刘䶮"}, {"管控措施", "储罐温度≤40℃"}}, Footer: "泺口化工　评估日期：2026年1月1日"}
	if b, err = c.PDF(); err != nil {
		t.Fatal(err)
	}
	got = readPDF(t, b)
	if len(got.blank) > 0 || !strings.Contains(got.text, "储运车间主任 刘䶮") || !strings.Contains(got.text, "≤40℃") {
		t.Errorf("card: %q, blank %q", got.text, string(got.blank))
	}
	if got.family["symbols"] != 1 || got.family["cjk-fallback"] != 1 {
		t.Errorf("card: characters per face %v, want ℃ from the symbols face and 䶮 from the fallback", got.family)
	}
}

// A character no embedded face prints is refused, naming it and where it
// is, before anything is drawn: never a PDF with a blank in its place.
func TestCharacterNoFacePrintsIsRefused(t *testing.T) {
	const pua = '\uF8FF' // a private-use character
	for _, r := range []rune{'𠮷', pua} {
		if runs, missing := shape(string(r)); len(runs) != 0 || len(missing) != 1 {
			t.Fatalf("%U is printable (%v): pick another", r, runs)
		}
	}
	l := Letter{Issuer: "济南市天桥区安全生产委员会办公室", Title: "提醒函", Addressee: "𠮷野化工有限公司", Signature: "安委办", Date: "2026年11月23日"}
	_, err := l.PDF()
	if !apperr.Is(err, apperr.Invalid) || apperr.FieldOf(err) != "addressee" {
		t.Fatalf("not refused as invalid addressee: %v", err)
	}
	for _, want := range []string{"主送机关", "“𠮷”（U+20BB7）", "“𠮷野化工有限公司”", "空白"} {
		if !strings.Contains(apperr.As(err).Message, want) {
			t.Errorf("message lacks %q: %s", want, apperr.As(err).Message)
		}
	}

	l.Addressee = "泺口化工有限公司"
	l.Tables = []Table{{Caption: "四、尚未销号的重大事故隐患", Header: []string{"隐患编号", "企业"}, Rows: [][]string{{"1", "甲"}, {"2", "乙" + string(pua)}}}}
	_, err = l.PDF()
	if msg := apperr.As(err).Message; apperr.FieldOf(err) != "tables" || !strings.Contains(msg, "表“四、尚未销号的重大事故隐患”第2行“企业”栏") || !strings.Contains(msg, "U+F8FF") {
		t.Errorf("table cell: %v", err)
	}

	c := Card{Title: "安全风险告知卡", Rows: [][2]string{{"风险点", "液氯储罐区"}, {"责任人", "王𠮷"}}}
	_, err = c.PDF()
	if msg := apperr.As(err).Message; !apperr.Is(err, apperr.Invalid) || !strings.Contains(msg, "“责任人”栏") || !strings.Contains(msg, "𠮷") {
		t.Errorf("card: %v", err)
	}

	// Characters that print nothing by design are left out, not refused.
	l.Tables = nil
	l.Title = "提醒\u200b函\ufe0f"
	b, err := l.PDF()
	if err != nil {
		t.Fatal(err)
	}
	if got := readPDF(t, b); !strings.Contains(got.text, "提醒函") {
		t.Errorf("zero-width characters: %q", got.text)
	}
}

// Every character of GB 18030's two-byte area (GBK: what an input method
// commonly types) prints in some face, but for a few CJK radicals and
// ideographic description characters no embedded face has.
func TestGBKCharactersPrint(t *testing.T) {
	gaps := "⺁⺄⺈⺋⺌⺗⺧⺪⺮⺳⺶⺷⺻⻊⿰⿱⿲⿳⿴⿵⿶⿷⿸⿹⿺⿻〾"
	dec := simplifiedchinese.GB18030.NewDecoder()
	var bad []rune
	for a := 0x81; a <= 0xFE; a++ {
		for b := 0x40; b <= 0xFE; b++ {
			out, err := dec.Bytes([]byte{byte(a), byte(b)})
			r, _ := utf8.DecodeRune(out)
			if err != nil || r == utf8.RuneError || r >= 0xE000 && r <= 0xF8FF || strings.ContainsRune(gaps, r) {
				continue
			}
			if _, missing := shape(string(r)); len(missing) > 0 {
				bad = append(bad, r)
			}
		}
	}
	if len(bad) > 0 {
		t.Errorf("%d GBK characters print in no face: %q", len(bad), string(bad))
	}
	for _, r := range gaps {
		if _, missing := shape(string(r)); len(missing) == 0 {
			t.Errorf("%c now prints: take it off the gaps", r)
		}
	}
}

// An operator's licensed faces (方正小标宋, 仿宋_GB2312) print titles and
// body text before the embedded ones; what they lack still falls back; a
// file that is not TrueType is refused at start-up, naming it.
func TestOperatorFacesComeFirst(t *testing.T) {
	dir := t.TempDir()
	title, body := filepath.Join(dir, "xbs.ttf"), filepath.Join(dir, "fs.ttf")
	// stand-ins: the embedded 黑体 as the "licensed" title face, the ASCII serif as body
	if err := os.WriteFile(title, cjkFont, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(body, serifFont, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = UseFaces(FaceFiles{}) })
	if err := UseFaces(FaceFiles{Title: title, Body: body}); err != nil {
		t.Fatal(err)
	}
	if err := UseFaces(FaceFiles{Title: title, Body: body}); err != nil { // again: no second copy
		t.Fatal(err)
	}
	l := Letter{Issuer: "济南市天桥区安全生产委员会办公室", Title: "关于开展检查的通知", Addressee: "各街道", Body: []string{"请于2026年12月1日前报送。"},
		Signature: "安委办", Date: "2026年11月23日"}
	b, err := l.PDF()
	if err != nil {
		t.Fatal(err)
	}
	got := readPDF(t, b)
	if got.family["title-licensed"] == 0 || got.family["body-licensed"] == 0 || got.family["fang"] == 0 || got.family["song"] != 0 || len(got.blank) > 0 {
		t.Errorf("characters per face: %v (blank %q)", got.family, string(got.blank))
	}
	bad := filepath.Join(dir, "bad.ttf")
	_ = os.WriteFile(bad, []byte("not a font"), 0o644)
	if err := UseFaces(FaceFiles{Body: bad}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("a bad file: %v", err)
	}
}
