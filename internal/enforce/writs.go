package enforce

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/docs"
	"anwei/internal/enterprise"
	"anwei/internal/numbering"
	"anwei/internal/org"
	"anwei/internal/store"
)

// WritKind is a kind of 执法文书 an inspection issues, with its title and
// the 代字 of its number. The 2017 writ catalogue's marks (REGULATIONS.md
// §14.2 [C]); regions that renamed 安监 to 应急 number them
// "(地区)应急检记〔年〕N号" [U] — the marks are this table, the region's
// character and 应急 the prefix (writPrefix).
type WritKind struct {
	Key, Title, Mark string
	Receipt          bool // served on the party with a 送达回执
}

// The writ kinds of an inspection.
const (
	WritNotice  = "notice"  // 执法检查通知书: the approved task, told to the enterprise
	WritRecord  = "record"  // 现场检查记录 (安全生产法 Art. 68)
	WritOrder   = "order"   // 责令限期整改指令书 (Art. 65 (三), 102)
	WritReview  = "review"  // 整改复查意见书
	WritMeasure = "measure" // 现场处理措施决定书 (Art. 65 (三): 撤人、停产停业、停止使用)
)

// WritKinds are the kinds in the order an inspection issues them.
var WritKinds = []WritKind{
	{WritNotice, "执法检查通知书", "检通", true},
	{WritRecord, "现场检查记录", "检记", false},
	{WritMeasure, "现场处理措施决定书", "现决", true},
	{WritOrder, "责令限期整改指令书", "责改", true},
	{WritReview, "整改复查意见书", "复查", true},
}

// KindOfWrit is a kind by key.
func KindOfWrit(key string) (WritKind, bool) {
	for _, k := range WritKinds {
		if k.Key == key {
			return k, true
		}
	}
	return WritKind{}, false
}

// writNumbers numbers each department's writs per kind and year without
// gaps (a 文号: a missing number reads as a writ withdrawn).
var writNumbers = numbering.Declare(numbering.Series{Name: "enforce.writ", Per: "department/kind", GapFree: true})

// writPrefix is a department's writs' prefix, the region's first
// character in brackets and the department's 代字: (天)应急 for 济南市天桥区
// 应急管理局 (short name 区应急局), (天)住建 for its 区住建局. The 代字 is
// the short name without the level's 区/市/县/省 and the trailing 局/委/办
// ([U]: a department's own 代字 may differ; the numbers stay unique per
// department either way).
func writPrefix(label, region string) string {
	mark := []rune(label)
	if i := strings.LastIndexAny(string(mark), "区市县省"); i >= 0 && len([]rune(string(mark)[i:])) > 2 && !strings.HasPrefix(string(mark)[i:], "市场") {
		mark = []rune(string(mark)[i:])[1:] // 济南市天桥区应急管理局 → 应急管理局
	}
	for len(mark) > 2 && strings.ContainsRune("局委办厅", mark[len(mark)-1]) {
		mark = mark[:len(mark)-1]
	}
	if m := string(mark); len(mark) > 2 && strings.HasSuffix(m, "管理") {
		mark = []rune(strings.TrimSuffix(m, "管理"))
	}
	if len(mark) > 4 {
		mark = mark[:2]
	}
	place := []rune(org.DocPrefix(region))
	if len(place) == 0 || string(place) == "安委办" {
		return string(mark)
	}
	return "(" + string(place[0]) + ")" + string(mark)
}

// Writ is one 执法文书 as issued: its number, date and what it says.
type Writ struct {
	ID           int64        `json:"id"`
	InspectionID int64        `json:"inspection_id"`
	Kind         string       `json:"kind"`
	Title        string       `json:"title"`
	Number       string       `json:"number"`
	IssuedOn     string       `json:"issued_on"`
	Fields       []docs.Field `json:"fields"`
	Basis        string       `json:"basis"`
}

// issue numbers and stores a writ of kind on inspection i in tx.
func issue(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, i Inspection, kind string, fields []docs.Field, basis string) (Writ, error) {
	k, ok := KindOfWrit(kind)
	if !ok {
		return Writ{}, fmt.Errorf("unknown writ kind %q", kind)
	}
	year, number, on, err := takeNumber(ctx, tx, now, a, i.UnitID, k, i.Enterprise, fields, basis)
	if err != nil {
		return Writ{}, err
	}
	w := Writ{InspectionID: i.ID, Kind: kind, Title: k.Title, Number: number, IssuedOn: on, Fields: fields, Basis: basis}
	raw, _ := json.Marshal(fields)
	w.ID, err = tx.InsertID(ctx, `INSERT INTO enforce_writs (inspection_id, unit_id, kind, year, number, fields, basis, issued_on, issued_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, i.ID, i.UnitID, kind, year, w.Number, string(raw), basis, w.IssuedOn, a.UserID, now)
	return w, err
}

// takeNumber checks a writ of kind k printable and takes its 文号 in the
// department's series: the year, the number and the day of issue.
func takeNumber(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, unitID int64, k WritKind, partyName string, fields []docs.Field, basis string) (int, string, string, error) {
	year := calendar.Local(now).Year()
	// What the writ says is checked before its 文号 is taken: a number
	// issued to a writ that cannot be printed would be lost for good.
	if err := (docs.Form{Issuer: a.Unit.Name, Title: k.Title, DocNumber: "〔" + strconv.Itoa(year) + "〕", Fields: fields, Basis: basis,
		Party: partyName}).Check(); err != nil {
		return 0, "", "", err
	}
	var label string // the department's short name (区应急局), else its name
	if err := tx.QueryRow(ctx, "SELECT label FROM "+org.UnitsView+" u WHERE id = ?", unitID).Scan(&label); err != nil {
		return 0, "", "", err
	}
	n, err := numbering.NextNumber(ctx, tx, writNumbers, numbering.ID(unitID)+"/"+k.Key, year)
	if err != nil {
		return 0, "", "", err
	}
	return year, numbering.DocNumber(writPrefix(label, a.Unit.Region)+k.Mark, year, n), calendar.Local(now).Format("2006-01-02"), nil
}

// party is the enterprise as a writ addresses it.
type party struct {
	Name, CreditCode, Region, Address, LegalRep, Principal, Phone, Categories, MajorGrade string
}

func partyOf(ctx context.Context, q querier, id int64) (party, error) {
	var p party
	err := q.QueryRow(ctx, "SELECT name, credit_code, region_code, address, legal_rep, principal, principal_phone, categories, major_grade FROM "+
		enterprise.PartyView+" e WHERE unit_id = ?", id).Scan(&p.Name, &p.CreditCode, &p.Region, &p.Address, &p.LegalRep, &p.Principal, &p.Phone,
		&p.Categories, &p.MajorGrade)
	return p, err
}

// head is the fields every writ opens with: the party.
func (p party) head() []docs.Field {
	rep := p.LegalRep
	if p.Principal != "" && p.Principal != rep {
		rep = strings.Trim(rep+" / 主要负责人 "+p.Principal, " /")
	}
	return []docs.Field{{Label: "被检查单位", Value: []string{p.Name}}, {Label: "统一社会信用代码", Value: []string{p.CreditCode}},
		{Label: "地址", Value: []string{p.Address}}, {Label: "法定代表人 (负责人)", Value: []string{rep}}}
}

// team names the officers with their 执法证号 (Art. 42: shown on site).
func team(ctx context.Context, q querier, ids []int64) ([]teamMember, error) {
	var out []teamMember
	for _, id := range ids {
		m := teamMember{UserID: id}
		err := q.QueryRow(ctx, "SELECT u.display_name, COALESCE(o.cert_no, '') FROM "+org.UsersView+
			" u LEFT JOIN enforce_officers o ON o.user_id = u.id WHERE u.id = ?", id).Scan(&m.Name, &m.Cert)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

type teamMember struct {
	UserID     int64
	Name, Cert string
}

func teamWords(ms []teamMember) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, m.Name+" (执法证号 "+m.Cert+")")
	}
	return strings.Join(parts, "、")
}

// issueNotice issues the 执法检查通知书 of an approved task: what is
// inspected, when, by whom, the year's cap and the count so far, and the
// right to ask for recusal (行政处罚法 Art. 43; 国办发〔2024〕54号).
func (s *Service) issueNotice(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, i Inspection, caps CapTable) (Writ, error) {
	p, err := partyOf(ctx, tx, i.EnterpriseID)
	if err != nil {
		return Writ{}, err
	}
	ms, err := team(ctx, tx, officersOf(i.Officers))
	if err != nil {
		return Writ{}, err
	}
	var class, std string
	if err := tx.QueryRow(ctx, "SELECT class, std_level FROM "+enterprise.RosterView+" r WHERE unit_id = ?", i.EnterpriseID).Scan(&class, &std); err != nil {
		return Writ{}, err
	}
	cats := splitList(p.Categories)
	limit, ok := caps.Cap(cats, "", std)
	done, err := counted(ctx, tx, i.EnterpriseID, i.Year, Routine)
	if err != nil {
		return Writ{}, err
	}
	capWords := fmt.Sprintf("本机关本年度对你单位的例行检查上限为 %d 次，含本次已安排 %d 次", limit, done)
	if !ok {
		capWords = "本机关本年度对你单位的检查上限以公布的检查频次上限表为准"
	}
	if i.Kind == Case {
		capWords = "本次为" + i.BasisName + "，依规定不计入例行检查频次上限"
	}
	items, err := s.items(ctx, tx, i)
	if err != nil {
		return Writ{}, err
	}
	fields := append(p.head(),
		docs.Field{Label: "检查事由", Value: []string{i.BasisName}},
		docs.Field{Label: "检查时间", Value: []string{docs.ChineseDate(i.DueFrom) + "至" + docs.ChineseDate(i.DueTo)}},
		docs.Field{Label: "检查内容", Value: []string{fmt.Sprintf("按检查表逐项检查 %d 项 (重大事故隐患判定标准所列情形及安全生产法规定的主要违法行为)", len(items))}},
		docs.Field{Label: "执法人员", Value: []string{teamWords(ms)}},
		docs.Field{Label: "检查频次", Value: []string{capWords}},
		docs.Field{Label: "告知事项", Value: []string{"执法人员将出示行政执法证件并扫描你单位的入企码。你单位应当予以配合，不得拒绝、阻挠 (安全生产法第六十六条)。",
			"你单位认为执法人员与你单位有直接利害关系或者有其他关系可能影响公正执法的，有权申请回避 (行政处罚法第四十三条)。"}})
	return issue(ctx, tx, now, a, i, WritNotice, fields, "《中华人民共和国安全生产法》第六十二条、第六十五条；《中华人民共和国行政处罚法》第四十二条、第四十三条")
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// WritsOf lists an inspection's writs, in the order issued.
func writsOf(ctx context.Context, q querier, inspectionID int64) ([]Writ, error) {
	rows, err := q.Query(ctx, "SELECT id, inspection_id, kind, number, issued_on, fields, basis FROM enforce_writs WHERE inspection_id = ? ORDER BY id", inspectionID)
	return store.Collect(rows, err, scanWrit)
}

func scanWrit(r store.Scanner) (Writ, error) {
	var w Writ
	var raw string
	if err := r.Scan(&w.ID, &w.InspectionID, &w.Kind, &w.Number, &w.IssuedOn, &raw, &w.Basis); err != nil {
		return w, err
	}
	k, _ := KindOfWrit(w.Kind)
	w.Title = k.Title
	return w, json.Unmarshal([]byte(raw), &w.Fields)
}

// WritForm returns a writ of an inspection the actor may see as the form
// to print: issuer, title, number, the fields as issued, the legal basis,
// and the signature boxes — on the 现场检查记录 the officers' and the
// party's drawn signatures (or the party's refusal).
func (s *Service) WritForm(ctx context.Context, a *org.Actor, inspectionID, writID int64) (docs.Form, error) {
	d, err := s.GetInspection(ctx, a, inspectionID)
	if err != nil {
		return docs.Form{}, err
	}
	var w *Writ
	for i := range d.Writs {
		if d.Writs[i].ID == writID {
			w = &d.Writs[i]
		}
	}
	if w == nil {
		return docs.Form{}, apperr.New(apperr.NotFound, "文书不存在")
	}
	k, _ := KindOfWrit(w.Kind)
	f := docs.Form{Issuer: d.Unit, Title: k.Title, DocNumber: w.Number, Fields: w.Fields, Basis: w.Basis, Receipt: k.Receipt, Party: d.Enterprise}
	date := docs.ChineseDate(w.IssuedOn)
	if w.Kind == WritRecord {
		for _, sg := range d.Signatures {
			sn := docs.Signer{Role: sg.RoleName, Name: sg.Name, Certificate: sg.Certificate, Date: date}
			if sg.Refused {
				sn.Name = sg.Name + " (拒绝签字: " + sg.Reason + ")"
			} else if sg.SHA256 != "" {
				if sn.Image, err = s.readFile(sg.SHA256); err != nil {
					return f, err
				}
			}
			f.Signers = append(f.Signers, sn)
		}
		return f, nil
	}
	for _, m := range d.Team {
		f.Signers = append(f.Signers, docs.Signer{Role: "执法人员", Name: m.Name, Certificate: m.Cert, Date: date})
	}
	if k.Receipt {
		f.Signers = append(f.Signers, docs.Signer{Role: "被检查单位负责人", Date: ""})
	}
	return f, nil
}
