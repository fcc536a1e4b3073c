package hazard

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/codes"
	"anwei/internal/files"
	"anwei/internal/org"
	"anwei/internal/store"
)

// An enterprise's own general hazards (《安全生产事故隐患排查治理暂行规定》
// 第三条, 第十五条: a general hazard is one of little harm and little
// difficulty, put right as soon as it is found, by the enterprise itself;
// 安全生产法 第四十一条: only 重大事故隐患 must be reported to the
// department). An enterprise reporting a hazard it found itself chooses
// how it is handled:
//   - 即查即改 (fix): reported and closed in one step, with the measures
//     taken and photos after;
//   - 自行整改 (self): it sets the level 一般, the deadline, the responsible
//     person and the measures, rectifies, and closes it after its own
//     acceptance (自行验收销号);
//   - 上报部门 (department, the default): a 重大 hazard, or one it needs a
//     department for, goes through 判定/交办/复查 as a government finding
//     does.
// The government sees the first two in its scope, its figures and the
// ledger, and may take an open one over (it judges it again). Who handled
// a hazard how is read from its record (HandlingOf), never stored apart.

// Handlings are the ways a hazard is handled (整改方式).
var Handlings = []codes.Choice{{Key: "fix", Name: "即查即改"}, {Key: "self", Name: "企业自行整改"}, {Key: "department", Name: "部门判定交办"}}

// HandlingOf is how a hazard is handled: "fix" when the enterprise closed
// it in the step that reported it, "self" when it rectifies (or rectified)
// it itself, else "department". Only the owner's two steps make a general
// hazard of the enterprise's own finding, with no writ and no assigning
// unit, 企业自行整改中 or closed; a fix sets no deadline, a self-
// rectification always does.
func HandlingOf(h Hazard) string {
	own := h.Source == "self" && h.Level == General && h.AssignedBy == 0 && h.ListedBy == 0 && h.Writ == ""
	switch {
	case own && h.State == Closed && h.Deadline == "":
		return "fix"
	case own && (h.State == SelfRectifying || h.State == Closed) && h.Deadline != "":
		return "self"
	}
	return "department"
}

// handlingWhere is HandlingOf as a condition on hazards h (a listed
// hazard is a major one, which the level already excludes).
func handlingWhere(k string) (string, bool) {
	own := "h.source = 'self' AND h.level = 'general' AND h.assigned_by IS NULL AND h.writ = '' AND "
	fix := "(" + own + "h.state = 'closed' AND h.deadline = '')"
	self := "(" + own + "h.state IN ('self_rectifying', 'closed') AND h.deadline <> '')"
	switch k {
	case "fix":
		return fix, true
	case "self":
		return self, true
	case "department":
		return "NOT (" + fix + " OR " + self + ")", true
	}
	return "", false
}

// owns reports whether the enterprise handles h itself: a general hazard
// of its own finding that no department assigned or listed.
func owns(h Hazard) bool {
	return h.Source == "self" && h.Level == General && h.AssignedBy == 0 && h.ListedBy == 0
}

// ownStep is the step an enterprise's report takes at once (nil: reported
// to the department), checked by Next; after are the photos after a fix.
func ownStep(a *org.Actor, unit int64, in ReportInput, today string) (*Step, error) {
	switch in.Handling {
	case "", "department":
		return nil, nil
	case "fix", "self":
	default:
		return nil, apperr.Field("handling", "请选择处理方式 (即查即改、自行整改或上报部门)")
	}
	if a.Unit.ID != unit {
		return nil, apperr.Field("handling", "即查即改和自行整改只适用于企业自查发现的一般隐患；监管部门发现的隐患须判定交办")
	}
	st := Step{Action: Action(in.Handling), Side: Owner, Level: General, Deadline: strings.TrimSpace(in.Deadline),
		Measures: in.Measures, Responsible: in.Responsible, Today: today, Photos: in.AfterPhotos}
	if _, err := Next(Reported, st); err != nil {
		return nil, err
	}
	return &st, nil
}

// putAfter stores the photos after a fix, the error naming their field.
func (s *Service) putAfter(st *Step) ([]files.Stored, error) {
	if st == nil || st.Action != Fix {
		return nil, nil
	}
	ps, err := s.files.PutPhotos(st.Photos, 10)
	var e *apperr.Error
	if errors.As(err, &e) && e.Field == "files" {
		return nil, apperr.Field("after_files", "整改后照片: "+e.Message)
	}
	return ps, err
}

// own takes the owner's step on the hazard h just reported, in the
// report's transaction: the level 一般, closed at once (fix) or the
// enterprise's deadline (self), its history row, the photos after, the
// counts and the audit event.
func (s *Service) own(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, h *Hazard, st Step, after []files.Stored) error {
	to, err := Next(Reported, st)
	if err != nil {
		return err
	}
	h.Level, h.State, h.ClosedAt = General, to, nil
	note := strings.TrimSpace(st.Measures)
	var closed any
	if st.Action == Fix {
		h.ClosedAt, closed = &now, now
	} else {
		h.Deadline = st.Deadline
		note = "责任人 " + strings.TrimSpace(st.Responsible) + "，限 " + h.Deadline + " 前整改：" + note
	}
	if _, err := tx.Exec(ctx, "UPDATE hazards SET state = ?, level = ?, deadline = ?, closed_at = ? WHERE id = ?",
		string(h.State), h.Level, h.Deadline, closed, h.ID); err != nil {
		return err
	}
	if err := tally(ctx, tx, *h, moved(countsOf("", true), countsOf(General, to != Closed)), now); err != nil {
		return err
	}
	if err := history(ctx, tx, now, a, h.ID, string(st.Action), Reported, to, note); err != nil {
		return err
	}
	if err := addPhotos(ctx, tx, now, a, h.ID, StageRectified, after); err != nil {
		return err
	}
	err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "hazard." + string(st.Action), ObjectKind: "hazard",
		ObjectID: strconv.FormatInt(h.ID, 10), Region: h.Region, Before: map[string]any{"state": Reported},
		After: map[string]any{"state": to, "level": General, "deadline": h.Deadline, "note": note, "photos": len(after)}})
	return err
}
