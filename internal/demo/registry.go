package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/rules"
)

// profile is a kind of enterprise the demo generates: its categories, the
// industries it may have, the words its names use, and its share.
type profile struct {
	cats       string
	industries []string
	words      []string
	weight     int
}

var profiles = []profile{
	{"危险化学品", []string{"2614", "2661", "2662", "2651", "5162", "5942", "5265"}, []string{"化工", "精细化工", "化学品", "石化", "油品"}, 8},
	{"危险化学品、有限空间", []string{"2614", "5942"}, []string{"化工仓储", "化工储运"}, 2},
	{"金属冶炼", []string{"3110", "3120", "3216", "3130"}, []string{"钢铁", "冶金", "铝业"}, 2},
	{"烟花爆竹", []string{"2672", "5199"}, []string{"烟花", "花炮"}, 1},
	{"工贸、粉尘涉爆", []string{"2110", "1391", "3360"}, []string{"木业", "家具", "粉体", "金属制品"}, 8},
	{"工贸、涉氨制冷", []string{"1353", "1432", "1451"}, []string{"食品", "冷藏", "肉制品"}, 3},
	{"工贸、有限空间", []string{"2221", "1513", "1521"}, []string{"纸业", "啤酒", "饮品"}, 5},
	{"工贸", []string{"3311", "1761", "1811", "3914"}, []string{"机械", "纺织", "服饰", "电子"}, 8},
	{"城镇燃气", []string{"4511", "4512"}, []string{"燃气", "能源"}, 3},
	{"建筑施工", []string{"4710", "4790", "4813", "5011"}, []string{"建设", "建筑工程", "装饰工程"}, 10},
	{"道路运输", []string{"5431", "5435", "5437", "5421"}, []string{"物流", "运输", "货运"}, 6},
	{"消防重点单位、人员密集场所", []string{"5211", "5212", "8411", "6110"}, []string{"商厦", "购物中心", "医院", "酒店"}, 6},
	{"人员密集场所", []string{"9011", "6210", "8321"}, []string{"娱乐", "餐饮", "文化"}, 6},
	{"九小场所", []string{"6210", "5221", "5291", "8010"}, []string{"饭店", "超市", "小吃", "家政", "便利店"}, 30},
	{"其他", []string{"5181", "7221", "5273"}, []string{"贸易", "商贸", "科技"}, 2},
}

var (
	brandA  = []string{"泺", "鹊", "华", "鲁", "泉", "明", "金", "瑞", "恒", "泰", "汇", "宏", "德", "天", "新", "安", "顺", "兴", "盛", "信"}
	brandB  = []string{"源", "山", "通", "丰", "达", "诚", "和", "利", "昌", "远", "辰", "宇", "凯", "晟", "嘉", "泓", "润", "茂", "裕", "鑫"}
	surname = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"}
	given   = []string{"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "建华", "志强", "海燕", "建国"}
)

// creditCode makes a valid 统一社会信用代码 for a Tianqiao enterprise.
func creditCode(r *rand.Rand) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	b := []byte("91" + Root + "MA")
	for len(b) < 17 {
		b = append(b, chars[r.IntN(len(chars))])
	}
	c, _ := rules.CreditCheckChar(string(b))
	return string(append(b, c))
}

// EnterpriseSheet generates n realistic Tianqiao enterprises in the import
// sheet's layout (header first), deterministically from seed: the demo
// registry and the benchmarks use it.
func EnterpriseSheet(n int, streets []string, today string, seed uint64) [][]string {
	r := rand.New(rand.NewPCG(2026, seed))
	rows := [][]string{enterprise.SheetHeader}
	total := 0
	for _, p := range profiles {
		total += p.weight
	}
	used := map[string]bool{}
	person := func() string { return surname[r.IntN(len(surname))] + given[r.IntN(len(given))] }
	for len(rows) <= n {
		k := r.IntN(total)
		var p profile
		for _, x := range profiles {
			if k < x.weight {
				p = x
				break
			}
			k -= x.weight
		}
		// 字号 of two characters, or three when two are taken (as registrars require).
		var name string
		for try := 0; try < 40; try++ {
			brand := brandA[r.IntN(len(brandA))] + brandB[r.IntN(len(brandB))]
			if try >= 20 {
				brand += brandB[r.IntN(len(brandB))]
			}
			name = "济南" + brand + p.words[r.IntN(len(p.words))] + "有限公司"
			if !used[name] {
				break
			}
		}
		if used[name] {
			name = name[:len(name)-len("有限公司")] + "第" + strconv.Itoa(len(rows)) + "分公司"
		}
		used[name] = true
		staff := 3 + r.IntN(40)
		scale := "微型"
		switch {
		case r.IntN(10) == 0:
			staff, scale = 300+r.IntN(1500), "大型"
		case r.IntN(4) == 0:
			staff, scale = 100+r.IntN(200), "中型"
		case staff > 10:
			scale = "小型"
		}
		std := []string{"", "", "", "三级", "三级", "二级", "一级"}[r.IntN(7)]
		if p.cats == "九小场所" || p.cats == "人员密集场所" {
			std = ""
		}
		engineers := 0
		if staff > 100 {
			engineers = 1 + r.IntN(4)
		}
		street := streets[r.IntN(len(streets))]
		status := "在营"
		if r.IntN(40) == 0 {
			status = "停产"
		}
		policy, expires := "", ""
		if r.IntN(3) > 0 {
			policy = fmt.Sprintf("AJX%d%07d", 2026, r.IntN(10000000))
			expires = addDays(today, 30+r.IntN(330))
		}
		rows = append(rows, []string{name, creditCode(r), street, "济南市天桥区" + street + fmt.Sprintf("%d号", 1+r.IntN(300)), "",
			p.industries[r.IntN(len(p.industries))], p.cats, scale, person(), person(), fmt.Sprintf("1385310%04d", r.IntN(10000)),
			person(), fmt.Sprintf("1395319%04d", r.IntN(10000)), strconv.Itoa(staff), strconv.Itoa(engineers), std,
			map[bool]string{true: "中国人民财产保险济南分公司", false: ""}[policy != ""], policy, expires, status})
	}
	return rows
}

func addDays(day string, n int) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format("2006-01-02")
}

// withCheck completes 17 characters with their GB 32100 check character.
func withCheck(first17 string) string {
	c, _ := rules.CreditCheckChar(first17)
	return first17 + string(c)
}

// dutyRules are Tianqiao's 三管三必须 mapping for the demo.
var dutyRules = map[string][]string{
	"hazchem": {"区应急局"}, "mine": {"区应急局"}, "fireworks": {"区应急局"}, "metallurgy": {"区应急局"}, "trade": {"区应急局"},
	"dust": {"区应急局"}, "ammonia": {"区应急局"}, "confined": {"区应急局"}, "gas": {"区住房城乡建设局"}, "construction": {"区住房城乡建设局"},
	"road": {"区交通运输局"}, "fire_key": {"区消防救援大队"}, "crowded": {"区消防救援大队", "区市场监管局"}, "small": {"区市场监管局"},
}

// registry fills the enterprise registry: duty rules, 泺口化工 with its
// 液氯/液氨 storage (the GB 18218 worked example: 三级), n generated
// enterprises imported as the office would, a few installations of each
// grade, blacklistings and certificates about to expire. It returns 泺口化工.
func registry(ctx context.Context, ents *enterprise.Service, office *org.Actor, units map[string]org.Unit, streets []org.Unit, n int, today string) (enterprise.Enterprise, error) {
	for cat, depts := range dutyRules {
		for _, d := range depts {
			u, ok := units[d]
			if !ok {
				continue
			}
			if _, err := ents.SetDutyRule(ctx, office, cat, u.ID, true); err != nil {
				return enterprise.Enterprise{}, fmt.Errorf("监管职责 %s: %w", cat, err)
			}
		}
	}
	lk, err := ents.Create(ctx, office, enterprise.Input{Name: "济南泺口精细化工有限公司", CreditCode: withCheck("91370105MA3C1TQ8X"),
		RegionCode: Root + "015", Address: "济南市天桥区泺口街道化工路18号", IndustryCode: "2661", Categories: "危险化学品、有限空间",
		Scale: "中型", LegalRep: "孙立新", Principal: "孙立新", PrincipalPhone: "13853100018", SafetyManager: "刘安全", SafetyPhone: "13953100018",
		Staff: 186, SafetyEngineers: 3, StdLevel: "三级", Insurer: "中国人民财产保险济南分公司", PolicyNo: "AJX20260000018",
		PolicyExpires: addDays(today, 45)})
	if err != nil {
		return lk, fmt.Errorf("泺口化工: %w", err)
	}
	var names []string
	for _, s := range streets {
		names = append(names, s.ShortName)
	}
	if _, err := ents.ImportRows(ctx, office, "演示企业.xlsx", "demo", EnterpriseSheet(n, names, today, 370105)); err != nil {
		return lk, fmt.Errorf("导入演示企业: %w", err)
	}
	if _, err := ents.SaveInstallation(ctx, office, lk.UnitID, 0, enterprise.InstallationInput{Name: "液氯、液氨储罐区", Kind: "storage",
		People: 200, RecordNo: "370105-2026-003", Holdings: []rules.Holding{{Chemical: "液氯", Tonnes: 20}, {Chemical: "液氨", Tonnes: 30}}}); err != nil {
		return lk, err
	}
	hz, _, err := ents.List(ctx, office, enterprise.Filter{Category: "hazchem", Page: paging.Page{Limit: 12}})
	if err != nil {
		return lk, err
	}
	sources := []enterprise.InstallationInput{
		{Name: "氯气充装车间", Kind: "production", People: 150, Holdings: []rules.Holding{{Chemical: "氯", Tonnes: 100}}},                   // R 160 一级
		{Name: "液氨储罐区", Kind: "storage", People: 120, Holdings: []rules.Holding{{Chemical: "氨", Tonnes: 150}}},                       // R 60 二级
		{Name: "液化石油气储罐区", Kind: "storage", People: 60, Holdings: []rules.Holding{{Chemical: "液化石油气", Category: "W2", Tonnes: 300}}}, // R 13.5 三级
		{Name: "汽油储罐区", Kind: "storage", People: 20, Holdings: []rules.Holding{{Chemical: "汽油", Category: "W5.1", Tonnes: 400}}},     // R 3 四级
		{Name: "甲醇中间罐区", Kind: "storage", People: 10, Holdings: []rules.Holding{{Chemical: "甲醇", Category: "W5.2", Tonnes: 100}}},    // 0.2: not major
		{Name: "环氧乙烷储罐", Kind: "storage", People: 0, Holdings: []rules.Holding{{Chemical: "环氧乙烷", Tonnes: 60}}},                      // R 6 四级
	}
	for i, e := range hz {
		if i >= len(sources) {
			break
		}
		if _, err := ents.SaveInstallation(ctx, office, e.UnitID, 0, sources[i]); err != nil {
			return lk, fmt.Errorf("重大危险源 %s: %w", sources[i].Name, err)
		}
	}
	// Blacklistings: one recent, one past its 12 months (repair may be decided), one repaired.
	others, _, err := ents.List(ctx, office, enterprise.Filter{Category: "trade", Page: paging.Page{Limit: 3}})
	if err != nil {
		return lk, err
	}
	listings := []enterprise.ListingInput{
		{Reason: "发生较大生产安全责任事故 (有限空间作业3人死亡)", Basis: "《安全生产严重失信主体名单管理办法》第八条第一项；天应急罚〔2026〕15号", DecisionNo: "天应急失信〔2026〕1号", ListedOn: addDays(today, -75)},
		{Reason: "重大事故隐患拒不整改", Basis: "《安全生产严重失信主体名单管理办法》第八条；天应急罚〔2025〕31号", DecisionNo: "天应急失信〔2025〕2号", ListedOn: addDays(today, -400)},
		{Reason: "瞒报生产安全事故", Basis: "《安全生产严重失信主体名单管理办法》第八条；天应急罚〔2024〕8号", DecisionNo: "天应急失信〔2024〕1号", ListedOn: addDays(today, -700)},
	}
	for i, e := range others {
		if _, err := ents.AddToBlacklist(ctx, office, e.UnitID, listings[i]); err != nil {
			return lk, fmt.Errorf("失信名单: %w", err)
		}
	}
	if len(others) == 3 {
		ls, err := ents.ListCredit(ctx, office, others[2].UnitID)
		if err == nil && len(ls) == 1 {
			err = ents.RepairCredit(ctx, office, ls[0].ID, "已完成整改并通过复查，经研究同意信用修复 (天应急修复〔"+today[:4]+"〕1号)")
		}
		if err != nil {
			return lk, fmt.Errorf("信用修复: %w", err)
		}
	}
	// Certificates, some about to expire.
	certs := []enterprise.CertificateInput{
		{Person: "孙立新", Post: "主要负责人", Number: "370105202300118", IssuedOn: addDays(today, -3*365+20)},
		{Person: "刘安全", Post: "安全生产管理人员", Number: "370105202300119", IssuedOn: addDays(today, -3*365+50)},
		{Person: "王强", Post: "特种作业人员", WorkType: "电工作业", Number: "T370105198801011234", IssuedOn: addDays(today, -6*365+25)},
		{Person: "李磊", Post: "特种作业人员", WorkType: "焊接与热切割作业", Number: "T370105199203153321", IssuedOn: addDays(today, -3*365+40)},
		{Person: "赵勇", Post: "特种作业人员", WorkType: "危险化学品安全作业", Number: "T370105199507207788", IssuedOn: addDays(today, -400)},
	}
	for _, c := range certs {
		if _, err := ents.AddCertificate(ctx, office, lk.UnitID, c); err != nil {
			return lk, fmt.Errorf("证书 %s: %w", c.Person, err)
		}
	}
	if _, err := ents.AddLicence(ctx, office, lk.UnitID, enterprise.Licence{Kind: "危险化学品安全使用许可证", Number: "鲁济危化使字〔2023〕000018",
		Issuer: "济南市应急管理局", IssuedOn: addDays(today, -3*365+55), ExpiresOn: addDays(today, 55)}); err != nil {
		return lk, err
	}
	return ents.Get(ctx, office, lk.UnitID)
}
