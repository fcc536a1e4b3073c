package enterprise

import (
	"context"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/codes"
	"anwei/internal/org"
	"anwei/internal/store"
)

// 三项岗位人员 and licences. 特种作业操作证: valid 6 years, reviewed (复审)
// every 3 years (原安监总局令第30号《特种作业人员安全技术培训考核管理规定》第十九条、
// 第二十一条); 主要负责人/安全管理人员 安全合格证: 3 years (原安监总局令第44号
// 《安全生产培训管理办法》第二十五条, confidence C in REGULATIONS.md §9).

// Posts are the three 岗位.
var Posts = []codes.Choice{{Key: "principal", Name: "主要负责人"}, {Key: "safety", Name: "安全生产管理人员"}, {Key: "special", Name: "特种作业人员"}}

// CertificateBasis cites the validity rules.
const CertificateBasis = "特种作业操作证有效期6年、每3年复审 (原安监总局令第30号)；主要负责人和安全管理人员安全合格证有效期3年 (原安监总局令第44号)"

// Certificate is a person's certificate.
type Certificate struct {
	ID         int64  `json:"id"`
	UnitID     int64  `json:"enterprise_id"`
	Enterprise string `json:"enterprise,omitempty"`
	Person     string `json:"person"`
	Post       string `json:"post"`
	WorkType   string `json:"work_type"`
	Number     string `json:"number"`
	IssuedOn   string `json:"issued_on"`
	ExpiresOn  string `json:"expires_on"`
	ReviewDue  string `json:"review_due"`
	ReviewedOn string `json:"reviewed_on"`
}

// CertificateInput is a certificate as entered; an empty expiry is
// computed from the issue date by the post's validity.
type CertificateInput struct {
	Person     string `json:"person"`
	Post       string `json:"post"`
	WorkType   string `json:"work_type"`
	Number     string `json:"number"`
	IssuedOn   string `json:"issued_on"`
	ExpiresOn  string `json:"expires_on"`
	ReviewedOn string `json:"reviewed_on"`
}

// certificate validates an input and fills the computed dates.
func (in CertificateInput) certificate() (Certificate, error) {
	c := Certificate{Person: strings.TrimSpace(in.Person), WorkType: strings.TrimSpace(in.WorkType), Number: strings.TrimSpace(in.Number)}
	var ch apperr.Checks // every field at once (issue 16.2), in the form's order
	ch.If(c.Person == "", "person", "请填写持证人姓名")
	if err := ch.Take(apperr.Lengths(text("person", "持证人姓名", c.Person), text("work_type", "作业类别", c.WorkType),
		text("number", "证书编号", c.Number))); err != nil {
		return c, err
	}
	var ok bool
	if c.Post, ok = choose(Posts, in.Post); !ok {
		ch.Add("post", "岗位应为 主要负责人/安全生产管理人员/特种作业人员")
	}
	ch.If(c.Post == "special" && c.WorkType == "", "work_type", "特种作业人员请填写作业类别 (如 电工作业)")
	ch.If(c.Number == "", "number", "请填写证书编号")
	var err error
	if c.IssuedOn, err = ParseDate(in.IssuedOn); err != nil {
		ch.Add("issued_on", "发证日期"+err.Error())
	}
	years := 3
	if c.Post == "special" {
		years = 6
	}
	if c.IssuedOn != "" {
		c.ExpiresOn = addYears(c.IssuedOn, years, 0)
	}
	if strings.TrimSpace(in.ExpiresOn) != "" {
		if c.ExpiresOn, err = ParseDate(in.ExpiresOn); err != nil {
			ch.Add("expires_on", "有效期至"+err.Error())
		} else if c.IssuedOn != "" && c.ExpiresOn <= c.IssuedOn {
			ch.Add("expires_on", "有效期应晚于发证日期")
		}
	}
	if c.Post == "special" && c.IssuedOn != "" {
		c.ReviewDue = addYears(c.IssuedOn, 3, 0)
	}
	if c.Post == "special" && strings.TrimSpace(in.ReviewedOn) != "" {
		if c.ReviewedOn, err = ParseDate(in.ReviewedOn); err != nil {
			ch.Add("reviewed_on", "复审日期"+err.Error())
		} else {
			c.ReviewDue = addYears(c.ReviewedOn, 3, 0)
		}
	}
	if c.ReviewDue > c.ExpiresOn {
		c.ReviewDue = c.ExpiresOn
	}
	return c, ch.Err()
}

// canKeep reports whether the actor may keep this enterprise's certificates
// and licences: government users with enterprise.write, or the enterprise.
func canKeep(a *org.Actor, unitID int64) error {
	if a.Can(org.PermEntWrite) || (a.Can(org.PermEntOwn) && a.Unit.ID == unitID) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "没有维护该企业证照的权限")
}

// AddCertificate records a certificate of an enterprise.
func (s *Service) AddCertificate(ctx context.Context, a *org.Actor, unitID int64, in CertificateInput) (Certificate, error) {
	if err := canKeep(a, unitID); err != nil {
		return Certificate{}, err
	}
	c, err := in.certificate() // the fields before the enterprise (issue 16.2)
	if err != nil {
		return c, err
	}
	e, err := s.Get(ctx, a, unitID)
	if err != nil {
		return Certificate{}, err
	}
	c.UnitID = unitID
	now := s.clock.Now()
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		c.ID, err = tx.InsertID(ctx, `INSERT INTO certificates (unit_id, person, post, work_type, number, issued_on, expires_on, review_due, reviewed_on)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, unitID, c.Person, c.Post, c.WorkType, c.Number, c.IssuedOn, c.ExpiresOn, c.ReviewDue, c.ReviewedOn)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, "enterprise.certificate.add", e, c)
	})
	return c, err
}

// Licence is a 安全生产许可证 or similar licence.
type Licence struct {
	ID         int64  `json:"id"`
	UnitID     int64  `json:"enterprise_id"`
	Enterprise string `json:"enterprise,omitempty"`
	Kind       string `json:"kind"`
	Number     string `json:"number"`
	Issuer     string `json:"issuer"`
	IssuedOn   string `json:"issued_on"`
	ExpiresOn  string `json:"expires_on"`
}

// LicenceKinds are the common safety licences.
var LicenceKinds = []string{"安全生产许可证", "危险化学品经营许可证", "危险化学品安全使用许可证", "危险化学品登记证", "烟花爆竹经营(零售)许可证",
	"非药品类易制毒化学品备案证明", "城镇燃气经营许可证", "道路运输经营许可证", "建筑施工企业安全生产许可证"}

// AddLicence records a licence of an enterprise.
func (s *Service) AddLicence(ctx context.Context, a *org.Actor, unitID int64, in Licence) (Licence, error) {
	if err := canKeep(a, unitID); err != nil {
		return Licence{}, err
	}
	// The form's fields first, every one at once (issue 16.2), then the enterprise.
	l := Licence{UnitID: unitID, Kind: strings.TrimSpace(in.Kind), Number: strings.TrimSpace(in.Number), Issuer: strings.TrimSpace(in.Issuer)}
	var ch apperr.Checks
	ch.If(l.Kind == "", "kind", "请填写证照名称")
	ch.If(l.Number == "", "number", "请填写证照编号")
	if err := ch.Take(apperr.Lengths(text("kind", "证照名称", l.Kind), text("number", "证照编号", l.Number), text("issuer", "发证机关", l.Issuer))); err != nil {
		return l, err
	}
	var err error
	if l.IssuedOn, err = ParseDate(in.IssuedOn); err != nil {
		ch.Add("issued_on", "发证日期"+err.Error())
	}
	if l.ExpiresOn, err = ParseDate(in.ExpiresOn); err != nil {
		ch.Add("expires_on", "有效期至"+err.Error())
	} else if l.IssuedOn != "" && l.ExpiresOn <= l.IssuedOn {
		ch.Add("expires_on", "有效期应晚于发证日期")
	}
	if err := ch.Err(); err != nil {
		return l, err
	}
	e, err := s.Get(ctx, a, unitID)
	if err != nil {
		return Licence{}, err
	}
	now := s.clock.Now()
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		l.ID, err = tx.InsertID(ctx, `INSERT INTO licences (unit_id, kind, number, issuer, issued_on, expires_on) VALUES (?, ?, ?, ?, ?, ?)`,
			unitID, l.Kind, l.Number, l.Issuer, l.IssuedOn, l.ExpiresOn)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, "enterprise.licence.add", e, l)
	})
	return l, err
}

// Papers are an enterprise's certificates and licences.
type Papers struct {
	Certificates []Certificate `json:"certificates"`
	Licences     []Licence     `json:"licences"`
}

// GetPapers lists an enterprise's certificates and licences.
func (s *Service) GetPapers(ctx context.Context, a *org.Actor, unitID int64) (Papers, error) {
	if _, err := s.Get(ctx, a, unitID); err != nil {
		return Papers{}, err
	}
	return s.papers(ctx, "e.unit_id = ?", []any{unitID}, "")
}

// Expiring lists, across the enterprises the actor may see, certificates and
// licences that expire (or, for 特种作业, fall due for 复审) within days —
// already expired ones included — soonest first. Days 0 (none asked for)
// is the 30 days of the usual warning.
func (s *Service) Expiring(ctx context.Context, a *org.Actor, days int) (Papers, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return Papers{}, err
	}
	if days == 0 {
		days = 30
	}
	if days < 0 || days > 366 {
		return Papers{}, apperr.Field("days", "天数应为 1-366")
	}
	w, args := a.Scope.UnitsWhere("e.region_code", "e.unit_id")
	return s.papers(ctx, w, args, addDays(s.today(), days))
}

func addDays(day string, n int) string {
	t, _ := time.Parse("2006-01-02", day)
	return t.AddDate(0, 0, n).Format("2006-01-02")
}

// papers reads certificates and licences of enterprises matching where; a
// non-empty until keeps those whose expiry (or review) falls on or before it.
func (s *Service) papers(ctx context.Context, where string, args []any, until string) (Papers, error) {
	var p Papers
	cq := `SELECT c.id, c.unit_id, e.name, c.person, c.post, c.work_type, c.number, c.issued_on, c.expires_on, c.review_due, c.reviewed_on
		FROM certificates c JOIN enterprises e ON e.unit_id = c.unit_id WHERE ` + where
	cargs := append([]any{}, args...)
	if until != "" {
		cq += " AND (c.expires_on <= ? OR (c.review_due <> '' AND c.review_due <= ?))"
		cargs = append(cargs, until, until)
	}
	rows, err := s.db.Query(ctx, cq+" ORDER BY CASE WHEN c.review_due <> '' AND c.review_due < c.expires_on THEN c.review_due ELSE c.expires_on END, c.id LIMIT 1000", cargs...)
	if p.Certificates, err = store.Collect(rows, err, func(r store.Scanner) (Certificate, error) {
		var c Certificate
		err := r.Scan(&c.ID, &c.UnitID, &c.Enterprise, &c.Person, &c.Post, &c.WorkType, &c.Number, &c.IssuedOn, &c.ExpiresOn,
			&c.ReviewDue, &c.ReviewedOn)
		return c, err
	}); err != nil {
		return p, err
	}
	lq := `SELECT l.id, l.unit_id, e.name, l.kind, l.number, l.issuer, l.issued_on, l.expires_on
		FROM licences l JOIN enterprises e ON e.unit_id = l.unit_id WHERE ` + where
	largs := append([]any{}, args...)
	if until != "" {
		lq += " AND l.expires_on <= ?"
		largs = append(largs, until)
	}
	rows, err = s.db.Query(ctx, lq+" ORDER BY l.expires_on, l.id LIMIT 1000", largs...)
	p.Licences, err = store.Collect(rows, err, func(r store.Scanner) (Licence, error) {
		var l Licence
		err := r.Scan(&l.ID, &l.UnitID, &l.Enterprise, &l.Kind, &l.Number, &l.Issuer, &l.IssuedOn, &l.ExpiresOn)
		return l, err
	})
	return p, err
}
