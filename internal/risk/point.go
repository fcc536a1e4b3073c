package risk

import (
	"context"
	"fmt"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/rules"
	"anwei/internal/store"
)

// grade grades in under the scheme of the enterprise's region.
func (s *Service) grade(ctx context.Context, region string, in Input) (Scheme, rules.RiskGrade, error) {
	sc, _, err := s.SchemeFor(ctx, region)
	if err != nil {
		return sc, rules.RiskGrade{}, err
	}
	g, err := sc.Grade(in.Inputs)
	return sc, g, err
}

// Create records a risk point of an enterprise in the actor's scope (an
// enterprise its own) with its first assessment.
func (s *Service) Create(ctx context.Context, a *org.Actor, in Input) (Point, error) {
	if err := a.Require(org.PermRiskWrite); err != nil {
		return Point{}, err
	}
	// What the body says is checked before the enterprise is looked up
	// (issue 16.3: {} is told what is missing, not 企业不存在).
	var c apperr.Checks
	c.If(in.EnterpriseID == 0, "enterprise_id", "请选择企业")
	if err := c.Take(check(&in)); err != nil {
		return Point{}, err
	}
	if err := c.Err(); err != nil {
		return Point{}, err
	}
	e, err := s.ents.Get(ctx, a, in.EnterpriseID)
	if err != nil {
		return Point{}, err
	}
	sc, g, err := s.grade(ctx, e.RegionCode, in)
	if err != nil {
		return Point{}, err
	}
	now := s.clock.Now()
	p := pointOf(in, sc, g, now)
	p.UnitID, p.Enterprise, p.Region, p.Active, p.CreatedAt = e.UnitID, e.Name, e.RegionCode, true, now
	p.RegionName = e.RegionName
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		p.ID, err = tx.InsertID(ctx, `INSERT INTO risk_points (unit_id, region_code, name, activity, factors, accidents, measures, emergency, responsible,
			control_level, method, inputs, value, level, colour, assessed_on, active, created_at, created_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?)`, p.UnitID, p.Region, p.Name, p.Activity, p.Factors, p.Accidents,
			p.Measures, p.Emergency, p.Responsible, p.ControlLevel, p.Method, p.Inputs, p.Value, p.Level, p.Colour, p.AssessedOn, now, a.UserID, now)
		if err != nil {
			return err
		}
		if err := assessed(ctx, tx, a, now, p.ID, g, p.Inputs, in.Note); err != nil {
			return err
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "risk.create", ObjectKind: "risk_point", ObjectID: fmt.Sprint(p.ID),
			Region: p.Region, After: p})
		return err
	})
	return p, err
}

// pointOf is the point an input grades to.
func pointOf(in Input, sc Scheme, g rules.RiskGrade, now time.Time) Point {
	p := Point{Name: in.Name, Activity: in.Activity, Factors: in.Factors, Accidents: in.Accidents, Measures: in.Measures,
		Emergency: in.Emergency, Responsible: in.Responsible, ControlLevel: in.ControlLevel, Method: sc.Method,
		Inputs: in.Inputs.String(sc.Method), Value: g.Value, Level: g.Level, Colour: colourKeys[g.Colour],
		AssessedOn: calendar.Local(now).Format("2006-01-02"), UpdatedAt: now}
	if p.ControlLevel == "" {
		p.ControlLevel = SuggestedControl(p.Colour)
	}
	p.ColourName, p.ControlLevelName = ColourName(p.Colour), ControlLevelName(p.ControlLevel)
	return p
}

func assessed(ctx context.Context, tx *store.Tx, a *org.Actor, now time.Time, id int64, g rules.RiskGrade, inputs, note string) error {
	_, err := tx.Exec(ctx, `INSERT INTO risk_assessments (point_id, method, inputs, value, level, colour, basis, note, at, actor_id, actor)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, g.Method, inputs, g.Value, g.Level, colourKeys[g.Colour], g.Basis, note, now, a.UserID, a.Name)
	return err
}

// Reassess updates a risk point and grades it again under the current
// scheme; the new assessment joins its history (kept, never replaced).
func (s *Service) Reassess(ctx context.Context, a *org.Actor, id int64, in Input) (Point, error) {
	if err := a.Require(org.PermRiskWrite); err != nil {
		return Point{}, err
	}
	old, err := s.Get(ctx, a, id)
	if err != nil {
		return Point{}, err
	}
	in.EnterpriseID = old.UnitID
	if err := check(&in); err != nil {
		return Point{}, err
	}
	sc, g, err := s.grade(ctx, old.Region, in)
	if err != nil {
		return Point{}, err
	}
	now := s.clock.Now()
	p := pointOf(in, sc, g, now)
	p.ID, p.UnitID, p.Enterprise, p.Region, p.Active, p.CreatedAt = old.ID, old.UnitID, old.Enterprise, old.Region, old.Active, old.CreatedAt
	p.RegionName = old.RegionName
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE risk_points SET name = ?, activity = ?, factors = ?, accidents = ?, measures = ?, emergency = ?, responsible = ?,
			control_level = ?, method = ?, inputs = ?, value = ?, level = ?, colour = ?, assessed_on = ?, updated_at = ? WHERE id = ?`,
			p.Name, p.Activity, p.Factors, p.Accidents, p.Measures, p.Emergency, p.Responsible, p.ControlLevel, p.Method, p.Inputs, p.Value,
			p.Level, p.Colour, p.AssessedOn, now, id); err != nil {
			return err
		}
		if err := assessed(ctx, tx, a, now, id, g, p.Inputs, in.Note); err != nil {
			return err
		}
		err := audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "risk.reassess", ObjectKind: "risk_point", ObjectID: fmt.Sprint(id),
			Region: p.Region, Before: old, After: p})
		return err
	})
	return p, err
}

const pointCols = `p.id, p.unit_id, e.name, p.region_code, p.name, p.activity, p.factors, p.accidents, p.measures, p.emergency, p.responsible,
	p.control_level, p.method, p.inputs, p.value, p.level, p.colour, p.assessed_on, p.active, p.created_at, p.updated_at,
	COALESCE((SELECT rn.name FROM ` + org.RegionsView + ` rn WHERE rn.code = p.region_code), '')`

const pointFrom = " FROM risk_points p JOIN " + enterprise.NamesView + " e ON e.unit_id = p.unit_id WHERE "

func scanPoint(r interface{ Scan(...any) error }) (Point, error) {
	var p Point
	err := r.Scan(&p.ID, &p.UnitID, &p.Enterprise, &p.Region, &p.Name, &p.Activity, &p.Factors, &p.Accidents, &p.Measures, &p.Emergency,
		&p.Responsible, &p.ControlLevel, &p.Method, &p.Inputs, &p.Value, &p.Level, &p.Colour, &p.AssessedOn, &p.Active, &p.CreatedAt, &p.UpdatedAt, &p.RegionName)
	p.ColourName, p.ControlLevelName = ColourName(p.Colour), ControlLevelName(p.ControlLevel)
	return p, err
}

// Get returns a risk point of an enterprise the actor may see.
func (s *Service) Get(ctx context.Context, a *org.Actor, id int64) (Point, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return Point{}, err
	}
	w, args := a.Scope.UnitsWhere("p.region_code", "p.unit_id")
	p, err := scanPoint(s.db.QueryRow(ctx, "SELECT "+pointCols+pointFrom+"p.id = ? AND "+w, append([]any{id}, args...)...))
	if store.NoRows(err) {
		return p, apperr.New(apperr.NotFound, "风险点不存在或不在您的管辖范围内")
	}
	return p, err
}

// Filter narrows a risk point listing.
type Filter struct {
	EnterpriseID int64
	Colour       string
	Sort         paging.Sort // a key of Orders; highest risk first when none
	Region       string      // a street's code: the four-colour map's tile (streets.go)
	paging.Page
}

// riskGrade orders the colours from red (重大) to blue (低).
const riskGrade = "CASE p.colour WHEN 'red' THEN 0 WHEN 'orange' THEN 1 WHEN 'yellow' THEN 2 ELSE 3 END"

// Orders are the risk point list's sort keys (?sort=, issue 16.4): each
// names the SQL it orders by; nothing a request says reaches the SQL.
var Orders = paging.Orders{
	"grade":       riskGrade,
	"name":        "p.name",
	"enterprise":  "e.name",
	"control":     "p.control_level",
	"responsible": "p.responsible",
	"value":       "p.value",
	"assessed":    "p.assessed_on",
}

// List lists the risk points the actor may see, highest risk first.
func (s *Service) List(ctx context.Context, a *org.Actor, f Filter) ([]Point, int, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return nil, 0, err
	}
	order, err := Orders.By(f.Sort, riskGrade+", p.value DESC, p.id", "p.id")
	if err != nil {
		return nil, 0, apperr.Field("sort", err.Error())
	}
	w, args := a.Scope.UnitsWhere("p.region_code", "p.unit_id")
	w += " AND p.active = TRUE"
	if f.EnterpriseID != 0 {
		w += " AND p.unit_id = ?"
		args = append(args, f.EnterpriseID)
	}
	if f.Colour != "" {
		w += " AND p.colour = ?"
		args = append(args, f.Colour)
	}
	if f.Region != "" {
		c, cargs := inStreet(f.Region)
		w += " AND " + c
		args = append(args, cargs...)
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM risk_points p WHERE "+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, "SELECT "+pointCols+pointFrom+w+" ORDER BY "+order+" LIMIT ? OFFSET ?", append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, scanPoint)
	return out, total, err
}

// Assessment is one (re-)assessment of a risk point.
type Assessment struct {
	Method string    `json:"method"`
	Inputs string    `json:"inputs"`
	Value  float64   `json:"value"`
	Level  string    `json:"level"`
	Colour string    `json:"colour"`
	Basis  string    `json:"basis"`
	Note   string    `json:"note"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
}

// ListAssessments returns a risk point's assessments, newest first.
func (s *Service) ListAssessments(ctx context.Context, a *org.Actor, id int64) ([]Assessment, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT method, inputs, value, level, colour, basis, note, at, actor FROM risk_assessments WHERE point_id = ? ORDER BY id DESC`, id)
	return store.Collect(rows, err, func(r store.Scanner) (Assessment, error) {
		var x Assessment
		err := r.Scan(&x.Method, &x.Inputs, &x.Value, &x.Level, &x.Colour, &x.Basis, &x.Note, &x.At, &x.Actor)
		return x, err
	})
}

// Share is the four-colour count of one enterprise or street.
type Share struct {
	Key    string `json:"key"`
	Name   string `json:"name"`
	Red    int    `json:"red"`
	Orange int    `json:"orange"`
	Yellow int    `json:"yellow"`
	Blue   int    `json:"blue"`
}

// Total is the share's points.
func (s Share) Total() int { return s.Red + s.Orange + s.Yellow + s.Blue }

// CountColours gives the four-colour distribution of the risk points the
// actor may see: by street (the 四色分布) or, with enterpriseID, of that
// enterprise alone (one share).
func (s *Service) CountColours(ctx context.Context, a *org.Actor, enterpriseID int64) ([]Share, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return nil, err
	}
	w, args := a.Scope.UnitsWhere("p.region_code", "p.unit_id")
	key, entName := "substr(p.region_code, 1, 9)", ""
	if enterpriseID != 0 {
		e, err := s.ents.Get(ctx, a, enterpriseID)
		if err != nil {
			return nil, err
		}
		entName = e.Name
		w += " AND p.unit_id = ?"
		args = append(args, enterpriseID)
		key = "CAST(p.unit_id AS TEXT)"
	}
	rows, err := s.db.Query(ctx, "SELECT "+key+", COALESCE(MAX(r.name), ''), p.colour, COUNT(*) FROM risk_points p LEFT JOIN "+org.RegionsView+" r ON r.code = "+key+
		" WHERE p.active = TRUE AND "+w+" GROUP BY "+key+", p.colour ORDER BY 1", args...)
	var out []Share
	err = store.Each(rows, err, func(r store.Scanner) error {
		var k, name, colour string
		var n int
		if err := r.Scan(&k, &name, &colour, &n); err != nil {
			return err
		}
		if entName != "" {
			name = entName
		}
		if len(out) == 0 || out[len(out)-1].Key != k {
			out = append(out, Share{Key: k, Name: name})
		}
		sh := &out[len(out)-1]
		switch colour {
		case "red":
			sh.Red += n
		case "orange":
			sh.Orange += n
		case "yellow":
			sh.Yellow += n
		default:
			sh.Blue += n
		}
		return nil
	})
	return out, err
}
