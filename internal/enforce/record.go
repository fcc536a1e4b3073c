package enforce

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/codes"
	"anwei/internal/org"
	"anwei/internal/rules"
	"anwei/internal/store"
)

// seeWhere is what inspections the actor sees: an enterprise those of
// itself (and their writs), a department its own, the office and
// governments those of the enterprises of their region (a planned one
// follows its enterprise, follow.go). A street, which does not enforce
// (国办发〔2024〕54号: no inspection by 网格员 or 属地 staff), sees the
// hazards an inspection found, not the department's inspection records.
func seeWhere(a *org.Actor) (string, []any, error) {
	if a.Unit.Kind == org.KindEnterprise {
		if err := a.Require(org.PermEntOwn); err != nil {
			return "", nil, err
		}
		// Its own inspections once notified (a task awaiting approval is the
		// department's own business).
		return "i.enterprise_id = ? AND i.state <> 'planned'", []any{a.Unit.ID}, nil
	}
	if err := a.Require(org.PermEnforceRead); err != nil {
		return "", nil, err
	}
	if a.Unit.Kind == org.KindStreet {
		return "1=0", nil, nil
	}
	w, args := ownWhere(a, "i.region_code", "i.unit_id")
	return w, args, nil
}

// Item is a checklist item of an inspection with its mark.
type Item struct {
	CheckItem
	Result     string `json:"result"` // pass | fail | na | "" not yet
	ResultName string `json:"result_name"`
	Note       string `json:"note"`
}

// Results are the marks of an item.
var Results = []codes.Choice{{Key: "pass", Name: "合格"}, {Key: "fail", Name: "不合格"}, {Key: "na", Name: "不涉及"}}

// RecheckResults are the marks of a re-check's items (the findings).
var RecheckResults = []codes.Choice{{Key: "pass", Name: "已整改"}, {Key: "fail", Name: "拒不改正 (逾期未整改)"}}

// Signature is a signature box of the 现场检查记录 as signed.
type Signature struct {
	Role        string    `json:"role"` // officer1 | officer2 | party
	RoleName    string    `json:"role_name"`
	Name        string    `json:"name"`
	Certificate string    `json:"certificate,omitempty"`
	SHA256      string    `json:"sha256,omitempty"` // the drawn PNG
	Refused     bool      `json:"refused"`
	Reason      string    `json:"reason,omitempty"`
	SignedAt    time.Time `json:"signed_at"`
}

// SignRoles are the boxes, in the record's order.
var SignRoles = []codes.Choice{{Key: "officer1", Name: "执法人员"}, {Key: "officer2", Name: "执法人员"}, {Key: "party", Name: "被检查单位现场负责人"}}

// TeamMember is an officer of the inspection with the 执法证号.
type TeamMember struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	Cert   string `json:"cert_no"`
}

// Detail is an inspection with everything recorded on it.
type Detail struct {
	Inspection
	CreditCode string       `json:"credit_code"`
	Address    string       `json:"address"`
	LegalRep   string       `json:"legal_rep"`
	Team       []TeamMember `json:"team"`
	CheckinAt  *time.Time   `json:"checkin_at,omitempty"`
	StartedAt  *time.Time   `json:"started_at,omitempty"`
	ClosedAt   *time.Time   `json:"closed_at,omitempty"`
	Lat        *float64     `json:"lat,omitempty"`
	Lon        *float64     `json:"lon,omitempty"`
	Place      string       `json:"place"`
	Party      string       `json:"party"`
	PartyPost  string       `json:"party_post"`
	Summary    string       `json:"summary"`
	Handling   string       `json:"handling"`
	Measures   string       `json:"measures"`
	Items      []Item       `json:"items"`
	Findings   []Finding    `json:"findings"`
	Media      []Media      `json:"media"`
	Signatures []Signature  `json:"signatures"`
	Writs      []Writ       `json:"writs"`
	// Recheck is the re-check task this inspection's order set, 0 when none.
	Recheck int64 `json:"recheck,omitempty"`
	// Mine: the actor is on the team (may work it on site).
	Mine bool `json:"mine"`
}

// GetInspection returns an inspection the actor may see with its
// checklist and marks, findings, media, signatures and writs.
func (s *Service) GetInspection(ctx context.Context, a *org.Actor, id int64) (Detail, error) {
	w, args, err := seeWhere(a)
	if err != nil {
		return Detail{}, err
	}
	var d Detail
	var party party
	err = s.db.QueryRow(ctx, `SELECT i.id, i.unit_id, u.name, i.enterprise_id, i.region_code, i.year, i.month, i.kind, i.basis, i.draw_id,
		i.officers, i.note, i.state, i.created_at, i.due_from, i.due_to, COALESCE(i.approved_by, 0), COALESCE(i.of_inspection, 0), i.created_by,
		i.checkin_at, i.started_at, i.closed_at, i.lat, i.lon, i.place, i.party, i.party_post, i.summary, i.handling, i.measures,
		COALESCE((SELECT MAX(r.id) FROM enforce_inspections r WHERE r.of_inspection = i.id), 0)
		FROM enforce_inspections i JOIN `+org.UnitsView+` u ON u.id = i.unit_id WHERE i.id = ? AND `+w, append([]any{id}, args...)...).
		Scan(&d.ID, &d.UnitID, &d.Unit, &d.EnterpriseID, &d.Region, &d.Year, &d.Month, &d.Kind, &d.Basis, &d.DrawID, &d.Officers, &d.Note,
			&d.State, &d.CreatedAt, &d.DueFrom, &d.DueTo, &d.ApprovedBy, &d.OfInspection, &d.CreatedBy, &d.CheckinAt, &d.StartedAt, &d.ClosedAt,
			&d.Lat, &d.Lon, &d.Place, &d.Party, &d.PartyPost, &d.Summary, &d.Handling, &d.Measures, &d.Recheck)
	if store.NoRows(err) {
		return d, apperr.New(apperr.NotFound, "检查记录不存在或不在您的管辖范围内")
	}
	if err != nil {
		return d, err
	}
	d.BasisName, d.StateName = codes.NameOf(Bases, d.Basis), codes.NameOf(States, d.State)
	if a.Unit.Kind == org.KindEnterprise {
		d.Note = "" // the department's own note (a tip's lead) is not the party's to read
	}
	if party, err = partyOf(ctx, s.db, d.EnterpriseID); err != nil {
		return d, err
	}
	d.Enterprise, d.CreditCode, d.Address, d.LegalRep = party.Name, party.CreditCode, party.Address, party.LegalRep
	ms, err := team(ctx, s.db, officersOf(d.Officers))
	if err != nil {
		return d, err
	}
	for _, m := range ms {
		d.Team = append(d.Team, TeamMember(m))
		d.OfficerNames = append(d.OfficerNames, m.Name)
	}
	d.Mine = slices.Contains(officersOf(d.Officers), a.UserID) && a.Unit.ID == d.UnitID
	if d.Items, err = s.marked(ctx, s.db, d.Inspection); err != nil {
		return d, err
	}
	if d.Findings, err = findingsOf(ctx, s.db, d.ID); err != nil {
		return d, err
	}
	if d.Media, err = mediaOf(ctx, s.db, d.ID); err != nil {
		return d, err
	}
	if d.Signatures, err = signaturesOf(ctx, s.db, d.ID); err != nil {
		return d, err
	}
	d.Writs, err = writsOf(ctx, s.db, d.ID)
	return d, err
}

// items is an inspection's checklist: the enterprise's (Checklist), or on
// a re-check the findings it re-checks (key f<id>).
func (s *Service) items(ctx context.Context, q querier, i Inspection) ([]CheckItem, error) {
	if i.OfInspection != 0 {
		fs, err := findingsOf(ctx, q, i.OfInspection)
		if err != nil {
			return nil, err
		}
		var out []CheckItem
		for _, f := range fs {
			if f.Deadline == "" {
				continue // corrected on the spot: nothing to re-check
			}
			basis := "限 " + f.Deadline + " 前整改"
			if f.HazardNumber != "" {
				basis += "，隐患 " + f.HazardNumber
			}
			out = append(out, CheckItem{Key: "f" + strconv.FormatInt(f.ID, 10), Text: f.Place + ": " + f.Description, Basis: basis,
				Major: f.Level == "major", Violation: f.Violation})
		}
		return out, nil
	}
	p, err := partyOf(ctx, q, i.EnterpriseID)
	if err != nil {
		return nil, err
	}
	return Checklist(splitList(p.Categories), p.MajorGrade != "")
}

// marked is the checklist with its marks.
func (s *Service) marked(ctx context.Context, q querier, i Inspection) ([]Item, error) {
	items, err := s.items(ctx, q, i)
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, "SELECT item_key, result, note FROM enforce_marks WHERE inspection_id = ?", i.ID)
	type mark struct{ key, result, note string }
	ms, err := store.Collect(rows, err, func(r store.Scanner) (mark, error) {
		var m mark
		return m, r.Scan(&m.key, &m.result, &m.note)
	})
	if err != nil {
		return nil, err
	}
	byKey := map[string]mark{}
	for _, m := range ms {
		byKey[m.key] = m
	}
	names := Results
	if i.OfInspection != 0 {
		names = RecheckResults
	}
	out := make([]Item, len(items))
	for n, it := range items {
		m := byKey[it.Key]
		out[n] = Item{CheckItem: it, Result: m.result, ResultName: codes.NameOf(names, m.result), Note: m.note}
		if m.result == "" {
			out[n].ResultName = ""
		}
	}
	return out, nil
}

func signaturesOf(ctx context.Context, q querier, id int64) ([]Signature, error) {
	rows, err := q.Query(ctx, "SELECT role, name, certificate, sha256, refused, reason, signed_at FROM enforce_signatures WHERE inspection_id = ?", id)
	ss, err := store.Collect(rows, err, func(r store.Scanner) (Signature, error) {
		var sg Signature
		err := r.Scan(&sg.Role, &sg.Name, &sg.Certificate, &sg.SHA256, &sg.Refused, &sg.Reason, &sg.SignedAt)
		sg.RoleName = codes.NameOf(SignRoles, sg.Role)
		return sg, err
	})
	slices.SortFunc(ss, func(x, y Signature) int { return roleOrder(x.Role) - roleOrder(y.Role) })
	return ss, err
}

func roleOrder(r string) int {
	for i, c := range SignRoles {
		if c.Key == r {
			return i
		}
	}
	return len(SignRoles)
}

// readFile reads a stored file whole (a drawn signature, small).
func (s *Service) readFile(sum string) ([]byte, error) {
	f, err := s.files.Open(sum)
	if err != nil {
		return nil, fmt.Errorf("签名图像 %s: %w", sum[:8], err)
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, SignatureMax+1))
}

// violationWords cites a violation: 《安全生产法》第九十九条第（一）项 and its text.
func violationWords(key string) string {
	v, ok := rules.ViolationOf(key)
	if !ok {
		return ""
	}
	return v.Basis() + " " + v.Text
}
