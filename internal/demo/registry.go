package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/rules"
)

// profile is a kind of enterprise the demo generates: its categories, the
// industries it may have, the words its names use, its share, and its size
// (how many people such a place employs, whether it is an individual
// business — a 九小场所 is a shop run by its owner — and whether 安责险 is
// compulsory for it).
type profile struct {
	cats       string
	industries []string
	words      []string
	weight     int
	size       size
	insured    int // in 10: how many carry 安责险 (compulsory in the high-risk trades)
}

// size is how a kind of enterprise is staffed.
type size int

const (
	industrial size = iota // factories, builders, hauliers: a few dozen to a few thousand
	venue                  // restaurants, cinemas, KTV: a dozen to a hundred and more
	bigVenue               // shopping centres, hospitals, hotels: hundreds
	shop                   // 九小场所: the owner and a few helpers
)

var profiles = []profile{
	{"危险化学品", []string{"2614", "2661", "2662", "2651", "5162", "5942", "5265"}, []string{"化工", "精细化工", "化学品", "石化", "油品"}, 8, industrial, 10},
	{"危险化学品、有限空间", []string{"2614", "5942"}, []string{"化工仓储", "化工储运"}, 2, industrial, 10},
	{"金属冶炼", []string{"3110", "3120", "3216", "3130"}, []string{"钢铁", "冶金", "铝业"}, 2, industrial, 10},
	{"烟花爆竹", []string{"2672", "5199"}, []string{"烟花", "花炮"}, 1, industrial, 10},
	{"工贸、粉尘涉爆", []string{"2110", "1391", "3360"}, []string{"木业", "家具", "粉体", "金属制品"}, 8, industrial, 5},
	{"工贸、涉氨制冷", []string{"1353", "1432", "1451"}, []string{"食品", "冷藏", "肉制品"}, 3, industrial, 5},
	{"工贸、有限空间", []string{"2221", "1513", "1521"}, []string{"纸业", "啤酒", "饮品"}, 5, industrial, 5},
	{"工贸", []string{"3311", "1761", "1811", "3914"}, []string{"机械", "纺织", "服饰", "电子"}, 8, industrial, 4},
	{"城镇燃气", []string{"4511", "4512"}, []string{"燃气", "能源"}, 3, industrial, 9},
	{"建筑施工", []string{"4710", "4790", "4813", "5011"}, []string{"建设", "建筑工程", "装饰工程"}, 10, industrial, 10},
	{"道路运输", []string{"5431", "5435", "5437", "5421"}, []string{"物流", "运输", "货运"}, 6, industrial, 10},
	{"消防重点单位、人员密集场所", []string{"5211", "5212", "8411", "6110"}, []string{"商厦", "购物中心", "医院", "酒店"}, 6, bigVenue, 5},
	{"人员密集场所", []string{"9011", "6210", "8321"}, []string{"娱乐", "餐饮", "文化"}, 6, venue, 3},
	{"九小场所", nil, nil, 30, shop, 1},
	{"其他", []string{"5181", "7221", "5273"}, []string{"贸易", "商贸", "科技"}, 2, industrial, 3},
}

// shops are the 九小场所 the demo names: the industry and what the sign says.
var shops = []struct{ industry, word string }{
	{"6210", "饭店"}, {"6210", "家常菜馆"}, {"6210", "大酒店"}, {"6291", "小吃店"}, {"6291", "烧烤店"}, {"6220", "快餐店"},
	{"6291", "水饺馆"}, {"5212", "超市"}, {"5219", "便利店"}, {"5281", "五金店"}, {"8040", "理发店"}, {"8040", "美容美发店"},
	{"9013", "网吧"}, {"6190", "宾馆"}, {"8111", "汽车修理部"}, {"5251", "大药房"}, {"8030", "洗衣店"}, {"9090", "棋牌室"},
	{"5223", "果蔬店"}, {"5226", "烟酒店"}, {"8052", "足疗店"}, {"5299", "文具店"},
}

var (
	brandA  = []string{"泺", "鹊", "华", "鲁", "泉", "明", "金", "瑞", "恒", "泰", "汇", "宏", "德", "天", "新", "安", "顺", "兴", "盛", "信", "嘉", "永", "福", "康"}
	brandB  = []string{"源", "山", "通", "丰", "达", "诚", "和", "利", "昌", "远", "辰", "宇", "凯", "晟", "嘉", "泓", "润", "茂", "裕", "鑫", "海", "祥", "发", "隆"}
	shopA   = []string{"老", "小", "好", "大", "惠", "鲁", "泉", "聚", "福", "鑫", "家", "佳", "乐", "兴", "旺", "金", "明", "顺"}
	shopB   = []string{"味", "客", "来", "满", "源", "缘", "家", "香", "福", "盈", "隆", "宾", "顺", "发", "鑫", "乐", "和", "仁"}
	surname = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
		"于", "董", "宋", "韩", "曹", "田", "冯", "邢", "崔", "任", "鲍", "丁", "闫", "尹", "乔", "魏", "薛", "吕", "谭", "郑"}
	given = []string{"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "建华", "志强", "海燕", "建国",
		"立新", "晓东", "红霞", "玉兰", "国庆", "春生", "文博", "雪梅", "振华", "丽娟", "德胜", "宏伟", "桂芝", "新民", "海涛", "晓燕", "庆华", "凤英"}
	mobile   = []string{"135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "182", "187", "188", "130", "131", "132", "155", "156", "186", "133", "153", "180", "189"}
	insurers = []string{"中国人民财产保险股份有限公司济南市分公司", "中国平安财产保险股份有限公司山东分公司", "中国太平洋财产保险股份有限公司济南中心支公司",
		"中华联合财产保险股份有限公司济南中心支公司"}
)

// roads are streets' real roads, for addresses.
var roads = map[string][]string{
	"无影山街道": {"无影山中路", "无影山北路", "无影山东路", "西工商河路"}, "天桥东街街道": {"天桥东街", "北园大街", "标山南路"},
	"北村街道": {"北园大街", "济泺路", "标山路"}, "南村街道": {"堤口路", "生产路", "南村路"}, "堤口路街道": {"堤口路", "成大路", "三孔桥街"},
	"北坦街道": {"北坦大街", "顺河街", "天成路"}, "制锦市街道": {"制锦市街", "少年路", "小北门街"}, "宝华街道": {"宝华街", "铜元局前街", "经一路"},
	"官扎营街道": {"官扎营后街", "济洛路", "北园大街"}, "纬北路街道": {"纬北路", "经一路", "纬六路"}, "药山街道": {"药山西路", "济齐路", "北园大街"},
	"北园街道": {"北园大街", "历山北路", "清河北路"}, "泺口街道": {"泺口南路", "化工路", "黄河大桥路"}, "桑梓店街道": {"京沪路", "新材料产业园纬三路", "新材料产业园经二路"},
	"大桥街道": {"大桥路", "鹊山路", "环城路"},
}

// creditCode makes a valid 统一社会信用代码 for a Tianqiao enterprise (91:
// a company) or individual business (92: 个体工商户).
func creditCode(r *rand.Rand, kind string) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	b := []byte(kind + Root + "MA")
	for len(b) < 17 {
		b = append(b, chars[r.IntN(len(chars))])
	}
	c, _ := rules.CreditCheckChar(string(b))
	return string(append(b, c))
}

// staffOf draws how many people a place of size employs and the scale that
// makes it (工业 thresholds: 微型 < 20, 小型 < 300, 中型 < 1000; retail and
// catering: 微型 < 10, 小型 < 50, 中型 < 300).
func staffOf(r *rand.Rand, sz size) (int, string) {
	n := 0
	switch k := r.IntN(100); sz {
	case shop:
		return 2 + r.IntN(5) + r.IntN(4), "微型" // 2–10 people
	case venue:
		n = 12 + r.IntN(40)
		if k >= 80 {
			n = 60 + r.IntN(120)
		}
	case bigVenue:
		n = 80 + r.IntN(300)
		if k >= 85 {
			n = 400 + r.IntN(900)
		}
	default:
		switch {
		case k < 35:
			n = 8 + r.IntN(12)
		case k < 80:
			n = 20 + r.IntN(100)
		case k < 94:
			n = 120 + r.IntN(180)
		case k < 99:
			n = 300 + r.IntN(700)
		default:
			n = 1000 + r.IntN(1500)
		}
	}
	lo := [3]int{20, 300, 1000}
	if sz != industrial {
		lo = [3]int{10, 50, 300}
	}
	switch {
	case n < lo[0]:
		return n, "微型"
	case n < lo[1]:
		return n, "小型"
	case n < lo[2]:
		return n, "中型"
	}
	return n, "大型"
}

// EnterpriseSheet generates n realistic Tianqiao enterprises in the import
// sheet's layout (header first), deterministically from seed: the demo
// registry and the benchmarks use it. Every row is filled as its owner
// would fill it: address on a real road of its street, grid, contacts;
// amounts it has none of stay empty.
func EnterpriseSheet(n int, streets []string, today string, seed uint64) [][]string {
	r := rand.New(rand.NewPCG(2026, seed))
	rows := [][]string{enterprise.SheetHeader}
	total := 0
	for _, p := range profiles {
		total += p.weight
	}
	used := map[string]bool{}
	person := func() string { return surname[r.IntN(len(surname))] + given[r.IntN(len(given))] }
	phone := func() string { return mobile[r.IntN(len(mobile))] + fmt.Sprintf("%08d", r.IntN(100000000)) }
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
		street := streets[r.IntN(len(streets))]
		// 字号 of two characters, or three when two are taken (as registrars require).
		var name, industry string
		for try := 0; try < 40; try++ {
			if p.size == shop {
				s := shops[r.IntN(len(shops))]
				brand := shopA[r.IntN(len(shopA))] + shopB[r.IntN(len(shopB))]
				if try >= 20 {
					brand += shopB[r.IntN(len(shopB))]
				}
				name, industry = "济南市天桥区"+brand+s.word, s.industry
			} else {
				brand := brandA[r.IntN(len(brandA))] + brandB[r.IntN(len(brandB))]
				if try >= 20 {
					brand += brandB[r.IntN(len(brandB))]
				}
				name, industry = "济南"+brand+p.words[r.IntN(len(p.words))]+"有限公司", p.industries[r.IntN(len(p.industries))]
			}
			if !used[name] {
				break
			}
		}
		if used[name] {
			continue
		}
		used[name] = true
		staff, scale := staffOf(r, p.size)
		std := ""
		if p.size == industrial {
			std = []string{"", "", "三级", "三级", "三级", "二级", "一级"}[r.IntN(7)]
			if scale == "微型" {
				std = ""
			}
		}
		engineers := ""
		switch {
		case staff > 300:
			engineers = strconv.Itoa(2 + r.IntN(4))
		case staff > 100 || (p.size == industrial && p.insured == 10):
			engineers = strconv.Itoa(1 + r.IntN(2))
		case p.size != shop:
			engineers = "0"
		}
		status := "在营"
		if r.IntN(40) == 0 {
			status = "停产"
		}
		insurer, policy, expires := "", "", ""
		if r.IntN(10) < p.insured {
			insurer = insurers[r.IntN(len(insurers))]
			policy = fmt.Sprintf("AJX%s%07d", today[:4], r.IntN(10000000))
			expires = addDays(today, 5+r.IntN(360))
		}
		rd := roads[street]
		address := "济南市天桥区" + street + fmt.Sprintf("%d号", 1+r.IntN(300))
		if len(rd) > 0 {
			address = "济南市天桥区" + rd[r.IntN(len(rd))] + fmt.Sprintf("%d号", 1+r.IntN(300))
		}
		grid := fmt.Sprintf("%s第%d网格", street, 1+r.IntN(24))
		legal, principal, manager := person(), person(), person()
		principalPhone, managerPhone := phone(), phone()
		code := creditCode(r, "91")
		if p.size == shop { // the owner runs it, and sees to its safety
			principal, manager, managerPhone, code = legal, legal, principalPhone, creditCode(r, "92")
		}
		rows = append(rows, []string{name, code, street, address, grid,
			industry, p.cats, scale, legal, principal, principalPhone,
			manager, managerPhone, strconv.Itoa(staff), engineers, std, insurer, policy, expires, status})
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
		RegionCode: Root + "015", Address: "济南市天桥区泺口街道化工路18号", Grid: "泺口街道第3网格", IndustryCode: "2661", Categories: "危险化学品、有限空间",
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
	// Each enterprise declares its own installations and papers; the
	// 应急管理局 decides the blacklistings.
	own := func(e enterprise.Enterprise) *org.Actor {
		return org.NewActor(0, "demo", e.Name+"（演示数据）", org.UnitRef{ID: e.UnitID, Name: e.Name, Kind: org.KindEnterprise, Region: e.RegionCode},
			[]org.Role{org.RoleEnterprise})
	}
	safety := office
	if u, ok := units["区应急局"]; ok {
		safety = org.NewActor(0, "demo", u.Name+"（演示数据）", org.UnitRef{ID: u.ID, Name: u.Name, Kind: u.Kind, Level: u.Level, Region: u.RegionCode},
			[]org.Role{org.RoleMember})
	}
	lkOwn := own(lk)
	if _, err := ents.SaveInstallation(ctx, lkOwn, lk.UnitID, 0, enterprise.InstallationInput{Name: "液氯、液氨储罐区", Kind: "storage",
		People: 200, RecordNo: "370105-2026-003", Holdings: []rules.Holding{{Chemical: "液氯", Tonnes: 20}, {Chemical: "液氨", Tonnes: 30}}}); err != nil {
		return lk, err
	}
	// The installations go to hazardous-chemicals enterprises (then gas and
	// industrial ones, in a small registry), never to 泺口化工, whose one
	// installation is the worked example.
	var hz []enterprise.Enterprise
	for _, cat := range []string{"hazchem", "gas", "metallurgy", "trade"} {
		es, _, err := ents.List(ctx, office, enterprise.Filter{Category: cat, Page: paging.Page{Limit: 12}})
		if err != nil {
			return lk, err
		}
		for _, e := range es {
			if e.UnitID != lk.UnitID && !slices.ContainsFunc(hz, func(x enterprise.Enterprise) bool { return x.UnitID == e.UnitID }) {
				hz = append(hz, e)
			}
		}
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
		if _, err := ents.SaveInstallation(ctx, own(e), e.UnitID, 0, sources[i]); err != nil {
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
		if _, err := ents.AddToBlacklist(ctx, safety, e.UnitID, listings[i]); err != nil {
			return lk, fmt.Errorf("失信名单: %w", err)
		}
	}
	if len(others) == 3 {
		ls, err := ents.ListCredit(ctx, safety, others[2].UnitID)
		if err == nil && len(ls) == 1 {
			err = ents.RepairCredit(ctx, safety, ls[0].ID, "已完成整改并通过复查，经研究同意信用修复 (天应急修复〔"+today[:4]+"〕1号)")
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
		if _, err := ents.AddCertificate(ctx, lkOwn, lk.UnitID, c); err != nil {
			return lk, fmt.Errorf("证书 %s: %w", c.Person, err)
		}
	}
	if _, err := ents.AddLicence(ctx, lkOwn, lk.UnitID, enterprise.Licence{Kind: "危险化学品安全使用许可证", Number: "鲁济危化使字〔2023〕000018",
		Issuer: "济南市应急管理局", IssuedOn: addDays(today, -3*365+55), ExpiresOn: addDays(today, 55)}); err != nil {
		return lk, err
	}
	return ents.Get(ctx, office, lk.UnitID)
}
