package app

import (
	"anwei/internal/audit"
	"anwei/internal/auth"
	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/enterprise"
	"anwei/internal/files"
	"anwei/internal/hazard"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/plan"
	"anwei/internal/risk"
	"anwei/internal/store"
	"anwei/internal/web"
)

// Services are anwei's mechanisms, each built once with every dependency it
// needs. NewServices is the one place they are built: serve, every command
// of the command line, bench, the demo and the tests (apptest) all take
// them from there, so no path computes with a half-wired service.
type Services struct {
	DB *store.DB
	// web.Services lists the mechanisms (the web server calls them, and
	// web may not name the database), so the list is written once.
	web.Services
}

// Wiring is what the services are built with besides the database.
type Wiring struct {
	Clock calendar.Clock // nil: the system clock
	// Policy is the login policy; nil means auth.DefaultPolicy.
	Policy *auth.Policy
	// FilesDir is where attachments are kept (<data>/attachments).
	FilesDir string
	// ImportMaxRows caps the data rows of an imported sheet (enterprises,
	// plan progress); 0 means docs.DefaultMaxRows.
	ImportMaxRows int
	// FactorKey encrypts the TOTP secrets of two-factor login (32 bytes,
	// from the factor key file); nil: nobody can bind an authenticator.
	FactorKey []byte
}

// NewServices builds every service on db. Mechanisms that feed the
// registry's class or follow its moves bind to its hooks as they are built
// (hazard: open major hazards, moves; risk: moves; enforcement and accidents
// will feed theirs the same way); the hooks are sealed at the end, after
// which a service built elsewhere could not bind and the registry refuses
// to classify with hooks that are not sealed.
func NewServices(db *store.DB, w Wiring) *Services {
	if w.Clock == nil {
		w.Clock = calendar.System{}
	}
	policy := auth.DefaultPolicy
	if w.Policy != nil {
		policy = *w.Policy
	}
	s := &Services{DB: db}
	s.Clock, s.Audit = w.Clock, audit.NewLog(db)
	s.Org = org.NewService(db, w.Clock)
	s.Auth = auth.NewService(db, w.Clock, s.Org, policy, w.FactorKey)
	s.Files = files.New(w.FilesDir)
	s.Inbox = inbox.NewService(db)
	s.Plans = plan.NewService(db, w.Clock, s.Org, s.Files, w.ImportMaxRows)
	hooks := enterprise.NewHooks()
	s.Ents = enterprise.NewService(db, w.Clock, s.Org, hooks, w.ImportMaxRows)
	s.Hazards = hazard.NewService(db, w.Clock, s.Ents, s.Files, hooks)
	s.Risks = risk.NewService(db, w.Clock, s.Ents, hooks)
	s.Enforce = enforce.NewService(db, w.Clock, s.Ents, s.Hazards, s.Files, hooks)
	hooks.Seal()
	// Each mechanism shows its to-dos' objects as they are now (the 待办).
	s.Inbox.Resolve("hazard", s.Hazards.TodoStates)
	s.Inbox.Resolve("plan", s.Plans.TodoStates)
	s.Inbox.Resolve("enterprise", s.Ents.TodoStates)
	s.Inbox.Resolve("enforce", s.Enforce.TodoStates)
	return s
}
