// Package apptest builds anwei's services for tests exactly as serve does
// (app.NewServices), on a real database from storetest, optionally with the
// demo jurisdiction loaded — so a test exercises the wiring it ships with,
// never a hand-wired copy.
package apptest

import (
	"context"
	"testing"

	"anwei/internal/app"
	"anwei/internal/demo"
	"anwei/internal/store"
)

// FactorKey is the factor key New gives services when w has none.
var FactorKey = []byte("apptest factor key, 32 bytes....")

// New builds every service on db. w.FilesDir defaults to a temporary
// directory of t's, w.FactorKey to FactorKey.
func New(t testing.TB, db *store.DB, w app.Wiring) *app.Services {
	t.Helper()
	if w.FilesDir == "" {
		w.FilesDir = t.TempDir()
	}
	if w.FactorKey == nil {
		w.FactorKey = FactorKey
	}
	return app.NewServices(db, w)
}

// Demo builds every service on db and loads the demo jurisdiction, with n
// generated enterprises besides 泺口化工 (demo.Load) — its units,
// accounts, plan and registry, but not its hazards and risks (LoadHazards).
func Demo(t testing.TB, db *store.DB, w app.Wiring, n int) *app.Services {
	t.Helper()
	s := New(t, db, w)
	if _, err := demo.Load(context.Background(), s.Org, s.Plans, s.Ents, n); err != nil {
		t.Fatal(err)
	}
	return s
}

// LoadHazards adds the demo's hazards and risk points, and its year of
// enforcement (plan, draws and inspections), to a Demo.
func LoadHazards(t testing.TB, s *app.Services) {
	t.Helper()
	if err := demo.LoadHazards(context.Background(), s.Org, s.Ents, s.Hazards, s.Risks, s.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadEnforcement(context.Background(), s.Org, s.Ents, s.Enforce, s.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadInspections(context.Background(), s.Org, s.Ents, s.Enforce, s.Clock.Now()); err != nil {
		t.Fatal(err)
	}
}
