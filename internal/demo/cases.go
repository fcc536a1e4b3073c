package demo

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"anwei/internal/enforce"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// loadCases opens the year's 行政处罚案件 on the violations the demo's
// inspections found, each step on its day (never after today): the one
// refused at the re-check fined and paid on time, so that 按日连续处罚 is
// counting; one served and not paid (its late fee growing); one noticed
// and waiting for the party's 陈述申辩; one just opened; and a small fine
// decided on the spot.
func loadCases(ctx context.Context, y *inspectionYear) error {
	if len(y.officers) < 2 || y.head == nil {
		return nil
	}
	is, _, err := y.en.ListInspections(ctx, y.member, enforce.InspectionFilter{Year: y.year, State: enforce.StateClosed, Page: paging.Page{Limit: 200}})
	if err != nil {
		return err
	}
	type found struct {
		id      int64
		ordered time.Time
		refused bool
		team    []int64 // the inspection's own (no declared conflict)
	}
	var refused, others []found
	for _, i := range is {
		if i.OfInspection != 0 {
			continue
		}
		d, err := y.en.GetInspection(ctx, y.member, i.ID)
		if err != nil {
			return err
		}
		var ordered string
		for _, w := range d.Writs {
			if w.Kind == enforce.WritOrder {
				ordered = w.IssuedOn
			}
		}
		day, err := time.ParseInLocation("2006-01-02", ordered, y.today.Location())
		if err != nil {
			continue
		}
		var crew []int64
		for _, m := range d.Team {
			crew = append(crew, m.UserID)
		}
		for _, f := range d.Findings {
			if f.Violation == "" || f.Deadline == "" {
				continue
			}
			if f.State == "refused" {
				refused = append(refused, found{f.ID, day, true, crew})
			} else {
				others = append(others, found{f.ID, day, false, crew})
			}
		}
	}
	// In the order found.
	sort.SliceStable(others, func(i, j int) bool { return others[i].ordered.Before(others[j].ordered) })
	// plan is a case's steps: days after the order each one happens on.
	type plan struct {
		f                                 found
		notice, decide, serve, pay, close int // 0: not reached
		proposed                          float64
		publish                           int // days after the order the decision is published (0: not, left due)
	}
	var plans []plan
	if len(refused) > 0 {
		plans = append(plans, plan{f: refused[0], notice: 2, decide: 14, serve: 15, pay: 25, close: 26, proposed: 20000, publish: 18})
	}
	// The one served about 50 days ago (its 15 days long run out, not
	// paid); the latest noticed yesterday; the one before it just opened.
	var spot *found
	if n := len(others); n >= 3 {
		served := 0
		for i, f := range others[:n-2] {
			if f.ordered.Before(y.today.AddDate(0, 0, -50)) {
				served = i
			}
		}
		// The served one is left due for publication (overdue); one more
		// decided before it is published on time and paid.
		plans = append(plans, plan{f: others[served], notice: 2, decide: 14, serve: 15, proposed: 30000},
			plan{f: others[n-1], notice: max(1, int(y.today.Sub(others[n-1].ordered).Hours()/24)-1), proposed: 10000},
			plan{f: others[n-2]})
		if served > 1 {
			plans = append(plans, plan{f: others[served-1], notice: 2, decide: 14, serve: 15, pay: 22, close: 23, proposed: 15000, publish: 17})
		}
		if served > 0 {
			spot = &others[0]
		}
	}
	officer := func(f found, n int) *org.Actor { // the inspection's own officer
		for _, a := range y.officers {
			if len(f.team) > n && a.UserID == f.team[n] {
				return a
			}
		}
		return y.officers[n]
	}
	var party int64 // a party of a decided case, for the accident below
	for _, p := range plans {
		o, o2 := officer(p.f, 0), officer(p.f, 1)
		at := func(days int) *enforce.Service { return y.at(p.f.ordered.AddDate(0, 0, days), 10*60) }
		reached := func(days int) bool { return days > 0 && !p.f.ordered.AddDate(0, 0, days).After(y.today) }
		if !reached(1) {
			continue
		}
		c, err := at(1).OpenCase(ctx, o, enforce.CaseInput{FindingID: p.f.id, Officers: p.f.team})
		if err != nil {
			return fmt.Errorf("演示案件: 立案: %w", err)
		}
		if !reached(p.notice) {
			continue
		}
		if err := at(p.notice).AddEvidence(ctx, o2, c.ID, enforce.EvidenceInput{Kind: "interview",
			Note: "问：检查发现的问题是否属实？\n答：属实。\n问：为何未按要求整改？\n答：正在安排。"}); err != nil {
			return fmt.Errorf("演示案件: 取证: %w", err)
		}
		d, err := y.en.GetCase(ctx, o, c.ID)
		if err != nil {
			return err
		}
		tier := ""
		for _, r := range d.Rows { // the middle of the 一般 tier, in round thousands, scaled by the plan
			if r.Tier == "一般" {
				tier, p.proposed = r.Tier, math.Round((r.Min+(r.Max-r.Min)*p.proposed/40000)/1000)*1000
			}
		}
		if err := at(p.notice).Notify(ctx, o, c.ID, enforce.NoticeInput{Tier: tier, Proposed: p.proposed}); err != nil {
			return fmt.Errorf("演示案件: 告知: %w", err)
		}
		if d, err = y.en.GetCase(ctx, o, c.ID); err != nil {
			return err
		}
		// With a right to a hearing, the decision waits for its 5 working
		// days (国庆 may stretch them): the later steps move with it.
		if hb, err := time.ParseInLocation("2006-01-02", d.HearingBy, y.today.Location()); err == nil {
			if shift := int(hb.Sub(p.f.ordered).Hours()/24) + 1 - p.decide; shift > 0 {
				for _, step := range []*int{&p.decide, &p.serve, &p.pay, &p.close} {
					if *step > 0 {
						*step += shift
					}
				}
			}
		}
		if !reached(p.decide) {
			continue
		}
		if err := at(p.notice).State(ctx, o, c.ID, "当事人当面陈述：对违法事实无异议，已着手整改，请求从轻处罚。", true); err != nil {
			return fmt.Errorf("演示案件: 陈述申辩: %w", err)
		}
		if d, err = y.en.GetCase(ctx, o, c.ID); err != nil {
			return err
		}
		if d.NeedsReview {
			if err := at(p.decide).Review(ctx, y.head, c.ID, "事实清楚，证据确凿，适用依据正确，程序合法，裁量适当。"); err != nil {
				return fmt.Errorf("演示案件: 法制审核: %w", err)
			}
		}
		if d.NeedsDiscussion {
			if err := at(p.decide).Discuss(ctx, y.head, c.ID, "局务会集体讨论：同意按告知的数额处罚。"); err != nil {
				return fmt.Errorf("演示案件: 集体讨论: %w", err)
			}
		}
		if err := at(p.decide).Decide(ctx, y.head, c.ID, enforce.DecideInput{Fine: p.proposed}); err != nil {
			return fmt.Errorf("演示案件: 决定: %w", err)
		}
		party = c.EnterpriseID
		if reached(p.publish) {
			ps, _, err := y.en.Publications(ctx, y.member, enforce.PublicationFilter{Case: c.ID})
			if err != nil || len(ps) != 1 {
				return fmt.Errorf("演示案件: 公示: %v", err)
			}
			if err := at(p.publish).Publish(ctx, o, ps[0].ID, enforce.PublishInput{}); err != nil {
				return fmt.Errorf("演示案件: 公示: %w", err)
			}
		}
		if !reached(p.serve) {
			continue
		}
		if err := at(p.serve).Serve(ctx, o, c.ID, enforce.ServeInput{How: "direct"}); err != nil {
			return fmt.Errorf("演示案件: 送达: %w", err)
		}
		if !reached(p.pay) {
			continue
		}
		if err := at(p.pay).Pay(ctx, o, c.ID, enforce.PayInput{Amount: p.proposed, Receipt: fmt.Sprintf("37010520%06d", c.ID)}); err != nil {
			return fmt.Errorf("演示案件: 缴款: %w", err)
		}
		if !reached(p.close) {
			continue
		}
		if err := at(p.close).CloseCase(ctx, y.head, c.ID, ""); err != nil {
			return fmt.Errorf("演示案件: 结案: %w", err)
		}
	}
	if spot != nil {
		c, err := y.at(spot.ordered, 11*60).OnTheSpot(ctx, officer(*spot, 0), enforce.SpotInput{FindingID: spot.id, Facts: "现场检查发现的违法行为，违法事实确凿",
			Fine: 2000, Statement: "无异议", Officers: spot.team})
		if err != nil {
			return fmt.Errorf("演示案件: 当场处罚: %w", err)
		}
		if err := y.at(spot.ordered.AddDate(0, 0, 5), 10*60).Pay(ctx, officer(*spot, 0), c.ID, enforce.PayInput{Amount: 2000, Receipt: fmt.Sprintf("37010520%06d", c.ID)}); err != nil {
			return fmt.Errorf("演示案件: 当场处罚缴款: %w", err)
		}
		if err := y.at(spot.ordered.AddDate(0, 0, 6), 10*60).CloseCase(ctx, y.head, c.ID, ""); err != nil {
			return fmt.Errorf("演示案件: 当场处罚结案: %w", err)
		}
	}
	if party != 0 && len(plans) > 0 {
		// An accident investigated last week: a death, so the case is
		// flagged for 移送司法 and waits for the department.
		f := plans[0].f
		on := y.today.AddDate(0, 0, -6)
		if _, err := y.at(on, 15*60).OpenCase(ctx, officer(f, 0), enforce.CaseInput{Source: "accident", EnterpriseID: party, SourceRef: "事故调查报告 (天)安调〔" + fmt.Sprint(on.Year()) + "〕1号",
			Article: 114, Grade: "一般", Facts: "检修作业中一名维修工从 4.5 米高的钢平台坠落，经抢救无效死亡；作业前未办理高处作业审批，未设置安全防护设施",
			Officers: f.team, Deaths: 1, Loss: 1450000, MainBlame: true}); err != nil {
			return fmt.Errorf("演示案件: 事故立案: %w", err)
		}
	}
	return publishDraws(ctx, y)
}

// publishDraws publishes the 双随机 results the demo's department had to,
// each five days after its inspection (the latest are still due).
func publishDraws(ctx context.Context, y *inspectionYear) error {
	ps, _, err := y.en.Publications(ctx, y.member, enforce.PublicationFilter{Kind: enforce.PubDraw, State: enforce.PubDue, Page: paging.Page{Limit: paging.Max}})
	if err != nil {
		return err
	}
	for _, p := range ps {
		on, err := time.ParseInLocation("2006-01-02", p.BasisOn, y.today.Location())
		if err != nil {
			return err
		}
		if on = on.AddDate(0, 0, 5); on.After(y.today) {
			continue
		}
		if err := y.at(on, 9*60).Publish(ctx, y.officers[0], p.ID, enforce.PublishInput{}); err != nil {
			return fmt.Errorf("演示公示: %w", err)
		}
	}
	return nil
}
