package enterprise

import (
	"context"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/org"
	"anwei/internal/store"
)

// CreditBasis cites the blacklist rules.
const CreditBasis = "应急管理部令第11号《安全生产严重失信主体名单管理办法》(2023): 列入期限3年，满12个月可申请信用修复"

// Listing is an entry on the 安全生产严重失信主体名单.
type Listing struct {
	ID             int64   `json:"id"`
	UnitID         int64   `json:"enterprise_id"`
	Reason         string  `json:"reason"`
	Basis          string  `json:"basis"`
	AuthorityID    int64   `json:"authority_id"`
	Authority      string  `json:"authority"`
	DecisionNo     string  `json:"decision_no"`
	ListedOn       string  `json:"listed_on"`
	EndsOn         string  `json:"ends_on"`
	RepairFrom     string  `json:"repair_from"` // the first day 信用修复 may be decided
	RepairedOn     *string `json:"repaired_on,omitempty"`
	RepairDecision string  `json:"repair_decision,omitempty"`
	Status         string  `json:"status"` // listed | repaired | expired (derived)
}

// ListingInput is a listing decision.
type ListingInput struct {
	Reason     string `json:"reason"`
	Basis      string `json:"basis"` // 列入依据 (办法 article and the punishment decision)
	DecisionNo string `json:"decision_no"`
	ListedOn   string `json:"listed_on"`
}

func addYears(day string, y, m int) string {
	t, _ := time.Parse("2006-01-02", day)
	return t.AddDate(y, m, 0).Format("2006-01-02")
}

// AddToBlacklist lists an enterprise for three years from the decision
// date. The listing authority is the actor's unit (the department that made
// the punishment decision). The enterprise's class follows.
func (s *Service) AddToBlacklist(ctx context.Context, a *org.Actor, id int64, in ListingInput) (int64, error) {
	e, err := s.checkListing(ctx, a, id, &in)
	if err != nil {
		return 0, err
	}
	var lid int64
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		lid, err = s.list(ctx, tx, a, e, in)
		return err
	})
	return lid, err
}

// ListInTx lists an enterprise inside the caller's transaction: the
// enforcement mechanism's confirmed proposal (a decision of a kind the
// blacklist rules name) lists it in the step that confirms.
func (s *Service) ListInTx(ctx context.Context, tx *store.Tx, a *org.Actor, id int64, in ListingInput) (int64, error) {
	e, err := s.checkListing(ctx, a, id, &in)
	if err != nil {
		return 0, err
	}
	return s.list(ctx, tx, a, e, in)
}

// checkListing checks the actor's right, the form's fields (every one at
// once, issue 16.2) and then the enterprise in the actor's scope.
func (s *Service) checkListing(ctx context.Context, a *org.Actor, id int64, in *ListingInput) (Enterprise, error) {
	if err := a.Require(org.PermEntCredit); err != nil {
		return Enterprise{}, err
	}
	in.Reason, in.Basis, in.DecisionNo = strings.TrimSpace(in.Reason), strings.TrimSpace(in.Basis), strings.TrimSpace(in.DecisionNo)
	var c apperr.Checks
	c.If(in.Reason == "", "reason", "请写明列入事由 (如 发生较大生产安全责任事故)")
	c.If(in.Basis == "", "basis", "请写明列入依据 (办法条款和处罚决定)")
	if err := c.Take(apperr.Lengths(text("reason", "列入事由", in.Reason), text("basis", "列入依据", in.Basis),
		text("decision_no", "处罚决定书文号", in.DecisionNo))); err != nil {
		return Enterprise{}, err
	}
	listed, err := ParseDate(in.ListedOn)
	if err != nil {
		c.Add("listed_on", "列入日期"+err.Error())
	} else if listed > s.today() {
		c.Add("listed_on", "列入日期不能晚于今天")
	}
	if err := c.Err(); err != nil {
		return Enterprise{}, err
	}
	in.ListedOn = listed
	return s.Get(ctx, a, id)
}

// list stores a checked listing in tx and reclassifies the enterprise.
func (s *Service) list(ctx context.Context, tx *store.Tx, a *org.Actor, e Enterprise, in ListingInput) (int64, error) {
	now := s.clock.Now()
	id, listed := e.UnitID, in.ListedOn
	var open int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM credit_listings WHERE unit_id = ? AND repaired_on IS NULL AND ends_on > ?`, id, s.today()).Scan(&open); err != nil {
		return 0, err
	}
	if open > 0 {
		return 0, apperr.New(apperr.Conflict, "该企业已在严重失信主体名单中")
	}
	lid, err := tx.InsertID(ctx, `INSERT INTO credit_listings (unit_id, reason, basis, authority_id, decision_no, listed_on, ends_on, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, in.Reason, in.Basis, a.Unit.ID, in.DecisionNo, listed, addYears(listed, 3, 0), now, a.UserID)
	if err != nil {
		return 0, err
	}
	if err := s.reclass(ctx, tx, &e); err != nil {
		return 0, err
	}
	return lid, appendAudit(ctx, tx, now, a, "enterprise.credit.list", e, map[string]any{"listing": lid, "reason": in.Reason,
		"basis": in.Basis, "listed_on": listed, "ends_on": addYears(listed, 3, 0)})
}

// RepairCredit records the listing authority's 信用修复 decision, allowed
// 12 months after listing.
func (s *Service) RepairCredit(ctx context.Context, a *org.Actor, listingID int64, decision string) error {
	if err := a.Require(org.PermEntCredit); err != nil {
		return err
	}
	decision = strings.TrimSpace(decision)
	if decision == "" {
		return apperr.Field("decision", "请填写信用修复决定 (整改情况和决定文号)")
	}
	if err := apperr.Lengths(text("decision", "信用修复决定", decision)); err != nil {
		return err
	}
	now := s.clock.Now()
	today := s.today()
	var e Enterprise
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var unit, authority int64
		var listed string
		var repaired *string
		err := tx.QueryRow(ctx, "SELECT unit_id, authority_id, listed_on, repaired_on FROM credit_listings WHERE id = ?", listingID).
			Scan(&unit, &authority, &listed, &repaired)
		if store.NoRows(err) {
			return apperr.New(apperr.NotFound, "名单记录不存在")
		}
		if err != nil {
			return err
		}
		if authority != a.Unit.ID {
			return apperr.New(apperr.Forbidden, "信用修复由列入单位决定")
		}
		if repaired != nil {
			return apperr.New(apperr.Conflict, "已于 "+*repaired+" 完成信用修复")
		}
		if from := addYears(listed, 0, 12); today < from {
			return apperr.New(apperr.Conflict, "列入满12个月 ("+from+" 起) 方可信用修复")
		}
		if e, err = getTx(ctx, tx, today, unit); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE credit_listings SET repaired_on = ?, repair_decision = ? WHERE id = ?", today, decision, listingID); err != nil {
			return err
		}
		if err := s.reclass(ctx, tx, &e); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, "enterprise.credit.repair", e, map[string]any{"listing": listingID, "decision": decision})
	})
}

// ListCredit lists an enterprise's listings, newest first.
func (s *Service) ListCredit(ctx context.Context, a *org.Actor, id int64) ([]Listing, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	today := s.today()
	rows, err := s.db.Query(ctx, `SELECT c.id, c.unit_id, c.reason, c.basis, c.authority_id, u.name, c.decision_no, c.listed_on, c.ends_on,
		c.repaired_on, c.repair_decision, CASE WHEN c.repaired_on IS NOT NULL THEN 'repaired' WHEN c.ends_on <= ? THEN 'expired' ELSE 'listed' END
		FROM credit_listings c JOIN `+org.UnitsView+` u ON u.id = c.authority_id WHERE c.unit_id = ? ORDER BY c.id DESC`, today, id)
	return store.Collect(rows, err, func(r store.Scanner) (Listing, error) {
		var l Listing
		err := r.Scan(&l.ID, &l.UnitID, &l.Reason, &l.Basis, &l.AuthorityID, &l.Authority, &l.DecisionNo, &l.ListedOn, &l.EndsOn,
			&l.RepairedOn, &l.RepairDecision, &l.Status)
		l.RepairFrom = addYears(l.ListedOn, 0, 12)
		return l, err
	})
}

// Flags are what other mechanisms check before acting on an enterprise
// (联合惩戒: more frequent inspection, no honours, procurement limits).
type Flags struct {
	Blacklisted bool   `json:"blacklisted"`
	Until       string `json:"until,omitempty"`
	Class       string `json:"class"`
	Inspections int    `json:"inspections_per_year"`
	Basis       string `json:"basis"`
}

// FlagsOf returns an enterprise's joint-punishment flags and class. It is
// the system's view (no actor): mechanisms call it for enterprises they
// already hold in scope.
func (s *Service) FlagsOf(ctx context.Context, id int64) (Flags, error) {
	today := s.today()
	f := Flags{Basis: CreditBasis}
	err := s.db.QueryRow(ctx, `SELECT e.class, COALESCE((SELECT MAX(c.ends_on) FROM credit_listings c WHERE c.unit_id = e.unit_id
		AND c.repaired_on IS NULL AND c.listed_on <= ? AND c.ends_on > ?), '') FROM enterprises e WHERE e.unit_id = ?`, today, today, id).
		Scan(&f.Class, &f.Until)
	if store.NoRows(err) {
		return f, apperr.New(apperr.NotFound, "企业不存在")
	}
	f.Blacklisted = f.Until != ""
	r, rerr := s.ClassRule(ctx)
	if rerr == nil {
		for _, b := range r.Classes {
			if b.Class == f.Class {
				f.Inspections = b.Inspections
			}
		}
	}
	return f, firstErr(err, rerr)
}
