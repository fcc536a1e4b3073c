package hazard

import (
	"context"
	"fmt"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/docs"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// Bulletin is the 通报 (通报制) of a period: hazards reported and closed in
// it, the overdue and open major ones at its end, broken down by street,
// department and category, and the major hazards still open.
type Bulletin struct {
	From, To  string           `json:"-"`
	Period    string           `json:"period"`
	Issuer    string           `json:"issuer"`
	Addressee string           `json:"addressee"`
	Area      string           `json:"area"`    // 全区, 全市, 全省
	Figures   Figures          `json:"figures"` // Total/Major: reported in the period; Closed/MajorClosed: closed in it
	Majors    []Hazard         `json:"majors"`  // open major hazards, listed first
	Listed    map[int64]string `json:"listed"`
	Contact   string           `json:"contact,omitempty"` // 联系人: who drew the bulletin up
	Phone     string           `json:"phone,omitempty"`
}

// Bulletin gathers the bulletin of [from, to] (dates) in the actor's scope;
// from and to default to this month so far. A period that does not read is
// a field error, with the Bulletin's From and To as asked for.
func (s *Service) Bulletin(ctx context.Context, a *org.Actor, from, to string) (Bulletin, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return Bulletin{}, err
	}
	today := s.today()
	if from == "" {
		from = today[:8] + "01"
	}
	if to == "" {
		to = today
	}
	f, err1 := time.ParseInLocation("2006-01-02", from, calendar.Shanghai)
	t, err2 := time.ParseInLocation("2006-01-02", to, calendar.Shanghai)
	switch {
	case err1 != nil:
		return Bulletin{From: from, To: to}, apperr.Field("from", "请填写通报起始日期 (年-月-日)")
	case err2 != nil:
		return Bulletin{From: from, To: to}, apperr.Field("to", "请填写通报截止日期 (年-月-日)")
	case t.Before(f):
		return Bulletin{From: from, To: to}, apperr.Field("to", "截止日期不能早于起始日期")
	}
	end := t.AddDate(0, 0, 1)
	b := Bulletin{From: from, To: to, Period: docs.ChineseDate(from) + "至" + docs.ChineseDate(to), Issuer: a.Unit.Name, Listed: map[int64]string{},
		Area: "辖区", Addressee: "各有关单位"}
	switch TierOf(a.Unit.Region) {
	case "county":
		b.Area, b.Addressee = "全"+regionWord(a.Unit.Region), "各街道（乡镇）、本级安委会各成员单位"
	case "city":
		b.Area, b.Addressee = "全市", "各区县安委会、市安委会各成员单位"
	case "province":
		b.Area, b.Addressee = "全省", "各市安委会、省安委会各成员单位"
	}
	b.Figures.Today = s.today()
	if err := s.db.QueryRow(ctx, "SELECT us.display_name, us.phone FROM "+org.UsersView+" us WHERE us.id = ?", a.UserID).
		Scan(&b.Contact, &b.Phone); err != nil && !store.NoRows(err) {
		return b, err
	}
	asOf := min(to, b.Figures.Today)
	w, args := scopeWhere(a)
	var parts []unitCount
	if err := s.each(ctx, &parts, `SELECT h.unit_id, h.region_code, h.source, COUNT(*), 0, SUM(CASE WHEN h.level = 'major' THEN 1 ELSE 0 END), 0, 0, 0
		FROM hazards h WHERE h.created_at >= ? AND h.created_at < ? AND `+w+` GROUP BY h.unit_id, h.region_code, h.source`,
		append([]any{f.UTC(), end.UTC()}, args...)...); err != nil {
		return b, err
	}
	if err := s.each(ctx, &parts, `SELECT h.unit_id, h.region_code, h.source, 0, COUNT(*), 0, SUM(CASE WHEN h.level = 'major' THEN 1 ELSE 0 END), 0, 0
		FROM hazards h WHERE h.closed_at >= ? AND h.closed_at < ? AND `+w+` GROUP BY h.unit_id, h.region_code, h.source`,
		append([]any{f.UTC(), end.UTC()}, args...)...); err != nil {
		return b, err
	}
	if err := s.each(ctx, &parts, `SELECT h.unit_id, h.region_code, h.source, 0, 0, 0, 0,
		SUM(CASE WHEN h.level = 'major' THEN 1 ELSE 0 END), SUM(CASE WHEN h.deadline > '' AND h.deadline < ? THEN 1 ELSE 0 END)
		FROM hazards h WHERE h.state <> 'closed' AND (h.level = 'major' OR (h.deadline > '' AND h.deadline < ?)) AND `+w+`
		GROUP BY h.unit_id, h.region_code, h.source`, append([]any{asOf, asOf}, args...)...); err != nil {
		return b, err
	}
	if err := s.breakdown(ctx, parts, &b.Figures); err != nil {
		return b, err
	}
	majors, _, err := s.List(ctx, a, Filter{Level: Major, Open: true, Page: paging.Page{Limit: 200}})
	if err != nil {
		return b, err
	}
	for _, h := range majors {
		if h.ListedBy != 0 {
			b.Majors = append(b.Majors, h)
		}
	}
	for _, h := range majors {
		if h.ListedBy == 0 {
			b.Majors = append(b.Majors, h)
		}
	}
	ls, _, err := s.Listings(ctx, a, ListingFilter{Active: true, Page: paging.Page{Limit: 500}})
	if err != nil {
		return b, err
	}
	for _, l := range ls {
		if b.Listed[l.HazardID] == "" {
			b.Listed[l.HazardID] = TierName(l.Tier) + "挂牌 " + l.DocNumber
		}
	}
	return b, nil
}

// Letter is the bulletin as a printable 通报.
func (b Bulletin) Letter() docs.Letter {
	all := b.Figures.All
	l := docs.Letter{
		Issuer: b.Issuer, Title: "关于" + b.Period + "隐患排查治理情况的通报", Addressee: b.Addressee,
		Body: []string{
			fmt.Sprintf("%s，%s共排查上报事故隐患%d项，其中重大事故隐患%d项；同期完成整改销号%d项，其中重大事故隐患%d项。"+
				"截至%s，逾期未整改隐患%d项，尚未销号的重大事故隐患%d项。", b.Period, b.Area, all.Total, all.Major, all.Closed, all.MajorClosed,
				docs.ChineseDate(min(b.To, b.Figures.Today)), all.Overdue, all.OpenMajor),
			"现将有关情况通报如下。",
		},
		Signature: b.Issuer, Date: docs.ChineseDate(b.Figures.Today),
		PrintedBy: b.Issuer, PrintedDate: docs.ChineseDate(b.Figures.Today), Contact: b.Contact, Phone: b.Phone,
		Closing: []string{"各单位要对照通报情况，压实企业主体责任和部门监管责任，对逾期未整改的隐患逐项督办，" +
			"对重大事故隐患实行“一单四制”管理，确保按期整改销号、动态清零。"},
	}
	dims := []struct {
		caption string
		rows    []Count
	}{{"一、按属地统计", b.Figures.ByRegion}, {"二、按监管部门统计", b.Figures.ByDept}, {"三、按行业领域统计", b.Figures.ByCategory}}
	for _, d := range dims {
		t := docs.Table{Caption: d.caption, Header: []string{"单位/领域", "新增", "其中重大", "销号", "逾期", "重大未销号"}, Widths: []float64{3, 1, 1, 1, 1, 1.3}}
		for _, c := range d.rows {
			t.Rows = append(t.Rows, []string{c.Name, fmt.Sprint(c.Total), fmt.Sprint(c.Major), fmt.Sprint(c.Closed), fmt.Sprint(c.Overdue), fmt.Sprint(c.OpenMajor)})
		}
		if len(t.Rows) == 0 {
			t.Rows = [][]string{{"无", "0", "0", "0", "0", "0"}}
		}
		l.Tables = append(l.Tables, t)
	}
	t := docs.Table{Caption: "四、尚未销号的重大事故隐患", Header: []string{"隐患编号", "企业", "隐患", "整改期限", "督办"}, Widths: []float64{2.2, 2.2, 3, 1.4, 2}}
	for _, h := range b.Majors {
		due := h.Deadline
		if h.Overdue {
			due += "（逾期）"
		}
		t.Rows = append(t.Rows, []string{h.Number, h.Enterprise, h.Place + "：" + h.Description, due, b.Listed[h.ID]})
	}
	if len(t.Rows) == 0 {
		t.Rows = [][]string{{"无", "", "", "", ""}}
	}
	l.Tables = append(l.Tables, t)
	return l
}

// regionWord is the last character of a county's name (区, 县, 市, 旗).
func regionWord(code string) string {
	all, err := org.Divisions()
	if r, ok := all[code]; err == nil && ok {
		if n := []rune(r.Name); len(n) > 0 {
			return string(n[len(n)-1])
		}
	}
	return "区"
}
