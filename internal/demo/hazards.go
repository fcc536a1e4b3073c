package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/risk"
)

// find is a hazard as inspections and self-checks find it: place,
// description, the measures that fix it, and what fixing it costs (元,
// about; the enterprise puts it in its own reports).
type find struct {
	place, what, fix string
	funds            float64
}

// anywhere are findings any workplace may have.
var anywhere = []find{
	{"配电室", "配电柜前未铺设绝缘胶垫，柜门接地线脱落", "铺设绝缘胶垫，恢复柜门跨接接地", 1200},
	{"仓库", "消防通道堆放货物，疏散指示标志损坏", "清理通道，更换应急照明和疏散指示", 800},
	{"厂区", "灭火器压力不足，未按月检查", "更换灭火器，建立月度检查记录", 1500},
	{"办公楼", "应急照明灯具损坏，安全出口标志不亮", "更换应急照明灯具和安全出口标志", 900},
}

// finds are the findings typical of each supervision category.
var finds = map[string][]find{
	"small": {
		{"后厨", "液化石油气钢瓶与灶具同室存放，未安装可燃气体泄漏报警装置", "钢瓶移至独立气瓶间，安装可燃气体报警器并与切断阀联锁", 2600},
		{"店内", "电动自行车在店内停放充电", "清出店外，引导至小区集中充电点", 0},
		{"二层阁楼", "经营场所内设置员工住宿 (“三合一”)", "拆除住宿床铺，住宿与经营场所分离", 3000},
		{"门口", "安全出口被货物堵塞，外窗设置防盗网影响逃生", "清理出口，拆除防盗网或设置逃生窗", 1800},
		{"吧台", "私拉乱接电线，插线板串接使用大功率电器", "由电工重新敷设线路，增设插座回路", 1500},
	},
	"crowded": {
		{"疏散楼梯", "常闭式防火门处于常开状态，闭门器损坏", "维修闭门器，防火门保持常闭", 2400},
		{"消防控制室", "消防控制室值班人员未持证上岗，单人值班", "安排持证人员双人值班，补训取证", 0},
		{"顶层", "自动喷水灭火系统末端试水装置压力不足", "检修喷淋泵和管网，恢复系统压力", 6500},
	},
	"fire_key": {
		{"商场三层", "防火卷帘下方堆放商品，卷帘无法正常降落", "清理卷帘下方区域，划定禁放线", 0},
		{"地下车库", "排烟风机控制柜处于手动状态，不能联动启动", "将控制柜恢复自动状态，组织联动测试", 1200},
	},
	"construction": {
		{"基坑", "基坑临边防护不到位，未设置排水措施", "设置防护栏杆和挡水墙，布置排水沟和集水井", 18000},
		{"外脚手架", "脚手架连墙件缺失，剪刀撑不连续", "按方案补设连墙件和剪刀撑，经验收后使用", 12000},
		{"塔吊", "塔式起重机起重力矩限制器失灵", "停止使用，由产权单位维修并经检测合格", 8000},
		{"临时用电", "开关箱未执行“一机一闸一漏保”", "更换开关箱，逐台设置漏电保护器", 4500},
	},
	"road": {
		{"监控室", "车辆动态监控未落实专人值守，超速报警未及时处置", "配备专职监控人员，建立报警处置台账", 0},
		{"停车场", "营运车辆灭火器、三角警示牌配备不全", "为每辆车补配灭火器和警示牌", 2200},
		{"驾驶员管理", "驾驶员安全教育培训记录缺失", "每月组织培训并建档", 0},
	},
	"hazchem": {
		{"危化品库", "禁忌物料混存，未张贴安全周知卡", "分区分类储存，张贴周知卡", 3500},
		{"储罐区", "可燃气体检测报警仪超期未检定", "送检报警仪，建立检定台账", 4200},
		{"作业现场", "动火作业未办理作业票", "补办作业票，完善监护制度", 0},
		{"装卸站台", "静电接地报警器损坏，槽车装卸未接地", "更换静电接地报警器，装卸前检查接地", 5600},
	},
	"confined": {{"污水池", "有限空间入口未设置警示标识，未配备气体检测仪", "设置警示标识，配备四合一气体检测仪", 6800}},
	"dust": {
		{"打磨车间", "作业场所积尘未及时清理", "制定清扫制度，每班清扫并记录", 600},
		{"除尘器", "除尘器灰斗卸灰不及时，未设置锁气卸灰装置", "加装星型卸灰阀，定时卸灰", 9500},
	},
	"ammonia":    {{"氨制冷机房", "氨气浓度报警装置未与事故排风机联锁", "完成报警与排风联锁改造", 16000}},
	"metallurgy": {{"熔炼炉", "炉体冷却水系统未设置断水报警", "增设流量监测和断水报警装置", 22000}},
	"gas": {
		{"调压站", "调压柜安全放散管未引至安全处", "将放散管引至高于屋面2米处", 5200},
		{"中压管线", "燃气管道被违章建筑占压", "协调拆除占压建筑，设置警示桩", 0},
	},
	"fireworks": {{"成品仓库", "烟花爆竹超量储存，堆垛间距不足", "清点库存，按核定药量储存，调整堆垛", 0}},
	"trade": {
		{"车间", "砂轮机防护罩缺失", "加装防护罩并调整托架间隙", 700},
		{"叉车", "叉车司机证件过期仍作业", "停止作业，送培复审取证", 0},
		{"冲压车间", "冲床光电保护装置失效", "更换光电保护装置，班前检查", 3800},
	},
}

// findFor draws a finding fitting the enterprise's categories.
func findFor(r *rand.Rand, cats []string) find {
	var pool []find
	for _, c := range cats {
		pool = append(pool, finds[c]...)
	}
	if len(pool) == 0 || r.IntN(5) == 0 {
		pool = append(pool, anywhere...)
	}
	return pool[r.IntN(len(pool))]
}

// LoadHazards replays a year of hazard work in the demo jurisdiction,
// each step at the date it happened (and before it a smaller last year,
// all closed, for the trend's 同比): 泺口化工's own hazards (a major one
// listed by the county office, one that failed review once, one overdue),
// inspection and grid findings across the registry, mostly closed; and
// risk points graded in four colours. The scheduler's first sweep then
// escalates the overdue major hazard.
func LoadHazards(ctx context.Context, orgs *org.Service, ents *enterprise.Service, hz *hazard.Service, rs *risk.Service, today time.Time) error {
	who := map[string]*org.Actor{}
	for _, u := range []string{"office", "member", "enterprise", "street"} {
		a, err := orgs.ActorByUsername(ctx, u)
		if err != nil {
			return err
		}
		who[u] = a
	}
	at := func(days int) *hazard.Service { return hz.WithClock(calendar.NewFixed(officeHours(today, days))) }
	date := func(days int) string { return calendar.Local(today.AddDate(0, 0, days)).Format("2006-01-02") }
	ent, member, office := who["enterprise"], who["member"], who["office"]
	step := func(days int, a *org.Actor, id int64, st hazard.Step) error {
		_, err := at(days).Act(ctx, a, id, st)
		return err
	}
	report := func(days int, a *org.Actor, in hazard.ReportInput) (hazard.Hazard, error) {
		return at(days).Report(ctx, a, in)
	}

	// The last year's hazards first, as they happened.
	if err := lastYearHazards(ctx, orgs, ents, office, hz, today); err != nil {
		return err
	}
	// 泺口化工: the major hazard, listed by the county.
	h, err := report(-40, ent, hazard.ReportInput{EnterpriseID: ent.Unit.ID, Place: "液氯充装站台", Description: "液氯槽车充装仍使用软管，未使用万向管道充装系统",
		Measures: "更换为万向管道充装系统并与紧急切断联锁", Responsible: "储运车间主任 王强", Funds: 380000})
	if err != nil {
		return err
	}
	for _, s := range []struct {
		d  int
		a  *org.Actor
		st hazard.Step
	}{{-39, member, hazard.Step{Action: hazard.Judge, Level: hazard.Major, Criterion: "hg121-7"}},
		{-38, member, hazard.Step{Action: hazard.Assign, Deadline: date(20), Writ: "（天）应急责改〔" + date(0)[:4] + "〕41号"}},
		{-37, ent, hazard.Step{Action: hazard.Start}}} {
		if err := step(s.d, s.a, h.ID, s.st); err != nil {
			return fmt.Errorf("演示隐患: %w", err)
		}
	}
	if _, err := at(-36).AddListing(ctx, office, h.ID, hazard.ListingInput{Deadline: date(20)}); err != nil {
		return err
	}
	// One failed review, then closed.
	h2, err := report(-60, ent, hazard.ReportInput{EnterpriseID: ent.Unit.ID, Place: "液氨储罐区", Description: "储罐区围堰排水阀常开",
		Measures: "排水阀改为常闭并挂牌管理", Responsible: "储运车间 李刚"})
	if err != nil {
		return err
	}
	for _, s := range []struct {
		d  int
		a  *org.Actor
		st hazard.Step
	}{{-59, member, hazard.Step{Action: hazard.Judge, Level: hazard.General}}, {-59, member, hazard.Step{Action: hazard.Assign, Deadline: date(-45), Writ: "（天）应急改〔" + date(0)[:4] + "〕77号"}},
		{-58, ent, hazard.Step{Action: hazard.Start}}, {-52, ent, hazard.Step{Action: hazard.Submit, Evidence: "排水阀已关闭"}},
		{-50, member, hazard.Step{Action: hazard.Fail, Reason: "未建立排水阀启闭记录和挂牌"}},
		{-47, ent, hazard.Step{Action: hazard.Submit, Evidence: "已挂牌并建立启闭记录台账"}}, {-46, member, hazard.Step{Action: hazard.Pass}}} {
		if err := step(s.d, s.a, h2.ID, s.st); err != nil {
			return fmt.Errorf("演示隐患: %w", err)
		}
	}
	// Overdue, general.
	h3, err := report(-30, member, hazard.ReportInput{EnterpriseID: ent.Unit.ID, Place: "办公楼", Description: "应急照明灯具损坏3处", Source: "inspection"})
	if err != nil {
		return err
	}
	for _, st := range []hazard.Step{{Action: hazard.Judge, Level: hazard.General}, {Action: hazard.Assign, Deadline: date(-5), Writ: "（天）应急改〔" + date(0)[:4] + "〕93号"}} {
		if err := step(-29, member, h3.ID, st); err != nil {
			return err
		}
	}
	if err := demoOpinions(ctx, orgs, at, date); err != nil {
		return err
	}
	if err := selfHazards(ctx, ent, at, date); err != nil {
		return err
	}
	if err := registryHazards(ctx, orgs, ents, office, at, date, today); err != nil {
		return err
	}
	return demoRisks(ctx, ents, rs.WithClock(calendar.NewFixed(today.AddDate(0, 0, -20))), office, ent)
}

// majorFinds are the registry's 重大事故隐患, each with the criteria item
// that makes it one and the categories it fits.
var majorFinds = []struct {
	cat       string
	criterion string
	find
}{
	{"hazchem", "hg121-4", find{"磺化反应装置", "涉及重点监管危险化工工艺的装置紧急停车系统未投入使用", "恢复紧急停车系统并完成联锁测试，停车期间专人监护", 120000}},
	{"dust", "gm10-11-3", find{"除尘系统", "干式除尘系统未采取泄爆、惰化、抑爆等任一种爆炸防控措施", "加装泄爆片和隔爆阀，委托设计单位出具改造方案", 85000}},
	{"trade", "gm10-3-2", find{"行车作业区", "桥式起重机司机未取得特种作业资格上岗作业", "停止作业，组织培训取证后上岗", 0}},
}

// registryHazards replays the year's hazard work across the registry, each
// step by the unit that takes it: the supervising department (or, for what
// its grid finds, the street) reports, judges, assigns and reviews; the
// enterprise reports what its own checks find, with what fixing it costs,
// and rectifies. Steps fall on working hours from the year's start up to
// today: most closed on time, some failing review once, some still being
// fixed or awaiting review, a few overdue, the newest not yet judged; three
// major ones, one of them overdue (the scheduler's sweep escalates it).
func registryHazards(ctx context.Context, orgs *org.Service, ents *enterprise.Service, office *org.Actor, at func(int) *hazard.Service, date func(int) string, now time.Time) error {
	people, err := newStaff(ctx, orgs)
	if err != nil {
		return err
	}
	es, _, err := ents.List(ctx, office, enterprise.Filter{Page: paging.Page{Limit: paging.Max}})
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(370105, 5))
	r.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
	es = es[:min(len(es), 120)]
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.UnitID
	}
	depts, err := ents.SupervisingDepts(ctx, ids)
	if err != nil {
		return err
	}
	// The year so far: from its first working days to today (a demo started
	// in January reaches back into the last year's autumn).
	today := calendar.Local(now)
	span := min(max(today.YearDay()-1, 90), 330)
	sources := []string{"inspection", "grid", "self", "third_party", "covert", "supervision", "tip", "grid", "inspection", "self", "self"}
	writs := map[int64]int{}
	writ := func(a *org.Actor, year int) string {
		writs[a.Unit.ID]++
		prefix := writPrefix[a.Unit.Name]
		if prefix == "" {
			prefix = strings.TrimPrefix(strings.TrimSuffix(a.Unit.Name, "办事处"), "济南市天桥区") + "安改"
		}
		return fmt.Sprintf("%s〔%d〕%d号", prefix, year, 10+writs[a.Unit.ID]*3)
	}
	majors, majorDone := 0, make([]bool, len(majorFinds))
	var todo []planned
	for i, e := range es {
		if e.Name == "济南泺口精细化工有限公司" {
			continue
		}
		ent, err := people.of(ctx, e.UnitID)
		if err != nil {
			return err
		}
		f, level, crit := findFor(r, e.Categories), hazard.General, ""
		for k, m := range majorFinds {
			if !majorDone[k] && slices.Contains(e.Categories, m.cat) {
				f, level, crit = m.find, hazard.Major, m.criterion
				majorDone[k] = true
				majors++
				break
			}
		}
		src := sources[r.IntN(len(sources))]
		if level == hazard.Major {
			src = "inspection"
		}
		var gov *org.Actor
		if ds := depts[e.UnitID]; len(ds) > 0 && src != "grid" {
			if gov, err = people.of(ctx, ds[r.IntN(len(ds))]); err != nil {
				return err
			}
		}
		if gov == nil {
			src = "grid"
			if gov, err = people.street(ctx, e.RegionCode); err != nil {
				return err
			}
		}
		if gov == nil {
			gov = office
		}
		reporter, funds := gov, 0.0 // an inspector does not know what fixing costs: left blank
		if src == "self" {
			reporter, funds = ent, math.Round(f.funds*(0.6+0.8*r.Float64())/100)*100
		}
		day := -span + r.IntN(span-1)
		switch {
		case level == hazard.Major && majors == 1:
			day = -60 - r.IntN(15) // due a few weeks ago, still open
		case level == hazard.Major:
			day = -span/2 - r.IntN(span/3) // long since due, closed
		case i%25 == 7:
			day = -r.IntN(4) // reported this week, not yet judged
		case i%15 == 3:
			day = -14 - r.IntN(6) // fixed in the last days, awaiting review
		}
		fresh, awaiting := level != hazard.Major && i%25 == 7, level != hazard.Major && i%15 == 3
		k := len(todo)
		todo = append(todo, planned{e: e, day: workday(today, day), reporter: reporter, in: hazard.ReportInput{EnterpriseID: e.UnitID,
			Place: f.place, Description: f.what, Source: src, Measures: f.fix, Responsible: e.SafetyManager, Funds: funds}})
		judged := day + 1 + r.IntN(2)
		if fresh || judged > 0 {
			continue
		}
		deadline := judged + 7 + r.IntN(24)
		if level == hazard.Major {
			deadline = judged + 30 + r.IntN(20)
		}
		if awaiting { // fixed ahead of a deadline still to come
			deadline = max(deadline, 2+r.IntN(10))
		}
		steps := []move{
			{judged, gov, hazard.Step{Action: hazard.Judge, Level: level, Criterion: crit}},
			{judged, gov, hazard.Step{Action: hazard.Assign, Deadline: date(deadline)}}, // its writ is numbered when issued
			{judged + 1 + r.IntN(2), ent, hazard.Step{Action: hazard.Start}},
		}
		submitted := deadline - 1 - r.IntN(6)
		if awaiting {
			submitted = -1 - r.IntN(2)
		}
		// A few are still open past their deadline: recently due ones, and
		// the first major one.
		late := (i%6 == 4 && deadline > -40) || (level == hazard.Major && majors == 1)
		if !late {
			steps = append(steps, move{submitted, ent, hazard.Step{Action: hazard.Submit, Evidence: f.fix + "，已完成整改，附整改前后照片"}})
			if i%7 == 2 && !awaiting { // the first fix did not hold
				steps = append(steps, []move{{submitted + 1, gov, hazard.Step{Action: hazard.Fail, Reason: "现场复查整改不彻底，相关记录未建立，请完善后重新报送"}},
					{submitted + 4, ent, hazard.Step{Action: hazard.Submit, Evidence: "已按复查意见补充整改，建立检查记录台账"}}}...)
				submitted += 4
			}
			if !awaiting {
				steps = append(steps, move{submitted + 1 + r.IntN(3), gov, hazard.Step{Action: hazard.Pass}})
			}
		}
		last := todo[k].day
		for _, m := range steps {
			m.d = max(workday(today, m.d), last) // on a working day, never before the step before
			if m.d > 0 {
				break // not yet: the hazard waits there today
			}
			last = m.d
			todo[k].steps = append(todo[k].steps, m)
		}
	}
	// Everything happens in the order of its days, so 隐患编号 and writs run
	// with the calendar; a day's work falls in its office hours.
	type event struct {
		d, k int
		m    *move
	}
	var events []event
	for k := range todo {
		events = append(events, event{todo[k].day, k, nil})
		for j := range todo[k].steps {
			events = append(events, event{todo[k].steps[j].d, k, &todo[k].steps[j]})
		}
	}
	slices.SortStableFunc(events, func(a, b event) int { return a.d - b.d })
	nth := 0
	hid := make([]int64, len(todo))
	for n, ev := range events {
		if n == 0 || ev.d != events[n-1].d {
			nth = 0
		}
		nth++
		t := time.Date(today.Year(), today.Month(), today.Day()+ev.d, 8, 30+nth*4, 0, 0, calendar.Shanghai)
		if t.After(now) {
			t = now
		}
		hz := at(0).WithClock(calendar.NewFixed(t))
		p := &todo[ev.k]
		if ev.m == nil {
			h, err := hz.Report(ctx, p.reporter, p.in)
			if err != nil {
				return fmt.Errorf("演示隐患 %s: %w", p.e.Name, err)
			}
			hid[ev.k] = h.ID
			continue
		}
		st := ev.m.st
		if st.Action == hazard.Assign {
			st.Writ = writ(ev.m.a, t.Year())
		}
		if _, err := hz.Act(ctx, ev.m.a, hid[ev.k], st); err != nil {
			return fmt.Errorf("演示隐患 %s %s: %w", p.e.Name, st.Action.Name(), err)
		}
	}
	return nil
}

// officeHours is 10:00 (Asia/Shanghai) days before now, or now.
func officeHours(now time.Time, days int) time.Time {
	if days >= 0 {
		return now.AddDate(0, 0, days)
	}
	d := calendar.Local(now).AddDate(0, 0, days)
	return time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, calendar.Shanghai)
}

// planned is a hazard of the registry's year: reported on day (relative
// to today) by reporter, then its steps.
type planned struct {
	e        enterprise.Enterprise
	day      int
	reporter *org.Actor
	in       hazard.ReportInput
	steps    []move
}

// workday moves day d (relative to today) to the next Monday when it falls
// on a weekend.
func workday(today time.Time, d int) int {
	switch today.AddDate(0, 0, d).Weekday() {
	case time.Saturday:
		return d + 2
	case time.Sunday:
		return d + 1
	}
	return d
}

// move is a step taken on day d (relative to today) by a.
type move struct {
	d  int
	a  *org.Actor
	st hazard.Step
}

// writPrefix is each department's 责令限期整改指令书 series; a street's is
// "<街道>安改".
var writPrefix = map[string]string{
	"济南市天桥区应急管理局": "（天）应急责改", "济南市天桥区住房和城乡建设局": "天住建责改", "济南市天桥区交通运输局": "天交运责改",
	"济南市天桥区消防救援大队": "天消限字", "济南市天桥区市场监督管理局": "天市监责改",
}

// demoRisks grades 泺口化工's risk points and one or two at other
// hazardous-chemicals enterprises, by LEC (the county's default).
func demoRisks(ctx context.Context, ents *enterprise.Service, rs *risk.Service, office, ent *org.Actor) error {
	points := []risk.Input{
		{Name: "液氯储罐区", Activity: "液氯储存", Factors: "储罐、管道泄漏，安全阀失效", Accidents: "中毒和窒息、容器爆炸",
			Measures: "有毒气体检测报警与紧急切断联锁；碱液吸收装置；双人巡检", Emergency: "佩戴正压式空气呼吸器，启动碱液吸收，疏散下风向人员",
			Responsible: "总经理 孙立新", Inputs: risk.Inputs{L: 3, E: 10, C: 15}},
		{Name: "液氯充装站台", Activity: "槽车充装", Factors: "软管破裂、超装、静电", Accidents: "中毒和窒息、火灾",
			Measures: "万向管道充装、充装量双人复核、静电接地报警", Emergency: "关闭紧急切断阀，启动喷淋", Responsible: "储运车间主任 王强", Inputs: risk.Inputs{L: 3, E: 6, C: 15}},
		{Name: "反应釜区", Activity: "磺化反应", Factors: "超温超压、冷却中断", Accidents: "火灾、其他爆炸",
			Measures: "DCS 联锁、紧急停车系统、双重电源", Emergency: "紧急停车，切断进料", Responsible: "生产车间主任 赵峰", Inputs: risk.Inputs{L: 1, E: 6, C: 15}},
		{Name: "配电室", Activity: "变配电运行", Factors: "带电作业、绝缘老化", Accidents: "触电、火灾",
			Measures: "两票三制，绝缘工具定期检测", Responsible: "电工班长 钱进", Inputs: risk.Inputs{L: 1, E: 3, C: 7}},
		{Name: "机修车间", Activity: "砂轮、钻床作业", Factors: "旋转部件无防护", Accidents: "机械伤害、物体打击",
			Measures: "防护罩完好，佩戴防护眼镜", Responsible: "机修班长 周明", Inputs: risk.Inputs{L: 3, E: 3, C: 3}},
	}
	for _, p := range points {
		p.EnterpriseID = ent.Unit.ID
		if _, err := rs.Create(ctx, ent, p); err != nil {
			return fmt.Errorf("演示风险点 %s: %w", p.Name, err)
		}
	}
	es, _, err := ents.List(ctx, office, enterprise.Filter{Category: "hazchem", Page: paging.Page{Limit: 30}})
	if err != nil {
		return err
	}
	grades := []risk.Inputs{{L: 6, E: 6, C: 7}, {L: 3, E: 6, C: 7}, {L: 1, E: 6, C: 7}, {L: 3, E: 6, C: 15}, {L: 1, E: 3, C: 3}}
	for i, e := range es {
		if e.UnitID == ent.Unit.ID {
			continue
		}
		// Identifying and grading its risks is the enterprise's own work.
		own := org.NewActor(0, "demo", e.Name+"（演示数据）", org.UnitRef{ID: e.UnitID, Name: e.Name, Kind: org.KindEnterprise, Region: e.RegionCode},
			[]org.Role{org.RoleEnterprise})
		for j := 0; j <= i%2; j++ {
			if _, err := rs.Create(ctx, own, risk.Input{EnterpriseID: e.UnitID, Name: []string{"储罐区", "装卸区"}[j], Activity: []string{"储存", "装卸车"}[j],
				Factors: "易燃液体泄漏", Accidents: "火灾、其他爆炸", Measures: "可燃气体检测报警，防爆电气，静电接地", Responsible: e.SafetyManager,
				Inputs: grades[(i+j)%len(grades)]}); err != nil {
				return fmt.Errorf("演示风险点 %s: %w", e.Name, err)
			}
		}
	}
	return nil
}
