package docs

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"anwei/internal/apperr"
)

// word is what a .docx of this package holds, read with the standard
// library alone: its parts, the text of document.xml's paragraphs (w:t,
// w:tab as a tab, w:br as a newline, w:noBreakHyphen as "-"), and every
// field instruction of the document and its footers.
type dxWord struct {
	parts  map[string][]byte
	paras  []string
	fields []string
}

// openDOCX checks the package as Word would refuse it: a zip whose every
// part is well-formed XML (or a PNG under word/media), has a content type,
// and whose relationships (and the r:id/r:embed of the document) name
// existing parts.
func dxOpen(t *testing.T, b []byte) dxWord {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	w := dxWord{parts: map[string][]byte{}}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		w.parts[f.Name] = data
		if strings.HasSuffix(f.Name, ".png") {
			if _, err := png.DecodeConfig(bytes.NewReader(data)); err != nil {
				t.Errorf("%s: %v", f.Name, err)
			}
			continue
		}
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
			}
		}
	}
	if len(z.File) == 0 || z.File[0].Name != "[Content_Types].xml" {
		t.Errorf("[Content_Types].xml is not the first entry")
	}
	// Content types: every part has one, every override names a part.
	var types struct {
		Default []struct {
			Extension   string `xml:"Extension,attr"`
			ContentType string `xml:"ContentType,attr"`
		}
		Override []struct {
			PartName    string `xml:"PartName,attr"`
			ContentType string `xml:"ContentType,attr"`
		}
	}
	if err := xml.Unmarshal(w.parts["[Content_Types].xml"], &types); err != nil {
		t.Fatal(err)
	}
	typeOf := map[string]string{}
	for _, o := range types.Override {
		if _, ok := w.parts[strings.TrimPrefix(o.PartName, "/")]; !ok {
			t.Errorf("content type for a missing part %s", o.PartName)
		}
		typeOf[strings.TrimPrefix(o.PartName, "/")] = o.ContentType
	}
	for name := range w.parts {
		if name == "[Content_Types].xml" || typeOf[name] != "" {
			continue
		}
		ok := false
		for _, d := range types.Default {
			ok = ok || strings.HasSuffix(name, "."+d.Extension)
		}
		if !ok {
			t.Errorf("%s has no content type", name)
		}
	}
	if typeOf["word/document.xml"] != "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" {
		t.Errorf("document's type %q", typeOf["word/document.xml"])
	}
	// Relationships: every target exists; the document's ids are defined.
	ids := map[string]bool{}
	for name, data := range w.parts {
		if !strings.HasSuffix(name, ".rels") {
			continue
		}
		var rels struct {
			Relationship []struct {
				ID         string `xml:"Id,attr"`
				Target     string `xml:"Target,attr"`
				TargetMode string `xml:"TargetMode,attr"`
			}
		}
		if err := xml.Unmarshal(data, &rels); err != nil {
			t.Fatal(err)
		}
		base := path.Dir(path.Dir(name)) // word/_rels/document.xml.rels → word
		for _, r := range rels.Relationship {
			if r.TargetMode == "External" {
				continue
			}
			target := path.Join(base, r.Target)
			if _, ok := w.parts[target]; !ok {
				t.Errorf("%s: %s → missing part %s", name, r.ID, target)
			}
			if name == "word/_rels/document.xml.rels" {
				ids[r.ID] = true
			}
		}
	}
	if _, ok := w.parts["word/document.xml"]; !ok {
		t.Fatal("no word/document.xml")
	}
	for _, m := range regexp.MustCompile(`r:(?:id|embed)="([^"]+)"`).FindAllSubmatch(w.parts["word/document.xml"], -1) {
		if !ids[string(m[1])] {
			t.Errorf("document.xml refers to %s, not a relationship", m[1])
		}
	}
	for name, data := range w.parts {
		if name == "word/document.xml" || strings.HasPrefix(name, "word/footer") {
			paras, fields := dxText(t, data)
			if name == "word/document.xml" {
				w.paras = paras
			}
			w.fields = append(w.fields, fields...)
		}
	}
	return w
}

func dxText(t *testing.T, data []byte) (paras, fields []string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var cur strings.Builder
	in := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return paras, fields
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Space != dxNsW {
				continue
			}
			switch e.Name.Local {
			case "p":
				cur.Reset()
			case "t", "instrText":
				in = e.Name.Local
			case "tab":
				cur.WriteString("\t")
			case "br":
				cur.WriteString("\n")
			case "noBreakHyphen":
				cur.WriteString("-")
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "p":
				paras = append(paras, cur.String())
			case "t", "instrText":
				in = ""
			}
		case xml.CharData:
			switch in {
			case "t":
				cur.Write(e)
			case "instrText":
				fields = append(fields, strings.TrimSpace(string(e)))
			}
		}
	}
}

func (w dxWord) has(t *testing.T, what, text string) {
	t.Helper()
	for _, p := range w.paras {
		if strings.Contains(p, text) {
			return
		}
	}
	t.Errorf("%s %q not in the document", what, text)
}

// sampleLetter has everything a letter prints, a table long enough for
// three pages and a token a table cell must not break.
func dxSampleLetter() Letter {
	l := Letter{Issuer: "济南市天桥区安全生产委员会办公室", DocNumber: "天安办督〔2026〕3号", Title: "关于对济南泺口精细化工有限公司重大事故隐患实施挂牌督办的通知",
		Addressee: "济南泺口精细化工有限公司，区应急局",
		Body: []string{"经检查，你单位液氯储罐区存在重大事故隐患（隐患编号YH370105-2026-00001），依据《安全生产法》第一百一十二条，现予挂牌督办。",
			"请你单位立即制定治理方案，落实治理责任、措施、资金、时限和应急预案。"},
		Items:   []string{"于2026年12月15日前完成整改", "整改完成后书面报告"},
		Closing: []string{"特此通知。"}, Signature: "济南市天桥区安全生产委员会办公室", Date: "2026年11月23日", Note: "请于2026年11月30日前书面回复",
		CopyTo: []string{"济南市安全生产委员会办公室", "区纪委监委"}, PrintedBy: "济南市天桥区安全生产委员会办公室", PrintedDate: "2026年11月23日",
		Contact: "王明", Phone: "0531-85061234"}
	tb := Table{Caption: "隐患治理情况", Header: []string{"隐患编号", "企业", "状态"}, Widths: []float64{3, 4, 2}}
	for i := 0; i < 60; i++ {
		tb.Rows = append(tb.Rows, []string{"YH370105-2026-00001", "济南泺口精细化工有限公司", "整改中"})
	}
	l.Tables = []Table{tb}
	return l
}

func dxSignaturePNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 120, 40))
	for x := 10; x < 110; x++ {
		img.Set(x, 20+x%7, color.Black)
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

func dxSampleForm() Form {
	return Form{Issuer: "济南市天桥区应急管理局", Title: "责令限期整改指令书", DocNumber: "（天）应急责改〔2026〕18号",
		Fields: []Field{{Label: "被检查单位", Value: []string{"济南泺口精细化工有限公司"}},
			{Label: "检查发现的问题", Value: []string{"液氯储罐区紧急切断装置失效。", "二甲苯装卸区静电接地不符合要求。"}},
			{Label: "整改期限", Value: []string{"2026年12月15日前"}}},
		Basis: "《中华人民共和国安全生产法》第六十五条第一款第（三）项",
		Signers: []Signer{{Role: "执法人员", Name: "李强", Certificate: "37010012345", Image: dxSignaturePNG(), Date: "2026年11月23日"},
			{Role: "执法人员", Name: "赵敏", Certificate: "37010012346"},
			{Role: "当事人", Name: "刘䶮", Image: dxSignaturePNG()}},
		Receipt: true, Party: "济南泺口精细化工有限公司"}
}

func dxArtifact(t *testing.T, name string, b []byte) {
	if dir := os.Getenv("ANWEI_ARTIFACTS"); dir != "" {
		_ = os.MkdirAll(dir, 0o755)
		p := filepath.Join(dir, name)
		_ = os.WriteFile(p, b, 0o644)
		t.Log("docx:", p)
	}
}

func TestLetterDOCXIsAValidPackageInTheStandardsLayout(t *testing.T) {
	l := dxSampleLetter()
	b, err := l.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	dxArtifact(t, "letter-test.docx", b)
	w := dxOpen(t, b)
	doc := string(w.parts["word/document.xml"])

	// The same content as the PDF.
	w.has(t, "title", "关于对济南泺口精细化工有限公司\n重大事故隐患实施挂牌督办的通知")
	w.has(t, "文号", l.DocNumber)
	w.has(t, "issuer", l.Issuer)
	w.has(t, "addressee", l.Addressee+"：")
	for _, s := range l.Body {
		w.has(t, "body", s)
	}
	w.has(t, "item", "1．于2026年12月15日前完成整改")
	w.has(t, "item", "2．整改完成后书面报告")
	w.has(t, "caption", "隐患治理情况")
	for _, c := range append(l.Tables[0].Header, l.Tables[0].Rows[0]...) {
		w.has(t, "cell", c)
	}
	w.has(t, "closing", "特此通知。")
	w.has(t, "date", l.Date)
	w.has(t, "附注", "（请于2026年11月30日前书面回复）")
	w.has(t, "附注", "（联系人：王明；联系电话：0531-85061234）")
	w.has(t, "抄送", "抄送：济南市安全生产委员会办公室，区纪委监委。")
	w.has(t, "印发日期", "2026年11月23日印发")
	if got := strings.Count(doc, `YH370105</w:t><w:noBreakHyphen/><w:t xml:space="preserve">2026</w:t><w:noBreakHyphen/>`); got != 60 {
		t.Errorf("%d table cells keep the hazard number whole, want 60", got)
	}

	// Page numbers: "— PAGE —" in both footers, odd right and even left.
	if n := strings.Count(strings.Join(w.fields, "|"), "PAGE"); n != 2 {
		t.Errorf("page fields: %q", w.fields)
	}
	for _, f := range []string{"word/footer1.xml", "word/footer2.xml"} {
		if !strings.Contains(string(w.parts[f]), "— </w:t>") || !strings.Contains(string(w.parts[f]), "> —</w:t>") {
			t.Errorf("%s: no 一字线 around the number", f)
		}
	}
	if !strings.Contains(string(w.parts["word/footer1.xml"]), `<w:jc w:val="right"/>`) || !strings.Contains(string(w.parts["word/footer2.xml"]), `<w:jc w:val="left"/>`) {
		t.Error("odd pages' numbers are not right and even pages' left")
	}
	if !strings.Contains(string(w.parts["word/settings.xml"]), "<w:evenAndOddHeaders/>") ||
		!strings.Contains(doc, `<w:footerReference w:type="even"`) {
		t.Error("no even-page footer")
	}

	// The page of GB/T 9704: A4, its margins, 22 lines of 28 characters.
	for _, want := range []string{`<w:pgSz w:w="11906" w:h="16838"/>`, `w:top="2098" w:right="1474" w:bottom="1984" w:left="1588"`,
		`<w:docGrid w:type="lines" w:linePitch="579"/>`} {
		if !strings.Contains(doc, want) {
			t.Errorf("no %s", want)
		}
	}
	if !regexp.MustCompile(`<w:rPrDefault><w:rPr>.*<w:spacing w:val="-5"/>.*<w:sz w:val="32"/>`).Match(w.parts["word/styles.xml"]) {
		t.Error("三号 is not narrowed to 28 characters a line")
	}
	// Faces named as the standard names them, with fallbacks.
	styles, fonts := string(w.parts["word/styles.xml"]), string(w.parts["word/fontTable.xml"])
	for _, f := range []string{dxFontTitle, dxFontBody, dxFontHei} {
		if !strings.Contains(styles, `w:eastAsia="`+f+`"`) || !strings.Contains(fonts, `<w:font w:name="`+f+`"><w:altName`) {
			t.Errorf("%s not named with its alternatives", f)
		}
	}
	if !regexp.MustCompile(`<w:style w:type="paragraph" w:styleId="anweiBody">.*?w:firstLineChars="200"`).MatchString(styles) {
		t.Error("the body is not indented two characters")
	}
	// The red 版头: the mark and the separator.
	if !regexp.MustCompile(`w:styleId="anweiIssuer">.*?<w:color w:val="C81010"/>`).MatchString(styles) {
		t.Error("the issuer is not red")
	}
	if !regexp.MustCompile(`<w:pBdr><w:bottom w:val="single" w:sz="\d+" w:space="\d+" w:color="C81010"/></w:pBdr>.*?天安办督`).MatchString(doc) {
		t.Error("no red rule under the 文号")
	}

	// Tables: the header row repeats, no row breaks across pages.
	rows := regexp.MustCompile(`<w:tr>(?:<w:trPr>(.*?)</w:trPr>)?`).FindAllStringSubmatch(doc, -1)
	if len(rows) < 61 || !strings.Contains(rows[0][1], "<w:tblHeader/>") {
		t.Fatalf("the header row is not repeated: %d rows, first %q", len(rows), rows[0])
	}
	for i, r := range rows[:61] {
		if !strings.Contains(r[1], "<w:cantSplit/>") {
			t.Errorf("row %d may break across pages", i)
		}
	}
	// The signature is kept with the text before it: the closing is kept
	// with the signature, the signature with the date.
	for _, s := range []string{"特此通知。", `<w:pStyle w:val="anweiSignature"/>`} {
		i := strings.LastIndex(doc, s)
		start := strings.LastIndex(doc[:i], "<w:p>")
		if !strings.Contains(doc[start:i+len(s)+len("<w:keepNext/>")], "<w:keepNext/>") {
			t.Errorf("the paragraph of %q is not kept with the next", s)
		}
	}
	// The 版记 after the signature, at the foot of the page, ruled.
	if i, j := strings.Index(doc, "抄送："), strings.LastIndex(doc, l.Date+"<"); i < j {
		t.Error("the 版记 is not after the date")
	}
	if !strings.Contains(doc, `w:tblpYSpec="bottom"`) {
		t.Error("the 版记 is not at the foot of the page")
	}
}

// A letter without tables or 版记 is a letter too: its last body paragraph
// is kept with the signature.
func TestPlainLetterDOCX(t *testing.T) {
	l := Letter{Issuer: "济南市天桥区安全生产委员会办公室", DocNumber: "天安办提〔2026〕1号", Title: "提醒函", Addressee: "区住房城乡建设局",
		Body: []string{"你单位以下任务已逾期。"}, Items: []string{"开展城镇燃气安全专项整治"}, Signature: "天桥区安委办", Date: "2026年11月23日"}
	b, err := l.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	w := dxOpen(t, b)
	doc := string(w.parts["word/document.xml"])
	i := strings.Index(doc, "1．开展城镇燃气安全专项整治")
	if !strings.Contains(doc[strings.LastIndex(doc[:i], "<w:p>"):i], "<w:keepNext/>") {
		t.Error("the last item is not kept with the signature")
	}
	if strings.Contains(doc, "<w:tbl>") || strings.Contains(doc, "抄送") {
		t.Error("a 版记 without anything to print")
	}
	w.has(t, "signature", "天桥区安委办")
}

func TestFormDOCXHasItsFieldsSignaturesAndReceipt(t *testing.T) {
	f := dxSampleForm()
	b, err := f.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	dxArtifact(t, "form-test.docx", b)
	w := dxOpen(t, b)
	doc := string(w.parts["word/document.xml"])
	for _, s := range []string{f.Issuer, f.Title, f.DocNumber, "1．被检查单位", "2．检查发现的问题", "3．整改期限", "液氯储罐区紧急切断装置失效。",
		"二甲苯装卸区静电接地不符合要求。", f.Basis, "李强", "37010012345", "赵敏", "刘䶮", "2026年11月23日", "送达回执",
		"直接送达", "受送达人", f.Issuer + "（印章）"} {
		w.has(t, "text", s)
	}
	// Two drawn signatures, the pictures given.
	if !bytes.Equal(w.parts["word/media/image1.png"], f.Signers[0].Image) || w.parts["word/media/image2.png"] == nil || w.parts["word/media/image3.png"] != nil {
		t.Errorf("pictures: %d parts", len(w.parts))
	}
	if n := strings.Count(doc, "<wp:inline"); n != 2 {
		t.Errorf("%d signatures placed, want 2", n)
	}
	// The receipt is a section of its own on a new page.
	i, j := strings.Index(doc, "<w:sectPr>"), strings.Index(doc, ">送达回执<")
	if i < 0 || j < i || !strings.Contains(doc[j:], `<w:type w:val="nextPage"/>`) {
		t.Error("the receipt is not a section of its own")
	}
	if strings.Count(doc, "<w:tblHeader/>") != 1 {
		t.Error("the signature boxes' header row is not marked")
	}

	// A signature that is not a PNG is refused, not left out.
	f.Signers[1].Image = []byte("GIF89a")
	if _, err := f.DOCX(); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "赵敏") {
		t.Errorf("broken signature: %v", err)
	}
	// Without a receipt: one section, page numbers.
	f.Signers[1].Image, f.Receipt = nil, false
	b, err = f.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	if doc := string(dxOpen(t, b).parts["word/document.xml"]); strings.Count(doc, "<w:sectPr>") != 1 || strings.Contains(doc, "送达回执") {
		t.Error("a receipt printed when none was asked for")
	}
}

// A .docx carries what Word prints with its own faces (𠮷, which no face
// the PDF embeds has) and refuses a private-use character (one office's
// 造字) or a control character, naming it and where it is.
func TestDOCXRefusesPrivateUseCharacters(t *testing.T) {
	l := dxSampleLetter()
	l.Body[0] = "经检查，王𠮷所在班组……"
	if _, err := l.DOCX(); err != nil {
		t.Errorf("𠮷 refused: %v", err)
	}
	l.Body[1] = "请联系企业负责人张\ue000明。"
	_, err := l.DOCX()
	if !apperr.Is(err, apperr.Invalid) || apperr.FieldOf(err) != "body" || !strings.Contains(err.Error(), "正文第2段") || !strings.Contains(err.Error(), "U+E000") {
		t.Errorf("private use: %v", err)
	}
	l = dxSampleLetter()
	l.CopyTo = append(l.CopyTo, "区应急\x07局")
	if _, err := l.DOCX(); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "抄送第3个单位") || !strings.Contains(err.Error(), "U+0007") {
		t.Errorf("control character: %v", err)
	}
	f := dxSampleForm()
	f.Signers[0].Name = "李\U000F0001"
	if _, err := f.DOCX(); !apperr.Is(err, apperr.Invalid) || apperr.FieldOf(err) != "signers" || !strings.Contains(err.Error(), "第1个签名栏的姓名") {
		t.Errorf("form: %v", err)
	}
}

// A long title breaks into two lines of like length where the meaning
// allows, never inside a number or before a closing mark.
func TestDOCXTitleLines(t *testing.T) {
	for title, want := range map[string]string{
		"关于对济南泺口精细化工有限公司重大事故隐患实施挂牌督办的通知": "关于对济南泺口精细化工有限公司\n重大事故隐患实施挂牌督办的通知",
		"关于督促落实2026年安全生产工作要点有关任务的提醒函":    "关于督促落实2026年安全生产\n工作要点有关任务的提醒函",
		"关于2026年第三季度全区安全生产隐患排查治理情况的通报":   "关于2026年第三季度全区安全生产\n隐患排查治理情况的通报",
		"关于2026年11月隐患排查治理情况的通报":          "关于2026年11月隐患排查治理情况的通报",
		"提醒函": "提醒函",
		"一二三四五六七八九十一二三四五六七八九十一二三": "一二三四五六七八九十一二三四五六七八九十一二三",
	} {
		if got := dxTitleLines(title); got != want {
			t.Errorf("%s: %q, want %q", title, got, want)
		}
	}
}

// A column too narrow for a hazard number is widened from the others'
// room, and the table stays as wide as the block.
func TestDOCXColumnsHoldTheirLongestToken(t *testing.T) {
	ws := dxColumns(5, []float64{2.2, 2.2, 3, 1.4, 2}, dxBlock)
	rows := [][]string{{"隐患编号", "企业", "隐患", "整改期限", "督办"}, {"YH370105-2026-000001", "济南泺口精细化工有限公司", "液氯充装站台：液氯槽车充装仍使用软管", "2026-05-26", "县级挂牌"}}
	got := dxFitTokens(ws, rows, dxWuhao)
	if dxSum(got) != dxBlock || got[0] <= ws[0] || got[0] < int(20*0.55*dxWuhao*10) {
		t.Errorf("widths %v from %v", got, ws)
	}
	if got[3] < int(10*0.55*dxWuhao*10) {
		t.Errorf("the date column %d is narrower than its date", got[3])
	}
}
