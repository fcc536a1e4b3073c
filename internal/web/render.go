package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/codes"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/plan"
	"anwei/internal/risk"
	"anwei/internal/rules"
)

//go:embed templates
var templateFiles embed.FS

type pages struct {
	byName map[string]*template.Template
}

// pageData is what every page template receives.
type pageData struct {
	Title string
	Actor *org.Actor
	Path  string
	Flash string
	Data  any
	// Form keeps what the user typed, Err what was wrong with it.
	Form url.Values
	Err  *apperr.Error
	// Unread is the actor's unit's unread inbox messages.
	Unread int
}

// Nav returns the navigation the actor may use: only what exists.
func (p pageData) Nav() []navSection {
	return navFor(p.Actor)
}

type navItem struct {
	Label, Href string
}

type navSection struct {
	Label string
	Items []navItem
}

func navFor(a *org.Actor) []navSection {
	if a == nil {
		return nil
	}
	out := []navSection{{Label: "工作台", Items: []navItem{{"首页", "/"}}}}
	if a.Can(org.PermOrgRead) {
		tasks := navSection{Label: "任务督办", Items: []navItem{{"工作要点", "/plans"}, {"我的任务", "/tasks"}}}
		if a.Can(org.PermPlanSupervise) {
			tasks.Items = append(tasks.Items, navItem{"督办", "/supervise"})
		}
		tasks.Items = append(tasks.Items, navItem{"督办文书", "/notices"})
		out = append(out, tasks)
		ents := navSection{Label: "企业监管", Items: []navItem{{"企业档案", "/enterprises"}, {"证照到期", "/enterprises/expiring"}}}
		if a.Can(org.PermEntOwn) && a.Unit.Kind == org.KindEnterprise {
			ents.Items = []navItem{{"本企业档案", "/enterprises/" + strconv.FormatInt(a.Unit.ID, 10)}}
		}
		if a.Can(org.PermEntWrite) {
			ents.Items = append(ents.Items, navItem{"变更审核", "/enterprises/changes"})
		}
		if a.Can(org.PermEntImport) {
			ents.Items = append(ents.Items, navItem{"批量导入", "/enterprises/import"})
		}
		if a.Can(org.PermEntDuty) {
			ents.Items = append(ents.Items, navItem{"监管职责", "/enterprises/duties"})
		}
		out = append(out, ents)
		hz := navSection{Label: "双重预防", Items: []navItem{{"隐患排查治理", "/hazards"}}}
		if a.Can(org.PermHazardReport) {
			hz.Items = append(hz.Items, navItem{"上报隐患", "/hazards/new"})
		}
		if a.Unit.Kind != org.KindEnterprise {
			hz.Items = append(hz.Items, navItem{"挂牌督办", "/hazard-listings"}, navItem{"隐患统计", "/hazards/figures"}, navItem{"隐患通报", "/hazards/bulletin"})
		}
		hz.Items = append(hz.Items, navItem{"风险分级管控", "/risks"})
		out = append(out, hz)
		out = append(out, navSection{Label: "组织机构", Items: []navItem{
			{"行政区划", "/org/regions"}, {"单位", "/org/units"}, {"安委会", "/org/committees"}, {"用户", "/org/users"}}})
	}
	if a.Can(org.PermAuditRead) {
		out = append(out, navSection{Label: "监督", Items: []navItem{{"审计日志", "/audit"}}})
	}
	acct := navSection{Label: "我的账号"}
	if a.Unit.ID != 0 {
		acct.Items = append(acct.Items, navItem{"消息", "/inbox"})
	}
	if a.Can(org.PermTokenWriteOwn) {
		acct.Items = append(acct.Items, navItem{"接口令牌", "/account/tokens"})
	}
	if len(acct.Items) > 0 {
		out = append(out, acct)
	}
	return out
}

var funcs = template.FuncMap{
	"roleName":  func(r org.Role) string { return r.Name() },
	"kindName":  func(k org.UnitKind) string { return k.Name() },
	"levelName": func(l org.Level) string { return l.Name() },
	"crName":    func(r org.CommitteeRole) string { return r.Name() },
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return calendar.Local(t).Format("2006-01-02 15:04")
	},
	"roles": func() []org.Role { return org.Roles },
	"kinds": func() []org.UnitKind { return org.UnitKinds },
	"crs": func() []org.CommitteeRole {
		return []org.CommitteeRole{org.CommitteeOffice, org.CommitteeSpecial, org.CommitteeMember}
	},
	"hasRole":     func(rs []org.Role, r org.Role) bool { return containsRole(rs, r) },
	"join":        strings.Join,
	"fkey":        fieldKey,
	"stdName":     func(k string) string { return codes.NameOf(enterprise.StdLevels, k) },
	"statusName":  func(k string) string { return codes.NameOf(enterprise.Statuses, k) },
	"scaleName":   func(k string) string { return codes.NameOf(enterprise.Scales, k) },
	"postName":    func(k string) string { return codes.NameOf(enterprise.Posts, k) },
	"catName":     enterprise.CategoryName,
	"classes":     func() []string { return []string{"A", "B", "C", "D"} },
	"creditBasis": func() string { return enterprise.CreditBasis },
	"tabs":        func() []codes.Choice { return profileTabs },
	"tabName":     func(k string) string { return codes.NameOf(profileTabs, k) },
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	},
	"chemicals": func() []rules.Chemical { cs, _ := rules.Chemicals(); return cs },
	// fv is a form field's value: what the user typed when the form came
	// back with an error, else the stored value.
	"fv": func(f url.Values, k string, def any) string {
		if f != nil {
			return f.Get(k)
		}
		return fmt.Sprint(def)
	},
	"bad": func(e *apperr.Error, field string) string {
		if e != nil && e.Field == field {
			return "bad"
		}
		return ""
	},
	"periods":   func() any { return plan.Periods },
	"hzLevel":   hazard.LevelName,
	"list3":     breakdowns,
	"list":      func(xs ...string) []string { return xs },
	"hzSource":  func(k string) string { return codes.NameOf(hazard.Sources, k) },
	"hzAction":  hazard.ActionName,
	"hzTier":    hazard.TierName,
	"criterion": hazard.CriterionText,
	"colour":    risk.ColourName,
	"control":   risk.ControlLevelName,
	"pct":       func(x float64) string { return strconv.FormatFloat(x*100, 'f', 1, 64) + "%" },
	"can":       func(a *org.Actor, p string) bool { return a.Can(org.Perm(p)) },
	"str":       func(v any) string { return fmt.Sprint(v) },
	"pretty":    prettyJSON,
	"isCurrent": func(path, href string) bool { return path == href || (href != "/" && strings.HasPrefix(path, href)) },
}

func containsRole(rs []org.Role, r org.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func parsePages() (*pages, error) {
	p := &pages{byName: map[string]*template.Template{}}
	layout, err := fs.ReadFile(templateFiles, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	entries, err := fs.Glob(templateFiles, "templates/*/*.html")
	if err != nil {
		return nil, err
	}
	more, _ := fs.Glob(templateFiles, "templates/*.html")
	entries = append(entries, more...)
	// Partials (templates/partials/*.html) are blocks several pages share.
	partials, _ := fs.Glob(templateFiles, "templates/partials/*.html")
	var shared []string
	for _, name := range partials {
		b, err := fs.ReadFile(templateFiles, name)
		if err != nil {
			return nil, err
		}
		shared = append(shared, string(b))
	}
	for _, name := range entries {
		if name == "templates/layout.html" || strings.HasPrefix(name, "templates/partials/") {
			continue
		}
		body, err := fs.ReadFile(templateFiles, name)
		if err != nil {
			return nil, err
		}
		key := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		t, err := template.New("layout").Funcs(funcs).Parse(string(layout))
		if err != nil {
			return nil, fmt.Errorf("layout: %w", err)
		}
		for i, sh := range shared {
			if _, err := t.New(partials[i]).Parse(sh); err != nil {
				return nil, fmt.Errorf("%s: %w", partials[i], err)
			}
		}
		if _, err := t.New(key).Parse(string(body)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		p.byName[key] = t
	}
	return p, nil
}

// render executes a page. An htmx request for a fragment gets only the
// "content" block.
func (p *pages) render(w http.ResponseWriter, r *http.Request, name string, d pageData) {
	t, ok := p.byName[name]
	if !ok {
		http.Error(w, "模板 "+name+" 不存在", http.StatusInternalServerError)
		return
	}
	d.Path = r.URL.Path
	d.Unread = unreadOf(r)
	var buf bytes.Buffer
	root := "layout"
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Boosted") == "" {
		root = "content"
	}
	if err := t.ExecuteTemplate(&buf, root, d); err != nil {
		http.Error(w, "页面渲染失败: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = buf.WriteTo(w)
}

// pager is the pagination of a listing.
type pager struct {
	Page, Size, Total, Pages int
	Query                    url.Values
}

func newPager(r *http.Request, size, total int) pager {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pages := max(1, (total+size-1)/size)
	page = min(max(page, 1), pages)
	return pager{Page: page, Size: size, Total: total, Pages: pages, Query: r.URL.Query()}
}

func pageOf(r *http.Request, size int) paging.Page {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	return paging.Page{Offset: (max(page, 1) - 1) * size, Limit: size}
}

// Link returns the query string for page n, keeping the filters.
func (p pager) Link(n int) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return "?" + q.Encode()
}

// Prev and Next are the neighbouring pages (0 if none).
func (p pager) Prev() int {
	if p.Page > 1 {
		return p.Page - 1
	}
	return 0
}

func (p pager) Next() int {
	if p.Page < p.Pages {
		return p.Page + 1
	}
	return 0
}

// fragment renders one named template of a page (an htmx partial).
func (p *pages) fragment(w http.ResponseWriter, page, name string, data any) error {
	t, ok := p.byName[page]
	if !ok {
		return fmt.Errorf("模板 %s 不存在", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err := buf.WriteTo(w)
	return err
}

// profileTabs are the 一企一档 tabs; hazards, inspections and accidents fill
// in as those mechanisms land.
var profileTabs = []codes.Choice{{Key: "basic", Name: "基本信息"}, {Key: "duty", Name: "监管责任"}, {Key: "sources", Name: "重大危险源"},
	{Key: "papers", Name: "证照人员"}, {Key: "credit", Name: "信用"}, {Key: "hazards", Name: "隐患"}, {Key: "risks", Name: "风险"}, {Key: "inspections", Name: "检查"},
	{Key: "accidents", Name: "事故"}}

// breakdown is one labelled table of hazard counts.
type breakdown struct {
	Label string
	Rows  []hazard.Count
}

// breakdowns pairs labels with their counts for a page: "属地", rows, ….
func breakdowns(pairs ...any) []breakdown {
	var out []breakdown
	for i := 0; i+1 < len(pairs); i += 2 {
		label, _ := pairs[i].(string)
		rows, _ := pairs[i+1].([]hazard.Count)
		out = append(out, breakdown{Label: label, Rows: rows})
	}
	return out
}
