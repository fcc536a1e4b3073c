package enterprise

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/docs"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Sheet columns of an enterprise import (and export). Those marked * must
// be present.
var SheetHeader = []string{"企业名称*", "统一社会信用代码*", "所在街道*", "地址", "网格", "行业代码", "监管类别*", "规模",
	"法定代表人", "主要负责人", "主要负责人电话", "安全管理负责人", "安全管理负责人电话", "从业人数", "注册安全工程师人数",
	"标准化等级", "安责险承保机构", "安责险保单号", "安责险到期日", "状态"}

// column names without the required mark
func colName(h string) string { return strings.TrimSuffix(h, "*") }

// ImportResult is what an import did. Rejected rows carry their line number
// in the file (the header is line 1) and the reason.
type ImportResult struct {
	Imported  int        `json:"imported"` // new enterprises
	Updated   int        `json:"updated"`
	Unchanged int        `json:"unchanged"`
	Rejected  []RowError `json:"rejected"`
	SHA256    string     `json:"sha256"`
}

// RowError is a rejected row.
type RowError struct {
	Row    int      `json:"row"`
	Reason string   `json:"reason"`
	Cells  []string `json:"cells"`
}

// Import reads an .xlsx or .csv (UTF-8 or GBK) of enterprises and upserts
// them by credit code. Every row is checked first (check character, region,
// name, categories, dates, duplicates within the file); the good rows are
// then written in one transaction with one audit event recording the counts
// and the file's hash, so a failure leaves nothing half-written and
// importing the same file again changes nothing.
func (s *Service) Import(ctx context.Context, a *org.Actor, name string, data []byte) (ImportResult, error) {
	if err := a.Require(org.PermEntImport); err != nil {
		return ImportResult{}, err
	}
	rows, err := docs.ReadRows(name, data)
	if err != nil {
		return ImportResult{}, apperr.Field("file", err.Error())
	}
	sum := sha256.Sum256(data)
	return s.ImportRows(ctx, a, name, hex.EncodeToString(sum[:]), rows)
}

// parsedRow is a checked row waiting to be written.
type parsedRow struct {
	line int
	rec  Enterprise
	raw  []string
}

// ImportRows imports rows whose first is the header.
func (s *Service) ImportRows(ctx context.Context, a *org.Actor, name, hash string, rows [][]string) (ImportResult, error) {
	res := ImportResult{SHA256: hash}
	if err := a.Require(org.PermEntImport); err != nil {
		return res, err
	}
	if len(rows) < 2 {
		return res, apperr.Field("file", "文件中没有数据行")
	}
	var want []string
	for _, h := range SheetHeader {
		if strings.HasSuffix(h, "*") {
			want = append(want, colName(h))
		}
	}
	header := make([]string, len(rows[0]))
	for i, h := range rows[0] {
		header[i] = colName(strings.TrimSpace(h))
	}
	col, err := docs.Columns(header, want...)
	if err != nil {
		return res, apperr.Field("file", err.Error())
	}
	names, err := s.org.ListRegionNames(ctx, a)
	if err != nil {
		return res, err
	}
	cell := func(r []string, h string) string {
		if i, ok := col[h]; ok {
			return docs.Cell(r, i)
		}
		return ""
	}
	reject := func(line int, raw []string, format string, args ...any) {
		res.Rejected = append(res.Rejected, RowError{Row: line, Reason: fmt.Sprintf("第%d行: ", line) + fmt.Sprintf(format, args...), Cells: raw})
	}
	// Check every row (in parallel: it is pure), then take them in order,
	// refusing a credit code seen on an earlier line.
	body := rows[1:]
	checks := make([]rowCheck, len(body))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(body)/1000))
	var wg sync.WaitGroup
	for wk := 0; wk < workers; wk++ {
		wg.Add(1)
		go func(wk int) {
			defer wg.Done()
			for i := wk; i < len(body); i += workers {
				checks[i] = checkRow(body[i], cell, names, a)
			}
		}(wk)
	}
	wg.Wait()
	var good []parsedRow
	seen := map[string]int{}
	for i, c := range checks {
		line, raw := i+2, body[i]
		switch {
		case c.blank:
		case c.reason != "":
			reject(line, raw, "%s", c.reason)
		default:
			if first, dup := seen[c.rec.CreditCode]; dup {
				reject(line, raw, "统一社会信用代码 %s 与第%d行重复", c.rec.CreditCode, first)
				continue
			}
			seen[c.rec.CreditCode] = line
			good = append(good, parsedRow{line: line, rec: c.rec, raw: raw})
		}
	}
	now := s.clock.Now()
	checked := len(res.Rejected)
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		// A retried transaction starts again from the rows checked above.
		res.Imported, res.Updated, res.Unchanged, res.Rejected = 0, 0, 0, res.Rejected[:checked:checked]
		w := &writer{s: s, tx: tx, a: a}
		if err := w.prepare(ctx); err != nil {
			return err
		}
		defer w.close()
		existing, err := w.existing(ctx, good)
		if err != nil {
			return err
		}
		var lastID int64
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(unit_id), 0) FROM enterprises").Scan(&lastID); err != nil {
			return err
		}
		for _, g := range good {
			rec := g.rec
			old, ok := existing[rec.CreditCode]
			switch {
			case ok && !old.visible:
				res.Rejected = append(res.Rejected, RowError{Row: g.line, Cells: g.raw,
					Reason: fmt.Sprintf("第%d行: 统一社会信用代码 %s 已由您管辖范围以外的单位登记", g.line, rec.CreditCode)})
			case ok && sameRecord(old.rec, rec):
				res.Unchanged++
			case ok:
				rec.UnitID, rec.CreatedAt, rec.UpdatedAt = old.rec.UnitID, old.rec.CreatedAt, now
				if err := w.update(ctx, &rec, old.rec); err != nil {
					return err
				}
				res.Updated++
			default:
				rec.CreatedAt, rec.UpdatedAt = now, now
				if err := w.insert(ctx, &rec); err != nil {
					return err
				}
				res.Imported++
			}
		}
		if err := w.batch.flush(ctx); err != nil {
			return err
		}
		if err := ftsInsertAfter(ctx, tx, lastID); err != nil {
			return err
		}
		sort.Slice(res.Rejected, func(i, j int) bool { return res.Rejected[i].Row < res.Rejected[j].Row })
		_, err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enterprise.import", ObjectKind: "import", ObjectID: hash[:min(16, len(hash))],
			Region: a.Unit.Region, After: map[string]any{"file": name, "sha256": hash, "imported": res.Imported, "updated": res.Updated,
				"unchanged": res.Unchanged, "rejected": len(res.Rejected)}})
		return err
	})
	return res, err
}

// rowCheck is one row's check: its record, or why it is refused.
type rowCheck struct {
	rec    Enterprise
	reason string
	blank  bool
}

// checkRow reads and validates one sheet row.
func checkRow(raw []string, cell func([]string, string) string, names map[string][]string, a *org.Actor) rowCheck {
	if strings.Join(raw, "") == "" {
		return rowCheck{blank: true}
	}
	region, why := resolveRegion(cell(raw, "所在街道"), names, a)
	if why != "" {
		return rowCheck{reason: why}
	}
	in := Input{Name: cell(raw, "企业名称"), CreditCode: cell(raw, "统一社会信用代码"), RegionCode: region, Address: cell(raw, "地址"),
		Grid: cell(raw, "网格"), IndustryCode: cell(raw, "行业代码"), Categories: cell(raw, "监管类别"), Scale: cell(raw, "规模"),
		LegalRep: cell(raw, "法定代表人"), Principal: cell(raw, "主要负责人"), PrincipalPhone: cell(raw, "主要负责人电话"),
		SafetyManager: cell(raw, "安全管理负责人"), SafetyPhone: cell(raw, "安全管理负责人电话"), StdLevel: cell(raw, "标准化等级"),
		Insurer: cell(raw, "安责险承保机构"), PolicyNo: cell(raw, "安责险保单号"), PolicyExpires: cell(raw, "安责险到期日"), Status: cell(raw, "状态")}
	for _, f := range []struct {
		h string
		p *int
	}{{"从业人数", &in.Staff}, {"注册安全工程师人数", &in.SafetyEngineers}} {
		if v := cell(raw, f.h); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return rowCheck{reason: fmt.Sprintf("%s「%s」不是整数", f.h, v)}
			}
			*f.p = n
		}
	}
	rec, err := in.record()
	if err != nil {
		return rowCheck{reason: apperr.As(err).Message}
	}
	return rowCheck{rec: rec}
}

// resolveRegion reads a region written as a code or a name.
func resolveRegion(v string, names map[string][]string, a *org.Actor) (string, string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", "缺少所在街道"
	}
	if _, err := strconv.Atoi(v); err == nil {
		if len(v) != 6 && len(v) != 9 {
			return "", "所在街道代码「" + v + "」应为6位 (县区) 或9位 (街道、乡镇)"
		}
		if !inRegions(a, v) {
			return "", "所在街道「" + v + "」不在您的管辖范围内"
		}
		for _, codes := range names {
			for _, c := range codes {
				if c == v {
					return v, ""
				}
			}
		}
		return "", "所在街道代码「" + v + "」不存在"
	}
	codes := names[v]
	if len(codes) == 0 {
		codes = names[v+"街道"]
	}
	switch len(codes) {
	case 0:
		return "", "未知的街道「" + v + "」(不在您的管辖范围内，或请填写9位区划代码)"
	case 1:
		return codes[0], ""
	}
	return "", "有多个名为「" + v + "」的区划，请填写9位区划代码"
}

// sameRecord reports whether an import row would change nothing.
func sameRecord(a, b Enterprise) bool {
	return a.Name == b.Name && a.RegionCode == b.RegionCode && a.Address == b.Address && a.Grid == b.Grid &&
		a.IndustryCode == b.IndustryCode && strings.Join(a.Categories, ",") == strings.Join(b.Categories, ",") && a.Scale == b.Scale &&
		a.LegalRep == b.LegalRep && a.Principal == b.Principal && a.PrincipalPhone == b.PrincipalPhone &&
		a.SafetyManager == b.SafetyManager && a.SafetyPhone == b.SafetyPhone && a.Staff == b.Staff &&
		a.SafetyEngineers == b.SafetyEngineers && a.StdLevel == b.StdLevel && a.Insurer == b.Insurer && a.PolicyNo == b.PolicyNo &&
		a.PolicyExpires == b.PolicyExpires && a.Status == b.Status
}

// writer holds the prepared statements of one import.
type writer struct {
	s      *Service
	tx     *store.Tx
	a      *org.Actor
	batch  *batch
	rule   ClassRule
	duties map[string][]duty
}

type duty struct {
	dept   int64
	region string
}

type existingRec struct {
	rec     Enterprise
	visible bool
}

func (w *writer) prepare(ctx context.Context) error {
	var err error
	if w.rule, err = ruleTx(ctx, w.tx); err != nil {
		return err
	}
	w.duties = map[string][]duty{}
	rows, err := w.tx.Query(ctx, "SELECT r.category, r.dept_id, u.region_code FROM duty_rules r JOIN units u ON u.id = r.dept_id WHERE u.active = TRUE")
	if err != nil {
		return err
	}
	for rows.Next() {
		var c string
		var d duty
		if err := rows.Scan(&c, &d.dept, &d.region); err != nil {
			rows.Close()
			return err
		}
		w.duties[c] = append(w.duties[c], d)
	}
	rows.Close()
	w.batch, err = newBatch(ctx, w.tx)
	return err
}

func (w *writer) close() {
	if w.batch != nil {
		w.batch.close()
	}
}

// existing loads the stored records of the rows' credit codes, and whether
// the actor may see each.
func (w *writer) existing(ctx context.Context, good []parsedRow) (map[string]existingRec, error) {
	out := map[string]existingRec{}
	scope, sargs := w.a.Scope.UnitsWhere("e.region_code", "e.unit_id")
	today := w.s.today()
	for i := 0; i < len(good); i += 500 {
		chunk := good[i:min(i+500, len(good))]
		args := []any{today, today}
		args = append(args, sargs...)
		for _, g := range chunk {
			args = append(args, g.rec.CreditCode)
		}
		rows, err := w.tx.Query(ctx, "SELECT "+entCols+", CASE WHEN "+scope+" THEN 1 ELSE 0 END FROM enterprises e WHERE e.credit_code IN ("+
			strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var x existingRec
			var cats string
			var vis int
			e := &x.rec
			if err := rows.Scan(&e.UnitID, &e.Name, &e.CreditCode, &e.RegionCode, &e.Address, &e.Grid, &e.IndustryCode, &cats, &e.Scale,
				&e.LegalRep, &e.Principal, &e.PrincipalPhone, &e.SafetyManager, &e.SafetyPhone, &e.Staff, &e.SafetyEngineers, &e.StdLevel,
				&e.Insurer, &e.PolicyNo, &e.PolicyExpires, &e.Status, &e.Class, &e.ClassScore, &e.ClassReason, &e.MajorGrade,
				&e.CreatedAt, &e.UpdatedAt, &e.Blacklisted, &vis); err != nil {
				rows.Close()
				return nil, err
			}
			e.Categories = splitList(cats)
			x.visible = vis == 1
			out[e.CreditCode] = x
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// insert queues a new enterprise with its class and supervisions.
func (w *writer) insert(ctx context.Context, e *Enterprise) error {
	c := w.rule.Classify(Inputs{Categories: e.Categories, StdLevel: e.StdLevel})
	e.Class, e.ClassScore, e.ClassReason = c.Class, c.Score, c.Reason
	return w.batch.add(ctx, e, w.depts(e))
}

// depts are the departments the cached duty rules give e, and the
// importing department itself.
func (w *writer) depts(e *Enterprise) []int64 {
	var out []int64
	done := map[int64]bool{}
	for _, c := range e.Categories {
		for _, d := range w.duties[c] {
			if !done[d.dept] && (d.region == "" || strings.HasPrefix(e.RegionCode, d.region)) {
				done[d.dept] = true
				out = append(out, d.dept)
			}
		}
	}
	if w.a.Unit.Kind == org.KindDepartment && !done[w.a.Unit.ID] {
		out = append(out, w.a.Unit.ID)
	}
	return out
}

// assign adds the supervisions an updated enterprise's categories call for.
func (w *writer) assign(ctx context.Context, e *Enterprise) error {
	for _, d := range w.depts(e) {
		if err := org.AddSupervision(ctx, w.tx, d, e.UnitID); err != nil {
			return err
		}
	}
	return nil
}

// update rewrites an existing enterprise from a row.
func (w *writer) update(ctx context.Context, e *Enterprise, old Enterprise) error {
	if err := updateRecord(ctx, w.tx, e, old.Name, old.CreditCode); err != nil {
		return err
	}
	if err := org.UpdateEnterpriseUnit(ctx, w.tx, e.UpdatedAt, e.UnitID, e.Name, e.RegionCode, e.Status != "closed"); err != nil {
		return err
	}
	if err := w.assign(ctx, e); err != nil {
		return err
	}
	return w.s.reclass(ctx, w.tx, e)
}

// RejectsCSV renders rejected rows as CSV: line, reason, then the row as read.
func RejectsCSV(header []string, rs []RowError) [][]string {
	out := [][]string{append([]string{"行号", "原因"}, header...)}
	for _, r := range rs {
		out = append(out, append([]string{strconv.Itoa(r.Row), r.Reason}, r.Cells...))
	}
	return out
}
