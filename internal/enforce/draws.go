package enforce

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/codes"
	"anwei/internal/enterprise"
	"anwei/internal/numbering"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Draw states: step 1 published (committed), steps 2 and 3 done (drawn).
const (
	Committed = "committed"
	Drawn     = "drawn"
)

// DrawStates are the states with their names.
var DrawStates = []codes.Choice{{Key: Committed, Name: "名录和承诺值已公布，待抽取"}, {Key: Drawn, Name: "已抽取"}}

// DrawInput is a draw as the department sets it up: the 名录库 filter, how
// many enterprises and officers, and where the public value will come from.
type DrawInput struct {
	Title         string `json:"title"`
	Count         int    `json:"count"`
	PerEnterprise int    `json:"per_enterprise"`
	Category      string `json:"category"`     // a supervision category, "" any
	Class         string `json:"class"`        // a class, "" any
	Street        string `json:"street"`       // a region code (乡镇/街道), "" any
	IncludeKey    bool   `json:"include_key"`  // also 重点检查 enterprises (planned by frequency)
	ExcludeDays   int    `json:"exclude_days"` // leave out those inspected within so many days (0: none)
	ExcludeLast   bool   `json:"exclude_last"` // local rule: never the officers of the enterprise's last inspection
	PublicSource  string `json:"public_source"`
	PublicFormat  string `json:"public_format"`
}

// PickView is a drawn enterprise with its team, by name.
type PickView struct {
	EnterpriseID int64    `json:"enterprise_id"`
	Enterprise   string   `json:"enterprise"`
	CreditCode   string   `json:"credit_code"`
	OfficerIDs   []int64  `json:"officer_ids"`
	Officers     []string `json:"officers"`
	// NotCarriedOut: the enterprise closed, left the department or reached
	// its cap between step 1 and the draw; the pick stands, unexecuted.
	NotCarriedOut bool `json:"not_carried_out"`
}

// Draw is a draw as its page shows it.
type Draw struct {
	ID            int64      `json:"id"`
	UnitID        int64      `json:"unit_id"`
	Unit          string     `json:"unit"`
	Region        string     `json:"region_code"`
	Year          int        `json:"year"`
	Seq           int        `json:"seq"`
	Title         string     `json:"title"`
	Filter        DrawInput  `json:"filter"`
	State         string     `json:"state"`
	StateName     string     `json:"state_name"`
	Enterprises   int        `json:"enterprises"` // in the 检查对象名录库
	Officers      int        `json:"officers"`    // in the 执法检查人员名录库
	Count         int        `json:"count"`
	PerEnterprise int        `json:"per_enterprise"`
	PublicSource  string     `json:"public_source"`
	PublicFormat  string     `json:"public_format"`
	ListsHash     string     `json:"lists_hash"`
	Commitment    string     `json:"commitment"`
	PublicValue   string     `json:"public_value"`
	Seed          string     `json:"seed"`
	CommittedBy   string     `json:"committed_by"`
	CommittedAt   time.Time  `json:"committed_at"`
	DrawnBy       string     `json:"drawn_by"`
	DrawnAt       *time.Time `json:"drawn_at"`
	Result        []PickView `json:"result"`
	Recusals      []Recusal  `json:"recusals"`

	lists  DrawLists
	share  string
	result []Pick
}

// CommitDraw is step 1: the department fixes the two 名录库 from the
// registry and its officers, and publishes them with the commitment. The
// share stays secret until the draw.
func (s *Service) CommitDraw(ctx context.Context, a *org.Actor, in DrawInput) (int64, error) {
	if err := department(a, org.PermEnforcePlan); err != nil {
		return 0, err
	}
	if err := in.Check(); err != nil {
		return 0, err
	}
	now := s.clock.Now()
	year := calendar.Local(now).Year()
	caps, _, err := s.CapsFor(ctx, s.db, a.Unit.Region)
	if err != nil {
		return 0, err
	}
	share := make([]byte, 32)
	if _, err := io.ReadFull(s.entropy, share); err != nil {
		return 0, err
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		l, err := s.lists(ctx, tx, a.Unit.ID, year, now, in, caps)
		if err != nil {
			return err
		}
		lh, c, err := l.Prepare(share)
		if err != nil {
			field := "count"
			if strings.Contains(err.Error(), "执法人员") {
				field = "per_enterprise"
			}
			return apperr.Field(field, err.Error())
		}
		seq, err := numbering.NextNumber(ctx, tx, drawNumbers, numbering.ID(a.Unit.ID), year)
		if err != nil {
			return err
		}
		title := in.Title
		if title == "" {
			title = fmt.Sprintf("%d年第%d批双随机抽查", year, seq)
		}
		filter, _ := json.Marshal(in)
		id, err = tx.InsertID(ctx, `INSERT INTO enforce_draws (unit_id, region_code, year, seq, title, filter, public_source, state, lists,
			lists_hash, commitment, share, committed_by, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.Unit.ID, a.Unit.Region, year, seq, title, string(filter), in.PublicSource, Committed, string(l.canonical()),
			hex.EncodeToString(lh), hex.EncodeToString(c), hex.EncodeToString(share), a.UserID, now)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.draw.commit", ObjectKind: "enforce_draw",
			ObjectID: fmt.Sprint(id), Region: a.Unit.Region, After: map[string]any{"title": title, "lists_hash": hex.EncodeToString(lh),
				"commitment": hex.EncodeToString(c), "enterprises": len(l.Enterprises), "officers": len(l.Officers), "count": l.Count,
				"public_source": in.PublicSource, "public_format": in.PublicFormat}})
	})
	return id, err
}

// Check names every field that cannot be (trimming the texts).
func (in *DrawInput) Check() error {
	in.Title, in.PublicSource, in.PublicFormat = strings.TrimSpace(in.Title), strings.TrimSpace(in.PublicSource), strings.TrimSpace(in.PublicFormat)
	var c apperr.Checks
	c.If(in.Count < 1 || in.Count > 100000, "count", "抽取户数应为 1–100000")
	c.If(in.PerEnterprise < MinOfficers || in.PerEnterprise > 20, "per_enterprise", fmt.Sprintf("每户执法人员应为 %d–20 名 (行政处罚法第四十二条)", MinOfficers))
	c.If(in.ExcludeDays < 0 || in.ExcludeDays > 3650, "exclude_days", "排除近期检查的天数应为 0–3650")
	c.If(in.Category != "" && enterprise.CategoryName(in.Category) == "", "category", "未知的监管类别")
	c.If(len(in.Class) > 2, "class", "分类应为 A–D")
	c.If(in.Street != "" && !regexp.MustCompile(`^\d{9}$`).MatchString(in.Street), "street", "乡镇/街道应为 9 位区划代码")
	c.If(in.PublicSource == "", "public_source", "请写明公开值的来源 (如某日某期福利彩票开奖号码，或抽取会上见证人输入的数字)")
	if in.PublicFormat == "" {
		c.Add("public_format", "请写明公开值的格式 (正则表达式，如 ^\\d{3}$)")
	} else if _, err := regexp.Compile(in.PublicFormat); err != nil {
		c.Add("public_format", "公开值格式不是有效的正则表达式")
	}
	_ = c.Take(apperr.Lengths(apperr.Text{Field: "title", Label: "批次名称", Max: Limits["title"], Value: in.Title},
		apperr.Text{Field: "public_source", Label: "公开值来源", Max: Limits["public_source"], Value: in.PublicSource},
		apperr.Text{Field: "public_format", Label: "公开值格式", Max: Limits["public_format"], Value: in.PublicFormat}))
	return c.Err()
}

// lists builds the two 名录库: the enterprises dept supervises that the
// filter keeps, not closed, under their cap and not inspected within the
// days asked; its certified officers with their conflicts.
func (s *Service) lists(ctx context.Context, q querier, dept int64, year int, now time.Time, in DrawInput, caps CapTable) (DrawLists, error) {
	var extra string
	var args []any
	if in.Category != "" {
		extra += " AND r.unit_id IN (SELECT c.unit_id FROM " + enterprise.CategoriesView + " c WHERE c.category = ?)"
		args = append(args, in.Category)
	}
	if in.Class != "" {
		extra += " AND r.class = ?"
		args = append(args, in.Class)
	}
	if in.Street != "" {
		extra += " AND r.region_code >= ? AND r.region_code < ?"
		args = append(args, in.Street, in.Street+"\xff")
	}
	rows, err := candidates(ctx, q, dept, year, extra, args...)
	if err != nil {
		return DrawLists{}, err
	}
	recent := map[int64]bool{}
	if in.ExcludeDays > 0 {
		if recent, err = inspectedSince(ctx, q, now.AddDate(0, 0, -in.ExcludeDays)); err != nil {
			return DrawLists{}, err
		}
	}
	l := DrawLists{Enterprises: []DrawEnterprise{}, Count: in.Count, PerEnterprise: in.PerEnterprise, ExcludeLast: map[string][]int64{},
		PublicFormat: in.PublicFormat, PublicSource: in.PublicSource}
	for _, r := range rows {
		key, _ := r.Key()
		cap, ok := caps.Cap(r.Categories, "", r.StdLevel)
		if (key && !in.IncludeKey) || !ok || r.Routine >= cap || recent[r.ID] {
			continue
		}
		l.Enterprises = append(l.Enterprises, DrawEnterprise{ID: r.ID, Name: r.Name, CreditCode: r.CreditCode})
	}
	if len(l.Enterprises) == 0 {
		return l, apperr.Field("count", "检查对象名录库为空: 没有符合条件、未达检查上限的企业")
	}
	if l.Officers, err = drawOfficers(ctx, q, dept, calendar.Local(now).Format("2006-01-02")); err != nil {
		return l, err
	}
	if in.ExcludeLast {
		last, err := lastTeams(ctx, q, dept)
		if err != nil {
			return l, err
		}
		in := map[int64]bool{}
		for _, o := range l.Officers {
			in[o.ID] = true
		}
		for _, e := range l.Enterprises {
			var team []int64
			for _, o := range last[e.ID] {
				if in[o] && len(team) < l.PerEnterprise {
					team = append(team, o)
				}
			}
			if len(team) > 0 {
				l.ExcludeLast[strconv.FormatInt(e.ID, 10)] = team
			}
		}
	}
	return l, nil
}

// RunDraw is steps 2 and 3: the public value is entered and the share
// revealed; the seed chooses the enterprises and their teams, whose
// inspections join the year's schedule.
func (s *Service) RunDraw(ctx context.Context, a *org.Actor, id int64, public string) error {
	if err := department(a, org.PermEnforcePlan); err != nil {
		return err
	}
	if err := a.Require(org.PermEnforceRead); err != nil {
		return err
	}
	public = strings.TrimSpace(public)
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		// Touching the row first makes a second drawer wait for this one
		// (only the department's own row: nothing of another is locked).
		if _, err := tx.Exec(ctx, "UPDATE enforce_draws SET state = state WHERE id = ? AND unit_id = ?", id, a.Unit.ID); err != nil {
			return err
		}
		d, err := getDraw(ctx, tx, a, id)
		if err != nil {
			return err
		}
		switch {
		case d.UnitID != a.Unit.ID:
			return apperr.New(apperr.NotFound, "抽查不存在或不在您的管辖范围内")
		case d.State != Committed:
			return apperr.New(apperr.Conflict, "本批已抽取")
		case public == "":
			return apperr.Field("public_value", "请填写公开值 ("+d.PublicSource+")")
		case len(public) > Limits["public_value"]:
			return apperr.Field("public_value", fmt.Sprintf("公开值不能超过 %d 个字符", Limits["public_value"]))
		case !d.lists.publicOK(public):
			return apperr.Field("public_value", fmt.Sprintf("公开值「%s」不合公布的格式 %s", public, d.lists.PublicFormat))
		}
		share, err := hex.DecodeString(d.share)
		if err != nil {
			return err
		}
		rec, err := MakeDraw(d.lists, share, public)
		if err != nil {
			return err
		}
		if rec.Commitment != d.Commitment {
			return apperr.New(apperr.Internal, "名录或份额与公布的承诺值不符，不能抽取")
		}
		result, _ := json.Marshal(rec.Result)
		caps, _, err := s.CapsFor(ctx, tx, d.Region)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE enforce_draws SET state = ?, public_value = ?, seed = ?, result = ?, drawn_by = ?, drawn_at = ? WHERE id = ?",
			Drawn, public, rec.Seed, string(result), a.UserID, now, id); err != nil {
			return err
		}
		// The draw stands whatever the registry did since step 1: a pick
		// that closed, left the department or reached its cap meanwhile is
		// recorded as not carried out (不实施) — never a reason to draw again,
		// which would let the office discard an outcome it saw.
		local := calendar.Local(now)
		at := map[int64]rosterRow{}
		for start := 0; start < len(rec.Result); start += 500 { // a statement's parameters are bounded
			chunk := rec.Result[start:min(start+500, len(rec.Result))]
			picked := make([]string, len(chunk))
			pargs := make([]any, len(chunk))
			for i, p := range chunk {
				picked[i], pargs[i] = "?", p.Enterprise
			}
			rows, err := roster(ctx, tx, d.UnitID, local.Year(), " AND r.unit_id IN ("+strings.Join(picked, ",")+")", pargs...)
			if err != nil {
				return err
			}
			for _, r := range rows {
				at[r.ID] = r
			}
		}
		ts := make([]Taking, 0, len(rec.Result))
		for _, p := range rec.Result {
			if r, ok := at[p.Enterprise]; ok {
				cap, _ := caps.Cap(r.Categories, "", r.StdLevel)
				ts = append(ts, Taking{Enterprise: r.ID, Limit: cap})
			}
		}
		taken, err := takeAll(ctx, tx, local.Year(), Routine, ts)
		if err != nil {
			return err
		}
		var dropped []string
		var kept []Pick
		var droppedIDs []int64
		for _, p := range rec.Result {
			if taken[p.Enterprise] {
				kept = append(kept, p)
			} else {
				dropped = append(dropped, nameOf(d.lists, p.Enterprise))
				droppedIDs = append(droppedIDs, p.Enterprise)
			}
		}
		if len(droppedIDs) > 0 {
			if _, err := tx.Exec(ctx, "UPDATE enforce_draws SET not_carried_out = ? WHERE id = ?", ids(droppedIDs), id); err != nil {
				return err
			}
		}
		b := tx.Batch()
		defer b.Close()
		if err := b.Copy(ctx, "enforce_inspections", []string{"unit_id", "enterprise_id", "region_code", "year", "month", "kind", "basis", "draw_id",
			"officers", "created_by", "created_at"}, len(kept), func(i int, dst []any) []any {
			p := kept[i]
			return append(dst, d.UnitID, p.Enterprise, at[p.Enterprise].Region, local.Year(), int(local.Month()), Routine, BasisDraw, id,
				ids(p.Officers), a.UserID, now)
		}); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.draw.run", ObjectKind: "enforce_draw", ObjectID: fmt.Sprint(id),
			Region: d.Region, After: map[string]any{"public_value": public, "share": rec.Share, "seed": rec.Seed, "drawn": teams(d.lists, rec.Result),
				"not_carried_out": dropped}})
	})
}

// RecusalInput is the party's application for an officer's recusal.
type RecusalInput struct {
	EnterpriseID int64  `json:"enterprise_id"`
	OfficerID    int64  `json:"officer_id"`
	Reason       string `json:"reason"`
}

// Recuse grants a recusal on the party's application (行政处罚法 Art. 43:
// 由行政机关负责人决定, so the approve permission): only that slot is
// redrawn, from the same seed, and recorded.
func (s *Service) Recuse(ctx context.Context, a *org.Actor, id int64, in RecusalInput) (Recusal, error) {
	if err := department(a, org.PermEnforceApprove); err != nil {
		return Recusal{}, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	var c apperr.Checks
	c.If(in.EnterpriseID == 0, "enterprise_id", "请选择企业")
	c.If(in.OfficerID == 0, "officer_id", "请选择申请回避的执法人员")
	c.If(in.Reason == "", "reason", "请填写申请回避的理由")
	_ = c.Take(apperr.Lengths(apperr.Text{Field: "reason", Label: "回避理由", Max: Limits["reason"], Value: in.Reason}))
	if err := c.Err(); err != nil {
		return Recusal{}, err
	}
	now := s.clock.Now()
	var r Recusal
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE enforce_draws SET state = state WHERE id = ? AND unit_id = ?", id, a.Unit.ID); err != nil {
			return err
		}
		d, err := getDraw(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if d.UnitID != a.Unit.ID {
			return apperr.New(apperr.NotFound, "抽查不存在或不在您的管辖范围内")
		}
		if d.State != Drawn {
			return apperr.New(apperr.Conflict, "本批尚未抽取")
		}
		onTeam := false
		for _, p := range d.result {
			onTeam = onTeam || (p.Enterprise == in.EnterpriseID && slices.Contains(p.Officers, in.OfficerID))
		}
		if !onTeam {
			return apperr.Field("officer_id", fmt.Sprintf("%s不在%s的检查组中", d.OfficerName(in.OfficerID), nameOf(d.lists, in.EnterpriseID)))
		}
		seed, _ := hex.DecodeString(d.Seed)
		if r, err = d.lists.Recuse(seed, d.result, d.Recusals, in.EnterpriseID, in.OfficerID, in.Reason); err != nil {
			return apperr.Field("officer_id", err.Error())
		}
		Apply(d.result, r)
		result, _ := json.Marshal(d.result)
		var team []int64
		for _, p := range d.result {
			if p.Enterprise == r.Enterprise {
				team = p.Officers
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO enforce_recusals (draw_id, enterprise_id, n, officer_id, replacement, reason, decided_by, decided_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, r.Enterprise, countOn(d.Recusals, r.Enterprise)+1, r.Officer, r.Replacement, r.Reason, a.UserID, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE enforce_draws SET result = ? WHERE id = ?", string(result), id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE enforce_inspections SET officers = ? WHERE draw_id = ? AND enterprise_id = ?", ids(team), id, r.Enterprise); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.draw.recuse", ObjectKind: "enforce_draw", ObjectID: fmt.Sprint(id),
			Region: d.Region, After: map[string]any{"enterprise": nameOf(d.lists, r.Enterprise), "officer": d.OfficerName(r.Officer),
				"replacement": d.OfficerName(r.Replacement), "reason": r.Reason}})
	})
	return r, err
}

// teams are the picks as the audit log shows them: 企业: 执法人员、执法人员.
func teams(l DrawLists, picks []Pick) []string {
	d := Draw{lists: l}
	out := make([]string, len(picks))
	for i, p := range picks {
		names := make([]string, len(p.Officers))
		for j, o := range p.Officers {
			names[j] = d.OfficerName(o)
		}
		out[i] = nameOf(l, p.Enterprise) + ": " + strings.Join(names, "、")
	}
	return out
}

func countOn(rs []Recusal, e int64) int {
	n := 0
	for _, r := range rs {
		if r.Enterprise == e {
			n++
		}
	}
	return n
}

func nameOf(l DrawLists, e int64) string {
	for _, x := range l.Enterprises {
		if x.ID == e {
			return x.Name
		}
	}
	return fmt.Sprint(e)
}

// DrawPreview is the size of the two 名录库 a draw's filter gives now.
type DrawPreview struct {
	Enterprises int `json:"enterprises"`
	Officers    int `json:"officers"`
}

// PreviewDraw says how large the 名录库 of a filter are, before step 1
// fixes them (the form shows it; nothing is stored).
func (s *Service) PreviewDraw(ctx context.Context, a *org.Actor, in DrawInput) (DrawPreview, error) {
	if err := department(a, org.PermEnforcePlan); err != nil {
		return DrawPreview{}, err
	}
	now := s.clock.Now()
	caps, _, err := s.CapsFor(ctx, s.db, a.Unit.Region)
	if err != nil {
		return DrawPreview{}, err
	}
	in.Count, in.PerEnterprise = 1, MinOfficers
	l, err := s.lists(ctx, s.db, a.Unit.ID, calendar.Local(now).Year(), now, in, caps)
	if err != nil && len(l.Enterprises) > 0 {
		return DrawPreview{}, err
	}
	return DrawPreview{Enterprises: len(l.Enterprises), Officers: len(l.Officers)}, nil
}
