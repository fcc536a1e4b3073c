package enterprise

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

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

// MaxListed is how many rejected rows an import's result lists; the
// rejects file, when one is given, has all of them.
const MaxListed = 100

// ImportResult is what an import did. Rejected rows carry their line number
// in the file (the header is line 1) and the reason; Rejected lists the
// first MaxListed, RejectedTotal counts them all and RejectedOmitted those
// not listed.
type ImportResult struct {
	Imported        int        `json:"imported"` // new enterprises
	Updated         int        `json:"updated"`
	Unchanged       int        `json:"unchanged"`
	Rejected        []RowError `json:"rejected"`
	RejectedTotal   int        `json:"rejected_total"`
	RejectedOmitted int        `json:"rejected_omitted"`
	SHA256          string     `json:"sha256"`
}

// RowError is a rejected row.
type RowError struct {
	Row    int      `json:"row"`
	Reason string   `json:"reason"`
	Cells  []string `json:"cells"`
}

// RejectsFile receives every rejected row of an import as CSV (with a BOM,
// so Excel reads the UTF-8); it is emptied again when the import's
// transaction is retried. An *os.File is one.
type RejectsFile interface {
	io.Writer
	io.Seeker
	Truncate(size int64) error
}

// Import reads an .xlsx or .csv (UTF-8 or GBK) of enterprises and upserts
// them by credit code. The file is read as a stream inside one transaction:
// each row is checked (check character, region, name, categories, dates,
// duplicates within the file) and the good rows written in batches, with
// one audit event recording the counts and the file's hash. A file past the
// row cap (maxRows) or with a value outside its header fails as a whole,
// so a failure leaves nothing half-written, and importing the same file
// again changes nothing. Every rejected row goes to rejects when it is not
// nil.
func (s *Service) Import(ctx context.Context, a *org.Actor, f docs.File, rejects RejectsFile) (ImportResult, error) {
	if err := a.Require(org.PermEntImport); err != nil {
		return ImportResult{}, err
	}
	hash, err := f.Hash()
	if err != nil {
		return ImportResult{}, err
	}
	return s.importFrom(ctx, a, f.Name, hash, func() (docs.Rows, error) { return docs.Open(f, s.maxRows) }, rejects)
}

// ImportRows imports rows held in memory whose first is the header (a
// generated sheet; no row cap).
func (s *Service) ImportRows(ctx context.Context, a *org.Actor, name, hash string, rows [][]string) (ImportResult, error) {
	return s.importFrom(ctx, a, name, hash, func() (docs.Rows, error) { return docs.SliceRows(rows), nil }, nil)
}

// sheetRow is a row as read.
type sheetRow struct {
	line int
	raw  []string
}

// parsedRow is a checked row waiting to be written, with what it gets
// should it be new (see rowCheck).
type parsedRow struct {
	line  int
	rec   Enterprise
	raw   []string
	class Classification
	depts []int64
}

// chunkRows is how many rows are checked together (in parallel), while the
// chunk before is written (readAhead). A variable for the tests of imports
// across many chunks.
var chunkRows = 4096

// importFrom runs an import of the rows open gives (opened again if the
// transaction is retried).
func (s *Service) importFrom(ctx context.Context, a *org.Actor, name, hash string, open func() (docs.Rows, error), rejects RejectsFile) (ImportResult, error) {
	res := ImportResult{SHA256: hash}
	if err := a.Require(org.PermEntImport); err != nil {
		return res, err
	}
	names, err := s.org.ListRegionNames(ctx, a)
	if err != nil {
		return res, err
	}
	now := s.clock.Now()
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		res = ImportResult{SHA256: hash}
		rows, err := open()
		if err != nil {
			return apperr.Field("file", err.Error())
		}
		defer rows.Close()
		col, err := sheetColumns(rows.Header())
		if err != nil {
			return err
		}
		run := &importRun{a: a, col: col, names: names, res: &res, seen: map[string]int{}, now: now}
		if run.log, err = newRejectLog(rejects, rows.Header()); err != nil {
			return err
		}
		run.w = &writer{s: s, tx: tx, a: a}
		if err := run.w.prepare(ctx); err != nil {
			return err
		}
		defer run.w.close()
		var lastID int64
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(unit_id), 0) FROM enterprises").Scan(&lastID); err != nil {
			return err
		}
		// Rows are read and checked a chunk ahead, while the chunk before
		// is written: the checks are pure, the writes hold the one
		// connection, and the two overlap on a second core.
		chunks, stop := run.readAhead(rows)
		defer stop()
		read := 0
		for c := range chunks {
			if c.err != nil {
				return c.err
			}
			read += len(c.rows)
			if err := run.take(ctx, c); err != nil {
				return err
			}
		}
		if read == 0 {
			return apperr.Field("file", "文件中没有数据行")
		}
		if err := run.w.batch.flush(ctx); err != nil {
			return err
		}
		if err := ftsInsertAfter(ctx, tx, lastID); err != nil {
			return err
		}
		if err := run.log.finish(); err != nil {
			return err
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enterprise.import", ObjectKind: "import", ObjectID: hash[:min(16, len(hash))],
			Region: a.Unit.Region, After: map[string]any{"file": name, "sha256": hash, "imported": res.Imported, "updated": res.Updated,
				"unchanged": res.Unchanged, "rejected": res.RejectedTotal}})
		return err
	})
	return res, err
}

// sheetColumns maps the header's column names (without the required mark)
// to their indexes; a required column missing is an error naming it.
func sheetColumns(header []string) (map[string]int, error) {
	var want []string
	for _, h := range SheetHeader {
		if strings.HasSuffix(h, "*") {
			want = append(want, colName(h))
		}
	}
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = colName(strings.TrimSpace(h))
	}
	col, err := docs.Columns(names, want...)
	if err != nil {
		return nil, apperr.Field("file", err.Error())
	}
	return col, nil
}

// importRun is one attempt of an import's transaction.
type importRun struct {
	a     *org.Actor
	w     *writer
	col   map[string]int
	names map[string][]string
	res   *ImportResult
	seen  map[string]int // credit code → the line that has it
	log   *rejectLog
	now   time.Time
}

func (r *importRun) cell(row []string, h string) string {
	if i, ok := r.col[h]; ok {
		return docs.Cell(row, i)
	}
	return ""
}

// reject records a refused row: listed while under MaxListed, always
// counted and logged.
func (r *importRun) reject(line int, raw []string, reason string) error {
	e := RowError{Row: line, Reason: fmt.Sprintf("第%d行: ", line) + reason, Cells: raw}
	r.res.RejectedTotal++
	if len(r.res.Rejected) < MaxListed {
		r.res.Rejected = append(r.res.Rejected, e)
	} else {
		r.res.RejectedOmitted++
	}
	return r.log.add(e)
}

// take takes a checked chunk's rows in order, refusing a credit code seen
// on an earlier line, and writes the good ones.
func (r *importRun) take(ctx context.Context, c checkedChunk) error {
	rows, checks := c.rows, c.checks
	var good []parsedRow
	for i := range checks {
		c := &checks[i]
		if c.blank || c.reason != "" {
			continue
		}
		if first, dup := r.seen[c.rec.CreditCode]; dup {
			c.reason = fmt.Sprintf("统一社会信用代码 %s 与第%d行重复", c.rec.CreditCode, first)
			continue
		}
		r.seen[c.rec.CreditCode] = rows[i].line
		good = append(good, parsedRow{line: rows[i].line, rec: c.rec, raw: rows[i].raw, class: c.class, depts: c.depts})
	}
	existing, err := r.w.existing(ctx, good)
	if err != nil {
		return err
	}
	gi := 0
	for i, c := range checks {
		switch {
		case c.blank:
			continue
		case c.reason != "":
			if err := r.reject(rows[i].line, rows[i].raw, c.reason); err != nil {
				return err
			}
			continue
		}
		g := good[gi]
		gi++
		if err := r.write(ctx, g, existing); err != nil {
			return err
		}
	}
	return nil
}

// write inserts or updates one checked row. A credit code stored outside
// the actor's jurisdiction is refused without saying that it exists.
func (r *importRun) write(ctx context.Context, g parsedRow, existing map[string]existingRec) error {
	rec := g.rec
	old, ok := existing[rec.CreditCode]
	switch {
	case ok && !old.visible:
		return r.reject(g.line, g.raw, "该统一社会信用代码不能在此导入")
	case ok && sameRecord(old.rec, rec):
		r.res.Unchanged++
	case ok:
		rec.UnitID, rec.CreatedAt, rec.UpdatedAt = old.rec.UnitID, old.rec.CreatedAt, r.now
		if err := r.w.update(ctx, &rec, old.rec); err != nil {
			return err
		}
		r.res.Updated++
	default:
		rec.CreatedAt, rec.UpdatedAt = r.now, r.now
		if err := r.w.insert(ctx, &rec, g.class, g.depts); err != nil {
			return err
		}
		r.res.Imported++
	}
	return nil
}

// rejectLog writes rejected rows to a RejectsFile as CSV: line, reason,
// then the row as read under the file's own header.
type rejectLog struct {
	f RejectsFile
	w *csv.Writer
}

func newRejectLog(f RejectsFile, header []string) (*rejectLog, error) {
	if f == nil {
		return &rejectLog{}, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	if err := f.Truncate(0); err != nil {
		return nil, err
	}
	if _, err := f.Write([]byte("\xef\xbb\xbf")); err != nil {
		return nil, err
	}
	l := &rejectLog{f: f, w: csv.NewWriter(f)}
	return l, l.w.Write(docs.SafeCells(append([]string{"行号", "原因"}, header...)))
}

func (l *rejectLog) add(e RowError) error {
	if l.w == nil {
		return nil
	}
	return l.w.Write(docs.SafeCells(append([]string{strconv.Itoa(e.Row), e.Reason}, e.Cells...)))
}

func (l *rejectLog) finish() error {
	if l.w == nil {
		return nil
	}
	l.w.Flush()
	return l.w.Error()
}

// rowCheck is one row's check: its record, or why it is refused. class
// and depts are what the record gets should it be new — its class by the
// rule from its own fields, the departments that supervise it — worked out
// with the checks, off the writing goroutine (readAhead).
type rowCheck struct {
	rec    Enterprise
	reason string
	blank  bool
	class  Classification
	depts  []int64
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
		Grid: cell(raw, "网格"), IndustryCode: cell(raw, "行业代码"), Categories: ListText(cell(raw, "监管类别")), Scale: cell(raw, "规模"),
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
		return rowCheck{reason: apperr.As(err).All()}
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
	rows, err := w.tx.Query(ctx, "SELECT r.category, r.dept_id, u.region_code FROM duty_rules r JOIN "+org.UnitsView+" u ON u.id = r.dept_id WHERE u.active = TRUE")
	if err := store.Each(rows, err, func(r store.Scanner) error {
		var c string
		var d duty
		if err := r.Scan(&c, &d.dept, &d.region); err != nil {
			return err
		}
		w.duties[c] = append(w.duties[c], d)
		return nil
	}); err != nil {
		return err
	}
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
	per := 500 // codes in a statement's IN list
	if w.tx.Dialect == store.Postgres {
		per = len(good) // one array
	}
	for i := 0; i < len(good); i += per {
		chunk := good[i:min(i+per, len(good))]
		args := []any{today, today}
		args = append(args, sargs...)
		codes := make([]string, len(chunk))
		for i, g := range chunk {
			codes[i] = g.rec.CreditCode
		}
		slices.Sort(codes) // probes in the index's order touch each page once
		q := "SELECT " + entCols + ", CASE WHEN " + scope + " THEN 1 ELSE 0 END FROM enterprises e WHERE e.credit_code IN (" +
			strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",") + ")"
		if w.tx.Dialect == store.Postgres {
			// One probe of the unique index per code, whatever the
			// statistics say: the lookup is a prepared statement, and its
			// generic plan, made while the table looked empty (a first
			// import; no ANALYZE sees this transaction's rows), hashed the
			// codes and scanned the whole growing table each chunk. A
			// LATERAL subquery with a LIMIT is not flattened into a join,
			// so nothing but the probe is open to the planner.
			q = "SELECT " + entCols + ", CASE WHEN " + scope + " THEN 1 ELSE 0 END FROM unnest(?::text[]) AS c(code) " +
				"CROSS JOIN LATERAL (SELECT * FROM enterprises x WHERE x.credit_code = c.code LIMIT 1) e"
			args = append(args, codes)
		} else {
			for _, c := range codes {
				args = append(args, c)
			}
		}
		rows, err := w.tx.Query(ctx, q, args...)
		if err := store.Each(rows, err, func(r store.Scanner) error {
			var x existingRec
			var cats string
			var vis int
			e := &x.rec
			if err := r.Scan(&e.UnitID, &e.Name, &e.CreditCode, &e.RegionCode, &e.Address, &e.Grid, &e.IndustryCode, &cats, &e.Scale,
				&e.LegalRep, &e.Principal, &e.PrincipalPhone, &e.SafetyManager, &e.SafetyPhone, &e.Staff, &e.SafetyEngineers, &e.StdLevel,
				&e.Insurer, &e.PolicyNo, &e.PolicyExpires, &e.Status, &e.Class, &e.ClassScore, &e.ClassReason, &e.MajorGrade,
				&e.CreatedAt, &e.UpdatedAt, &e.RegionName, &e.Blacklisted, &vis); err != nil {
				return err
			}
			e.Categories = splitList(cats)
			x.visible = vis == 1
			out[e.CreditCode] = x
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// insert queues a new enterprise with its class (by the rule, from its
// own fields) and the departments that supervise it.
func (w *writer) insert(ctx context.Context, e *Enterprise, c Classification, depts []int64) error {
	e.Class, e.ClassScore, e.ClassReason = c.Class, c.Score, c.Reason
	return w.batch.add(ctx, e, depts)
}

// forNew works out what a checked row gets should it be new (the rule and
// the duties are read-only once prepared, so checks call it in parallel).
func (w *writer) forNew(c *rowCheck) {
	c.class = w.rule.Classify(Inputs{Categories: c.rec.Categories, StdLevel: c.rec.StdLevel})
	c.depts = w.depts(&c.rec)
}

// depts are the departments the cached duty rules give e, and the
// importing department itself.
func (w *writer) depts(e *Enterprise) []int64 {
	var out []int64 // a few departments: a scan beats a set
	for _, c := range e.Categories {
		for _, d := range w.duties[c] {
			if !slices.Contains(out, d.dept) && (d.region == "" || strings.HasPrefix(e.RegionCode, d.region)) {
				out = append(out, d.dept)
			}
		}
	}
	if w.a.Unit.Kind == org.KindDepartment && !slices.Contains(out, w.a.Unit.ID) {
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
