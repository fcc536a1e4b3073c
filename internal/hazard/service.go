package hazard

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/codes"
	"anwei/internal/enterprise"
	"anwei/internal/files"
	"anwei/internal/numbering"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// Sources of a hazard.
var Sources = []codes.Choice{{Key: "self", Name: "企业自查"}, {Key: "inspection", Name: "执法检查"}, {Key: "third_party", Name: "第三方"},
	{Key: "tip", Name: "举报"}, {Key: "grid", Name: "网格巡查"}, {Key: "covert", Name: "明查暗访"}, {Key: "supervision", Name: "督导检查"}}

// Numbers is the series of 隐患编号, YH<county>-<year>-<n> (YH370105-2026-000123):
// per county (the first six digits of the enterprise's region) and year. A
// record number, so it may have gaps.
var Numbers = numbering.Declare(numbering.Series{Name: "hazard", Per: "county"})

// Hazard is one record with its derived overdue flag.
type Hazard struct {
	ID          int64      `json:"id"`
	Number      string     `json:"number"`
	UnitID      int64      `json:"enterprise_id"`
	Enterprise  string     `json:"enterprise"`
	Region      string     `json:"region_code"`
	Place       string     `json:"place"`
	Description string     `json:"description"`
	Source      string     `json:"source"`
	Level       string     `json:"level"`
	Criterion   string     `json:"criterion"`
	Reasoning   string     `json:"reasoning"`
	Measures    string     `json:"measures"`
	Responsible string     `json:"responsible"`
	Funds       float64    `json:"funds"`
	Deadline    string     `json:"deadline"`
	Writ        string     `json:"writ"`
	State       State      `json:"state"`
	AssignedBy  int64      `json:"assigned_by,omitempty"`
	ListedBy    int64      `json:"listed_by,omitempty"` // the office of its highest active 挂牌督办
	Handling    string     `json:"handling"`            // fix 即查即改 | self 企业自行整改 | department (HandlingOf)
	Overdue     bool       `json:"overdue"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	ClosedAt    *time.Time `json:"closed_at,omitempty"`
	// The words beside the codes (issue 16.3), filled when read.
	RegionName   string `json:"region_name,omitempty"`
	StateName    string `json:"state_name,omitempty"`
	LevelName    string `json:"level_name,omitempty"`
	SourceName   string `json:"source_name,omitempty"`
	HandlingName string `json:"handling_name,omitempty"`
	// The enterprise's street, trade and supervising departments, filled
	// by the listings (List, Ledger) for the columns officials expect
	// (issue 16.4).
	enterprise.Oversight
}

// Closer is the unit that reviews and closes the hazard: the office of its
// highest listing, else the unit that assigned it.
func (h Hazard) Closer() int64 {
	if h.ListedBy != 0 {
		return h.ListedBy
	}
	return h.AssignedBy
}

// ReportInput is a hazard as reported.
type ReportInput struct {
	// EnterpriseID is the enterprise the hazard is in; an enterprise user
	// that gives none reports about itself (enterprise.Subject).
	EnterpriseID int64 `json:"enterprise_id"`
	// EnterpriseName is what a government user typed instead of an id on
	// the page's form (a name or credit code, enterprise.Find); the API
	// takes the id.
	EnterpriseName string  `json:"-"`
	Place          string  `json:"place"`
	Description    string  `json:"description"`
	Source         string  `json:"source"`
	Measures       string  `json:"measures"`
	Responsible    string  `json:"responsible"`
	Funds          float64 `json:"funds"`
	// Photos of the hazard as found (at most 10): JPEG, PNG or WebP by
	// their bytes.
	Photos []files.Upload `json:"-"`
	// Handling is how an enterprise handles a hazard it found itself
	// (self.go): "fix" 即查即改 (Measures and AfterPhotos required, closed
	// at once), "self" 自行整改 (Deadline, Responsible and Measures
	// required), "" or "department" 上报部门.
	Handling string `json:"handling,omitempty"`
	Deadline string `json:"deadline,omitempty"` // self: YYYY-MM-DD, after today
	// AfterPhotos are the photos after a fix (at most 10).
	AfterPhotos []files.Upload `json:"-"`
}

// Service is the hazard mechanism's use cases. It reads enterprises through
// the registry's service and its read view (enterprise.NamesView), never
// its tables.
type Service struct {
	db    *store.DB
	clock calendar.Clock
	ents  *enterprise.Service
	files *files.Store // photos and rectification reports
}

// NewService returns the hazard service. It binds itself to the registry's
// hooks: its open major hazards are a class input (企业分类分级) and its open
// hazards follow an enterprise that moves.
func NewService(db *store.DB, clock calendar.Clock, ents *enterprise.Service, fs *files.Store, hooks *enterprise.Hooks) *Service {
	s := &Service{db: db, clock: clock, ents: ents, files: fs}
	hooks.Feed(enterprise.OpenMajorHazards, s.OpenMajorHazards)
	hooks.Follow(s)
	return s
}

func (s *Service) today() string { return calendar.Local(s.clock.Now()).Format("2006-01-02") }

// Report records a hazard: an enterprise reports its own (source 企业自查);
// a government user reports one found in an enterprise it may see.
func (s *Service) Report(ctx context.Context, a *org.Actor, in ReportInput) (Hazard, error) {
	if err := a.Require(org.PermHazardReport); err != nil {
		return Hazard{}, err
	}
	// What the form says is checked first, every field at once (issue
	// 16.2: an empty report was answered 企业不存在), then the enterprise.
	id := enterprise.Subject(a, in.EnterpriseID)
	if id == a.Unit.ID {
		in.Source = "self"
	}
	h := Hazard{Place: strings.TrimSpace(in.Place), Description: strings.TrimSpace(in.Description), Source: in.Source,
		Measures: strings.TrimSpace(in.Measures), Responsible: strings.TrimSpace(in.Responsible), Funds: in.Funds, State: Reported}
	var c apperr.Checks
	c.If(id == 0 && strings.TrimSpace(in.EnterpriseName) == "", "enterprise_id", "请选择隐患所在的企业")
	c.If(h.Place == "", "place", "请填写隐患部位 (如 液氯储罐区)")
	c.If(h.Description == "", "description", "请描述隐患情况")
	c.If(codes.NameOf(Sources, h.Source) == h.Source, "source", "请选择隐患来源")
	c.If(h.Funds < 0, "funds", "整改资金不能为负数")
	if err := c.Take(apperr.Lengths(text("place", "隐患部位", h.Place), text("description", "隐患描述", h.Description),
		text("measures", "整改措施", h.Measures), text("responsible", "整改责任人", h.Responsible))); err != nil {
		return h, err
	}
	// The enterprise's own handling (即查即改, 自行整改) is part of the same
	// form: its fields are told with the others.
	ownSt, err := ownStep(a, id, in, s.today())
	if err := c.Take(err); err != nil {
		return h, err
	}
	if err := c.Err(); err != nil {
		return h, err
	}
	if id == 0 {
		if id, err = s.ents.Find(ctx, a, in.EnterpriseName); err != nil {
			return h, err
		}
	}
	e, err := s.ents.Ref(ctx, a, id)
	if err != nil {
		return h, err
	}
	h.UnitID, h.Enterprise, h.Region = e.UnitID, e.Name, e.RegionCode
	photos, err := s.files.PutPhotos(in.Photos, 10)
	if err != nil {
		return h, err
	}
	after, err := s.putAfter(ownSt)
	if err != nil {
		return h, err
	}
	now := s.clock.Now()
	h.CreatedAt, h.UpdatedAt = now, now
	err = s.db.TxGroup(ctx, func(tx *store.Tx) error {
		county := h.Region
		if len(county) > 6 {
			county = county[:6]
		}
		year := calendar.Local(now).Year()
		n, err := numbering.NextNumber(ctx, tx, Numbers, county, year)
		if err != nil {
			return err
		}
		h.Number = fmt.Sprintf("YH%s-%d-%06d", county, year, n)
		h.ID, err = tx.AddID(ctx, reportRows, h.Number, h.UnitID, h.Region, h.Place, h.Description, h.Source, h.Measures,
			h.Responsible, h.Funds, string(Reported), now, a.UserID, now)
		if err != nil {
			return err
		}
		if err := history(ctx, tx, now, a, h.ID, "report", "", Reported, h.Description); err != nil {
			return err
		}
		if err := addPhotos(ctx, tx, now, a, h.ID, StageReport, photos); err != nil {
			return err
		}
		if err := tally(ctx, tx, h, countsOf("", true), time.Time{}); err != nil {
			return err
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "hazard.report", ObjectKind: "hazard", ObjectID: strconv.FormatInt(h.ID, 10),
			Region: h.Region, After: reported{h.Number, h.UnitID, h.Place, h.Description, h.Source, h.Measures, h.Responsible, h.Funds, len(photos)}})
		if err == nil && ownSt != nil {
			err = s.own(ctx, tx, now, a, &h, *ownSt, after)
		}
		if err == nil { // after the owner's own step: a hazard fixed at once or rectified by the enterprise waits for nobody
			err = tellReport(ctx, tx, now, a, h)
		}
		return err
	})
	h.Handling = HandlingOf(h)
	h.nameCodes()
	return h, err
}

// reportRows are reported hazards, written with the transaction's other
// kept rows (store.Rows): what is checked of them was checked before.
var reportRows = &store.Rows{Table: "hazards",
	Cols: "number, unit_id, region_code, place, description, source, measures, responsible, funds, state, created_at, created_by, updated_at"}

// reported is what the audit log keeps of a report: what the reporter
// gave and the number it got (the id is the event's object, the state is
// 已上报, the times are the event's).
type reported struct {
	Number      string  `json:"number"`
	UnitID      int64   `json:"enterprise_id"`
	Place       string  `json:"place"`
	Description string  `json:"description"`
	Source      string  `json:"source"`
	Measures    string  `json:"measures,omitempty"`
	Responsible string  `json:"responsible,omitempty"`
	Funds       float64 `json:"funds,omitempty"`
	Photos      int     `json:"photos,omitempty"`
}

// Get returns a hazard of an enterprise the actor may see.
func (s *Service) Get(ctx context.Context, a *org.Actor, id int64) (Hazard, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return Hazard{}, err
	}
	w, args := scopeWhere(a)
	h, err := scanHazard(s.db.QueryRow(ctx, "SELECT "+hazardCols+hazardFrom+"WHERE h.id = ? AND "+w,
		append([]any{id}, args...)...), s.today())
	if store.NoRows(err) {
		return h, apperr.New(apperr.NotFound, "隐患不存在或不在您的管辖范围内")
	}
	return h, err
}

// Filter narrows a hazard listing.
type Filter struct {
	EnterpriseID int64
	State        State
	Level        string
	Open         bool
	Overdue      bool
	Source       string
	Listed       bool // with an active 挂牌督办
	Escalated    bool // escalated to the actor's office as overdue
	Q            string
	Handling     string      // fix | self | department (HandlingOf)
	Sort         paging.Sort // a key of Orders; newest first when none (List only: the ledger is in id order)
	// The figures' drill-down (trend.go drillWhere): a street's code, a
	// supervising department, a category, the year or month (2026-03)
	// reported, the month closed.
	Region, Category, Month, ClosedMonth string
	Dept                                 int64
	Year                                 int
	paging.Page
}

// ListCountCap bounds the count of a hazard listing: the pager says "more
// than 10,000" rather than counting a county's millions.
const ListCountCap = 10000

// List lists hazards the actor may see, newest first: an enterprise its
// own, a department those of the enterprises it supervises, a territory
// its region. It counts them for the pager, up to ListCountCap+1.
func (s *Service) List(ctx context.Context, a *org.Actor, f Filter) ([]Hazard, int, error) {
	return s.list(ctx, a, f, 0, true)
}

// list is List, from the hazard before id `before` on (keyset paging, when
// not 0) and counting only when asked.
func (s *Service) list(ctx context.Context, a *org.Actor, f Filter, before int64, count bool) ([]Hazard, int, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return nil, 0, err
	}
	order, err := Orders.By(f.Sort, "h.id DESC", "h.id")
	if err != nil {
		return nil, 0, apperr.Field("sort", err.Error())
	}
	today := s.today()
	w, args := scopeWhere(a)
	add := func(q string, v ...any) { w += " AND " + q; args = append(args, v...) }
	if f.EnterpriseID != 0 {
		add("h.unit_id = ?", f.EnterpriseID)
	}
	if f.State != "" {
		add("h.state = ?", string(f.State))
	}
	if f.Level != "" {
		add("h.level = ?", f.Level)
	}
	if f.Open || f.Overdue {
		add("h.state <> 'closed'")
	}
	if f.Overdue {
		add("h.deadline <> '' AND h.deadline < ?", today)
	}
	if f.Source != "" {
		add("h.source = ?", f.Source)
	}
	if f.Listed {
		add("h.id IN (SELECT hazard_id FROM hazard_listings WHERE lifted_at IS NULL)")
	}
	if f.Escalated {
		add("h.id IN (SELECT hazard_id FROM hazard_escalations WHERE office_id = ?)", a.Unit.ID)
	}
	if c, ok := handlingWhere(f.Handling); ok {
		add(c)
	}
	if err := drillWhere(f, add); err != nil {
		return nil, 0, err
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := store.LikeContains(q)
		add(`(h.number LIKE ? ESCAPE '\' OR h.place LIKE ? ESCAPE '\' OR h.description LIKE ? ESCAPE '\')`, like, like, like)
	}
	// A territory sees a large share of all hazards: walking them newest
	// first until the page is full beats gathering every one its scope's
	// OR matches through the indexes and sorting them, which SQLite's
	// planner would choose (seconds at millions). A county or more is
	// counted the same way, a street through the indexes; the count stops
	// past ListCountCap. A department walks too when it sees more than
	// that (or reads everything, for the ledger); one that sees few keeps
	// the indexes, which find its few without reading the rest.
	walk := " FROM hazards h NOT INDEXED JOIN " + enterprise.NamesView + " e ON e.unit_id = h.unit_id "
	from, counted := hazardFrom, " FROM hazards h "
	sqlite := s.db.Dialect == store.SQLite && f.EnterpriseID == 0 && !f.Listed && !f.Escalated
	if sqlite && (a.Scope.All || len(a.Scope.Regions) > 0) {
		from = walk
	}
	if sqlite && (a.Scope.All || slices.ContainsFunc(a.Scope.Regions, func(r string) bool { return len(r) <= 6 })) {
		counted = " FROM hazards h NOT INDEXED "
	}
	var total int
	if count {
		if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1"+counted+"WHERE "+w+" LIMIT ?) c",
			append(args, ListCountCap+1)...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	if sqlite && a.Scope.Grantee != 0 && (!count || total > ListCountCap) {
		from = walk
	}
	if before > 0 {
		add("h.id < ?", before)
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, "SELECT "+hazardCols+from+"WHERE "+w+
		" ORDER BY "+order+" LIMIT ? OFFSET ?", append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, func(r store.Scanner) (Hazard, error) { return scanHazard(r, today) })
	if err != nil {
		return nil, 0, err
	}
	return out, total, s.oversee(ctx, out)
}

// side is the actor's side on a hazard.
func side(a *org.Actor, h Hazard) (Side, error) {
	switch {
	case h.Closer() != 0 && a.Unit.ID == h.Closer() && a.Can(org.PermHazardManage):
		return Closer, nil
	case h.Closer() == 0 && h.State == Closed && a.Unit.ID != h.UnitID && a.Can(org.PermHazardManage):
		// An enterprise's own hazard, closed by itself: a department that
		// finds it not fixed reopens it, and reviews it from then on.
		return Closer, nil
	case a.Unit.ID == h.UnitID && a.Can(org.PermHazardReport) && owns(h):
		return Owner, nil
	case a.Unit.ID == h.UnitID && a.Can(org.PermHazardReport):
		return Enterprise, nil
	case a.Can(org.PermHazardManage):
		return Government, nil
	}
	return "", apperr.New(apperr.Forbidden, "没有处理该隐患的权限")
}

// Allowed lists the steps the actor may take on h now (for the page's
// buttons; Act checks again).
func Allowed(a *org.Actor, h Hazard) []Action {
	sd, err := side(a, h)
	if err != nil {
		return nil
	}
	return Steps(h.State, sd)
}

// Act takes one lifecycle step on a hazard, checked by Next, with its
// history row, photos, counts and audit event in one transaction. Assigning
// makes the actor's unit the one that reviews and closes it, unless an
// office has listed it; closing lifts its listings and reopening restores
// them.
func (s *Service) Act(ctx context.Context, a *org.Actor, id int64, st Step) (Hazard, error) {
	h, err := s.Get(ctx, a, id)
	if err != nil {
		return h, err
	}
	st.Side, err = side(a, h)
	if err != nil {
		return h, err
	}
	st.Today = s.today()
	var c apperr.Checks // the step's own faults and its lengths, at once
	to, err := Next(h.State, st)
	if err := c.Take(err); err != nil {
		return h, err
	}
	if err := c.Take(apperr.Lengths(text("reasoning", "判定理由", st.Reasoning), text("writ", "文号", st.Writ),
		text("evidence", "整改情况", st.Evidence), text("reason", "理由", st.Reason))); err != nil {
		return h, err
	}
	if err := c.Err(); err != nil {
		return h, err
	}
	var photos []files.Stored
	if st.Action == Submit || st.Action == Accept {
		if photos, err = s.files.PutAll(st.Photos, 10); err != nil {
			return h, err
		}
	}
	before := h
	now := s.clock.Now()
	note := ""
	switch st.Action {
	case Judge:
		h.Level, h.Criterion, h.Reasoning = st.Level, st.Criterion, strings.TrimSpace(st.Reasoning)
		if h.State == SelfRectifying {
			// Taken over: the enterprise's own deadline is not the
			// department's, which sets one when it assigns (until then
			// nothing is overdue or escalated).
			h.Deadline = ""
		}
		note = map[string]string{General: "一般事故隐患", Major: "重大事故隐患"}[st.Level] + " " + CriterionText(h.Criterion) + " " + h.Reasoning
	case Assign:
		h.Deadline, h.Writ, h.AssignedBy = st.Deadline, strings.TrimSpace(st.Writ), a.Unit.ID
		note = h.Writ + "，限 " + h.Deadline + " 前整改"
	case Submit:
		note = strings.TrimSpace(st.Evidence)
	case Accept:
		note = strings.TrimSpace(st.Evidence)
		h.ClosedAt = &now
	case Fail:
		note = strings.TrimSpace(st.Reason)
	case Reopen:
		note = strings.TrimSpace(st.Reason)
		h.ClosedAt = nil
		if h.Closer() == 0 { // the enterprise closed it itself: the reopening unit reviews it now
			h.AssignedBy = a.Unit.ID
		}
	case Pass:
		note = "复查合格，销号"
		if ev := strings.TrimSpace(st.Evidence); ev != "" {
			note = "现场复查合格，销号: " + ev
		}
		h.ClosedAt = &now
	}
	from := h.State
	h.State, h.UpdatedAt = to, now
	err = s.db.TxGroup(ctx, func(tx *store.Tx) error {
		var cur string
		if err := tx.QueryRow(ctx, "SELECT state FROM hazards WHERE id = ?", id).Scan(&cur); err != nil {
			return err
		}
		if State(cur) != from {
			return apperr.New(apperr.Conflict, "隐患状态已被他人更新，请刷新后再试")
		}
		var assigned any
		if h.AssignedBy != 0 {
			assigned = h.AssignedBy
		}
		if _, err := tx.Exec(ctx, `UPDATE hazards SET state = ?, level = ?, criterion = ?, reasoning = ?, deadline = ?, writ = ?, assigned_by = ?,
			updated_at = ? WHERE id = ?`, string(h.State), h.Level, h.Criterion, h.Reasoning, h.Deadline, h.Writ, assigned, now, id); err != nil {
			return err
		}
		if err := s.sideEffects(ctx, tx, now, before, h, st.Action); err != nil {
			return err
		}
		if h.Level == Major && (st.Action == Judge || st.Action == Pass || st.Action == Reopen) {
			if err := s.ents.Reclass(ctx, tx, h.UnitID); err != nil { // open major hazards are a class input
				return err
			}
		}
		if err := history(ctx, tx, now, a, id, string(st.Action), from, to, note); err != nil {
			return err
		}
		if err := tellStep(ctx, tx, now, a, h, from, st.Action, note); err != nil {
			return err
		}
		if err := addPhotos(ctx, tx, now, a, id, StageRectified, photos); err != nil {
			return err
		}
		err := audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "hazard." + string(st.Action), ObjectKind: "hazard",
			ObjectID: fmt.Sprint(id), Region: h.Region, Before: map[string]any{"state": before.State},
			After: map[string]any{"state": to, "note": note, "photos": len(photos)}})
		return err
	})
	h.Handling = HandlingOf(h)
	h.nameCodes()
	return h, err
}

// sideEffects keeps what follows from a step: the counts (level decided,
// closed, reopened), the listings (lifted at closing, restored at
// reopening), the closing time, and a new deadline's escalation mark.
func (s *Service) sideEffects(ctx context.Context, tx *store.Tx, now time.Time, before, h Hazard, act Action) error {
	switch act {
	case Judge:
		if err := opinionsJudged(ctx, tx, now, h); err != nil { // the experts asked are told (opinion.go)
			return err
		}
		return tally(ctx, tx, h, moved(countsOf(before.Level, true), countsOf(h.Level, true)), time.Time{})
	case Assign:
		_, err := tx.Exec(ctx, "UPDATE hazards SET escalated_at = NULL WHERE id = ?", h.ID)
		return err
	case Pass, Accept:
		if err := tally(ctx, tx, h, moved(countsOf(h.Level, true), countsOf(h.Level, false)), now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE hazards SET closed_at = ? WHERE id = ?", now, h.ID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "UPDATE hazard_listings SET lifted_at = ? WHERE hazard_id = ? AND lifted_at IS NULL", now, h.ID)
		return err
	case Reopen:
		var closed *time.Time // the closing undone, as the row has it (the month it was counted in)
		if err := tx.QueryRow(ctx, "SELECT closed_at FROM hazards WHERE id = ?", h.ID).Scan(&closed); err != nil {
			return err
		}
		var at time.Time
		if closed != nil {
			at = *closed
		}
		if err := tally(ctx, tx, h, moved(countsOf(h.Level, false), countsOf(h.Level, true)), at); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE hazard_listings SET lifted_at = NULL
			WHERE hazard_id = ? AND lifted_at >= (SELECT closed_at FROM hazards WHERE id = ?)`, h.ID, h.ID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "UPDATE hazards SET closed_at = NULL WHERE id = ?", h.ID)
		return err
	}
	return nil
}

// Event is a row of a hazard's history.
type Event struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	UnitID int64     `json:"unit_id"`
	Action string    `json:"action"`
	From   State     `json:"from"`
	To     State     `json:"to"`
	Note   string    `json:"note"`
}

// GetHistory returns a hazard's history, oldest first.
func (s *Service) GetHistory(ctx context.Context, a *org.Actor, id int64) ([]Event, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	hist, _, err := s.ledgerDetail(ctx, []int64{id})
	return hist[id], err
}

// WithClock returns the service reading another clock: the demo replays a
// year of hazards at the dates they happened.
func (s *Service) WithClock(c calendar.Clock) *Service {
	cp := *s
	cp.clock = c
	return &cp
}
