package enforce

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/docs"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// ExchangeSchema names the layout of Exchange: a province's enforcement
// system takes the record without typing it in twice. A change to the
// layout is a new name.
const ExchangeSchema = "anwei.enforce.inspection/1"

// Exchange is an inspection's record for another system (documented in
// the OpenAPI as EnforceExchange): who inspected whom, when and where, the
// checklist as marked, the findings with the hazards they became and the
// articles they cite, the media and signatures by their SHA-256 (the
// bytes are fetched by URL), and the writs as issued, each with every
// field it printed.
type Exchange struct {
	Schema     string           `json:"schema"`
	Inspection ExchangeTask     `json:"inspection"`
	Enterprise ExchangeParty    `json:"enterprise"`
	Officers   []TeamMember     `json:"officers"`
	Checklist  []ExchangeItem   `json:"checklist"`
	Findings   []Finding        `json:"findings"`
	Media      []ExchangeFile   `json:"media"`
	Signatures []Signature      `json:"signatures"`
	Writs      []Writ           `json:"writs"`
	Exported   time.Time        `json:"exported_at"`
	Links      map[string]int64 `json:"links,omitempty"` // of_inspection, recheck
}

// ExchangeTask is the inspection itself.
type ExchangeTask struct {
	ID         int64      `json:"id"`
	Department string     `json:"department"`
	Basis      string     `json:"basis"` // Bases key
	BasisName  string     `json:"basis_name"`
	Kind       string     `json:"kind"` // routine | supervisory | case
	State      string     `json:"state"`
	DueFrom    string     `json:"due_from"`
	DueTo      string     `json:"due_to"`
	CheckinAt  *time.Time `json:"checkin_at,omitempty"`
	StartedAt  *time.Time `json:"started_at,omitempty"`
	ClosedAt   *time.Time `json:"closed_at,omitempty"`
	Lat        *float64   `json:"lat,omitempty"`
	Lon        *float64   `json:"lon,omitempty"`
	Place      string     `json:"place"`
	Party      string     `json:"party"`
	PartyPost  string     `json:"party_post"`
	Summary    string     `json:"summary"`
	Handling   string     `json:"handling"`
	Measures   string     `json:"measures"`
}

// ExchangeParty is the inspected enterprise.
type ExchangeParty struct {
	Name       string `json:"name"`
	CreditCode string `json:"credit_code"`
	Address    string `json:"address"`
	LegalRep   string `json:"legal_rep"`
	Region     string `json:"region_code"`
}

// ExchangeItem is a checklist item with its basis and mark.
type ExchangeItem struct {
	Key       string `json:"key"`
	Text      string `json:"text"`
	Basis     string `json:"basis"`
	Major     bool   `json:"major"`
	Violation string `json:"violation,omitempty"`
	Result    string `json:"result"`
	Note      string `json:"note,omitempty"`
}

// ExchangeFile is a media file by its hash, with where to fetch it.
type ExchangeFile struct {
	Media
	URL string `json:"url"`
}

// ExchangeOf returns the inspection's record for another system.
func (s *Service) ExchangeOf(ctx context.Context, a *org.Actor, id int64) (Exchange, error) {
	d, err := s.GetInspection(ctx, a, id)
	if err != nil {
		return Exchange{}, err
	}
	x := Exchange{Schema: ExchangeSchema, Officers: d.Team, Findings: d.Findings, Signatures: d.Signatures, Writs: d.Writs, Exported: s.clock.Now(),
		Inspection: ExchangeTask{ID: d.ID, Department: d.Unit, Basis: d.Basis, BasisName: d.BasisName, Kind: d.Kind, State: d.State, DueFrom: d.DueFrom,
			DueTo: d.DueTo, CheckinAt: d.CheckinAt, StartedAt: d.StartedAt, ClosedAt: d.ClosedAt, Lat: d.Lat, Lon: d.Lon, Place: d.Place, Party: d.Party,
			PartyPost: d.PartyPost, Summary: d.Summary, Handling: d.Handling, Measures: d.Measures},
		Enterprise: ExchangeParty{Name: d.Enterprise, CreditCode: d.CreditCode, Address: d.Address, LegalRep: d.LegalRep, Region: d.Region}}
	for _, it := range d.Items {
		x.Checklist = append(x.Checklist, ExchangeItem{Key: it.Key, Text: it.Text, Basis: it.Basis, Major: it.Major, Violation: it.Violation,
			Result: it.Result, Note: it.Note})
	}
	for _, m := range d.Media {
		x.Media = append(x.Media, ExchangeFile{Media: m, URL: fmt.Sprintf("/enforce/inspections/%d/media/%d", d.ID, m.ID)})
	}
	if d.OfInspection != 0 || d.Recheck != 0 {
		x.Links = map[string]int64{}
		if d.OfInspection != 0 {
			x.Links["of_inspection"] = d.OfInspection
		}
		if d.Recheck != 0 {
			x.Links["recheck"] = d.Recheck
		}
	}
	return x, nil
}

// LedgerMax is the most rows the ledger exports at once.
const LedgerMax = 5000

// Ledger is the inspections the actor may see, filtered, as the 执法检查台账
// sheet: one row per inspection with its findings and writs.
func (s *Service) Ledger(ctx context.Context, a *org.Actor, f InspectionFilter) (docs.Sheet, error) {
	// Every page of the list, paging.Max at a time (a Limit above it is
	// clamped to the default page: the ledger once stopped at 50 rows).
	var is []Inspection
	for off := 0; off < LedgerMax; off += paging.Max {
		f.Page = paging.Page{Offset: off, Limit: paging.Max}
		page, _, err := s.ListInspections(ctx, a, f)
		if err != nil {
			return docs.Sheet{}, err
		}
		is = append(is, page...)
		if len(page) < paging.Max {
			break
		}
	}
	sh := docs.Sheet{Name: "执法检查台账", Header: []string{"序号", "检查部门", "被检查单位", "检查事由", "时间窗", "执法人员", "状态", "完成时间",
		"检查项", "不合格项", "发现问题", "其中隐患", "违法行为", "整改情况", "文书"},
		Widths: []float64{6, 18, 26, 12, 22, 16, 10, 16, 8, 8, 40, 8, 24, 14, 40}}
	for n, i := range is {
		d, err := s.GetInspection(ctx, a, i.ID)
		if err != nil {
			return sh, err
		}
		fail, hz := 0, 0
		for _, it := range d.Items {
			if it.Result == "fail" {
				fail++
			}
		}
		var probs, viols []string
		states := map[string]int{}
		for _, f := range d.Findings {
			probs = append(probs, f.Place+": "+f.Description)
			if f.Hazard {
				hz++
			}
			if f.Violation != "" {
				viols = append(viols, strings.SplitN(f.ViolationText, " ", 2)[0])
			}
			states[f.StateName]++
		}
		var st, ws []string
		for _, c := range FindingStates {
			if states[c.Name] > 0 {
				st = append(st, fmt.Sprintf("%s %d", c.Name, states[c.Name]))
			}
		}
		for _, w := range d.Writs {
			ws = append(ws, w.Title+" "+w.Number)
		}
		closed := ""
		if d.ClosedAt != nil {
			closed = calendar.Local(*d.ClosedAt).Format("2006-01-02 15:04")
		}
		sh.Rows = append(sh.Rows, []string{strconv.Itoa(n + 1), d.Unit, d.Enterprise, d.BasisName, d.DueFrom + " 至 " + d.DueTo,
			strings.Join(d.OfficerNames, "、"), d.StateName, closed, strconv.Itoa(len(d.Items)), strconv.Itoa(fail), strings.Join(probs, "；"),
			strconv.Itoa(hz), strings.Join(viols, "；"), strings.Join(st, "，"), strings.Join(ws, "；")})
	}
	return sh, nil
}

// MonthFigures is a month's inspections: planned (every task of the
// month) and done (closed).
type MonthFigures struct {
	Month   int `json:"month"`
	Planned int `json:"planned"`
	Done    int `json:"done"`
}

// InspectionFigures is the year's inspection work the actor may see: done
// vs planned by month, findings by the enterprise's category, and the
// rectification rate of the findings ordered rectified.
type InspectionFigures struct {
	Year       int            `json:"year"`
	Planned    int            `json:"planned"` // every inspection of the year
	Done       int            `json:"done"`    // closed
	Months     []MonthFigures `json:"months"`
	ByCategory []CategoryFig  `json:"by_category"`
	Ordered    int            `json:"ordered"`   // findings with a deadline
	Corrected  int            `json:"corrected"` // of them, corrected at the re-check
	Refused    int            `json:"refused"`   // of them, 拒不改正
	Overdue    int            `json:"overdue"`   // open past their deadline
	Rate       float64        `json:"rate"`      // corrected / (ordered whose deadline passed), per cent
}

// CategoryFig is the findings in enterprises of a category.
type CategoryFig struct {
	Category string `json:"category"`
	Name     string `json:"name"`
	Findings int    `json:"findings"`
	Hazards  int    `json:"hazards"`
}

// Figures sums up the year's inspections the actor may see.
func (s *Service) Figures(ctx context.Context, a *org.Actor, year int) (InspectionFigures, error) {
	w, args, err := seeWhere(a)
	if err != nil {
		return InspectionFigures{}, err
	}
	out := InspectionFigures{Year: year}
	for m := 1; m <= 12; m++ {
		out.Months = append(out.Months, MonthFigures{Month: m})
	}
	rows, err := s.db.Query(ctx, "SELECT i.month, COUNT(*), SUM(CASE WHEN i.state = 'closed' THEN 1 ELSE 0 END) FROM enforce_inspections i WHERE i.year = ? AND "+
		w+" GROUP BY i.month", append([]any{year}, args...)...)
	type mf struct{ m, p, d int }
	ms, err := store.Collect(rows, err, func(sc store.Scanner) (mf, error) {
		var x mf
		return x, sc.Scan(&x.m, &x.p, &x.d)
	})
	if err != nil {
		return out, err
	}
	for _, x := range ms {
		if x.m >= 1 && x.m <= 12 {
			out.Months[x.m-1].Planned, out.Months[x.m-1].Done = x.p, x.d
		}
		out.Planned += x.p
		out.Done += x.d
	}
	today := calendar.Local(s.clock.Now()).Format("2006-01-02")
	rows, err = s.db.Query(ctx, `SELECT c.category, COUNT(*), SUM(CASE WHEN f.hazard THEN 1 ELSE 0 END) FROM enforce_findings f
		JOIN enforce_inspections i ON i.id = f.inspection_id JOIN `+enterprise.CategoriesView+` c ON c.unit_id = f.enterprise_id
		WHERE i.year = ? AND `+w+` GROUP BY c.category ORDER BY COUNT(*) DESC, c.category`, append([]any{year}, args...)...)
	if out.ByCategory, err = store.Collect(rows, err, func(sc store.Scanner) (CategoryFig, error) {
		var c CategoryFig
		err := sc.Scan(&c.Category, &c.Findings, &c.Hazards)
		c.Name = enterprise.CategoryName(c.Category)
		return c, err
	}); err != nil {
		return out, err
	}
	err = s.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN f.state = 'corrected' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN f.state = 'refused' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN f.state = 'open' AND f.deadline < ? THEN 1 ELSE 0 END), 0)
		FROM enforce_findings f JOIN enforce_inspections i ON i.id = f.inspection_id WHERE f.deadline <> '' AND i.year = ? AND `+w,
		append([]any{today, year}, args...)...).Scan(&out.Ordered, &out.Corrected, &out.Refused, &out.Overdue)
	if due := out.Corrected + out.Refused + out.Overdue; due > 0 {
		out.Rate = float64(out.Corrected*1000/due) / 10
	}
	return out, err
}
