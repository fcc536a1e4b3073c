package plan

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// clauseCase is a row of testdata/clauses.json: a responsibility clause as
// printed, the units a careful reader takes from it, and where it comes
// from (a published plan's address, or "made up" for a family's pattern
// the issue names). family lists issue 21's families it exercises: 1 等/和
// endings, 2 shared heads, 3 parenthesised alternatives, 4 organ lists
// under one prefix. optional units are neither required nor refused.
type clauseCase struct {
	Clause   string   `json:"clause"`
	Lead     []string `json:"lead"`
	Support  []string `json:"support"`
	Optional []string `json:"optional"`
	Source   string   `json:"source"`
	Family   []int    `json:"family"`
}

// TestClauseTable reads every clause of the table and reports the share
// read exactly right (lead and support as sets, optional units aside);
// every one must be.
func TestClauseTable(t *testing.T) {
	b, err := os.ReadFile("testdata/clauses.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []clauseCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	right := 0
	for _, c := range cases {
		lead, support := unitsOf(normalizer.Replace(c.Clause))
		drop := func(us []string) []string {
			return slices.DeleteFunc(slices.Clone(us), func(u string) bool { return slices.Contains(c.Optional, u) })
		}
		if sameSet(drop(lead), c.Lead) && sameSet(drop(support), c.Support) {
			right++
			continue
		}
		t.Errorf("%s\n  lead %q, want %q\n  support %q, want %q\n  (%s)", c.Clause, lead, c.Lead, support, c.Support, c.Source)
	}
	t.Logf("clause table: %d of %d clauses exactly right (%.3f)", right, len(cases), float64(right)/float64(len(cases)))
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// FuzzUnits: any clause reads without panicking into units that are not
// empty, hold no separator of the list they came from, and are not both
// lead and support.
func FuzzUnits(f *testing.F) {
	b, err := os.ReadFile("testdata/clauses.json")
	if err != nil {
		f.Fatal(err)
	}
	var cases []clauseCase
	if err := json.Unmarshal(b, &cases); err != nil {
		f.Fatal(err)
	}
	for _, c := range cases {
		f.Add(c.Clause)
	}
	f.Add("各(")
	f.Add("等、和及,会同")
	f.Fuzz(func(t *testing.T, clause string) {
		lead, support := unitsOf(normalizer.Replace(clause))
		for _, u := range append(append([]string{}, lead...), support...) {
			if u == "" || strings.ContainsAny(u, "、,;") {
				t.Errorf("%q gave the unit %q", clause, u)
			}
		}
		for _, u := range lead {
			if slices.Contains(support, u) {
				t.Errorf("%q: %q both leads and supports", clause, u)
			}
		}
	})
}

// TestItemTrees parses each document of testdata/trees (its first line
// says where it comes from: a published plan's address, partial as the
// store kept it, or MADE UP for a numbering pattern) and compares the
// items' refs with its .refs.json, in order.
func TestItemTrees(t *testing.T) {
	files, err := filepath.Glob("testdata/trees/*.txt")
	if err != nil || len(files) < 5 {
		t.Fatalf("%d tree documents (%v), want 5 or more", len(files), err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var want struct{ Refs []string }
		j, err := os.ReadFile(strings.TrimSuffix(f, ".txt") + ".refs.json")
		if err == nil {
			err = json.Unmarshal(j, &want)
		}
		if err != nil {
			t.Fatal(err)
		}
		_, text, _ := strings.Cut(string(b), "\n") // the source line
		p, err := Parse(text, 0)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		var refs []string
		for _, it := range p.Items {
			refs = append(refs, it.Ref)
		}
		if !slices.Equal(refs, want.Refs) {
			t.Errorf("%s: refs %q, want %q", f, refs, want.Refs)
		}
	}
}

// TestNoticeMeta: issuer, year, 文号 and date come out of cover notes in
// their common shapes — a signature (its date also garbled, 2024613日), the
// cover note's own title (××关于印发《…》的通知), the issuer on the line above
// a 关于印发 title, a bare title (no issuer printed) — on made-up notices and
// on published ones (testdata/trees).
func TestNoticeMeta(t *testing.T) {
	str := func(s string) *string { return &s }
	body := "\n一、强化责任\n1.压实责任(市安委办负责)。\n"
	for _, c := range []struct {
		name, text        string
		year              int
		issuer, num, date *string
	}{
		{"signature, garbled date", "江城市安全生产委员会关于印发《江城市2024年安全生产工作要点》的通知\n江安委〔2024〕3号\n各县(区)人民政府:\n现将要点印发给你们。\n江城市安全生产委员会\n2024613日" + body,
			2024, str("江城市安全生产委员会"), str("江安委〔2024〕3号"), str("2024-06-13")},
		{"cover note title only", "江城市安全生产委员会关于印发《江城市2024年安全生产工作要点》的通知\n各县(区)人民政府:\n现将要点印发给你们。" + body,
			2024, str("江城市安全生产委员会"), nil, nil},
		{"bare title", "江城市2025年安全生产工作要点" + body, 2025, nil, nil, nil},
		{"signature", "江城市2023年安全生产工作要点\n江城市安全生产委员会办公室\n2023年3月1日" + body, 2023, str("江城市安全生产委员会办公室"), nil, str("2023-03-01")},
	} {
		p, err := Parse(c.text, 0)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		checkMeta(t, c.name, p, c.year, c.issuer, c.num, c.date)
	}
	for _, c := range []struct {
		file              string
		year              int
		issuer, num, date *string
	}{
		{"yudu2022", 2022, str("于都县人民政府办公室"), str("于府办发〔2022〕33号"), str("2022-04-26")},
		{"mianzhu2025", 2025, str("绵竹市安全生产委员会"), nil, str("2025-06-24")},
		{"xianning_shi2023", 2023, str("咸宁市安全生产委员会"), nil, str("2023-05-04")},
	} {
		b, err := os.ReadFile("testdata/trees/" + c.file + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		_, text, _ := strings.Cut(string(b), "\n")
		p, err := Parse(text, 0)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		checkMeta(t, c.file, p, c.year, c.issuer, c.num, c.date)
	}
}

func checkMeta(t *testing.T, name string, p *Parsed, year int, issuer, num, date *string) {
	t.Helper()
	s := func(p *string) string {
		if p == nil {
			return "<none>"
		}
		return *p
	}
	if p.Year == nil || *p.Year != year {
		t.Errorf("%s: year %v, want %d", name, p.Year, year)
	}
	for _, f := range []struct {
		what      string
		got, want *string
	}{{"issuer", p.Issuer, issuer}, {"文号", p.DocNumber, num}, {"date", p.Date, date}} {
		if s(f.got) != s(f.want) {
			t.Errorf("%s: %s %s, want %s", name, f.what, s(f.got), s(f.want))
		}
	}
}

// TestSplitAndSuspect: the review page's helpers — which names want a
// look, a split put in the name's place in every task (its role kept),
// and the split remembered with the units of its parts.
func TestSplitAndSuspect(t *testing.T) {
	for _, c := range []struct {
		m    Match
		want string
	}{
		{Match{Name: "区城管局", How: "none"}, "未对应到单位"},
		{Match{Name: "区应急局等有关部门", How: "fuzzy"}, "含“等”，请核对是否应拆分"},
		{Match{Name: "各县(区)政府", How: "group"}, "含括号，请核对是否应拆分"},
		{Match{Name: "区工业和信息化局", How: "exact"}, ""},
		{Match{Name: "市住房和城乡建设局", How: "fuzzy"}, ""},
		{Match{Name: "区交通局和城管局", How: "fuzzy"}, "含“和”，请核对是否应拆分"},
		{Match{Name: "区应急局", How: "fuzzy"}, ""},
	} {
		if got := Suspect(c.m); got != c.want {
			t.Errorf("Suspect(%+v) = %q, want %q", c.m, got, c.want)
		}
	}
	p := &Parsed{Items: []Item{{Tasks: []Task{{Lead: []string{"区建设交通部门"}, Support: []string{"区应急局"}}, {Lead: []string{"区应急局"}, Support: []string{"区建设交通部门", "区住建局"}}}}}}
	parts := SplitNames("区住建局、区交通局，")
	Split(p, "区建设交通部门", parts)
	t0, t1 := p.Items[0].Tasks[0], p.Items[0].Tasks[1]
	if !slices.Equal(t0.Lead, []string{"区住建局", "区交通局"}) || !slices.Equal(t0.Support, []string{"区应急局"}) ||
		!slices.Equal(t1.Support, []string{"区住建局", "区交通局"}) {
		t.Errorf("split: %+v %+v", t0, t1)
	}
	resolved := map[string][]int64{"区住建局": {4}, "区交通局": {5, 4}, "区应急局": {7}, "区公路中心": {9}}
	// 区建设交通部门 split into two printed names; 区交通局 (printed) also
	// split further, which does not change its own choice; 旧名 split into a
	// name that was itself split (followed through); 区应急局 split into
	// itself and more stays what the office chose for it.
	got, err := remembering(p, resolved, map[string][]string{"区建设交通部门": parts, "旧名": {"区建设交通部门"},
		"区交通局": {"区交通局", "区公路中心"}, "区应急局": {"区应急局", "区公路中心"}, "无人对应": {"未知"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got["区建设交通部门"], []int64{4, 5}) || !slices.Equal(got["旧名"], []int64{4, 5}) ||
		!slices.Equal(got["区应急局"], []int64{7}) || !slices.Equal(got["区交通局"], []int64{5, 4}) || got["无人对应"] != nil {
		t.Errorf("remembered: %v", got)
	}
	if _, err := remembering(p, resolved, map[string][]string{strings.Repeat("长", 501): {"区住建局"}}); err == nil {
		t.Error("a split name past the limit was taken")
	}
}
