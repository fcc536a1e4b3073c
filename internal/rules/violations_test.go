package rules

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestViolationsAreTheLaw: every violation's text is in 安全生产法 (2021)
// as written, under its article, and each of its fines is worded there as
// the table has it (处十万元以下的罚款 …) — the table read back against
// the law's text (testdata), not against itself.
func TestViolationsAreTheLaw(t *testing.T) {
	raw, err := os.ReadFile("testdata/safety_law_2021.md")
	if err != nil {
		t.Fatal(err)
	}
	law := string(raw)
	vs, err := Violations()
	if err != nil || len(vs) < 25 {
		t.Fatalf("%d violations (%v)", len(vs), err)
	}
	article := regexp.MustCompile(`(?m)^(第[一二三四五六七八九十百零]+条) `)
	starts := article.FindAllStringSubmatchIndex(law, -1)
	body := map[string]string{}
	for i, m := range starts {
		end := len(law)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		body[law[m[2]:m[3]]] = law[m[0]:end]
	}
	seen := map[string]bool{}
	for _, v := range vs {
		if seen[v.Key] {
			t.Errorf("%s twice", v.Key)
		}
		seen[v.Key] = true
		b, ok := body[v.Article]
		if !ok {
			t.Errorf("%s: no %s in the law", v.Key, v.Article)
			continue
		}
		if !strings.Contains(b, v.Text) {
			t.Errorf("%s: %q is not in %s", v.Key, v.Text, v.Article)
		}
		for _, r := range []Range{v.Fine, v.Person, v.Overdue, v.OverduePerson} {
			if w := r.Words(); w != "" && !strings.Contains(b, strings.TrimPrefix(w, "处")) {
				t.Errorf("%s: %q is not how %s words a fine", v.Key, w, v.Article)
			}
		}
		if !strings.Contains(b, v.Order) {
			t.Errorf("%s: the order %q is not in %s", v.Key, v.Order, v.Article)
		}
	}
	if v, ok := ViolationOf("a102"); !ok || v.Basis() != "《中华人民共和国安全生产法》第一百零二条" || v.Fine.Words() != "处五万元以下的罚款" {
		t.Errorf("a102: %+v %v", v, ok)
	}
	if v, _ := ViolationOf("a98-2"); v.Overdue.Words() != "处五十万元以上一百万元以下的罚款" || v.Basis() != "《中华人民共和国安全生产法》第九十八条第二项" {
		t.Errorf("a98-2: %q %q", v.Overdue.Words(), v.Basis())
	}
}

func TestChineseNumbers(t *testing.T) {
	for n, want := range map[int]string{1: "一", 5: "五", 10: "十", 12: "十二", 20: "二十", 50: "五十", 100: "一百", 105: "一百零五", 110: "一百一十", 115: "一百一十五", 150: "一百五十", 200: "二百", 1000: "一千", 2000: "二千", 2500: "2500"} {
		if got := chineseNumber(n); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}
