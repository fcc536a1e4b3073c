package risk

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/rules"
	"anwei/internal/store"
)

// Point is a risk point with its current grade.
type Point struct {
	ID           int64     `json:"id"`
	UnitID       int64     `json:"enterprise_id"`
	Enterprise   string    `json:"enterprise"`
	Region       string    `json:"region_code"`
	Name         string    `json:"name"`
	Activity     string    `json:"activity"`
	Factors      string    `json:"factors"`
	Accidents    string    `json:"accidents"`
	Measures     string    `json:"measures"`
	Emergency    string    `json:"emergency"`
	Responsible  string    `json:"responsible"`
	ControlLevel string    `json:"control_level"`
	Method       string    `json:"method"`
	Inputs       string    `json:"inputs"`
	Value        float64   `json:"value"`
	Level        string    `json:"level"`
	Colour       string    `json:"colour"`
	AssessedOn   string    `json:"assessed_on"`
	Active       bool      `json:"active"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	// The words beside the codes (issue 16.3), filled when read.
	RegionName       string `json:"region_name,omitempty"`
	ColourName       string `json:"colour_name,omitempty"`
	ControlLevelName string `json:"control_level_name,omitempty"`
}

// Input is a risk point as entered, with the assessment's factor values.
type Input struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Name         string `json:"name"`
	Activity     string `json:"activity"`
	Factors      string `json:"factors"`
	Accidents    string `json:"accidents"` // GB 6441 types separated by 、 or ,
	Measures     string `json:"measures"`
	Emergency    string `json:"emergency"`
	Responsible  string `json:"responsible"`
	ControlLevel string `json:"control_level"` // empty: the suggested level for the grade
	Inputs       Inputs `json:"inputs"`
	Note         string `json:"note"` // why it was (re-)assessed
}

// Service is the risk mechanism's use cases.
type Service struct {
	db    *store.DB
	clock calendar.Clock
	ents  *enterprise.Service
}

// NewService returns the risk service. It binds itself to the registry's
// hooks: an enterprise's risk points follow it when it moves.
func NewService(db *store.DB, clock calendar.Clock, ents *enterprise.Service, hooks *enterprise.Hooks) *Service {
	s := &Service{db: db, clock: clock, ents: ents}
	hooks.Follow(s)
	return s
}

func schemeKey(region string) string { return "risk.scheme:" + region }

// SchemeFor is the grading scheme of a region: the one set for it or its
// nearest ancestor, else DefaultScheme. It also returns the region whose
// setting applies ("" for the default).
func (s *Service) SchemeFor(ctx context.Context, region string) (Scheme, string, error) {
	for r := region; r != ""; r = parent(r) {
		raw, ok, err := org.ReadSetting(ctx, s.db, schemeKey(r))
		if err != nil {
			return Scheme{}, "", err
		}
		if ok {
			sc, err := parseScheme(raw)
			return sc, r, err
		}
	}
	return DefaultScheme, "", nil
}

// InForce is the grading scheme in force for a region, as users see it:
// the scheme, its name, the region whose setting applies ("" for the
// default) and its colour bands.
type InForce struct {
	Scheme
	Name  string       `json:"name"`
	SetAt string       `json:"set_at"` // the region whose setting applies, "" for the default
	Bands []rules.Band `json:"bands"`
}

// SchemeOf is the scheme in force for the actor's own region (its unit's),
// which any reader of the organisation may see.
func (s *Service) SchemeOf(ctx context.Context, a *org.Actor) (InForce, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return InForce{}, err
	}
	sc, where, err := s.SchemeFor(ctx, a.Unit.Region)
	if err != nil {
		return InForce{}, err
	}
	bands, err := sc.Bands()
	return InForce{Scheme: sc, Name: sc.Name(), SetAt: where, Bands: bands}, err
}

// parent is the region code one level up (12-digit village → 9-digit
// street → county → city → province).
func parent(code string) string {
	switch n := len(code); {
	case n > 9:
		return code[:9]
	case n > 6:
		return code[:6]
	case n > 2:
		return code[:n-2]
	}
	return ""
}

// SetScheme sets the grading scheme of the actor's region (an office of a
// level); existing points keep their grade until re-assessed.
func (s *Service) SetScheme(ctx context.Context, a *org.Actor, sc Scheme) error {
	if err := a.Require(org.PermRiskConfig); err != nil {
		return err
	}
	if _, err := sc.Bands(); err != nil {
		return err
	}
	if sc.Method == "ls" {
		sc.Red, sc.Orange, sc.Yellow = 0, 0, 0
	} else {
		sc.Variant = ""
	}
	before, _, err := s.SchemeFor(ctx, a.Unit.Region)
	if err != nil {
		return err
	}
	raw, _ := json.Marshal(sc)
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		if err := org.WriteSetting(ctx, tx, schemeKey(a.Unit.Region), string(raw)); err != nil {
			return err
		}
		err := audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "risk.scheme", ObjectKind: "region", ObjectID: a.Unit.Region,
			Region: a.Unit.Region, Before: before, After: sc})
		return err
	})
}

// check validates the text fields and normalises the accident types.
func check(in *Input) error {
	var c apperr.Checks // every field at once (issue 16.2), in the form's order
	for _, f := range []struct {
		v          *string
		name, what string
	}{{&in.Name, "name", "风险点名称"}, {&in.Factors, "factors", "危险有害因素"}, {&in.Measures, "measures", "管控措施"}, {&in.Responsible, "responsible", "责任人"}} {
		*f.v = strings.TrimSpace(*f.v)
	}
	in.Activity, in.Emergency, in.Note = strings.TrimSpace(in.Activity), strings.TrimSpace(in.Emergency), strings.TrimSpace(in.Note)
	c.If(in.Name == "", "name", "请填写风险点名称")
	c.If(in.Factors == "", "factors", "请填写危险有害因素")
	if err := c.Take(apperr.Lengths(text("name", "风险点名称", in.Name), text("activity", "作业活动/设备设施", in.Activity),
		text("factors", "危险有害因素", in.Factors), text("accidents", "事故类型", in.Accidents), text("measures", "管控措施", in.Measures),
		text("emergency", "应急处置措施", in.Emergency), text("responsible", "责任人", in.Responsible), text("note", "评估说明", in.Note))); err != nil {
		return err
	}
	var types, unknown []string
	for _, t := range strings.FieldsFunc(in.Accidents, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ' ' }) {
		if slices.Contains(AccidentTypes, t) {
			types = append(types, t)
		} else {
			unknown = append(unknown, t)
		}
	}
	if len(unknown) > 0 {
		c.Add("accidents", fmt.Sprintf("事故类型「%s」不在 GB 6441 的 20 类中", strings.Join(unknown, "、")))
	} else if len(types) == 0 {
		c.Add("accidents", "请选择可能导致的事故类型 (GB 6441)")
	}
	in.Accidents = strings.Join(types, "、")
	c.If(in.Measures == "", "measures", "请填写管控措施")
	c.If(in.Responsible == "", "responsible", "请填写责任人")
	c.If(in.ControlLevel != "" && ControlLevelName(in.ControlLevel) == in.ControlLevel, "control_level", "请选择管控层级 (公司、车间、班组、岗位)")
	return c.Err()
}

// WithClock returns the service reading another clock (the demo's dates).
func (s *Service) WithClock(c calendar.Clock) *Service {
	cp := *s
	cp.clock = c
	return &cp
}
