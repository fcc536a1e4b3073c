package plan

import (
	"reflect"
	"testing"
)

func tianqiao() []Candidate {
	return []Candidate{
		{ID: 1, Name: "济南市天桥区安全生产委员会办公室", ShortName: "区安委会办公室", Aliases: []string{"区安委办"}, Kind: "committee_office", Committee: true},
		{ID: 2, Name: "济南市天桥区应急管理局", ShortName: "区应急局", Kind: "department", Committee: true},
		{ID: 3, Name: "济南市天桥区发展和改革局", ShortName: "区发改局", Kind: "department", Committee: true},
		{ID: 4, Name: "济南市天桥区住房和城乡建设局", ShortName: "区住房城乡建设局", Kind: "department", Committee: true},
		{ID: 5, Name: "济南市天桥区无影山街道办事处", ShortName: "无影山街道", Kind: "street"},
		{ID: 6, Name: "济南市天桥区北园街道办事处", ShortName: "北园街道", Kind: "street"},
		{ID: 7, Name: "济南市天桥区城镇燃气安全生产专业委员会", ShortName: "城镇燃气安全生产专业委员会", Kind: "special_committee", Committee: true},
		{ID: 8, Name: "山东省住房城乡建设厅", ShortName: "省住建厅", Kind: "department"},
	}
}

func TestResolve(t *testing.T) {
	m := NewMatcher(tianqiao(), map[string][]int64{"区城管局": {4}})
	cases := []struct {
		name, how string
		units     []int64
	}{
		{"区应急局", "exact", []int64{2}},
		{"区安委办", "exact", []int64{1}},
		{"区城管局", "exact", []int64{4}}, // a remembered mapping
		{"区应急管理局", "fuzzy", []int64{2}},
		{"区发展改革局", "fuzzy", []int64{3}},
		{"区住建局", "fuzzy", []int64{4}},
		{"省住房和城乡建设厅", "fuzzy", []int64{8}},
		{"区安委会各成员单位", "group", []int64{2, 3, 4, 7}},
		{"各街道办事处", "group", []int64{5, 6}},
		{"区安委会有关成员单位", "choose", []int64{}},
		{"区税务局", "none", []int64{}},
	}
	for _, c := range cases {
		got := m.Resolve(c.name)
		if got.How != c.how || !reflect.DeepEqual(got.Units, c.units) {
			t.Errorf("Resolve(%s) = %s %v, want %s %v", c.name, got.How, got.Units, c.how, c.units)
		}
	}
	if s := m.Resolve("区安委会有关成员单位").Suggestions; len(s) != 4 {
		t.Errorf("有关成员单位 offers %v to choose from, want the 4 members", s)
	}
	if s := m.Resolve("区应急管理服务局").Suggestions; len(s) == 0 || s[0] != 2 {
		t.Errorf("suggestions for a near miss: %v, want 区应急局 first", s)
	}
}

// TestResolveSharedPlan: every lead and support name of the Tianqiao plan
// resolves against the demo jurisdiction's naming, except the group the
// office must pick from.
func TestResolveSharedPlan(t *testing.T) {
	p := parseFile(t, "testdata/001_24d02479031d2206.txt")
	units := tianqiao()
	more := []string{"区委组织部", "区委宣传部", "区文化和旅游局", "区工业和信息化局", "区公安分局", "区市场监管局", "区交警大队",
		"区生态环境分局", "区农业农村局", "区水务局", "区民政局", "区教体局", "区商务局", "区卫生健康局", "区消防救援大队", "市邮政管理局"}
	for i, s := range more {
		units = append(units, Candidate{ID: int64(100 + i), Name: "正式名称" + s, ShortName: s, Kind: "department", Committee: true})
	}
	m := NewMatcher(units, nil)
	names := 0
	for _, it := range p.Items {
		for _, task := range it.Tasks {
			for _, n := range append(append([]string{}, task.Lead...), task.Support...) {
				names++
				if r := m.Resolve(n); r.How == "none" {
					t.Errorf("%s: %s unresolved", it.Ref, n)
				}
			}
		}
	}
	if names < 50 {
		t.Errorf("only %d unit names read from the plan", names)
	}
}

func TestInstances(t *testing.T) {
	one := 1
	cases := []struct {
		o     Obligation
		n     int
		first string
		last  string
	}{
		{Obligation{Kind: "recurring", Period: "quarter", Times: &one}, 4, "2023-03-31", "2023-12-31"},
		{Obligation{Kind: "recurring", Period: "half-year"}, 2, "2023-06-30", "2023-12-31"},
		{Obligation{Kind: "recurring", Period: "month"}, 12, "2023-01-31", "2023-12-31"},
		{Obligation{Kind: "recurring", Period: "half-month"}, 24, "2023-01-15", "2023-12-31"},
		{Obligation{Kind: "recurring", Period: "year"}, 1, "2023-12-31", "2023-12-31"},
		{Obligation{Kind: "deadline", Due: "2023-06-30", Cue: "6月底前"}, 1, "2023-06-30", "2023-06-30"},
	}
	for _, c := range cases {
		is, err := Instances(c.o, 2023)
		if err != nil {
			t.Fatal(err)
		}
		if len(is) != c.n || is[0].Due != c.first || is[len(is)-1].Due != c.last {
			t.Errorf("%+v: %d instances %s…%s, want %d %s…%s", c.o, len(is), is[0].Due, is[len(is)-1].Due, c.n, c.first, c.last)
		}
	}
	feb, _ := Instances(Obligation{Kind: "recurring", Period: "day"}, 2024)
	if feb[1].Due != "2024-02-29" || feb[1].Times != 29 {
		t.Errorf("daily duty in February 2024: %+v", feb[1])
	}
	if _, err := Instances(Obligation{Kind: "recurring", Period: "fortnight"}, 2023); err == nil {
		t.Error("unknown period accepted")
	}
}
