package hazard

import (
	"context"
	"fmt"
	"time"

	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Each hand-over of a hazard reaches the unit that acts next through its
// inbox, written in the step's own transaction (issue 14.3; issue 16 turns
// the inbox into the 待办). A hazard has one message per occasion and unit
// — 待判定, 待整改, 待复查 — settled (read, retitled with the outcome) by
// the step that deals with it, whoever takes it, and asked again new and
// unread when the step comes round again (a rectification sent back, a
// hazard reopened):
//
//   - a major hazard past its deadline (sweep.go) asks the office above to
//     supervise it, until it is listed or closed;
//   - the enterprise reports its own: its supervising departments are asked
//     to judge it, or when it has none the street of its region, else the
//     committee office of its county; a government unit reports one: the
//     enterprise is told;
//   - 判定 settles 待判定 for every department asked, and tells the
//     enterprise when it takes over the enterprise's own rectification;
//   - 交办, 复查不通过 and 重新打开 ask the enterprise to rectify;
//     报整改完成 settles that;
//   - 报整改完成 asks for the review: the unit that assigned or listed the
//     hazard (Closer), else as for a report; 复查 settles it, and 销号 tells
//     the enterprise (and settles its 待整改 when the review was on site,
//     before it reported).
//
// Nobody is told of its own step. What asks for a step is a to-do in the
// unit's 待办 (inbox.Ask): 待判定 and 待复查 with no due date (neither the
// 安全生产法 nor ../shared/rules sets a time for them), 待整改 due by the
// hazard's deadline; an expert's 待答复 (opinion.go) likewise. todoStates
// shows each item's hazard as it is now.

// occasion names one of a hazard's messages in the inbox.
func occasion(id int64, what string) string { return fmt.Sprintf("hazard:%d:%s", id, what) }

// link is the hazard's page.
func link(h Hazard) string { return fmt.Sprintf("/hazards/%d", h.ID) }

// levelWords are the judged level in a message.
var levelWords = map[string]string{General: "一般事故隐患", Major: "重大事故隐患"}

// tellReport tells of a newly reported hazard: the departments that judge
// it when the enterprise reported its own and it awaits judging, the
// enterprise when a government unit found it.
func tellReport(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, h Hazard) error {
	if a.Unit.ID != h.UnitID {
		err := inbox.Send(ctx, tx, now, h.UnitID, "hazard.found", fmt.Sprintf("%s 检查发现本单位隐患 %s (%s)", a.Unit.Name, h.Number, h.Place),
			link(h), occasion(h.ID, "found"))
		return err
	}
	if h.State != Reported {
		return nil
	}
	return askSupervisors(ctx, tx, now, a, h, "judge", "", fmt.Sprintf("%s 上报隐患 %s (%s)，待判定", h.Enterprise, h.Number, h.Place))
}

// tellStep tells of step act, just taken by a on h from state from (h as
// it is after it).
func tellStep(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, h Hazard, from State, act Action, note string) error {
	switch act {
	case Judge:
		if err := inbox.Settle(ctx, tx, now, occasion(h.ID, "judge"),
			fmt.Sprintf("%s 隐患 %s (%s) 已由%s判定为%s", h.Enterprise, h.Number, h.Place, a.Unit.Name, levelWords[h.Level])); err != nil {
			return err
		}
		if from == SelfRectifying { // taken over from the enterprise's own rectification
			err := inbox.Send(ctx, tx, now, h.UnitID, "hazard.taken", fmt.Sprintf("%s 已接手本单位自行整改的隐患 %s (%s)，判定为%s，将另行交办整改",
				a.Unit.Name, h.Number, h.Place, levelWords[h.Level]), link(h), occasion(h.ID, "taken"))
			return err
		}
		return nil
	case Assign:
		return askEnterprise(ctx, tx, now, a, h, fmt.Sprintf("隐患 %s (%s) 已交办 (%s)，限 %s 前整改", h.Number, h.Place, h.Writ, h.Deadline))
	case Fail:
		if err := inbox.Settle(ctx, tx, now, occasion(h.ID, "review"), fmt.Sprintf("%s 隐患 %s 复查不通过，已退回整改", h.Enterprise, h.Number)); err != nil {
			return err
		}
		return askEnterprise(ctx, tx, now, a, h, fmt.Sprintf("隐患 %s (%s) 复查不通过，退回整改: %s", h.Number, h.Place, note))
	case Reopen:
		return askEnterprise(ctx, tx, now, a, h, fmt.Sprintf("隐患 %s (%s) 已重新打开，请继续整改: %s", h.Number, h.Place, note))
	case Submit:
		if err := inbox.Settle(ctx, tx, now, occasion(h.ID, "rectify"), fmt.Sprintf("隐患 %s (%s) 已报整改完成，待复查", h.Number, h.Place)); err != nil {
			return err
		}
		title := fmt.Sprintf("%s 报隐患 %s (%s) 整改完成，待复查", h.Enterprise, h.Number, h.Place)
		if err := inbox.Withdraw(ctx, tx, occasion(h.ID, "review")); err != nil {
			return err
		}
		if c := h.Closer(); c != 0 {
			if c == a.Unit.ID {
				return nil
			}
			err := inbox.Ask(ctx, tx, now, c, "hazard.review", title, link(h), occasion(h.ID, "review"), "")
			return err
		}
		return askSupervisors(ctx, tx, now, a, h, "review", "", title)
	case Pass:
		if err := inbox.Settle(ctx, tx, now, occasion(h.ID, "review"), fmt.Sprintf("%s 隐患 %s 复查合格，已销号", h.Enterprise, h.Number)); err != nil {
			return err
		}
		// Reviewed on site before the enterprise reported: its 待整改 is done too.
		if err := inbox.Settle(ctx, tx, now, occasion(h.ID, "rectify"), fmt.Sprintf("隐患 %s (%s) 经复查合格，已销号", h.Number, h.Place)); err != nil {
			return err
		}
		if err := inbox.Withdraw(ctx, tx, occasion(h.ID, "closed")); err != nil {
			return err
		}
		if err := doneOverdue(ctx, tx, now, h.ID); err != nil {
			return err
		}
		if a.Unit.ID == h.UnitID {
			return nil
		}
		err := inbox.Send(ctx, tx, now, h.UnitID, "hazard.closed", fmt.Sprintf("隐患 %s (%s) 复查合格，已销号", h.Number, h.Place), link(h), occasion(h.ID, "closed"))
		return err
	}
	return nil
}

// doneOverdue takes the escalations of h's overdue deadlines out of the
// offices' 待办 (sweep.go asks them to supervise it): h was listed with a
// new deadline, or closed.
func doneOverdue(ctx context.Context, tx *store.Tx, now time.Time, id int64) error {
	return inbox.DoneAll(ctx, tx, now, fmt.Sprintf("hazard.overdue:%d:", id))
}

// askEnterprise asks h's enterprise to rectify it, anew (unless a is the
// enterprise itself).
func askEnterprise(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, h Hazard, title string) error {
	if err := inbox.Withdraw(ctx, tx, occasion(h.ID, "rectify")); err != nil {
		return err
	}
	if a.Unit.ID == h.UnitID {
		return nil
	}
	err := inbox.Ask(ctx, tx, now, h.UnitID, "hazard.rectify", title, link(h), occasion(h.ID, "rectify"), h.Deadline)
	return err
}

// askSupervisors asks the supervising departments of h's enterprise, but
// a's own unit, in one statement; when it has none, the street office
// of the enterprise's region, else the committee office of its county, so
// that a hazard never waits unseen.
func askSupervisors(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, h Hazard, what, due, title string) error {
	dedup := occasion(h.ID, what)
	n, err := inbox.AskTo(ctx, tx, now, "hazard."+what, title, link(h), dedup, due,
		"SELECT dept_id AS unit_id FROM "+org.SupervisionsView+" sv WHERE enterprise_id = ? AND dept_id <> ?", h.UnitID, a.Unit.ID)
	if err != nil || n > 0 {
		return err
	}
	county, street := h.Region, streetOf(h.Region) // a place below the street (a community): its street office
	if len(county) > 6 {
		county = county[:6]
	}
	_, err = inbox.AskTo(ctx, tx, now, "hazard."+what, title, link(h), dedup, due,
		`SELECT id AS unit_id FROM `+org.UnitsView+` un WHERE active AND id <> ? AND ((kind = 'street' AND region_code = ?) OR (kind = 'committee_office' AND region_code = ?))
		AND NOT EXISTS (SELECT 1 FROM `+org.SupervisionsView+` sv WHERE sv.enterprise_id = ?)
		ORDER BY CASE kind WHEN 'street' THEN 0 ELSE 1 END LIMIT 1`, a.Unit.ID, street, county, h.UnitID)
	return err
}

// TodoStates is the live state of the hazards of to-dos (inbox.Resolver,
// declared in app's wiring): 隐患 YH… 整改中，逾期 3 天; an expert's request
// 待答复 or 已答复. One query per kind of occasion.
func (s *Service) TodoStates(ctx context.Context, today string, occasions []string) (map[string]string, error) {
	out := map[string]string{}
	ids, by := inbox.OccasionIDs("hazard:", occasions)
	_, moreBy := inbox.OccasionIDs("hazard.overdue:", occasions)
	for id, os := range moreBy {
		if by[id] == nil {
			ids = append(ids, id)
		}
		by[id] = append(by[id], os...)
	}
	if len(ids) > 0 {
		in, args := store.InIDs("id", ids)
		rows, err := s.db.Query(ctx, "SELECT id, number, state, deadline FROM hazards WHERE "+in, args...)
		err = store.Each(rows, err, func(r store.Scanner) error {
			var id int64
			var number, state, deadline string
			if err := r.Scan(&id, &number, &state, &deadline); err != nil {
				return err
			}
			for _, o := range by[id] {
				out[o] = hazardState(number, State(state), deadline, today)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if ids, by := inbox.OccasionIDs("hazard.opinion:", occasions); len(ids) > 0 {
		in, args := store.InIDs("o.id", ids)
		rows, err := s.db.Query(ctx, `SELECT o.id, o.answered_at IS NOT NULL, h.number, h.state, h.deadline FROM hazard_opinions o
			JOIN hazards h ON h.id = o.hazard_id WHERE `+in, args...)
		err = store.Each(rows, err, func(r store.Scanner) error {
			var id int64
			var answered bool
			var number, state, deadline string
			if err := r.Scan(&id, &answered, &number, &state, &deadline); err != nil {
				return err
			}
			st := "待答复"
			if answered {
				st = "已答复"
			}
			for _, o := range by[id] {
				out[o] = st + "；" + hazardState(number, State(state), deadline, today)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// hazardState is a hazard's state in a to-do: 隐患 YH… 整改中，逾期 3 天.
func hazardState(number string, st State, deadline, today string) string {
	out := "隐患 " + number + " " + st.Name()
	if Overdue(st, deadline, today) {
		out += fmt.Sprintf("，逾期 %d 天", inbox.DaysPast(today, deadline))
	}
	return out
}
