package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/risk"
)

// demoFinds are hazards as inspections and self-checks find them: place,
// description, the measures that fix them.
var demoFinds = []struct{ place, what, fix string }{
	{"配电室", "配电柜前未铺设绝缘胶垫，柜门接地线脱落", "铺设绝缘胶垫，恢复柜门跨接接地"},
	{"仓库", "消防通道堆放货物，疏散指示标志损坏", "清理通道，更换应急照明和疏散指示"},
	{"车间", "砂轮机防护罩缺失", "加装防护罩并调整托架间隙"},
	{"厂区", "灭火器压力不足，未按月检查", "更换灭火器，建立月度检查记录"},
	{"有限空间", "污水池入口未设置警示标识，未配备气体检测仪", "设置警示标识，配备四合一气体检测仪"},
	{"叉车", "叉车司机证件过期仍作业", "停止作业，送培复审取证"},
	{"危化品库", "禁忌物料混存，未张贴安全周知卡", "分区分类储存，张贴周知卡"},
	{"作业现场", "动火作业未办理作业票", "补办作业票，完善监护制度"},
	{"食堂", "燃气管道未安装泄漏报警装置", "安装可燃气体报警器并与切断阀联锁"},
	{"屋顶", "临边未设置防护栏杆", "设置1.2米防护栏杆和挡脚板"},
}

// LoadHazards replays a year of hazard work in the demo jurisdiction,
// each step at the date it happened: 泺口化工's own hazards (a major one
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
	at := func(days int) *hazard.Service { return hz.WithClock(calendar.NewFixed(today.AddDate(0, 0, days))) }
	date := func(days int) string { return calendar.Local(today.AddDate(0, 0, days)).Format("2006-01-02") }
	ent, member, office := who["enterprise"], who["member"], who["office"]
	step := func(days int, a *org.Actor, id int64, st hazard.Step) error {
		_, err := at(days).Act(ctx, a, id, st)
		return err
	}
	report := func(days int, a *org.Actor, in hazard.ReportInput) (hazard.Hazard, error) {
		return at(days).Report(ctx, a, in)
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
	if err := registryHazards(ctx, ents, office, at, date); err != nil {
		return err
	}
	return demoRisks(ctx, ents, rs.WithClock(calendar.NewFixed(today.AddDate(0, 0, -20))), office, ent)
}

// registryHazards spreads findings over the year across the registry:
// most closed on time, some still being fixed, a few overdue, one major
// one overdue (the sweep escalates it).
func registryHazards(ctx context.Context, ents *enterprise.Service, office *org.Actor, at func(int) *hazard.Service, date func(int) string) error {
	es, _, err := ents.List(ctx, office, enterprise.Filter{Page: paging.Page{Limit: 120}})
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(370105, 5))
	sources := []string{"inspection", "grid", "third_party", "covert", "supervision", "tip", "inspection", "grid"}
	for i, e := range es {
		if e.Name == "济南泺口精细化工有限公司" {
			continue
		}
		f := demoFinds[r.IntN(len(demoFinds))]
		start := -300 + r.IntN(290)
		h, err := at(start).Report(ctx, office, hazard.ReportInput{EnterpriseID: e.UnitID, Place: f.place, Description: f.what, Source: sources[i%len(sources)], Measures: f.fix})
		if err != nil {
			return fmt.Errorf("演示隐患 %s: %w", e.Name, err)
		}
		level, crit := hazard.General, ""
		if i%37 == 5 {
			level, crit = hazard.Major, "gm10-3-2"
		}
		writ := fmt.Sprintf("（天）应急改〔%s〕%d号", date(0)[:4], 100+i)
		deadline := start + 10 + r.IntN(20)
		steps := []hazard.Step{{Action: hazard.Judge, Level: level, Criterion: crit}, {Action: hazard.Assign, Deadline: date(deadline), Writ: writ}, {Action: hazard.Start}}
		for _, st := range steps {
			if _, err := at(start+1).Act(ctx, office, h.ID, st); err != nil {
				return fmt.Errorf("演示隐患 %s: %w", e.Name, err)
			}
		}
		if deadline < -3 && i%9 != 4 { // fixed before the deadline and closed
			if _, err := at(deadline-2).Act(ctx, office, h.ID, hazard.Step{Action: hazard.Submit, Evidence: f.fix + "，已完成"}); err != nil {
				return err
			}
			if _, err := at(deadline-1).Act(ctx, office, h.ID, hazard.Step{Action: hazard.Pass}); err != nil {
				return err
			}
		}
	}
	return nil
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
		for j := 0; j <= i%2; j++ {
			if _, err := rs.Create(ctx, office, risk.Input{EnterpriseID: e.UnitID, Name: []string{"储罐区", "装卸区"}[j], Factors: "易燃液体泄漏",
				Accidents: "火灾、其他爆炸", Measures: "可燃气体检测报警，防爆电气，静电接地", Responsible: "安全管理负责人",
				Inputs: grades[(i+j)%len(grades)]}); err != nil {
				return fmt.Errorf("演示风险点 %s: %w", e.Name, err)
			}
		}
	}
	return nil
}
