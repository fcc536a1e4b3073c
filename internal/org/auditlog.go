package org

import (
	"context"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/audit"
)

// The audit log is read through org: who may read it is a role's permission
// (PermAuditRead) and how much of it a jurisdiction, both org's questions;
// audit, below org, knows no actor.

// AuditEvents lists the events of a's jurisdiction, newest first, with
// their total; only a holder of PermAuditRead reads the log.
func (s *Service) AuditEvents(ctx context.Context, a *Actor, f audit.Filter) ([]audit.Event, int, error) {
	if err := a.Require(PermAuditRead); err != nil {
		return nil, 0, err
	}
	return audit.List(ctx, s.db, a.Scope, f)
}

// AuditEvent returns one event of a's jurisdiction (not found outside it).
func (s *Service) AuditEvent(ctx context.Context, a *Actor, seq int64) (audit.Event, error) {
	if err := a.Require(PermAuditRead); err != nil {
		return audit.Event{}, err
	}
	return audit.Get(ctx, s.db, a.Scope, seq)
}

// AuditHead returns the chain's head (its latest seq and hash) to the one
// who keeps it: a reader of the log whose jurisdiction is the whole
// deployment. The chain is one for all levels, so its head (an event count
// among others) says how much happens outside a lower office's
// jurisdiction: anyone else is refused (Forbidden).
func (s *Service) AuditHead(ctx context.Context, a *Actor) (int64, string, error) {
	if err := a.Require(PermAuditRead); err != nil {
		return 0, "", err
	}
	keeper, err := s.keepsHead(ctx, a)
	if err != nil {
		return 0, "", err
	}
	if !keeper {
		return 0, "", apperr.New(apperr.Forbidden, "审计链头由本系统最高一级的安委办保存")
	}
	return audit.Head(ctx, s.db)
}

// keepsHead reports whether a's jurisdiction covers the deployment's root
// region.
func (s *Service) keepsHead(ctx context.Context, a *Actor) (bool, error) {
	if a.Scope.All {
		return true, nil
	}
	root, _, err := s.RootRegion(ctx)
	if err != nil {
		return false, err
	}
	for _, reg := range a.Scope.Regions {
		if strings.HasPrefix(root, reg) {
			return true, nil
		}
	}
	return false, nil
}
