package demo

import (
	"context"
	"fmt"

	"anwei/internal/hazard"
	"anwei/internal/org"
)

// demoOpinions has the district 应急局 ask the 专家库's expert (陈工) about
// two findings at 泺口化工 (issue 14.8): one answered — the expert finds no
// item of the 判定标准 met and the department judges it general and assigns
// it — and one the street found two days ago, asked yesterday and waiting
// in the expert's 判定请求.
func demoOpinions(ctx context.Context, orgs *org.Service, at func(int) *hazard.Service, date func(int) string) error {
	who := map[string]*org.Actor{}
	for _, u := range []string{"member", "street", "expert", "enterprise"} {
		a, err := orgs.ActorByUsername(ctx, u)
		if err != nil {
			return err
		}
		who[u] = a
	}
	member, expert, ent := who["member"], who["expert"], who["enterprise"].Unit.ID
	h, err := at(-12).Report(ctx, member, hazard.ReportInput{EnterpriseID: ent, Place: "液氯储罐区", Source: "inspection",
		Description: "罐区2台有毒气体检测报警器检定证书过期4个月，现场测试报警功能正常", Measures: "送检或更换报警器，建立检定台账"})
	if err != nil {
		return fmt.Errorf("演示专家判定: %w", err)
	}
	os, err := at(-12).AskExperts(ctx, member, h.ID, hazard.AskInput{ExpertIDs: []int64{expert.UserID},
		Question: "是否属于《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准》第（十二）项所列情形？"})
	if err != nil {
		return fmt.Errorf("演示专家判定: %w", err)
	}
	if _, err := at(-11).Answer(ctx, expert, os[0].ID, hazard.AnswerInput{Level: hazard.General,
		Reasoning: "报警器已按 GB/T 50493 设置并联锁声光报警，功能测试正常，仅检定超期，不属于第（十二）项“未按国家标准设置检测报警装置”的情形。建议按一般事故隐患限期送检，送检期间加密人工巡检。"}); err != nil {
		return fmt.Errorf("演示专家判定: %w", err)
	}
	for _, st := range []hazard.Step{{Action: hazard.Judge, Level: hazard.General, Reasoning: "采纳专家陈工意见"},
		{Action: hazard.Assign, Deadline: date(8), Writ: "（天）应急改〔" + date(0)[:4] + "〕96号"}} {
		if _, err := at(-10).Act(ctx, member, h.ID, st); err != nil {
			return fmt.Errorf("演示专家判定: %w", err)
		}
	}
	p, err := at(-2).Report(ctx, who["street"], hazard.ReportInput{EnterpriseID: ent, Place: "厂区东侧围墙外", Source: "grid",
		Description: "围墙外新建一座物流仓库，距液氯储罐区约40米，人员较多"})
	if err != nil {
		return fmt.Errorf("演示专家判定: %w", err)
	}
	_, err = at(-1).AskExperts(ctx, member, p.ID, hazard.AskInput{ExpertIDs: []int64{expert.UserID},
		Question: "液氯储罐区外部安全防护距离是否不符合国家标准要求，是否构成判定标准第（三）项所列重大事故隐患？"})
	return err
}
