package plan

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"html"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// gold is a gold label file (shared/plans/SPEC.md).
type gold struct {
	Doc       string  `json:"doc"`
	Title     string  `json:"title"`
	Year      *int    `json:"year"`
	Issuer    *string `json:"issuer"`
	DocNumber *string `json:"doc_number"`
	Reports   []struct {
		Due string `json:"due"`
	} `json:"reports"`
	Items []struct {
		Ref         string       `json:"ref"`
		Lead        [][]string   `json:"lead"`
		Support     [][]string   `json:"support"`
		Optional    [][]string   `json:"optional"`
		Obligations []Obligation `json:"obligations"`
	} `json:"items"`
}

// f1 counts: true positives, predicted, gold.
type f1 struct{ tp, np, ng int }

func (c *f1) add(tp, np, ng int) { c.tp += tp; c.np += np; c.ng += ng }

func (c f1) score() float64 {
	if c.np == 0 && c.ng == 0 {
		return 1
	}
	if c.tp == 0 {
		return 0
	}
	p, r := float64(c.tp)/float64(c.np), float64(c.tp)/float64(c.ng)
	return 2 * p * r / (p + r)
}

func norm(s string) string {
	s = strings.Join(strings.Fields(s), "")
	return strings.TrimSuffix(strings.NewReplacer("（", "(", "）", ")").Replace(s), "等")
}

// matchUnits scores predicted names against gold units (lists of acceptable
// names), as shared/tools/plan-score does.
func matchUnits(pred []string, g, optional [][]string) (tp, np, ng int) {
	used := make([]bool, len(g))
	seen := map[string]bool{}
	inGold := func(p string) bool {
		for _, alts := range g {
			for _, a := range alts {
				if norm(a) == p {
					return true
				}
			}
		}
		return false
	}
	for _, p := range pred {
		p = norm(p)
		if seen[p] {
			continue
		}
		seen[p] = true
		hit := -1
		for i, alts := range g {
			for _, a := range alts {
				if !used[i] && norm(a) == p && hit < 0 {
					hit = i
				}
			}
		}
		switch {
		case hit >= 0:
			used[hit] = true
			tp++
			np++
		case inGold(p):
		default:
			opt := false
			for _, alts := range optional {
				for _, a := range alts {
					opt = opt || norm(a) == p
				}
			}
			if !opt {
				np++
			}
		}
	}
	return tp, np, len(g)
}

// TestSharedPlansScore parses the three real plans and scores them against
// their gold labels. Targets (issue 3): items 1.000, units ≥ 0.97, lead ≥
// 0.95, obligations ≥ 0.90, meta all right.
func TestSharedPlansScore(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.gold.json")
	if len(files) != 3 {
		t.Fatalf("%d gold files in testdata, want 3", len(files))
	}
	var items, units, lead, obl f1
	for _, gf := range files {
		var g gold
		b, err := os.ReadFile(gf)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &g); err != nil {
			t.Fatal(err)
		}
		p := parseFile(t, filepath.Join("testdata", g.Doc))
		got := map[string]Item{}
		for _, it := range p.Items {
			got[it.Ref] = it
		}
		matched := 0
		for _, gi := range g.Items {
			it, ok := got[gi.Ref]
			if ok {
				matched++
			}
			var l, s []string
			for _, task := range it.Tasks {
				l = append(l, task.Lead...)
			}
			for _, task := range it.Tasks {
				for _, u := range task.Support {
					if !contains(l, u) {
						s = append(s, u)
					}
				}
			}
			units.add(matchUnits(append(append([]string{}, l...), s...), append(append([][]string{}, gi.Lead...), gi.Support...), gi.Optional))
			lead.add(matchUnits(l, gi.Lead, gi.Optional))
			want := map[string]int{}
			for _, o := range gi.Obligations {
				want[oblKey(o)]++
			}
			have := map[string]int{}
			for _, o := range it.Obligations {
				have[oblKey(o)]++
			}
			tp, np := 0, 0
			for k, n := range have {
				tp += min(n, want[k])
				np += n
			}
			obl.add(tp, np, len(gi.Obligations))
		}
		items.add(matched, len(p.Items), len(g.Items))
		// meta
		if p.Title != g.Title || !reflect.DeepEqual(p.Year, g.Year) || !reflect.DeepEqual(p.Issuer, g.Issuer) || !reflect.DeepEqual(p.DocNumber, g.DocNumber) {
			t.Errorf("%s meta: title %q year %v issuer %v doc %v", g.Doc, p.Title, deref(p.Year), deref(p.Issuer), deref(p.DocNumber))
		}
		var gd, pd []string
		for _, r := range g.Reports {
			gd = append(gd, r.Due)
		}
		for _, r := range p.Reports {
			pd = append(pd, r.Due)
		}
		if strings.Join(gd, ",") != strings.Join(pd, ",") {
			t.Errorf("%s reports %v, want %v", g.Doc, pd, gd)
		}
	}
	t.Logf("items_f1=%.3f units_f1=%.3f lead_f1=%.3f obligations_f1=%.3f", items.score(), units.score(), lead.score(), obl.score())
	for name, c := range map[string]struct {
		got, want float64
	}{"items": {items.score(), 1}, "units": {units.score(), 0.97}, "lead": {lead.score(), 0.95}, "obligations": {obl.score(), 0.90}} {
		if c.got < c.want {
			t.Errorf("%s_f1 = %.3f, target %.2f", name, c.got, c.want)
		}
	}
}

func oblKey(o Obligation) string {
	if o.Kind == "deadline" {
		return "deadline " + o.Due
	}
	return "recurring " + o.Period
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func parseFile(t *testing.T, path string) *Parsed {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return parseBytes(t, b)
}

func parseBytes(t *testing.T, b []byte) *Parsed {
	t.Helper()
	text, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(text, 0)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFormatsParseAlike: the same plan as UTF-8 text, GB18030 text, an HTML
// page and a .docx gives the same JSON.
func TestFormatsParseAlike(t *testing.T) {
	raw, err := os.ReadFile("testdata/001_24d02479031d2206.txt")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(parseBytes(t, raw))
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	var page, doc strings.Builder
	page.WriteString(`<!doctype html><html><head><meta charset="utf-8"><title>x</title><style>p{color:red}</style></head><body>`)
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="w"><w:body>`)
	for _, l := range lines {
		esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(l)
		page.WriteString("<p>" + esc + "</p>\n")
		doc.WriteString(`<w:p><w:r><w:t xml:space="preserve">` + esc + `</w:t></w:r></w:p>`)
	}
	page.WriteString("</body></html>")
	doc.WriteString(`</w:body></w:document>`)
	var docx bytes.Buffer
	zw := zip.NewWriter(&docx)
	w, _ := zw.Create("word/document.xml")
	_, _ = w.Write([]byte(doc.String()))
	zw.Close()
	for name, b := range map[string][]byte{"gb18030": gbk, "html": []byte(page.String()), "docx": docx.Bytes()} {
		got, _ := json.Marshal(parseBytes(t, b))
		if !bytes.Equal(got, want) {
			t.Errorf("%s parses differently from the UTF-8 text", name)
		}
	}
}

// TestOtherNumberingAndClauses: a plan in 1./(1) numbering with 牵头单位/配合单位
// clauses, a trailing 责任单位 line and an item with no clause.
func TestOtherNumberingAndClauses(t *testing.T) {
	text := `某县安全生产委员会
关于印发《2024年某县安全生产工作要点》的通知
各乡镇:
请于6月20日前和12月20日前分别将半年和全年工作完成情况报送县安委办。
某县安全生产委员会
2024年3月1日
1.压实责任
(1)落实属地责任。每季度至少召开1次专题会议。(牵头单位:县应急局 配合单位:县住建局、县交通运输局)
(2)开展隐患排查。10月底前完成排查。责任单位:县应急局、各乡镇人民政府
2.夯实基础
(1)加强宣传教育。年内组织一次安全生产月活动。
`
	p, err := Parse(text, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "2024年某县安全生产工作要点" || *p.Year != 2024 || *p.Issuer != "某县安全生产委员会" || *p.Date != "2024-03-01" {
		t.Fatalf("meta: %+v", p)
	}
	if len(p.Reports) != 2 || p.Reports[0].Due != "2024-06-20" || p.Reports[1].What != "全年工作完成情况" {
		t.Fatalf("reports: %+v", p.Reports)
	}
	refs := []string{}
	for _, it := range p.Items {
		refs = append(refs, it.Ref)
	}
	if strings.Join(refs, " ") != "1.(1) 1.(2) 2.(1)" {
		t.Fatalf("refs: %v", refs)
	}
	a := p.Items[0]
	if a.Tasks[0].Lead[0] != "县应急局" || strings.Join(a.Tasks[0].Support, "、") != "县住建局、县交通运输局" {
		t.Errorf("牵头/配合: %+v", a.Tasks)
	}
	if len(a.Obligations) != 1 || a.Obligations[0].Period != "quarter" || *a.Obligations[0].Times != 1 {
		t.Errorf("obligations: %+v", a.Obligations)
	}
	b := p.Items[1]
	if b.Tasks[0].Lead[0] != "县应急局" || b.Tasks[0].Support[0] != "各乡镇人民政府" || b.Obligations[0].Due != "2024-10-31" {
		t.Errorf("trailing clause item: %+v %+v", b.Tasks, b.Obligations)
	}
	c := p.Items[2]
	if len(c.Tasks) != 1 || len(c.Tasks[0].Lead) != 0 || c.Obligations[0].Due != "2024-12-31" {
		t.Errorf("item without clause: %+v %+v", c.Tasks, c.Obligations)
	}
	if c.Section != "夯实基础" {
		t.Errorf("section %q", c.Section)
	}
}

func TestNotAPlan(t *testing.T) {
	for _, text := range []string{"", "今天天气很好。", "<html><body>hello</body></html>"} {
		if _, err := Parse(text, 0); err != ErrNotAPlan {
			t.Errorf("Parse(%q) err = %v, want ErrNotAPlan", text, err)
		}
	}
	if _, err := Decode([]byte("PK\x03\x04garbage")); err == nil {
		t.Error("broken docx accepted")
	}
}

func TestGarbledDate(t *testing.T) {
	for in, want := range map[string]string{"2023625": "2023-06-25", "2023217": "2023-02-17", "20231231": "2023-12-31"} {
		if got, ok := garbledDate(in, 0); !ok || got != want {
			t.Errorf("garbledDate(%s) = %s %v, want %s", in, got, ok, want)
		}
	}
	if _, ok := garbledDate("2023111", 0); ok { // 1-11 or 11-1: ambiguous
		t.Error("ambiguous date read")
	}
}

// FuzzParse: any input decodes and parses without panic or hang; an error
// is ErrNotAPlan or a decoding error.
func FuzzParse(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "*.txt"))
	for _, name := range names {
		b, _ := os.ReadFile(name)
		f.Add(b)
		f.Add(docxOf(f, b))
	}
	f.Add([]byte("一、总则\n(一)加强领导。(责任单位:县应急局、财政局)\n"))
	f.Add([]byte("<p>1.每月至少检查1次。(甲会同乙负责)</p>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		text, err := Decode(b)
		if err != nil {
			return
		}
		p, err := Parse(text, 0)
		if err != nil {
			if err != ErrNotAPlan {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(p.Items) == 0 {
			t.Fatal("a plan with no items")
		}
	})
}

// docxOf is a minimal .docx whose paragraphs are text's lines (a fuzz
// seed for Decode's .docx branch).
func docxOf(t testing.TB, text []byte) []byte {
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, line := range strings.Split(string(text), "\n") {
		doc.WriteString("<w:p><w:r><w:t>" + html.EscapeString(line) + "</w:t></w:r></w:p>")
	}
	doc.WriteString("</w:body></w:document>")
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.Create("word/document.xml")
	if err == nil {
		_, err = io.WriteString(w, doc.String())
	}
	if err == nil {
		err = z.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
