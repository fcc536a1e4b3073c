package enterprise

import (
	"context"

	"anwei/internal/apperr"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// Filter narrows the enterprise list.
type Filter struct {
	Q            string // name or credit code, substring
	Region       string // region subtree
	Category     string
	Class        string
	Status       string
	Major        bool        // has a major-hazard installation
	Blacklisted  bool        // listing in force
	DeptID       int64       // supervised by this department
	Unsupervised bool        // 监管盲区: no supervising department
	KeyList      bool        // on the 重点监管企业名单
	Sort         paging.Sort // a key of Orders; newest first when none
	paging.Page
}

// CountCap is the largest total a list counts exactly; a list reports
// CountCap+1 when there are more.
const CountCap = 10000

// keyListed is whether an enterprise is on the 重点监管企业名单: class A
// unless excluded by hand, or included by hand.
const keyListed = `(COALESCE((SELECT k.included FROM key_list_overrides k WHERE k.unit_id = e.unit_id), e.class = 'A'))`

// where renders the filter (with the actor's scope) as SQL.
func (s *Service) where(a *org.Actor, f Filter) (string, []any, error) {
	w, args := a.Scope.UnitsWhere("e.region_code", "e.unit_id")
	add := func(sql string, v ...any) {
		w += " AND " + sql
		args = append(args, v...)
	}
	if f.Q != "" {
		if len([]rune(f.Q)) > 50 {
			return "", nil, apperr.Field("q", "搜索词不能超过 50 字")
		}
		sw, sa := searchWhere(s.db.Dialect, f.Q)
		add(sw, sa...)
	}
	if f.Region != "" {
		lo, hi := regionRange(f.Region)
		add("e.unit_id IN (SELECT r.unit_id FROM enterprises r WHERE r.region_code >= ? AND r.region_code < ?)", lo, hi)
	}
	if f.Category != "" {
		add("e.unit_id IN (SELECT c.unit_id FROM enterprise_categories c WHERE c.category = ?)", f.Category)
	}
	if f.Class != "" {
		add("e.class = ?", f.Class)
	}
	if f.Status != "" {
		add("e.status = ?", f.Status)
	}
	if f.Major {
		add("e.unit_id IN (SELECT m.unit_id FROM enterprises m WHERE m.major_grade <> '')")
	}
	if f.Blacklisted {
		today := s.today()
		add(blacklisted, today, today)
	}
	if f.DeptID != 0 {
		add("e.unit_id IN (SELECT sv.enterprise_id FROM "+org.SupervisionsView+" sv WHERE sv.dept_id = ?)", f.DeptID)
	}
	if f.Unsupervised {
		add("NOT EXISTS (SELECT 1 FROM " + org.SupervisionsView + " sv WHERE sv.enterprise_id = e.unit_id)")
	}
	if f.KeyList {
		add(keyListed + " = TRUE")
	}
	return w, args, nil
}

// List lists the enterprises the actor may see, newest first or in the
// order f.Sort asks for, with their streets and supervising departments.
func (s *Service) List(ctx context.Context, a *org.Actor, f Filter) ([]Enterprise, int, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return nil, 0, err
	}
	newest := "e.unit_id DESC"
	if ftsDriven(s.db.Dialect, f.Q) {
		newest = "f.rowid DESC" // the search index's own order: the page stops at its rows
	}
	order, err := Orders.By(f.Sort, newest, "e.unit_id")
	if err != nil {
		return nil, 0, apperr.Field("sort", err.Error())
	}
	w, args, err := s.where(a, f)
	if err != nil {
		return nil, 0, err
	}
	// The count stops at CountCap: past it a list says "10000+" rather
	// than scan a province's registry on every page.
	from := s.from(a, f)
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+from+" WHERE "+w+" LIMIT ?) c",
		append(args, CountCap+1)...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	today := s.today()
	rows, err := s.db.Query(ctx, "SELECT "+entCols+" FROM "+from+" WHERE "+w+" ORDER BY "+order+" LIMIT ? OFFSET ?",
		append(append([]any{today, today}, args...), pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, scanEnterprise)
	if err != nil {
		return nil, 0, err
	}
	return out, total, s.oversee(ctx, out)
}

// from is the table a listing reads. On SQLite the table is read in id
// order (NOT INDEXED): the scope's region range would otherwise drive a
// lookup of every row in it and a sort, where a scan in order stops at the
// page (or the count cap). Not when a filter has a selective index of its
// own (search, class, region, major installation), nor for a department's
// or an enterprise's scope, a short id list that drives the query itself.
func (s *Service) from(a *org.Actor, f Filter) string {
	if ftsDriven(s.db.Dialect, f.Q) {
		return "enterprise_fts f JOIN enterprises e ON e.unit_id = f.rowid"
	}
	indexed := (len([]rune(f.Q)) >= 3 && !codeFragment(f.Q)) || f.Class != "" || f.Region != "" || f.Major || (!a.Scope.All && len(a.Scope.Regions) == 0)
	if s.db.Dialect != store.Postgres && !indexed {
		return "enterprises e NOT INDEXED"
	}
	return "enterprises e"
}

// eachPage is how many records Each reads at a time.
var eachPage = paging.Max

// Each calls fn for every enterprise matching the filter, in id order, for
// exports (no page limit), with their streets and supervising departments:
// it reads pages of eachPage (paging.Max) by key, and the departments of each page in
// one query.
func (s *Service) Each(ctx context.Context, a *org.Actor, f Filter, fn func(Enterprise) error) error {
	if err := a.Require(org.PermOrgRead); err != nil {
		return err
	}
	w, args, err := s.where(a, f)
	if err != nil {
		return err
	}
	today := s.today()
	for after := int64(0); ; {
		rows, err := s.db.Query(ctx, "SELECT "+entCols+" FROM "+s.from(a, f)+" WHERE "+w+" AND e.unit_id > ? ORDER BY e.unit_id LIMIT ?",
			append(append([]any{today, today}, args...), after, eachPage)...)
		es, err := store.Collect(rows, err, scanEnterprise)
		if err == nil {
			err = s.oversee(ctx, es)
		}
		if err != nil {
			return err
		}
		for _, e := range es {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(es) < eachPage {
			return nil
		}
		after = es[len(es)-1].UnitID
	}
}

// SetKeyList puts an enterprise on the 重点监管企业名单 or takes it off,
// against what its class says, with a reason; audited. The list is the
// county's: its office and departments keep it, not a street (issue 14.4).
func (s *Service) SetKeyList(ctx context.Context, a *org.Actor, id int64, included bool, reason string) error {
	if err := a.Require(org.PermEntKeyList); err != nil {
		return err
	}
	if reason == "" {
		return apperr.Field("reason", "调整重点监管名单须写明理由")
	}
	if err := apperr.Lengths(text("reason", "理由", reason)); err != nil {
		return err
	}
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO key_list_overrides (unit_id, included, reason, created_at, created_by) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (unit_id) DO UPDATE SET included = excluded.included, reason = excluded.reason,
			created_at = excluded.created_at, created_by = excluded.created_by`, id, included, reason, now, a.UserID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, "enterprise.keylist.set", e, map[string]any{"included": included, "reason": reason})
	})
}

// OnKeyList reports whether an enterprise is on the 重点监管企业名单 and why.
func (s *Service) OnKeyList(ctx context.Context, a *org.Actor, id int64) (bool, string, error) {
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return false, "", err
	}
	var included bool
	var reason string
	err = s.db.QueryRow(ctx, "SELECT included, reason FROM key_list_overrides WHERE unit_id = ?", id).Scan(&included, &reason)
	if store.NoRows(err) {
		if e.Class == "A" {
			return true, "A类企业", nil
		}
		return false, "", nil
	}
	if err != nil {
		return false, "", err
	}
	if included {
		return true, "人工列入: " + reason, nil
	}
	return false, "人工移出: " + reason, nil
}
