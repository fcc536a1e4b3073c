package hazard

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/docs"
	"anwei/internal/enterprise"
	"anwei/internal/inbox"
	"anwei/internal/numbering"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// ListingNumbers is the series of 督办通知书文号, <代字>〔<year>〕<n>号: a 文号,
// numbered without gaps per listing office, 代字 and year (GB/T 9704-2012
// §7.2.4: the 发文顺序号 runs under its 代字), so an office that writes
// under two 代字 leaves no gap in either (DocNumberScope).
var ListingNumbers = numbering.Declare(numbering.Series{Name: "hazard.listing", Per: "office/代字", GapFree: true})

// DocNumberScope is the scope of ListingNumbers: the office and its 代字.
func DocNumberScope(officeID int64, mark string) string { return numbering.ID(officeID) + "/" + mark }

// Tiers of 挂牌督办, by the listing office's region.
var tierNames = map[string]string{"province": "省级", "city": "市级", "county": "县级"}

// TierOf is the listing tier of an office's region code (2 digits a
// province, 4 a city, 6 a county), or "" below the county.
func TierOf(region string) string {
	return map[int]string{2: "province", 4: "city", 6: "county"}[len(region)]
}

// TierName is the tier in Chinese (市级).
func TierName(t string) string { return tierNames[t] }

// Listing is one 挂牌督办 of a major hazard, with the hazard it lists.
type Listing struct {
	ID          int64      `json:"id"`
	HazardID    int64      `json:"hazard_id"`
	OfficeID    int64      `json:"office_id"`
	Office      string     `json:"office"`
	Tier        string     `json:"tier"`
	DocNumber   string     `json:"doc_number"`
	Deadline    string     `json:"deadline"`
	Requirement string     `json:"requirement"`
	ListedAt    time.Time  `json:"listed_at"`
	LiftedAt    *time.Time `json:"lifted_at,omitempty"`
	Hazard      Hazard     `json:"hazard"`
	// For the 督办通知书 (GetListing fills them): 抄送 the street of the
	// hazard's place and the departments that supervise the enterprise; the
	// official who listed it as 联系人 with the phone.
	CopyTo  []string `json:"copy_to,omitempty"`
	Contact string   `json:"contact,omitempty"`
	Phone   string   `json:"phone,omitempty"`
}

// ListingInput is what the office decides when it lists a hazard.
type ListingInput struct {
	Deadline    string `json:"deadline"`    // 整改期限 under supervision: YYYY-MM-DD
	Requirement string `json:"requirement"` // 督办要求
	DocPrefix   string `json:"doc_prefix"`  // 文号前缀, default from the region (天安办)
}

// DefaultRequirement is the 督办要求 printed unless the office writes its own.
const DefaultRequirement = "请企业主要负责人立即组织制定并落实整改方案，做到整改措施、责任、资金、时限和预案“五到位”；" +
	"属地和行业主管部门加强跟踪督导，整改完成后书面报告，经复查合格后由挂牌督办单位销号。"

// listRefusal is why a may not list h (nil if it may): only the office
// of a province, city or county lists, a hazard of its jurisdiction, judged
// major and still open.
func listRefusal(a *org.Actor, h Hazard) error {
	switch {
	case a.Unit.Kind != org.KindCommitteeOffice || TierOf(a.Unit.Region) == "":
		return apperr.New(apperr.Forbidden, "挂牌督办须由省、市、县级安委会办公室进行")
	case !strings.HasPrefix(h.Region, a.Unit.Region):
		return apperr.New(apperr.Forbidden, "该隐患不在本级辖区内")
	case h.Level != Major:
		return apperr.New(apperr.Conflict, "只有判定为重大事故隐患的才能挂牌督办")
	case !h.State.Open():
		return apperr.New(apperr.Conflict, "隐患已销号，不能挂牌督办")
	}
	return nil
}

// MayList reports whether a may list h now, given its listings so far (for
// the page's form; AddListing checks again): a holder of hazard.list that
// AddListing would not refuse, whose office has not listed it yet.
func MayList(a *org.Actor, h Hazard, listings []Listing) bool {
	if !a.Can(org.PermHazardList) || listRefusal(a, h) != nil {
		return false
	}
	for _, l := range listings {
		if l.OfficeID == a.Unit.ID {
			return false
		}
	}
	return true
}

// AddListing lists a major hazard for supervision (挂牌督办) at the level of
// the actor's office: the office must be a 安委会办公室 of a province, city
// or county whose region holds the hazard. The listing deadline becomes the
// hazard's deadline, the office becomes the one that closes it, and the
// enterprise, the assigning unit and the supervising departments are told.
func (s *Service) AddListing(ctx context.Context, a *org.Actor, hazardID int64, in ListingInput) (Listing, error) {
	if err := a.Require(org.PermHazardList); err != nil {
		return Listing{}, err
	}
	h, err := s.Get(ctx, a, hazardID)
	if err != nil {
		return Listing{}, err
	}
	tier := TierOf(a.Unit.Region)
	if err := listRefusal(a, h); err != nil {
		return Listing{}, err
	}
	today := s.today()
	var c apperr.Checks // every field at once (issue 16.2), in the form's order
	if _, err := time.Parse("2006-01-02", in.Deadline); err != nil {
		c.Add("deadline", "请填写督办整改期限 (年-月-日)")
	} else if in.Deadline <= today {
		c.Add("deadline", "督办整改期限应在今天 ("+today+") 之后")
	}
	req := strings.TrimSpace(in.Requirement)
	if req == "" {
		req = DefaultRequirement
	}
	prefix := strings.TrimSpace(in.DocPrefix)
	if prefix == "" {
		prefix = org.DocPrefix(a.Unit.Region)
	}
	if err := c.Take(apperr.Lengths(text("requirement", "督办要求", req), text("doc_prefix", "文号前缀", prefix))); err != nil {
		return Listing{}, err
	}
	if err := c.Err(); err != nil {
		return Listing{}, err
	}
	now := s.clock.Now()
	year := calendar.Local(now).Year()
	depts, err := s.ents.SupervisingDepts(ctx, []int64{h.UnitID})
	if err != nil {
		return Listing{}, err
	}
	l := Listing{HazardID: h.ID, OfficeID: a.Unit.ID, Office: a.Unit.Name, Tier: tier, Deadline: in.Deadline, Requirement: req, ListedAt: now, Hazard: h}
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		var dup int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM hazard_listings WHERE hazard_id = ? AND office_id = ?", h.ID, a.Unit.ID).Scan(&dup); err != nil {
			return err
		}
		if dup > 0 {
			return apperr.New(apperr.Conflict, "本级已对该隐患挂牌督办")
		}
		mark := prefix + "督"
		n, err := numbering.NextNumber(ctx, tx, ListingNumbers, DocNumberScope(a.Unit.ID, mark), year)
		if err != nil {
			return err
		}
		l.DocNumber = numbering.DocNumber(mark, year, n)
		if err := l.Letter().Check(); err != nil {
			return err // the 文号 goes back with the transaction
		}
		l.ID, err = tx.InsertID(ctx, `INSERT INTO hazard_listings (hazard_id, office_id, office_region, tier, doc_number, deadline, requirement, listed_at, listed_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, h.ID, a.Unit.ID, a.Unit.Region, tier, l.DocNumber, l.Deadline, req, now, a.UserID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE hazards SET deadline = ?, escalated_at = NULL, updated_at = ? WHERE id = ?", l.Deadline, now, h.ID); err != nil {
			return err
		}
		// The enterprise's 待整改 is due by the listing's deadline now.
		if err := inbox.Redue(ctx, tx, occasion(h.ID, "rectify"), l.Deadline); err != nil {
			return err
		}
		if err := doneOverdue(ctx, tx, now, h.ID); err != nil {
			return err
		}
		note := fmt.Sprintf("%s挂牌督办 %s，限 %s 前整改", TierName(tier), l.DocNumber, l.Deadline)
		if err := history(ctx, tx, now, a, h.ID, "list", h.State, h.State, note); err != nil {
			return err
		}
		told := map[int64]bool{a.Unit.ID: true}
		for _, u := range append([]int64{h.UnitID, h.AssignedBy}, depts[h.UnitID]...) {
			if u == 0 || told[u] {
				continue
			}
			told[u] = true
			if err := inbox.Send(ctx, tx, now, u, "hazard.listed", fmt.Sprintf("重大事故隐患 %s 被%s挂牌督办，限 %s 前整改", h.Number, TierName(tier), l.Deadline),
				fmt.Sprintf("/hazards/%d", h.ID), fmt.Sprintf("hazard.listed:%d", l.ID)); err != nil {
				return err
			}
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "hazard.list", ObjectKind: "hazard", ObjectID: fmt.Sprint(h.ID),
			Region: h.Region, Before: map[string]any{"deadline": h.Deadline}, After: map[string]any{"listing": l.ID, "doc_number": l.DocNumber,
				"tier": tier, "deadline": l.Deadline, "requirement": req}})
		return err
	})
	return l, err
}

// ListingFilter narrows the 挂牌督办 list.
type ListingFilter struct {
	Mine   bool // listed by the actor's office
	Active bool // not yet lifted
	paging.Page
}

const listingCols = `l.id, l.hazard_id, l.office_id, o.name, l.tier, l.doc_number, l.deadline, l.requirement, l.listed_at, l.lifted_at, `

// Listings lists the 挂牌督办 of hazards the actor may see: an office sees
// what it listed and what higher levels listed in its region.
func (s *Service) Listings(ctx context.Context, a *org.Actor, f ListingFilter) ([]Listing, int, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return nil, 0, err
	}
	w, args := scopeWhere(a)
	if f.Mine {
		w += " AND l.office_id = ?"
		args = append(args, a.Unit.ID)
	}
	if f.Active {
		w += " AND l.lifted_at IS NULL"
	}
	from := " FROM hazard_listings l JOIN hazards h ON h.id = l.hazard_id JOIN " + enterprise.NamesView + " e ON e.unit_id = h.unit_id JOIN " +
		org.UnitsView + " o ON o.id = l.office_id WHERE "
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*)"+from+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, "SELECT "+listingCols+hazardCols+from+w+" ORDER BY l.id DESC LIMIT ? OFFSET ?", append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, s.scanListing)
	return out, total, err
}

// GetListing returns one listing of a hazard the actor may see.
func (s *Service) GetListing(ctx context.Context, a *org.Actor, id int64) (Listing, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return Listing{}, err
	}
	w, args := scopeWhere(a)
	l, err := s.scanListing(s.db.QueryRow(ctx, "SELECT "+listingCols+hazardCols+` FROM hazard_listings l JOIN hazards h ON h.id = l.hazard_id
		JOIN `+enterprise.NamesView+` e ON e.unit_id = h.unit_id JOIN `+org.UnitsView+` o ON o.id = l.office_id WHERE l.id = ? AND `+w, append([]any{id}, args...)...))
	if store.NoRows(err) {
		return l, apperr.New(apperr.NotFound, "挂牌督办记录不存在或不在您的管辖范围内")
	}
	if err != nil {
		return l, err
	}
	return l, s.letterParties(ctx, &l)
}

// letterParties fills what the 督办通知书 prints besides the listing: 抄送
// the street (乡镇) of the hazard's place and the departments supervising
// the enterprise, and the listing official as 联系人 with the phone.
func (s *Service) letterParties(ctx context.Context, l *Listing) error {
	rows, err := s.db.Query(ctx, `SELECT u.name FROM `+org.UnitsView+` u WHERE u.kind = ? AND u.region_code = ? AND u.active
		UNION ALL SELECT d.name FROM `+org.SupervisionsView+` sv JOIN `+org.UnitsView+` d ON d.id = sv.dept_id WHERE sv.enterprise_id = ? AND d.id <> ?`,
		string(org.KindStreet), streetOf(l.Hazard.Region), l.Hazard.UnitID, l.OfficeID)
	names, err := store.Collect(rows, err, func(r store.Scanner) (string, error) {
		var n string
		return n, r.Scan(&n)
	})
	if err != nil {
		return err
	}
	for _, n := range names {
		if !slices.Contains(l.CopyTo, n) {
			l.CopyTo = append(l.CopyTo, n)
		}
	}
	err = s.db.QueryRow(ctx, `SELECT us.display_name, us.phone FROM hazard_listings l JOIN `+org.UsersView+` us ON us.id = l.listed_by WHERE l.id = ?`, l.ID).
		Scan(&l.Contact, &l.Phone)
	if store.NoRows(err) {
		err = nil
	}
	return err
}

// ListingsOf returns the listings of one hazard, highest level first.
func (s *Service) ListingsOf(ctx context.Context, a *org.Actor, hazardID int64) ([]Listing, error) {
	h, err := s.Get(ctx, a, hazardID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT l.id, l.office_id, o.name, l.tier, l.doc_number, l.deadline, l.requirement, l.listed_at, l.lifted_at
		FROM hazard_listings l JOIN `+org.UnitsView+` o ON o.id = l.office_id WHERE l.hazard_id = ? ORDER BY length(l.office_region), l.id`, hazardID)
	return store.Collect(rows, err, func(r store.Scanner) (Listing, error) {
		l := Listing{HazardID: hazardID, Hazard: h}
		err := r.Scan(&l.ID, &l.OfficeID, &l.Office, &l.Tier, &l.DocNumber, &l.Deadline, &l.Requirement, &l.ListedAt, &l.LiftedAt)
		return l, err
	})
}

func (s *Service) scanListing(r interface{ Scan(...any) error }) (Listing, error) {
	var l Listing
	var st string
	var closed *time.Time
	h := &l.Hazard
	err := r.Scan(&l.ID, &l.HazardID, &l.OfficeID, &l.Office, &l.Tier, &l.DocNumber, &l.Deadline, &l.Requirement, &l.ListedAt, &l.LiftedAt,
		&h.ID, &h.Number, &h.UnitID, &h.Enterprise, &h.Region, &h.Place, &h.Description, &h.Source, &h.Level, &h.Criterion,
		&h.Reasoning, &h.Measures, &h.Responsible, &h.Funds, &h.Deadline, &h.Writ, &st, &h.AssignedBy, &h.ListedBy, &h.CreatedAt, &h.UpdatedAt, &closed, &h.RegionName)
	h.State, h.ClosedAt = State(st), closed
	h.Overdue = Overdue(h.State, h.Deadline, s.today())
	h.Handling = HandlingOf(*h)
	h.nameCodes()
	return l, err
}

// Letter is the 督办通知书 of a listing, addressed to the enterprise.
func (l Listing) Letter() docs.Letter {
	h := l.Hazard
	basis := "经判定为重大事故隐患"
	if c := CriterionText(h.Criterion); c != "" {
		basis = "依据" + c + "，判定为重大事故隐患"
	} else if h.Reasoning != "" {
		basis = "经专家判定（" + h.Reasoning + "），为重大事故隐患"
	}
	return docs.Letter{
		Issuer: l.Office, DocNumber: l.DocNumber, Title: "重大事故隐患挂牌督办通知书", Addressee: h.Enterprise,
		Body: []string{fmt.Sprintf("你单位%s存在“%s”（隐患编号%s），%s。根据《中华人民共和国安全生产法》第四十一条和本级重大事故隐患挂牌督办有关规定，"+
			"决定对该隐患实行%s挂牌督办。", h.Place, h.Description, h.Number, basis, TierName(l.Tier))},
		Items: []string{
			"整改期限：" + docs.ChineseDate(l.Deadline) + "前完成整改。",
			"督办要求：" + l.Requirement,
			"整改完成后，向" + l.Office + "提交整改报告，经复查合格后销号；逾期未完成的，依法从重处理。",
		},
		Signature: l.Office, Date: docs.ChineseDate(calendar.Local(l.ListedAt).Format("2006-01-02")),
		CopyTo: l.CopyTo, PrintedBy: l.Office, PrintedDate: docs.ChineseDate(calendar.Local(l.ListedAt).Format("2006-01-02")),
		Contact: l.Contact, Phone: l.Phone,
	}
}

// streetOf is the street office's region code of a place: its first nine
// digits (a community's twelve-digit code is below its street's).
func streetOf(region string) string {
	if len(region) > 9 {
		return region[:9]
	}
	return region
}
