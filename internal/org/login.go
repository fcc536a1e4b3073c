package org

import (
	"context"

	"anwei/internal/apperr"
	"anwei/internal/store"
)

// Credentials is what login needs to know about a user.
type Credentials struct {
	UserID       int64
	Username     string
	UnitID       int64
	Region       string
	PasswordHash string
	Active       bool // user and unit both active
}

// CredentialsFor looks a user up by username for login.
func (s *Service) CredentialsFor(ctx context.Context, username string) (Credentials, error) {
	var c Credentials
	var ua, na bool
	err := s.db.QueryRow(ctx, `SELECT us.id, us.username, us.unit_id, u.region_code, us.password_hash, us.active, u.active
		FROM users us JOIN units u ON u.id = us.unit_id WHERE us.username = ?`, normalUsername(username)).
		Scan(&c.UserID, &c.Username, &c.UnitID, &c.Region, &c.PasswordHash, &ua, &na)
	if store.NoRows(err) {
		return c, apperr.New(apperr.NotFound, "用户不存在")
	}
	c.Active = ua && na
	return c, err
}

// ActorByID loads the actor for an authenticated user: one query. A
// disabled user or unit yields Unauthenticated.
func (s *Service) ActorByID(ctx context.Context, userID int64) (*Actor, error) {
	return s.ActorWhere(ctx, ActorQuery{Where: "us.id = ?", Args: []any{userID}})
}

// ActorQuery finds one user and reads the caller's own columns in the
// same query: a session and its user are read together.
type ActorQuery struct {
	Join  string // tables joined to users us and their unit u
	Where string // picks the row
	Args  []any
	Cols  string // the caller's columns, read after the actor's
	Into  []any  // where Cols are scanned to
}

// ActorWhere loads the actor of the one user q finds. Not found, or a
// disabled user or unit, yields Unauthenticated.
func (s *Service) ActorWhere(ctx context.Context, q ActorQuery) (*Actor, error) {
	var (
		roles      string
		ua, na     bool
		lvl        int
		unit       UnitRef
		id         int64
		name, user string
	)
	cols := ""
	if q.Cols != "" {
		cols = ", " + q.Cols
	}
	dest := append([]any{&id, &user, &name, &ua, &roles, &unit.ID, &unit.Name, &unit.Kind, &lvl, &unit.Region, &na}, q.Into...)
	err := s.db.QueryRow(ctx, `SELECT us.id, us.username, us.display_name, us.active, us.roles, u.id, u.name, u.kind, u.level, u.region_code, u.active`+cols+`
		FROM users us JOIN units u ON u.id = us.unit_id `+q.Join+` WHERE `+q.Where, q.Args...).Scan(dest...)
	if store.NoRows(err) || (err == nil && !(ua && na)) {
		return nil, apperr.New(apperr.Unauthenticated, "账号不存在或已停用")
	}
	if err != nil {
		return nil, err
	}
	unit.Level = Level(lvl)
	return NewActor(id, user, name, unit, ParseRoles(roles)), nil
}

// ActorByUsername is ActorByID for a username: the demo, the benches and
// tests act as a named user.
func (s *Service) ActorByUsername(ctx context.Context, username string) (*Actor, error) {
	uid, err := s.UserIDByName(ctx, username)
	if err != nil {
		return nil, err
	}
	return s.ActorByID(ctx, uid)
}
