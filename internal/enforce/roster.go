package enforce

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"time"

	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/store"
)

// querier is what the roster reads through: the database or a transaction.
type querier interface {
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// rosterRow is an enterprise a department supervises, as the plan and the
// 检查对象名录库 read it, with its inspections of the year so far.
type rosterRow struct {
	ID         int64
	Name       string
	CreditCode string
	Region     string
	Class      string
	StdLevel   string
	Status     string
	Major      string
	Categories []string
	KeyListed  bool
	Routine    int // routine inspections of the year (any department), planned or done
	Cases      int // case inspections of the year
	Supervised int // 督导检查 of the year
}

// Key reports whether the enterprise is a 重点检查 one: class A or on the
// 重点监管企业名单, or holding a major-hazard installation (GB 18218).
func (r rosterRow) Key() (bool, string) {
	switch {
	case r.KeyListed:
		return true, "重点监管名单"
	case r.Major != "":
		return true, "重大危险源 (" + r.Major + ")"
	}
	return false, ""
}

// roster reads the enterprises dept supervises that are not closed, with
// their inspections of year. extra narrows it (SQL over r.*, with args).
// The counts come from enforce_counts in a query of their own, folded in
// by id: a GROUP BY over the registry's rows cost a sort of the whole 名录库
// (1.2 s of a 200,000-enterprise draw's 1.5 s on SQLite).
func roster(ctx context.Context, q querier, dept int64, year int, extra string, args ...any) ([]rosterRow, error) {
	rows, err := q.Query(ctx, `SELECT r.unit_id, r.name, r.credit_code, r.region_code, r.class, r.std_level, r.status, r.major_grade,
		r.categories, r.key_listed
		FROM `+enterprise.RosterView+` r JOIN `+org.SupervisionsView+` sv ON sv.enterprise_id = r.unit_id AND sv.dept_id = ?
		WHERE r.status <> 'closed'`+extra+` ORDER BY r.unit_id`, append([]any{dept}, args...)...)
	out, err := store.Collect(rows, err, func(sc store.Scanner) (rosterRow, error) {
		var r rosterRow
		var cats string
		err := sc.Scan(&r.ID, &r.Name, &r.CreditCode, &r.Region, &r.Class, &r.StdLevel, &r.Status, &r.Major, &cats, &r.KeyListed)
		r.Categories = categories(cats)
		return r, err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	return out, withCounts(ctx, q, year, out)
}

// candidates is roster with only what a draw's 名录库 needs (id, name,
// code, what decides the cap, whether 重点): a draw reads the whole
// registry, and each column read costs (a 200,000-enterprise 名录库 on
// SQLite: 0.8 s with every column).
func candidates(ctx context.Context, q querier, dept int64, year int, extra string, args ...any) ([]rosterRow, error) {
	rows, err := q.Query(ctx, `SELECT r.unit_id, r.name, r.credit_code, r.std_level, r.categories, (r.key_listed OR r.major_grade <> '')
		FROM `+enterprise.RosterView+` r JOIN `+org.SupervisionsView+` sv ON sv.enterprise_id = r.unit_id AND sv.dept_id = ?
		WHERE r.status <> 'closed'`+extra+` ORDER BY r.unit_id`, append([]any{dept}, args...)...)
	out, err := store.Collect(rows, err, func(sc store.Scanner) (rosterRow, error) {
		var r rosterRow
		var cats string
		err := sc.Scan(&r.ID, &r.Name, &r.CreditCode, &r.StdLevel, &cats, &r.KeyListed)
		r.Categories = categories(cats)
		return r, err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	return out, withCounts(ctx, q, year, out)
}

// categories splits a stored category list; the lists are few, so equal
// ones share one slice.
var categoryLists sync.Map

func categories(s string) []string {
	if s == "" {
		return nil
	}
	if v, ok := categoryLists.Load(s); ok {
		return v.([]string)
	}
	v, _ := categoryLists.LoadOrStore(s, strings.Split(s, ","))
	return v.([]string)
}

// withCounts folds the year's counts (enforce_counts) into rows.
func withCounts(ctx context.Context, q querier, year int, out []rosterRow) error {
	at := make(map[int64]int, len(out))
	for i, r := range out {
		at[r.ID] = i
	}
	crows, err := q.Query(ctx, "SELECT enterprise_id, kind, n FROM enforce_counts WHERE year = ?", year)
	return store.Each(crows, err, func(sc store.Scanner) error {
		var id int64
		var kind string
		var n int
		if err := sc.Scan(&id, &kind, &n); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			switch kind {
			case Routine:
				out[i].Routine = n
			case Case:
				out[i].Cases = n
			case Supervisory:
				out[i].Supervised = n
			}
		}
		return nil
	})
}

// inspectedSince is the enterprises of ids with an inspection (planned or
// recorded) created at or after since.
func inspectedSince(ctx context.Context, q querier, since time.Time) (map[int64]bool, error) {
	rows, err := q.Query(ctx, "SELECT DISTINCT enterprise_id FROM enforce_inspections WHERE created_at >= ?", since)
	out := map[int64]bool{}
	return out, store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		err := r.Scan(&id)
		out[id] = true
		return err
	})
}

// lastTeams is, per enterprise, the officers of its latest inspection that
// had officers: the local rule of not sending them again.
func lastTeams(ctx context.Context, q querier, dept int64) (map[int64][]int64, error) {
	rows, err := q.Query(ctx, `SELECT i.enterprise_id, i.officers FROM enforce_inspections i WHERE i.unit_id = ? AND i.officers <> ''
		AND i.id = (SELECT MAX(j.id) FROM enforce_inspections j WHERE j.enterprise_id = i.enterprise_id AND j.unit_id = i.unit_id AND j.officers <> '')`, dept)
	out := map[int64][]int64{}
	return out, store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var team string
		if err := r.Scan(&id, &team); err != nil {
			return err
		}
		for _, f := range strings.Split(team, ",") {
			if o, err := strconv.ParseInt(f, 10, 64); err == nil {
				out[id] = append(out[id], o)
			}
		}
		return nil
	})
}
