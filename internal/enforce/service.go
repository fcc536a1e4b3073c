package enforce

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/files"
	"anwei/internal/hazard"
	"anwei/internal/numbering"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Service is the enforcement mechanism's use cases.
type Service struct {
	db      *store.DB
	clock   calendar.Clock
	ents    *enterprise.Service
	hazards *hazard.Service // a finding on site becomes a hazard (found.go)
	files   *files.Store    // media and drawn signatures
	entry   *entryKey       // the 入企码 key, read once (token.go)
	// entropy gives a draw its secret share: crypto/rand, but for the
	// demo's draws (WithEntropy), which must draw the same on every load.
	entropy io.Reader
}

// NewService returns the enforcement service. It binds itself to the
// registry's hooks: an enterprise's planned inspections follow it when it
// moves, and its decided penalties are the class input 近12个月违法行为.
func NewService(db *store.DB, clock calendar.Clock, ents *enterprise.Service, hazards *hazard.Service, fs *files.Store, hooks *enterprise.Hooks) *Service {
	s := &Service{db: db, clock: clock, ents: ents, hazards: hazards, files: fs, entry: &entryKey{}, entropy: rand.Reader}
	hooks.Follow(s)
	hooks.Feed(enterprise.Violations12m, s.Violations12m) // decided penalties move the class
	return s
}

// WithClock returns the service reading another clock (the demo's dates).
func (s *Service) WithClock(c calendar.Clock) *Service {
	cp := *s
	cp.clock = c
	return &cp
}

// WithEntropy returns the service drawing its shares from r: the demo's
// draws, seeded, so that every load of the demo draws the same
// enterprises (and the classes their penalties move are the same). Never
// for a real draw: its share must be secret and unpredictable.
func (s *Service) WithEntropy(r io.Reader) *Service {
	cp := *s
	cp.entropy = r
	return &cp
}

// drawNumbers numbers a department's draws of a year (第 N 批); a gap
// harms nobody.
var drawNumbers = numbering.Declare(numbering.Series{Name: "enforce.draw", Per: "department"})

// ownWhere is the scope of a department's own records (plans, draws,
// inspections it holds): the office and governments see their region's,
// a department and its officers their unit's.
func ownWhere(a *org.Actor, regionCol, unitCol string) (string, []any) {
	return a.Scope.EventsWhere(regionCol, unitCol)
}

// department refuses an actor that is not an enforcing department's
// (its plans, officers and draws are its own).
func department(a *org.Actor, p org.Perm) error {
	if err := a.Require(p); err != nil {
		return err
	}
	if a.Unit.Kind != org.KindDepartment {
		return apperr.New(apperr.Forbidden, "执法检查计划和抽查由执法部门编制")
	}
	return nil
}

// capsKey is the setting holding a region's cap table.
func capsKey(region string) string { return "enforce.caps:" + region }

// CapsFor is the cap table in force for a region: its own, its nearest
// ancestor's, else DefaultCaps; and the region whose setting applies.
func (s *Service) CapsFor(ctx context.Context, q org.RowQuerier, region string) (CapTable, string, error) {
	for r := region; r != ""; r = parentRegion(r) {
		raw, ok, err := org.ReadSetting(ctx, q, capsKey(r))
		if err != nil {
			return CapTable{}, "", err
		}
		if ok {
			var t CapTable
			if err := json.Unmarshal([]byte(raw), &t); err != nil {
				return CapTable{}, "", fmt.Errorf("检查频次上限设置损坏: %w", err)
			}
			return t, r, nil
		}
	}
	return DefaultCaps(), "", nil
}

// Caps is the cap table in force for the actor's region, with the region
// whose setting applies ("" for the default).
func (s *Service) Caps(ctx context.Context, a *org.Actor) (CapTable, string, error) {
	if err := a.Require(org.PermEnforceRead); err != nil {
		return CapTable{}, "", err
	}
	return s.CapsFor(ctx, s.db, a.Unit.Region)
}

// SetCaps sets the cap table of the actor's region (the office of a
// level): every row's figures at once.
func (s *Service) SetCaps(ctx context.Context, a *org.Actor, t CapTable) error {
	if err := a.Require(org.PermEnforceConfig); err != nil {
		return err
	}
	if a.Unit.Region == "" {
		return apperr.New(apperr.Forbidden, "本单位没有行政区划，不能设置检查频次上限")
	}
	if err := t.Validate(); err != nil {
		return err
	}
	before, _, err := s.CapsFor(ctx, s.db, a.Unit.Region)
	if err != nil {
		return err
	}
	raw, _ := json.Marshal(t)
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		if err := org.WriteSetting(ctx, tx, capsKey(a.Unit.Region), string(raw)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.caps", ObjectKind: "region", ObjectID: a.Unit.Region,
			Region: a.Unit.Region, Before: before.summary(), After: t.summary()})
	})
}

// parentRegion is the region code one level up.
func parentRegion(code string) string {
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

// ids renders ids as the comma-separated text a column holds.
func ids(v []int64) string {
	parts := make([]string, len(v))
	for i, id := range v {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ",")
}

// cond is a filter's condition, added when on.
type cond struct {
	on  bool
	sql string // " AND x.col = ?"
	arg any
}

// narrow adds to a WHERE clause the conditions that are on, in their order
// (the SQL text stays the same from call to call, for the statement cache).
func narrow(w string, args []any, cs ...cond) (string, []any) {
	for _, c := range cs {
		if c.on {
			w += c.sql
			args = append(args, c.arg)
		}
	}
	return w, args
}
