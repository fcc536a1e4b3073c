package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
)

// hazardChart is one breakdown as ECharts takes it.
type hazardChart struct {
	Names     []string `json:"names"`
	Keys      []string `json:"keys"` // the listing's filter value of each line (drill-down)
	Total     []int    `json:"total"`
	Closed    []int    `json:"closed"`
	OpenMajor []int    `json:"open_major"`
	Overdue   []int    `json:"overdue"`
}

func chartOfCounts(cs []hazard.Count) hazardChart {
	c := hazardChart{Names: []string{}, Keys: []string{}, Total: []int{}, Closed: []int{}, OpenMajor: []int{}, Overdue: []int{}}
	for _, x := range cs {
		c.Names = append(c.Names, x.Name)
		c.Keys = append(c.Keys, x.Key)
		c.Total = append(c.Total, x.Total)
		c.Closed = append(c.Closed, x.Closed)
		c.OpenMajor = append(c.OpenMajor, x.OpenMajor)
		c.Overdue = append(c.Overdue, x.Overdue)
	}
	return c
}

// hazardCharts is the JSON the figures page and the dashboard draw; a
// click on a bar opens /hazards filtered by the bar's line (its key under
// the breakdown's name: region, dept, category, source) and series (year).
func hazardCharts(f hazard.Figures) (template.JS, error) {
	b, err := json.Marshal(map[string]any{"region": chartOfCounts(f.ByRegion), "dept": chartOfCounts(f.ByDept),
		"category": chartOfCounts(f.ByCategory), "source": chartOfCounts(f.BySource), "year": f.Year})
	return template.JS(b), err
}

func (s *Server) hazardFiguresPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f, err := s.Hazards.Figures(r.Context(), a, figuresYear(r))
	if err != nil {
		return err
	}
	charts, err := hazardCharts(f)
	if err != nil {
		return err
	}
	tr, err := s.Hazards.Trend(r.Context(), a, f.Year)
	if err != nil {
		return err
	}
	trend, err := json.Marshal(tr)
	if err != nil {
		return err
	}
	s.pages.render(w, r, "hazard/figures", pageData{Title: "隐患治理统计", Actor: a,
		Data: map[string]any{"F": f, "Charts": charts, "Trend": tr, "TrendJSON": template.JS(trend)}})
	return nil
}

// drillLabel says in words which figure a hazard list was opened from
// (属地 泺口街道 · 2026年3月上报), "" for a list without those filters. A
// name the actor may not read stays out.
func (s *Server) drillLabel(r *http.Request, f hazard.Filter) string {
	var parts []string
	if f.Region != "" {
		if rg, err := s.Org.GetRegion(r.Context(), actorOf(r), f.Region); err == nil {
			parts = append(parts, "属地 "+rg.Name)
		}
	}
	if f.Dept != 0 {
		if u, err := s.Org.GetUnit(r.Context(), actorOf(r), f.Dept); err == nil {
			parts = append(parts, "监管部门 "+u.Name)
		}
	}
	if f.Category != "" {
		parts = append(parts, "行业领域 "+enterprise.CategoryName(f.Category))
	}
	if f.Year != 0 {
		parts = append(parts, strconv.Itoa(f.Year)+"年上报")
	}
	if t, err := time.Parse("2006-01", f.Month); err == nil {
		parts = append(parts, t.Format("2006年1月")+"上报")
	}
	if t, err := time.Parse("2006-01", f.ClosedMonth); err == nil {
		parts = append(parts, t.Format("2006年1月")+"销号")
	}
	return strings.Join(parts, " · ")
}

func (s *Server) bulletinPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	q := r.URL.Query()
	b, err := s.Hazards.Bulletin(r.Context(), a, q.Get("from"), q.Get("to"))
	d := map[string]any{"B": b, "From": b.From, "To": b.To, "Months": lastMonths(s.Plans.Today(), 6)}
	if err != nil {
		pd := pageData{Title: "隐患治理通报", Actor: a, Data: d}
		r.PostForm = r.URL.Query()
		return s.formErr(w, r, "hazard/bulletin", pd, err)
	}
	s.pages.render(w, r, "hazard/bulletin", pageData{Title: "隐患治理通报", Actor: a, Data: d})
	return nil
}

func (s *Server) bulletinPDF(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	b, err := s.Hazards.Bulletin(r.Context(), actorOf(r), q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	pdf, err := b.Letter().PDF()
	return sendPDF(w, "隐患治理通报-"+b.From+"-"+b.To+".pdf", pdf, err)
}

// bulletinDOCX is the bulletin as .docx, of the caller's jurisdiction as
// its PDF.
func (s *Server) bulletinDOCX(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	b, err := s.Hazards.Bulletin(r.Context(), actorOf(r), q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	doc, err := b.Letter().DOCX()
	return sendDOCX(w, "隐患治理通报-"+b.From+"-"+b.To+".docx", doc, err)
}

// month is a calendar month offered as a bulletin period.
type month struct{ Label, From, To string }

// lastMonths are the current month and the n-1 before it.
func lastMonths(today string, n int) []month {
	t, err := time.ParseInLocation("2006-01-02", today, calendar.Shanghai)
	if err != nil {
		return nil
	}
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, calendar.Shanghai)
	var out []month
	for i := 0; i < n; i++ {
		m := first.AddDate(0, -i, 0)
		end := m.AddDate(0, 1, -1)
		if i == 0 {
			end = t
		}
		out = append(out, month{Label: m.Format("2006年1月"), From: m.Format("2006-01-02"), To: end.Format("2006-01-02")})
	}
	return out
}
