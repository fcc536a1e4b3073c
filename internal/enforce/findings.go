package enforce

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/codes"
	"anwei/internal/files"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/rules"
	"anwei/internal/store"
)

// Finding states.
const (
	FindingOpen      = "open"      // ordered rectified by its deadline
	FindingCorrected = "corrected" // 整改合格 (on the spot, or at the re-check)
	FindingRefused   = "refused"   // 拒不改正 at the re-check: part 3 makes it a case (按日连续处罚, Art. 112)
)

// FindingStates are the states with their names.
var FindingStates = []codes.Choice{{Key: FindingOpen, Name: "限期整改中"}, {Key: FindingCorrected, Name: "已整改"}, {Key: FindingRefused, Name: "拒不改正"}}

// Finding is a problem found on an inspection: a hazard (it becomes one in
// the hazard mechanism when the inspection closes), a violation of an
// article of 安全生产法, or both. A violation moves the enterprise's class
// only once a penalty is decided on it (part 3), never as a finding.
type Finding struct {
	ID            int64      `json:"id"`
	InspectionID  int64      `json:"inspection_id"`
	ItemKey       string     `json:"item_key"`
	Place         string     `json:"place"`
	Description   string     `json:"description"`
	Hazard        bool       `json:"hazard"`
	Level         string     `json:"level,omitempty"`
	Criterion     string     `json:"criterion,omitempty"`
	Violation     string     `json:"violation,omitempty"`
	ViolationText string     `json:"violation_text,omitempty"`
	Deadline      string     `json:"deadline,omitempty"` // '' corrected on the spot
	HazardID      int64      `json:"hazard_id,omitempty"`
	HazardNumber  string     `json:"hazard_number,omitempty"`
	State         string     `json:"state"`
	StateName     string     `json:"state_name"`
	ReviewNote    string     `json:"review_note,omitempty"`
	ReviewedAt    *time.Time `json:"reviewed_at,omitempty"`
}

// FindingInput is a finding as recorded on site.
type FindingInput struct {
	ItemKey     string `json:"item_key"`
	Place       string `json:"place"`
	Description string `json:"description"`
	Hazard      bool   `json:"hazard"`
	Level       string `json:"level"`     // hazard: general | major
	Criterion   string `json:"criterion"` // major: the 判定标准 item (from the checklist item when it is one)
	Violation   string `json:"violation"` // rules.Violations key
	Deadline    string `json:"deadline"`  // YYYY-MM-DD; '' corrected on the spot (a violation only)
	// Files are photos (sounds, videos) of it, recorded with it in one
	// transaction (the page's form; the API attaches them afterwards).
	Files []files.Upload `json:"-"`
}

// Check is the finding's own faults, every field at once.
func (in *FindingInput) Check(today string) error {
	in.Place, in.Description = strings.TrimSpace(in.Place), strings.TrimSpace(in.Description)
	var c apperr.Checks
	c.If(in.Place == "", "place", "请填写问题部位 (如 液氯储罐区)")
	c.If(in.Description == "", "description", "请描述发现的问题")
	c.If(!in.Hazard && in.Violation == "", "violation", "请选择违反的安全生产法条款，或将问题认定为事故隐患 (或两者)")
	if in.Violation != "" {
		if _, ok := rules.ViolationOf(in.Violation); !ok {
			c.Add("violation", fmt.Sprintf("违法行为条款 %q 不在违法行为表中", in.Violation))
		}
	}
	if in.Hazard {
		switch in.Level {
		case hazard.General:
			in.Criterion = ""
		case hazard.Major:
			if _, ok := rules.LookupCriterion(in.Criterion); !ok {
				c.Add("criterion", "认定为重大事故隐患须选择判定标准条款")
			}
		default:
			c.Add("level", "请选择隐患等级 (一般或重大)")
		}
		c.If(in.Deadline == "", "deadline", "事故隐患须责令限期整改，请填写整改期限")
	}
	if in.Deadline != "" {
		if d, err := time.Parse("2006-01-02", in.Deadline); err != nil {
			c.Add("deadline", "整改期限格式应为 年-月-日")
		} else if d.Format("2006-01-02") <= today {
			c.Add("deadline", fmt.Sprintf("整改期限应在今天 (%s) 之后", today))
		}
	}
	for _, f := range []struct{ key, label, v string }{{"place", "问题部位", in.Place}, {"description", "问题描述", in.Description}} {
		if n := len([]rune(f.v)); n > Limits[f.key] {
			c.Add(f.key, fmt.Sprintf("%s最多 %d 字 (现为 %d 字)", f.label, Limits[f.key], n))
		}
	}
	return c.Err()
}

// AddFinding records a finding on an inspection under way.
func (s *Service) AddFinding(ctx context.Context, a *org.Actor, id int64, in FindingInput) (Finding, error) {
	today := calendar.Local(s.clock.Now()).Format("2006-01-02")
	if err := in.Check(today); err != nil {
		return Finding{}, err
	}
	var stored []files.Stored
	if len(in.Files) > 0 {
		if err := s.mayWork(ctx, a, id, StateStarted); err != nil {
			return Finding{}, err
		}
		var err error
		if stored, err = s.storeMedia(ctx, a, in.Files); err != nil {
			return Finding{}, err
		}
	}
	var f Finding
	err := s.onSite(ctx, a, id, []string{StateStarted}, func(tx *store.Tx, i Inspection, now time.Time) error {
		if i.OfInspection != 0 {
			return apperr.New(apperr.Conflict, "复查只对原问题逐项作出整改合格或拒不改正的结论，新发现的问题请另行检查")
		}
		if in.ItemKey != "" {
			items, err := s.items(ctx, tx, i)
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(items, func(it CheckItem) bool { return it.Key == in.ItemKey }) {
				return apperr.Field("item_key", fmt.Sprintf("检查项 %q 不在本次检查表中", in.ItemKey))
			}
		}
		state := FindingOpen
		if in.Deadline == "" {
			state = FindingCorrected
		}
		var err error
		f = Finding{InspectionID: id, ItemKey: in.ItemKey, Place: in.Place, Description: in.Description, Hazard: in.Hazard, Level: in.Level,
			Criterion: in.Criterion, Violation: in.Violation, Deadline: in.Deadline, State: state}
		if !in.Hazard {
			f.Level = ""
		}
		f.ID, err = tx.InsertID(ctx, `INSERT INTO enforce_findings (inspection_id, enterprise_id, item_key, place, description, hazard, level, criterion,
			violation, deadline, state, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, i.EnterpriseID, in.ItemKey, in.Place,
			in.Description, in.Hazard, f.Level, in.Criterion, in.Violation, in.Deadline, state, a.UserID, now)
		if err != nil {
			return err
		}
		f.fill()
		if _, err := recordMedia(ctx, tx, a, now, id, in.ItemKey, f.ID, stored); err != nil {
			return err
		}
		if err := unsign(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.finding.add", ObjectKind: "enforce_inspection", ObjectID: fmt.Sprint(id),
			Region: i.Region, After: map[string]any{"finding": f.ID, "place": f.Place, "description": f.Description, "hazard": f.Hazard,
				"level": f.Level, "violation": f.Violation, "deadline": f.Deadline, "files": len(stored)}})
	})
	return f, err
}

// RemoveFinding takes back a finding recorded in error, while the
// inspection is under way (after closing, the record is signed).
func (s *Service) RemoveFinding(ctx context.Context, a *org.Actor, id, findingID int64) error {
	return s.onSite(ctx, a, id, []string{StateStarted}, func(tx *store.Tx, i Inspection, now time.Time) error {
		var desc string
		if err := tx.QueryRow(ctx, "SELECT description FROM enforce_findings WHERE id = ? AND inspection_id = ?", findingID, id).Scan(&desc); err != nil {
			if store.NoRows(err) {
				return apperr.New(apperr.NotFound, "该问题不存在")
			}
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE enforce_media SET finding_id = NULL WHERE finding_id = ?", findingID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM enforce_findings WHERE id = ?", findingID); err != nil {
			return err
		}
		if err := unsign(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.finding.remove", ObjectKind: "enforce_inspection", ObjectID: fmt.Sprint(id),
			Region: i.Region, Before: map[string]any{"finding": findingID, "description": desc}})
	})
}

func (f *Finding) fill() {
	f.StateName = codes.NameOf(FindingStates, f.State)
	f.ViolationText = violationWords(f.Violation)
}

const findingCols = `f.id, f.inspection_id, f.item_key, f.place, f.description, f.hazard, f.level, f.criterion, f.violation, f.deadline,
	COALESCE(f.hazard_id, 0), f.state, f.review_note, f.reviewed_at`

func scanFinding(r store.Scanner) (Finding, error) {
	var f Finding
	err := r.Scan(&f.ID, &f.InspectionID, &f.ItemKey, &f.Place, &f.Description, &f.Hazard, &f.Level, &f.Criterion, &f.Violation, &f.Deadline,
		&f.HazardID, &f.State, &f.ReviewNote, &f.ReviewedAt)
	f.fill()
	return f, err
}

// findingsOf lists an inspection's findings with their hazards' numbers.
func findingsOf(ctx context.Context, q querier, id int64) ([]Finding, error) {
	rows, err := q.Query(ctx, "SELECT "+findingCols+" FROM enforce_findings f WHERE f.inspection_id = ? ORDER BY f.id", id)
	fs, err := store.Collect(rows, err, scanFinding)
	if err != nil {
		return nil, err
	}
	for n := range fs {
		if fs[n].HazardID != 0 {
			if err := q.QueryRow(ctx, "SELECT number FROM "+hazard.NumbersView+" h WHERE id = ?", fs[n].HazardID).Scan(&fs[n].HazardNumber); err != nil {
				return nil, err
			}
		}
	}
	return fs, nil
}

// unsign drops the signatures of an inspection whose record changed after
// they were given: what was signed is not what would be closed (Art. 68).
func unsign(ctx context.Context, tx *store.Tx, id int64) error {
	_, err := tx.Exec(ctx, "DELETE FROM enforce_signatures WHERE inspection_id = ?", id)
	return err
}
