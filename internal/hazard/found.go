package hazard

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/inbox"
	"anwei/internal/numbering"
	"anwei/internal/org"
	"anwei/internal/store"
)

// FoundInput is a hazard an enforcement officer found on an inspection
// (执法检查): already judged on site and ordered rectified by a deadline
// under the 责令限期整改指令书 (安全生产法 Art. 65(三), 102).
type FoundInput struct {
	EnterpriseID int64
	Region       string // the enterprise's
	Enterprise   string // its name, for the messages
	Place        string
	Description  string
	Level        string // General | Major
	Criterion    string // Major: the 判定标准 item key
	Deadline     string // YYYY-MM-DD, after today
	Writ         string // the order's 文号
}

// Found records a hazard found by an inspection inside the caller's
// transaction (the enforcement mechanism closing its inspection): reported,
// judged and assigned in one go, source 执法检查, the actor's unit the one
// that reviews and closes it. The history shows the three steps; the
// enterprise is asked to rectify; a major hazard moves its class.
func (s *Service) Found(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, in FoundInput) (Hazard, error) {
	today := calendar.Local(now).Format("2006-01-02")
	h := Hazard{UnitID: in.EnterpriseID, Enterprise: in.Enterprise, Region: in.Region, Place: strings.TrimSpace(in.Place),
		Description: strings.TrimSpace(in.Description), Source: "inspection", Level: in.Level, Criterion: in.Criterion,
		Deadline: in.Deadline, Writ: in.Writ, State: Assigned, AssignedBy: a.Unit.ID, CreatedAt: now, UpdatedAt: now}
	var c apperr.Checks
	c.If(h.Place == "", "place", "请填写隐患部位")
	c.If(h.Description == "", "description", "请描述隐患情况")
	if _, err := Next(Judged, Step{Action: Assign, Side: Government, Deadline: in.Deadline, Writ: in.Writ, Today: today}); err != nil {
		c.Take(err)
	}
	if _, err := Next(Reported, Step{Action: Judge, Side: Government, Level: in.Level, Criterion: in.Criterion}); err != nil {
		c.Take(err)
	}
	if err := c.Take(apperr.Lengths(text("place", "隐患部位", h.Place), text("description", "隐患描述", h.Description))); err != nil {
		return h, err
	}
	if err := c.Err(); err != nil {
		return h, err
	}
	county := h.Region
	if len(county) > 6 {
		county = county[:6]
	}
	year := calendar.Local(now).Year()
	n, err := numbering.NextNumber(ctx, tx, Numbers, county, year)
	if err != nil {
		return h, err
	}
	h.Number = fmt.Sprintf("YH%s-%d-%06d", county, year, n)
	h.ID, err = tx.InsertID(ctx, `INSERT INTO hazards (number, unit_id, region_code, place, description, source, level, criterion, deadline, writ,
		state, assigned_by, created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		h.Number, h.UnitID, h.Region, h.Place, h.Description, h.Source, h.Level, h.Criterion, h.Deadline, h.Writ, string(Assigned),
		a.Unit.ID, now, a.UserID, now)
	if err != nil {
		return h, err
	}
	judged := levelWords[h.Level] + " " + CriterionText(h.Criterion)
	for _, st := range []struct {
		act      string
		from, to State
		note     string
	}{{"report", "", Reported, "执法检查发现: " + h.Description}, {string(Judge), Reported, Judged, strings.TrimSpace(judged)},
		{string(Assign), Judged, Assigned, h.Writ + "，限 " + h.Deadline + " 前整改"}} {
		if err := history(ctx, tx, now, a, h.ID, st.act, st.from, st.to, st.note); err != nil {
			return h, err
		}
	}
	if err := tally(ctx, tx, h, countsOf(h.Level, true), time.Time{}); err != nil {
		return h, err
	}
	if h.Level == Major {
		if err := s.ents.Reclass(ctx, tx, h.UnitID); err != nil {
			return h, err
		}
	}
	if err := tellStep(ctx, tx, now, a, h, Judged, Assign, ""); err != nil {
		return h, err
	}
	h.nameCodes()
	return h, audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "hazard.found", ObjectKind: "hazard", ObjectID: strconv.FormatInt(h.ID, 10),
		Region: h.Region, After: map[string]any{"number": h.Number, "enterprise_id": h.UnitID, "place": h.Place, "description": h.Description,
			"level": h.Level, "criterion": h.Criterion, "deadline": h.Deadline, "writ": h.Writ}})
}

// Rechecked records the re-check (整改复查) of a hazard an inspection found,
// inside the caller's transaction: rectified, it is closed (销号) as the
// closer's on-site review would; not rectified, the refusal goes into its
// history and it stays open (a hazard the enterprise reported done goes
// back to 整改中). The actor's unit must be the one that reviews it.
func (s *Service) Rechecked(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, id int64, rectified bool, note string) error {
	h, err := scanHazard(tx.QueryRow(ctx, "SELECT "+hazardCols+hazardFrom+"WHERE h.id = ?", id), calendar.Local(now).Format("2006-01-02"))
	if err != nil {
		return err
	}
	if !h.State.Open() {
		return nil // closed meanwhile (the enterprise's report was reviewed): nothing left to do
	}
	if c := h.Closer(); c != a.Unit.ID {
		// Listed for supervision (挂牌督办): the listing office closes it.
		// The re-check goes into its history and the office's 待办.
		words := "执法复查: 已整改，待挂牌督办单位销号: " + note
		if !rectified {
			words = "执法复查: 逾期拒不改正: " + note
		}
		if err := history(ctx, tx, now, a, id, "recheck", h.State, h.State, words); err != nil {
			return err
		}
		if rectified {
			if err := inbox.Ask(ctx, tx, now, c, "hazard.review", fmt.Sprintf("%s 复查隐患 %s (%s) 已整改，请审核销号", a.Unit.Name, h.Number, h.Place),
				link(h), occasion(h.ID, "review"), ""); err != nil {
				return err
			}
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "hazard.recheck", ObjectKind: "hazard", ObjectID: strconv.FormatInt(id, 10),
			Region: h.Region, After: map[string]any{"state": h.State, "note": words}})
	}
	before := h
	act, to := Pass, Closed
	if !rectified {
		act, to = Fail, h.State
		if h.State == Rectified {
			to = Rectifying
		}
	}
	h.State, h.UpdatedAt = to, now
	if to == Closed {
		h.ClosedAt = &now
	}
	words := "现场复查合格，销号: " + note
	if !rectified {
		words = "复查: 逾期拒不改正: " + note
	}
	if _, err := tx.Exec(ctx, "UPDATE hazards SET state = ?, updated_at = ? WHERE id = ?", string(to), now, id); err != nil {
		return err
	}
	if rectified {
		if err := s.sideEffects(ctx, tx, now, before, h, Pass); err != nil {
			return err
		}
		if h.Level == Major {
			if err := s.ents.Reclass(ctx, tx, h.UnitID); err != nil {
				return err
			}
		}
	}
	if err := history(ctx, tx, now, a, id, string(act), before.State, to, words); err != nil {
		return err
	}
	if rectified {
		if err := tellStep(ctx, tx, now, a, h, before.State, Pass, words); err != nil {
			return err
		}
	}
	return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "hazard.recheck", ObjectKind: "hazard", ObjectID: strconv.FormatInt(id, 10),
		Region: h.Region, Before: map[string]any{"state": before.State}, After: map[string]any{"state": to, "note": words}})
}

// NumbersView is every hazard's id, number and state, for a mechanism that
// links to the hazards it made (an inspection's findings).
const NumbersView = "(SELECT id, number, state FROM hazards)"
