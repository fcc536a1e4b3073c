package rules

import (
	"strings"
	"testing"
)

func TestLECBandsAtTheirBoundaries(t *testing.T) {
	cases := []struct {
		l, e, c float64
		d       float64
		colour  string
	}{
		{6, 6, 7, 252, "橙"}, // the 360docs example: 高度危险
		{10, 10, 100, 10000, "红"},
		{3, 10, 15, 450, "红"}, // > 320
		{10, 6, 3, 180, "橙"},  // just above 160
		{1, 10, 15, 150, "黄"}, // 70 < D ≤ 160
		{3, 6, 7, 126, "黄"},
		{10, 1, 7, 70, "蓝"}, // D = 70 exactly: 蓝 (upper end inclusive)
		{0.1, 0.5, 1, 0.05, "蓝"},
	}
	for _, c := range cases {
		g, err := GradeLEC(c.l, c.e, c.c, nil)
		if err != nil || g.Value != c.d || g.Colour != c.colour || !strings.Contains(g.Basis, "LEC") {
			t.Errorf("L%v E%v C%v: %+v %v, want D=%v %s", c.l, c.e, c.c, g, err, c.d, c.colour)
		}
	}
	// Exactly 320 and 160: the upper end of 橙 and 黄.
	bands, _ := RiskBands("lec", "default")
	for v, colour := range map[float64]string{320: "橙", 320.001: "红", 160: "黄", 160.001: "橙", 70.001: "黄"} {
		if b, ok := place(v, bands); !ok || b.Colour != colour {
			t.Errorf("D=%v: %s, want %s", v, b.Colour, colour)
		}
	}
	for _, bad := range [][3]float64{{5, 6, 7}, {6, 4, 7}, {6, 6, 8}} {
		if _, err := GradeLEC(bad[0], bad[1], bad[2], nil); err == nil || !strings.Contains(err.Error(), "不在表中") {
			t.Errorf("%v accepted: %v", bad, err)
		}
	}
}

func TestLSBandsBothVariants(t *testing.T) {
	a, _ := RiskBands("ls", "A")
	b, _ := RiskBands("ls", "B")
	for _, c := range []struct {
		l, s   int
		ca, cb string
	}{{5, 5, "红", "红"}, {4, 5, "红", "红"}, {4, 4, "橙", "橙"}, {3, 5, "橙", "橙"}, {3, 4, "黄", "橙"}, {3, 3, "黄", "橙"},
		{2, 4, "蓝", "黄"}, {2, 2, "蓝", "黄"}, {1, 3, "蓝", "蓝"}, {1, 1, "蓝", "蓝"}} {
		ga, err := GradeLS(c.l, c.s, a)
		gb, err2 := GradeLS(c.l, c.s, b)
		if err != nil || err2 != nil || ga.Colour != c.ca || gb.Colour != c.cb {
			t.Errorf("L%d S%d: A %s, B %s; want %s %s", c.l, c.s, ga.Colour, gb.Colour, c.ca, c.cb)
		}
	}
	if _, err := GradeLS(0, 3, nil); err == nil {
		t.Error("L=0 accepted")
	}
	if _, err := GradeLS(3, 6, nil); err == nil {
		t.Error("S=6 accepted")
	}
}

func TestCriteriaLibraryIsVerbatimOnly(t *testing.T) {
	cs, err := Criteria()
	if err != nil || len(cs) != 72 {
		t.Fatalf("criteria: %d %v", len(cs), err)
	}
	c, ok := LookupCriterion("hg121-5")
	if !ok || !strings.HasPrefix(c.Text, "构成一级、二级重大危险源的危险化学品罐区未实现紧急切断功能") || !strings.Contains(c.Basis(), "安监总管三〔2017〕121号") {
		t.Errorf("化工 (五): %+v", c)
	}
	if c, ok := LookupCriterion("gm10-11-3"); !ok || c.Sector != "粉尘涉爆" || !strings.Contains(c.Text, "泄爆、惰化、抑爆") {
		t.Errorf("粉尘 (三): %+v", c)
	}
	for _, c := range cs {
		if c.Text == "" || strings.Contains(c.Text, "…") || strings.Contains(c.Text, "UNVERIFIED") || !strings.Contains(c.Source, "VERBATIM") {
			t.Errorf("%s is not a verbatim item: %q", c.Key, c.Text)
		}
	}
	if _, ok := LookupCriterion("gm10-5-11"); ok {
		t.Error("a reconstructed item (有色 第十一项) is in the library")
	}
}
