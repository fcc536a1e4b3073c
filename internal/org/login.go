package org

import (
	"context"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
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
	Failed       int
	LockedUntil  *time.Time
}

// CredentialsFor looks a user up by username for login.
func (s *Service) CredentialsFor(ctx context.Context, username string) (Credentials, error) {
	var c Credentials
	var ua, na bool
	err := s.db.QueryRow(ctx, `SELECT us.id, us.username, us.unit_id, u.region_code, us.password_hash, us.active, u.active,
		us.failed_logins, us.locked_until FROM users us JOIN units u ON u.id = us.unit_id WHERE us.username = ?`,
		strings.ToLower(strings.TrimSpace(username))).
		Scan(&c.UserID, &c.Username, &c.UnitID, &c.Region, &c.PasswordHash, &ua, &na, &c.Failed, &c.LockedUntil)
	if store.NoRows(err) {
		return c, apperr.New(apperr.NotFound, "用户不存在")
	}
	c.Active = ua && na
	return c, err
}

// RecordLoginFailure counts a failed login; after lockAfter failures in a
// row the account is locked for lockFor. It returns the lock's end, if any.
func (s *Service) RecordLoginFailure(ctx context.Context, c Credentials, lockAfter int, lockFor time.Duration) (*time.Time, error) {
	now := s.clock.Now()
	var until *time.Time
	who := audit.Who{UserID: c.UserID, Name: c.Username, UnitID: c.UnitID, Region: c.Region}
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var failed int
		if err := tx.QueryRow(ctx, "SELECT failed_logins FROM users WHERE id = ?", c.UserID).Scan(&failed); err != nil {
			return err
		}
		failed++
		entry := audit.Entry{Action: "auth.login_failed", ObjectKind: "user", ObjectID: id(c.UserID),
			After: map[string]any{"failed_logins": failed}}
		until = nil
		if failed >= lockAfter {
			t := now.Add(lockFor)
			until = &t
			failed = 0
			entry.Action = "auth.locked"
			entry.After = map[string]any{"locked_until": t.UTC().Format(time.RFC3339)}
		}
		if _, err := tx.Exec(ctx, "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?", failed, until, c.UserID); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, now, who, entry)
		return err
	})
	return until, err
}

// ResetLoginFailures clears the failure count after a successful login.
func (s *Service) ResetLoginFailures(ctx context.Context, tx *store.Tx, userID int64) error {
	_, err := tx.Exec(ctx, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ? AND (failed_logins <> 0 OR locked_until IS NOT NULL)", userID)
	return err
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
