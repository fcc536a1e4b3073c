package rules

import (
	"strings"
	"testing"
)

func TestCreditCodeOnRealCodes(t *testing.T) {
	for _, code := range []string{"914403001922038216", "9144030071526726XG"} {
		if r := CheckCreditCode(code); !r.Valid {
			t.Errorf("%s: %+v", code, r)
		}
	}
	// Changing any one character of a real code breaks it.
	code := "914403001922038216"
	for i := 0; i < 18; i++ {
		for _, c := range []byte("0123456789ABCDEFGHJKLMNPQRTUWXY") {
			if c == code[i] {
				continue
			}
			bad := code[:i] + string(c) + code[i+1:]
			if CheckCreditCode(bad).Valid {
				t.Fatalf("%s (position %d changed) passes", bad, i+1)
			}
		}
	}
	for code, want := range map[string]string{
		"91440300192203821":  "应为18位",
		"914403001922038217": "校验位错误 (第18位应为 6)",
		"91440300192203821I": "第18位“I”不是代码字符",
		"9144030019220382O6": "第17位“O”不是代码字符",
		"九14403001922038216": "应为18位",
	} {
		if r := CheckCreditCode(code); r.Valid || !strings.Contains(r.Error, want) {
			t.Errorf("%s: %q, want %q", code, r.Error, want)
		}
	}
	if r := CheckCreditCode(" 9144030071526726xg "); !r.Valid || r.Region != "440300" {
		t.Errorf("lower case and spaces: %+v", r)
	}
}

func TestMajorSourceWorkedExample(t *testing.T) {
	r, err := ComputeMajorSource([]Holding{{Chemical: "液氯", Tonnes: 20}, {Chemical: "液氨", Tonnes: 30}}, 200)
	if err != nil {
		t.Fatal(err)
	}
	if r.Sum != 7 || !r.Major || r.Alpha != 2 || r.R != 44 || r.Grade != "三级" {
		t.Fatalf("worked example: %+v", r)
	}
	if !strings.Contains(r.Basis, "GB 18218-2018") || r.Lines[0].BetaFrom != "表3" || r.Lines[0].Beta != 4 {
		t.Errorf("basis and β: %+v", r)
	}
}

func TestMajorSourcePaths(t *testing.T) {
	cases := []struct {
		name     string
		holdings []Holding
		people   int
		sum, r   float64
		major    bool
		grade    string
	}{
		// A named chemical by CAS, below its threshold: not major.
		{"CAS below", []Holding{{Chemical: "7782-50-5", Tonnes: 2.5}}, 10, 0.5, 2, false, ""},
		// Exactly at Q: major (q ≥ Q); β 4 (氯, 表3), α 1.0 for 1–29 people: R = 4 → 四级.
		{"at Q", []Holding{{Chemical: "氯气", Tonnes: 5}}, 29, 1, 4, true, "四级"},
		// A category from table 2: W5.4 (易燃液体 类别3, Q 5000, β 1), 0 people → α 0.5.
		{"category", []Holding{{Chemical: "W5.4", Tonnes: 10000}}, 0, 2, 1, true, "四级"},
		// A table-1 chemical outside 表3 with its category for β: 汽油 (Q 200) as W5.1 (β 1.5); 甲醇 (Q 500) as W5.2 (β 1).
		{"mixture", []Holding{{Chemical: "汽油", Category: "W5.1", Tonnes: 400}, {Chemical: "甲醇", Category: "W5.2", Tonnes: 500}}, 50,
			3, 1.5 * (1.5*2 + 1*1), true, "四级"},
		// Grade boundaries: R exactly 10 → 三级, 50 → 二级, 100 → 一级 (α 1.0, β 1 via W5.4 in table 2 terms).
		{"R=10", []Holding{{Chemical: "W2", Tonnes: 100 / 1.5}}, 1, 6.6667, 10, true, "三级"},
		{"R=50", []Holding{{Chemical: "氨", Tonnes: 250}}, 1, 25, 50, true, "二级"},
		{"R=100", []Holding{{Chemical: "氨", Tonnes: 250}}, 100, 25, 100, true, "一级"},
		{"R just under 10", []Holding{{Chemical: "W4", Tonnes: 499}}, 1, 9.98, 9.98, true, "四级"},
		// α bands at their edges: 30 → 1.2, 49 → 1.2, 99 → 1.5.
		{"α 30", []Holding{{Chemical: "W4", Tonnes: 50}}, 30, 1, 1.2, true, "四级"},
		{"α 99", []Holding{{Chemical: "W4", Tonnes: 50}}, 99, 1, 1.5, true, "四级"},
	}
	for _, c := range cases {
		r, err := ComputeMajorSource(c.holdings, c.people)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if r.Sum != round(c.sum) || r.R != round(c.r) || r.Major != c.major || r.Grade != c.grade {
			t.Errorf("%s: sum %v r %v major %v grade %q; want %v %v %v %q", c.name, r.Sum, r.R, r.Major, r.Grade, round(c.sum), round(c.r), c.major, c.grade)
		}
	}
	for _, bad := range []struct {
		h    []Holding
		want string
	}{
		{[]Holding{{Chemical: "可口可乐", Tonnes: 1}}, "不在GB 18218-2018 表1中"},
		{[]Holding{{Chemical: "汽油", Tonnes: 1}}, "请给出其危险性类别"},
		{[]Holding{{Chemical: "氨", Tonnes: 0}}, "最大量应为正数"},
		{[]Holding{{Chemical: "硝化纤维素", Tonnes: 1}}, "在表1中有多项"},
		{[]Holding{{Chemical: "9004-70-0", Tonnes: 1}}, "在表1中有多项"},
		{nil, "请至少填写"},
	} {
		if _, err := ComputeMajorSource(bad.h, 1); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%+v: %v, want %q", bad.h, err, bad.want)
		}
	}
}

func TestTablesLoad(t *testing.T) {
	cs, err := Chemicals()
	if err != nil || len(cs) != 85+24 {
		t.Fatalf("chemicals: %d %v", len(cs), err)
	}
	if c, ok := LookupChemical("光气"); !ok || c.Q != 0.3 || c.Beta != 20 {
		t.Errorf("光气 (碳酰氯): %+v", c)
	}
	if i, ok := IndustryByCode("2614"); !ok || i.Name != "有机化学原料制造" || i.Section != "C" {
		t.Errorf("2614: %+v", i)
	}
	if n := len(Industries()); n < 1900 {
		t.Errorf("%d industry codes", n)
	}
}
