package enterprise

import (
	"strings"
	"testing"
)

func TestClassRule(t *testing.T) {
	r := DefaultClassRule()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		in    Inputs
		class string
		score int
	}{
		{"hazchem with a 二级 source, 未定级", Inputs{Categories: []string{"confined", "hazchem"}, MajorGrade: "二级"}, "A", 3 + 3 + 1},
		{"hazchem 一级 标准化, no source", Inputs{Categories: []string{"hazchem"}, StdLevel: "1"}, "D", 1},
		{"gas, 三级 标准化", Inputs{Categories: []string{"gas"}, StdLevel: "3"}, "C", 2},
		{"small shop 未定级", Inputs{Categories: []string{"small"}}, "D", 1},
		{"dust with an open major hazard", Inputs{Categories: []string{"dust"}, StdLevel: "3", OpenMajorHazards: 1}, "B", 4},
		{"trade with 3 violations, blacklisted", Inputs{Categories: []string{"trade"}, StdLevel: "2", Violations12m: 3, Blacklisted: true}, "B", 1 + 2 + 3 - 1},
		{"exactly 7", Inputs{Categories: []string{"mine"}, MajorGrade: "四级", StdLevel: "3", Violations12m: 3, OpenMajorHazards: 0}, "B", 6},
		{"boundary A", Inputs{Categories: []string{"mine"}, MajorGrade: "三级", StdLevel: "3", Violations12m: 3}, "A", 7},
	}
	for _, c := range cases {
		got := r.Classify(c.in)
		if got.Class != c.class || got.Score != c.score || !strings.Contains(got.Reason, "→ "+c.class+"类") {
			t.Errorf("%s: %+v, want %s (%d)", c.name, got, c.class, c.score)
		}
	}
	if got := r.Classify(Inputs{Categories: []string{"hazchem"}, MajorGrade: "一级"}); got.Inspections != 4 ||
		!strings.Contains(got.Reason, "危险化学品 +3") || !strings.Contains(got.Reason, "一级重大危险源 +4") {
		t.Errorf("reason: %+v", got)
	}
	bad := DefaultClassRule()
	bad.Classes[1].Min = 9
	if bad.Validate() == nil {
		t.Error("a rule with unordered classes was accepted")
	}
}

func TestParseCategories(t *testing.T) {
	keys, unknown := ParseCategories("有限空间、危险化学品, gas；火星采矿")
	if strings.Join(keys, ",") != "hazchem,confined,gas" || len(unknown) != 1 || unknown[0] != "火星采矿" {
		t.Errorf("%v %v", keys, unknown)
	}
}
